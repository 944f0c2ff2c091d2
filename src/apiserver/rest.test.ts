// REST semantics of the API server over real HTTPS: every verb and the error cases upstream defines.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request } from 'node:https';
import { startTestServer, type TestServer } from './test-server.js';

type Obj = { metadata: Record<string, any>; spec?: any; status?: any; [k: string]: any };

let t: TestServer;
before(async () => {
  t = await startTestServer();
});
after(async () => {
  await t.stop();
});

const cm = (name: string, data: Record<string, string> = { a: '1' }, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

const deployment = (name: string, replicas = 1) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
  },
});

describe('authentication and health', () => {
  it('refuses anonymous requests except health and version', async () => {
    const get = (path: string) =>
      new Promise<number>((resolve, reject) => {
        request(new URL(path, t.server.url), { ca: t.server.pki.caCertPem }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
          .on('error', reject)
          .end();
      });
    assert.equal(await get('/api/v1/namespaces'), 401);
    assert.equal(await get('/healthz'), 200);
    assert.equal(await get('/readyz'), 200);
    assert.equal(await get('/livez'), 200);
    assert.equal(await get('/version'), 200);
  });
});

describe('bootstrap', () => {
  it('has the initial namespaces and the kubernetes service', async () => {
    const res = await t.client.get<{ items: Obj[] }>('/api/v1/namespaces');
    const names = res.body.items.map((n) => n.metadata.name).sort();
    assert.deepEqual(names, ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    assert.equal(res.body.items[0]!.status.phase, 'Active');
    const svc = await t.client.get<Obj>('/api/v1/namespaces/default/services/kubernetes');
    assert.equal(svc.status, 200);
    assert.equal(svc.body.spec.clusterIP, '10.96.0.1');
    const ep = await t.client.get<Obj>('/api/v1/namespaces/default/endpoints/kubernetes');
    assert.equal(ep.status, 200, ep.text);
    assert.equal(ep.body.subsets[0].ports[0].port, t.server.port);
    assert.equal(ep.body.subsets[0].addresses[0].ip, '127.0.0.1');
  });
});

describe('create, get, update, delete', () => {
  it('creates with uid, creationTimestamp and resourceVersion; 409 on duplicates; 404 on missing', async () => {
    const res = await t.client.post<Obj>('/api/v1/namespaces/default/configmaps', cm('c1'));
    assert.equal(res.status, 201);
    assert.match(res.body.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(res.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(res.body.metadata.resourceVersion, /^\d+$/);
    const dup = await t.client.post<Obj>('/api/v1/namespaces/default/configmaps', cm('c1'));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.reason, 'AlreadyExists');
    assert.equal(dup.body.message, 'configmaps "c1" already exists');
    const missing = await t.client.get<Obj>('/api/v1/namespaces/default/configmaps/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body.details, { name: 'nope', kind: 'configmaps' });
    const got = await t.client.get<Obj>('/api/v1/namespaces/default/configmaps/c1');
    assert.deepEqual(got.body.data, { a: '1' });
  });

  it('generateName makes a unique name', async () => {
    const res = await t.client.post<Obj>('/api/v1/namespaces/default/configmaps', { metadata: { generateName: 'gen-' }, data: {} });
    assert.equal(res.status, 201);
    assert.match(res.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('optimistic concurrency: a stale resourceVersion gets 409 Conflict', async () => {
    const created = (await t.client.post<Obj>('/api/v1/namespaces/default/configmaps', cm('occ'))).body;
    const first = await t.client.put<Obj>('/api/v1/namespaces/default/configmaps/occ', { ...created, data: { a: '2' } });
    assert.equal(first.status, 200);
    assert.notEqual(first.body.metadata.resourceVersion, created.metadata.resourceVersion);
    const stale = await t.client.put<Obj>('/api/v1/namespaces/default/configmaps/occ', { ...created, data: { a: '3' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    assert.match(stale.body.message, /the object has been modified/);
  });

  it('bumps generation only on spec changes; status only through /status', async () => {
    const d = (await t.client.post<Obj>('/apis/apps/v1/namespaces/default/deployments', deployment('gen'))).body;
    assert.equal(d.metadata.generation, 1);
    const labelled = await t.client.patch<Obj>('/apis/apps/v1/namespaces/default/deployments/gen', { metadata: { labels: { x: 'y' } } });
    assert.equal(labelled.body.metadata.generation, 1);
    const scaled = await t.client.patch<Obj>('/apis/apps/v1/namespaces/default/deployments/gen', { spec: { replicas: 3 } });
    assert.equal(scaled.body.metadata.generation, 2);
    const withStatus = await t.client.patch<Obj>('/apis/apps/v1/namespaces/default/deployments/gen', { status: { replicas: 7 } });
    assert.equal(withStatus.status, 200);
    assert.equal(withStatus.body.status?.replicas, undefined, 'main resource never changes status');
    const st = await t.client.patch<Obj>('/apis/apps/v1/namespaces/default/deployments/gen/status', { status: { replicas: 7 }, spec: { replicas: 9 } });
    assert.equal(st.status, 200);
    assert.equal(st.body.status.replicas, 7);
    assert.equal(st.body.spec.replicas, 3, 'status subresource never changes spec');
  });

  it('scale subresource reads and writes replicas as autoscaling/v1 Scale', async () => {
    await t.client.post('/apis/apps/v1/namespaces/default/deployments', deployment('sc', 2));
    const s = await t.client.get<Obj>('/apis/apps/v1/namespaces/default/deployments/sc/scale');
    assert.equal(s.body.kind, 'Scale');
    assert.equal(s.body.apiVersion, 'autoscaling/v1');
    assert.equal(s.body.spec.replicas, 2);
    assert.equal(s.body.status.selector, 'app=sc');
    const p = await t.client.patch<Obj>('/apis/apps/v1/namespaces/default/deployments/sc/scale', { spec: { replicas: 5 } });
    assert.equal(p.status, 200);
    assert.equal(p.body.spec.replicas, 5);
    const d = await t.client.get<Obj>('/apis/apps/v1/namespaces/default/deployments/sc');
    assert.equal(d.body.spec.replicas, 5);
  });

  it('finalizers keep a deleted object until the last one is removed', async () => {
    await t.client.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'fin', finalizers: ['example.com/hold'] }, data: {} });
    const del = await t.client.delete<Obj>('/api/v1/namespaces/default/configmaps/fin');
    assert.equal(del.status, 200);
    const held = await t.client.get<Obj>('/api/v1/namespaces/default/configmaps/fin');
    assert.equal(held.status, 200);
    assert.ok(held.body.metadata.deletionTimestamp);
    const rel = await t.client.patch<Obj>('/api/v1/namespaces/default/configmaps/fin', { metadata: { finalizers: null } });
    assert.equal(rel.status, 200);
    assert.equal((await t.client.get('/api/v1/namespaces/default/configmaps/fin')).status, 404);
  });

  it('pods bound to a node are deleted gracefully', async () => {
    const pod = { metadata: { name: 'gp' }, spec: { nodeName: 'n1', terminationGracePeriodSeconds: 20, containers: [{ name: 'c', image: 'busybox' }] } };
    const created = await t.client.post<Obj>('/api/v1/namespaces/default/pods', pod);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.status.phase, 'Pending');
    assert.equal(created.body.status.qosClass, 'BestEffort');
    const del = await t.client.delete<Obj>('/api/v1/namespaces/default/pods/gp');
    assert.equal(del.status, 200);
    assert.equal(del.body.metadata.deletionGracePeriodSeconds, 20);
    assert.equal((await t.client.get('/api/v1/namespaces/default/pods/gp')).status, 200);
    const now = await t.client.delete<Obj>('/api/v1/namespaces/default/pods/gp', { gracePeriodSeconds: 0 });
    assert.equal(now.status, 200);
    assert.equal((await t.client.get('/api/v1/namespaces/default/pods/gp')).status, 404);
  });

  it('binding sets nodeName once', async () => {
    await t.client.post('/api/v1/namespaces/default/pods', { metadata: { name: 'bp' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const b = await t.client.post<Obj>('/api/v1/namespaces/default/pods/bp/binding', { metadata: { name: 'bp' }, target: { kind: 'Node', name: 'node-a' } });
    assert.equal(b.status, 201, b.text);
    const pod = await t.client.get<Obj>('/api/v1/namespaces/default/pods/bp');
    assert.equal(pod.body.spec.nodeName, 'node-a');
    assert.equal(pod.body.status.conditions.find((c: Obj) => c.type === 'PodScheduled').status, 'True');
    const again = await t.client.post<Obj>('/api/v1/namespaces/default/pods/bp/binding', { metadata: { name: 'bp' }, target: { kind: 'Node', name: 'node-b' } });
    assert.equal(again.status, 409);
  });

  it('admission: priority from the PriorityClass, default tolerations and service account', async () => {
    const ok = await t.client.post<Obj>('/api/v1/namespaces/default/pods', { metadata: { name: 'prio' }, spec: { priorityClassName: 'system-node-critical', containers: [{ name: 'c', image: 'busybox' }] } });
    assert.equal(ok.status, 201, ok.text);
    assert.equal(ok.body.spec.priority, 2000001000);
    assert.equal(ok.body.spec.serviceAccountName, 'default');
    const keys = ok.body.spec.tolerations.map((x: Obj) => `${x.key}:${x.effect}:${x.tolerationSeconds}`);
    assert.deepEqual(keys, ['node.kubernetes.io/not-ready:NoExecute:300', 'node.kubernetes.io/unreachable:NoExecute:300']);
    const bad = await t.client.post<Obj>('/api/v1/namespaces/default/pods', { metadata: { name: 'prio2' }, spec: { priorityClassName: 'nope', containers: [{ name: 'c', image: 'busybox' }] } });
    assert.equal(bad.status, 403);
    assert.match(bad.body.message, /no PriorityClass with name nope was found/);
  });

  it('dryRun=All validates without persisting', async () => {
    const res = await t.client.post<Obj>('/api/v1/namespaces/default/configmaps?dryRun=All', cm('dry'));
    assert.equal(res.status, 201);
    assert.equal((await t.client.get('/api/v1/namespaces/default/configmaps/dry')).status, 404);
  });
});

describe('validation and errors', () => {
  it('reports every problem with its field path (422 Invalid)', async () => {
    const res = await t.client.post<Obj>('/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'Bad_Name' },
      spec: { replicas: -1, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'y' } }, spec: { containers: [] } } },
    });
    assert.equal(res.status, 422);
    assert.equal(res.body.reason, 'Invalid');
    const fields = (res.body.details.causes as Array<{ field: string }>).map((c) => c.field);
    for (const f of ['metadata.name', 'spec.replicas', 'spec.template.spec.containers']) assert.ok(fields.includes(f), `${f} in ${fields.join(',')}`);
  });

  it('needs an existing namespace', async () => {
    const res = await t.client.post<Obj>('/api/v1/namespaces/nowhere/configmaps', cm('x'));
    assert.equal(res.status, 404);
    assert.equal(res.body.message, 'namespaces "nowhere" not found');
  });

  it('refuses new content in a terminating namespace', async () => {
    await t.client.post('/api/v1/namespaces', { metadata: { name: 'term' } });
    const del = await t.client.delete<Obj>('/api/v1/namespaces/term');
    assert.equal(del.status, 200);
    assert.equal(del.body.status.phase, 'Terminating');
    const res = await t.client.post<Obj>('/api/v1/namespaces/term/configmaps', cm('x'));
    assert.equal(res.status, 403);
    assert.match(res.body.message, /because it is being terminated/);
  });

  it('malformed bodies are 400, oversized bodies 413, YAML accepted', async () => {
    const bad = await t.client.request<Obj>('POST', '/api/v1/namespaces/default/configmaps', '{"metadata":', { 'Content-Type': 'application/json' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.kind, 'Status');
    const big = await t.client.post<Obj>('/api/v1/namespaces/default/configmaps', cm('big', { a: 'x'.repeat(3 * 1024 * 1024 + 10) }));
    assert.equal(big.status, 413);
    const yaml = await t.client.request<Obj>('POST', '/api/v1/namespaces/default/configmaps', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n', { 'Content-Type': 'application/yaml' });
    assert.equal(yaml.status, 201, yaml.text);
  });

  it('fieldValidation: Strict rejects unknown fields, Warn warns, Ignore drops them', async () => {
    const body = { metadata: { name: 'fv' }, data: {}, bogus: 1 };
    const strict = await t.client.post<Obj>('/api/v1/namespaces/default/configmaps?fieldValidation=Strict', body);
    assert.equal(strict.status, 400);
    assert.match(strict.body.message, /unknown field "bogus"/);
    const warn = await t.client.post<Obj>('/api/v1/namespaces/default/configmaps?fieldValidation=Warn', body);
    assert.equal(warn.status, 201);
    assert.match(String(warn.headers.warning), /unknown field/);
    assert.equal(warn.body.bogus, undefined);
  });

  it('unknown resources and wrong methods', async () => {
    assert.equal((await t.client.get('/api/v1/frobs')).status, 404);
    assert.equal((await t.client.request('PUT', '/api/v1/namespaces/default/configmaps')).status, 405);
  });
});

describe('selectors and pagination', () => {
  before(async () => {
    for (let i = 0; i < 25; i++) {
      await t.client.post('/api/v1/namespaces/kube-public/configmaps', cm(`p${String(i).padStart(2, '0')}`, {}, { tier: i % 2 ? 'odd' : 'even', ...(i < 5 ? { low: 'yes' } : {}) }));
    }
  });
  const names = async (q: string) => (await t.client.get<{ items: Obj[] }>(`/api/v1/namespaces/kube-public/configmaps?${q}`)).body.items.map((i) => i.metadata.name);

  it('label selectors: =, !=, in, notin, exists, !', async () => {
    assert.equal((await names('labelSelector=tier%3Deven')).length, 13);
    assert.equal((await names('labelSelector=tier!%3Deven')).length, 12);
    assert.equal((await names('labelSelector=tier%20in%20(odd)')).length, 12);
    assert.equal((await names('labelSelector=tier%20notin%20(odd)')).length, 13);
    assert.equal((await names('labelSelector=low')).length, 5);
    assert.equal((await names('labelSelector=!low')).length, 20);
    assert.deepEqual(await names('labelSelector=low,tier%3Dodd'), ['p01', 'p03']);
    const bad = await t.client.get<Obj>('/api/v1/namespaces/kube-public/configmaps?labelSelector=a%20in%20(');
    assert.equal(bad.status, 400);
  });

  it('field selectors: metadata.name, and unsupported fields are 400', async () => {
    assert.deepEqual(await names('fieldSelector=metadata.name%3Dp07'), ['p07']);
    const bad = await t.client.get<Obj>('/api/v1/namespaces/kube-public/configmaps?fieldSelector=spec.foo%3Dx');
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /field label not supported: spec.foo/);
  });

  it('limit and continue page through a consistent snapshot', async () => {
    const first = await t.client.get<{ items: Obj[]; metadata: Obj['metadata'] }>('/api/v1/namespaces/kube-public/configmaps?limit=10');
    assert.equal(first.body.items.length, 10);
    assert.ok(first.body.metadata.continue);
    // Writes between pages must not show up in the rest of the snapshot.
    await t.client.post('/api/v1/namespaces/kube-public/configmaps', cm('p05a'));
    await t.client.delete('/api/v1/namespaces/kube-public/configmaps/p20');
    const seen = first.body.items.map((i) => i.metadata.name);
    let cont = first.body.metadata.continue as string | undefined;
    while (cont) {
      const page = await t.client.get<{ items: Obj[]; metadata: Obj['metadata'] }>(`/api/v1/namespaces/kube-public/configmaps?limit=10&continue=${encodeURIComponent(cont)}`);
      assert.equal(page.status, 200, page.text);
      seen.push(...page.body.items.map((i) => i.metadata.name));
      cont = page.body.metadata.continue;
    }
    assert.equal(seen.length, 25);
    assert.ok(seen.includes('p20'));
    assert.ok(!seen.includes('p05a'));
    const bogus = await t.client.get<Obj>('/api/v1/namespaces/kube-public/configmaps?limit=10&continue=garbage');
    assert.equal(bogus.status, 400);
  });

  it('deletecollection honours label selectors', async () => {
    const res = await t.client.delete<{ items: Obj[] }>('/api/v1/namespaces/kube-public/configmaps?labelSelector=low');
    assert.equal(res.status, 200);
    assert.equal((await names('labelSelector=low')).length, 0);
    assert.ok((await names('')).length > 10);
  });
});

describe('patches', () => {
  it('JSON patch and merge patch', async () => {
    await t.client.post('/api/v1/namespaces/default/configmaps', cm('pt', { a: '1', b: '2' }));
    const jp = await t.client.patch<Obj>('/api/v1/namespaces/default/configmaps/pt', [{ op: 'replace', path: '/data/a', value: 'x' }, { op: 'remove', path: '/data/b' }], 'application/json-patch+json');
    assert.equal(jp.status, 200, jp.text);
    assert.deepEqual(jp.body.data, { a: 'x' });
    const mp = await t.client.patch<Obj>('/api/v1/namespaces/default/configmaps/pt', { data: { c: '3', a: null } });
    assert.deepEqual(mp.body.data, { c: '3' });
    const failing = await t.client.patch<Obj>('/api/v1/namespaces/default/configmaps/pt', [{ op: 'test', path: '/data/c', value: 'nope' }], 'application/json-patch+json');
    assert.ok(failing.status >= 400 && failing.status < 500);
  });
});

describe('services', () => {
  it('allocates cluster IPs and node ports, releases them on delete', async () => {
    const svc = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...extra } });
    const a = await t.client.post<Obj>('/api/v1/namespaces/default/services', svc('a', { type: 'NodePort' }));
    assert.equal(a.status, 201, a.text);
    assert.match(a.body.spec.clusterIP, /^10\.(9[6-9]|10[0-9]|11[01])\./);
    const np = a.body.spec.ports[0].nodePort;
    assert.ok(np >= 30000 && np <= 32767);
    const clash = await t.client.post<Obj>('/api/v1/namespaces/default/services', svc('b', { clusterIP: a.body.spec.clusterIP }));
    assert.equal(clash.status, 422);
    assert.match(clash.body.message, /already allocated/);
    await t.client.delete('/api/v1/namespaces/default/services/a');
    const reuse = await t.client.post<Obj>('/api/v1/namespaces/default/services', svc('c', { clusterIP: a.body.spec.clusterIP, type: 'NodePort', ports: [{ port: 80, nodePort: np }] }));
    assert.equal(reuse.status, 201, reuse.text);
  });
});

describe('versions served from one storage', () => {
  it('autoscaling/v1 and v2 HPAs are views of the same objects', async () => {
    const v2 = await t.client.post<Obj>('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', {
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
    });
    assert.equal(v2.status, 201, v2.text);
    const v1 = await t.client.get<Obj>('/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/web');
    assert.equal(v1.status, 200, v1.text);
    assert.equal(v1.body.apiVersion, 'autoscaling/v1');
    assert.equal(v1.body.spec.targetCPUUtilizationPercentage, 70);
    const created = await t.client.post<Obj>('/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', {
      metadata: { name: 'api' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, maxReplicas: 3, targetCPUUtilizationPercentage: 50 },
    });
    assert.equal(created.status, 201, created.text);
    const asV2 = await t.client.get<Obj>('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/api');
    assert.equal(asV2.body.spec.metrics[0].resource.target.averageUtilization, 50);
    const list = await t.client.get<{ items: Obj[] }>('/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers');
    assert.deepEqual(list.body.items.map((i) => i.apiVersion), ['autoscaling/v1', 'autoscaling/v1']);
  });

  it('events.k8s.io/v1 events are core events', async () => {
    const ev = await t.client.post<Obj>('/apis/events.k8s.io/v1/namespaces/default/events', {
      metadata: { name: 'e1' },
      eventTime: '2026-11-27T00:00:00.000000Z',
      reportingController: 'example.com/ctl',
      reportingInstance: 'ctl-1',
      action: 'Test',
      reason: 'Tested',
      type: 'Normal',
      note: 'hello from events.k8s.io',
      regarding: { kind: 'Pod', namespace: 'default', name: 'p' },
    });
    assert.equal(ev.status, 201, ev.text);
    const core = await t.client.get<Obj>('/api/v1/namespaces/default/events/e1');
    assert.equal(core.status, 200, core.text);
    assert.equal(core.body.message, 'hello from events.k8s.io');
    assert.equal(core.body.involvedObject.name, 'p');
    const back = await t.client.get<Obj>('/apis/events.k8s.io/v1/namespaces/default/events/e1');
    assert.equal(back.body.note, 'hello from events.k8s.io');
  });
});

describe('watch', () => {
  it('delivers ADDED, MODIFIED, DELETED after a resourceVersion, in order', async () => {
    const list = await t.client.get<{ metadata: Obj['metadata'] }>('/api/v1/namespaces/default/configmaps');
    const events: Array<{ type: string; object: Obj }> = [];
    const w = await t.client.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`, (e) => events.push(e as never));
    assert.equal(w.status, 200);
    await t.client.post('/api/v1/namespaces/default/configmaps', cm('w1'));
    await t.client.patch('/api/v1/namespaces/default/configmaps/w1', { data: { a: '2' } });
    await t.client.delete('/api/v1/namespaces/default/configmaps/w1');
    for (let i = 0; i < 100 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    w.stop();
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    const rvs = events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.ok(rvs[0]! < rvs[1]! && rvs[1]! < rvs[2]!);
  });

  it('answers a compacted resourceVersion with an ERROR event carrying 410 Expired', async () => {
    const old = (await t.client.post<Obj>('/api/v1/namespaces/default/configmaps', cm('old1'))).body.metadata.resourceVersion;
    for (let i = 0; i < 3; i++) await t.client.patch('/api/v1/namespaces/default/configmaps/old1', { data: { a: String(i) } });
    const rev = await t.server.registry.storage.currentRevision();
    await t.server.registry.storage.compact(rev - 1);
    const events: Array<{ type: string; object: Obj }> = [];
    let ended = false;
    await t.client.watch(`/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${Number(old) - 1}`, (e) => events.push(e as never), () => {
      ended = true;
    });
    for (let i = 0; i < 100 && !ended; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'ERROR');
    assert.equal(events[0]!.object.code, 410);
    assert.equal(events[0]!.object.reason, 'Expired');
  });
});

describe('metrics', () => {
  it('exposes request counts in Prometheus format', async () => {
    const m = await t.client.get('/metrics');
    assert.equal(m.status, 200);
    assert.match(m.text, /apiserver_request_total\{[^}]*verb="CREATE"[^}]*resource="configmaps"/);
    assert.match(m.text, /etcd_request_duration_seconds_bucket/);
  });
});
