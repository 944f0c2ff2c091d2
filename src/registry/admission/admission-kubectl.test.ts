// LimitRanger and ResourceQuota admission end to end with the real kubectl v1.32: a pod over a
// LimitRange max is refused with upstream's text, defaults land on a pod without resources, PVC
// storage bounds, `kubectl create quota` then creates beyond it are refused with the exceeded-quota
// text, usage shows in get/describe quota, and concurrent creates never exceed the quota.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startResourceQuotaController } from '../../controllers/resourcequota/index.js';

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

describe('admission with kubectl', () => {
  let ts: TestServer;
  let dir: string;
  let quotaController: { stop(): void };
  const kubectl = async (args: string[], input?: string): Promise<{ code: number; out: string; err: string }> => {
    let file: string | undefined;
    if (input !== undefined) {
      file = join(dir, `in-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(file, input);
      args = args.map((a) => (a === '-' ? file! : a));
    }
    try {
      const r = await run(KUBECTL, ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', join(dir, 'cache'), ...args]);
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      return { code: x.code ?? 1, out: x.stdout ?? '', err: x.stderr ?? '' };
    }
  };
  const pod = (name: string, resources: string): string => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: c
    image: nginx
${resources}`;

  before(async () => {
    ts = await startTestServer();
    dir = mkdtempSync(join(tmpdir(), 'skiff-admission-'));
    quotaController = await startResourceQuotaController(ts.client, { resyncMs: 500 });
  });
  after(async () => {
    quotaController.stop();
    await ts.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('LimitRange: max refused with upstream text, defaults applied, PVC bounds', async () => {
    assert.equal((await kubectl(['create', 'namespace', 'lr'])).code, 0);
    const lr = await kubectl(['apply', '--validate=false', '-n', 'lr', '-f', '-'], `apiVersion: v1
kind: LimitRange
metadata:
  name: limits
spec:
  limits:
  - type: Container
    max: {cpu: "1", memory: 1Gi}
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
  - type: PersistentVolumeClaim
    min: {storage: 1Gi}
    max: {storage: 2Gi}
`);
    assert.equal(lr.code, 0, lr.err);
    const big = await kubectl(['apply', '--validate=false', '-n', 'lr', '-f', '-'], pod('big', '    resources:\n      limits: {cpu: "2", memory: 2Gi}\n'));
    assert.notEqual(big.code, 0);
    assert.match(
      big.err,
      /pods "big" is forbidden: \[maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi\]/,
    );
    const plain = await kubectl(['apply', '--validate=false', '-n', 'lr', '-f', '-'], pod('plain', ''));
    assert.equal(plain.code, 0, plain.err);
    const got = await kubectl(['get', 'pod', 'plain', '-n', 'lr', '-o', 'json']);
    const p = JSON.parse(got.out) as { metadata: { annotations: Record<string, string> }; spec: { containers: Array<{ resources: unknown }> }; status: { qosClass: string } };
    assert.deepEqual(p.spec.containers[0]!.resources, { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    assert.equal(p.metadata.annotations['kubernetes.io/limit-ranger'], 'LimitRanger plugin set: cpu, memory request for container c; cpu, memory limit for container c');
    assert.equal(p.status.qosClass, 'Burstable');
    const pvc = await kubectl(['apply', '--validate=false', '-n', 'lr', '-f', '-'], `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 5Gi}
`);
    assert.notEqual(pvc.code, 0);
    assert.match(pvc.err, /persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi/);
  });

  it('ResourceQuota: creates beyond it refused, usage shown and released on delete', async () => {
    assert.equal((await kubectl(['create', 'namespace', 'rq'])).code, 0);
    const q = await kubectl(['create', 'quota', 'q', '-n', 'rq', '--hard=pods=2,configmaps=3,requests.cpu=1,limits.cpu=2']);
    assert.equal(q.code, 0, q.err);
    const res = '    resources:\n      requests: {cpu: 200m}\n      limits: {cpu: 400m}\n';
    const noRes = await kubectl(['apply', '--validate=false', '-n', 'rq', '-f', '-'], pod('nores', ''));
    assert.notEqual(noRes.code, 0);
    assert.match(noRes.err, /pods "nores" is forbidden: failed quota: q: must specify limits\.cpu for: c; requests\.cpu for: c/);
    for (const name of ['a', 'b']) {
      const r = await kubectl(['apply', '--validate=false', '-n', 'rq', '-f', '-'], pod(name, res));
      assert.equal(r.code, 0, r.err);
    }
    const third = await kubectl(['apply', '--validate=false', '-n', 'rq', '-f', '-'], pod('c', res));
    assert.notEqual(third.code, 0);
    assert.match(third.err, /pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2/);
    const get = await kubectl(['get', 'quota', 'q', '-n', 'rq']);
    assert.match(get.out, /pods: 2\/2/);
    assert.match(get.out, /requests\.cpu: 400m\/1/);
    const describe = await kubectl(['describe', 'quota', 'q', '-n', 'rq']);
    assert.match(describe.out, /pods\s+2\s+2/);
    assert.match(describe.out, /limits\.cpu\s+800m\s+2/);
    assert.equal((await kubectl(['delete', 'pod', 'a', '-n', 'rq', '--grace-period=0', '--force'])).code, 0);
    // The controller gives the usage back.
    let used = '';
    for (let i = 0; i < 50 && !/pods: 1\/2/.test(used); i++) {
      await new Promise((r) => setTimeout(r, 100));
      used = (await kubectl(['get', 'quota', 'q', '-n', 'rq'])).out;
    }
    assert.match(used, /pods: 1\/2/);
    assert.match(used, /requests\.cpu: 200m\/1/);
    const again = await kubectl(['apply', '--validate=false', '-n', 'rq', '-f', '-'], pod('c', res));
    assert.equal(again.code, 0, again.err);
    for (const n of [1, 2, 3]) assert.equal((await kubectl(['create', 'configmap', `cm${n}`, '-n', 'rq'])).code, 0);
    const cm = await kubectl(['create', 'configmap', 'cm4', '-n', 'rq']);
    assert.match(cm.err, /configmaps "cm4" is forbidden: exceeded quota: q, requested: configmaps=1, used: configmaps=3, limited: configmaps=3/);
    // A generated name is not known yet at admission upstream: the message shows the prefix.
    const gen = await ts.client.post<{ message?: string }>('/api/v1/namespaces/rq/pods', {
      metadata: { generateName: 'gen-' },
      spec: { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '100m' }, limits: { cpu: '100m' } } }] },
    });
    assert.equal(gen.status, 403);
    assert.equal(gen.body.message, 'pods "gen-" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2');
  });

  it('ResourceQuota: service node ports on create and on update', async () => {
    assert.equal((await kubectl(['create', 'namespace', 'svc'])).code, 0);
    assert.equal((await kubectl(['create', 'quota', 'np', '-n', 'svc', '--hard=services.nodeports=1,services=5'])).code, 0);
    const a = await kubectl(['create', 'service', 'nodeport', 'a', '-n', 'svc', '--tcp=80:80']);
    assert.equal(a.code, 0, a.err);
    const b = await kubectl(['create', 'service', 'nodeport', 'b', '-n', 'svc', '--tcp=80:80']);
    assert.match(b.err, /services "b" is forbidden: exceeded quota: np, requested: services\.nodeports=1, used: services\.nodeports=1, limited: services\.nodeports=1/);
    assert.equal((await kubectl(['create', 'service', 'clusterip', 'c', '-n', 'svc', '--tcp=80:80'])).code, 0);
    const patched = await kubectl(['patch', 'service', 'c', '-n', 'svc', '-p', '{"spec":{"type":"NodePort"}}']);
    assert.notEqual(patched.code, 0);
    assert.match(patched.err, /services "c" is forbidden: exceeded quota: np, requested: services\.nodeports=1, used: services\.nodeports=1, limited: services\.nodeports=1/);
    assert.match((await kubectl(['get', 'quota', 'np', '-n', 'svc'])).out, /services: 2\/5, services\.nodeports: 1\/1/);
  });

  it('ResourceQuota: object count of a custom resource', async () => {
    const crd = await kubectl(['apply', '--validate=false', '-f', '-'], `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, singular: gadget, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
`);
    assert.equal(crd.code, 0, crd.err);
    assert.equal((await kubectl(['wait', '--for=condition=Established', 'crd/gadgets.example.com', '--timeout=30s'])).code, 0);
    assert.equal((await kubectl(['create', 'namespace', 'cr'])).code, 0);
    assert.equal((await kubectl(['create', 'quota', 'g', '-n', 'cr', '--hard=count/gadgets.example.com=1'])).code, 0);
    const gadget = (name: string): string => `apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: ${name}\n`;
    let first = { code: 1, out: '', err: '' };
    // The CRD's kind is served a moment after Established.
    for (let i = 0; i < 50 && first.code !== 0; i++) {
      first = await kubectl(['apply', '--validate=false', '-n', 'cr', '-f', '-'], gadget('one'));
      if (first.code !== 0) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(first.code, 0, first.err);
    const second = await kubectl(['apply', '--validate=false', '-n', 'cr', '-f', '-'], gadget('two'));
    assert.match(second.err, /gadgets\.example\.com "two" is forbidden: exceeded quota: g, requested: count\/gadgets\.example\.com=1, used: count\/gadgets\.example\.com=1, limited: count\/gadgets\.example\.com=1/);
  });

  it('concurrent creates never exceed a quota', async () => {
    const c = ts.client;
    assert.equal((await c.post('/api/v1/namespaces', { metadata: { name: 'race' } })).status, 201);
    assert.equal((await c.post('/api/v1/namespaces/race/resourcequotas', { metadata: { name: 'few' }, spec: { hard: { 'count/secrets': '4' } } })).status, 201);
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => c.post<{ message?: string }>('/api/v1/namespaces/race/secrets', { metadata: { name: `s${i}` }, data: {} })),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 4);
    const refused = results.filter((r) => r.status === 403);
    assert.equal(refused.length, 8);
    assert.match(refused[0]!.body.message ?? '', /exceeded quota: few, requested: count\/secrets=1, used: count\/secrets=4, limited: count\/secrets=4/);
    const q = await c.get<{ status: { used: Record<string, string> } }>('/api/v1/namespaces/race/resourcequotas/few');
    assert.equal(q.body.status.used['count/secrets'], '4');
  });
});
