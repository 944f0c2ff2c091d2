import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startGarbageCollectorController } from './index.js';

const run = promisify(execFile);
let ts: TestServer;
let gc: { stop(): void };
const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cacheDir, ...args], { timeout: 60_000 });
  return stdout;
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const ref = (o: KubeObject, block = true) => ({ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata!.name!, uid: o.metadata!.uid!, controller: true, blockOwnerDeletion: block });

async function create(path: string, obj: KubeObject): Promise<KubeObject> {
  const res = await ts.client.post<KubeObject>(path, obj);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

const podSpec = { containers: [{ name: 'c', image: 'nginx' }] };
const labels = { app: 'web' };

/** A Deployment, one ReplicaSet it owns and `pods` pods the ReplicaSet owns (as the workload controllers would create them). */
async function deploymentTree(name: string, pods = 2): Promise<{ d: KubeObject; rs: KubeObject; pods: KubeObject[] }> {
  const d = await create('/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels },
    spec: { replicas: pods, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  });
  const rs = await create('/apis/apps/v1/namespaces/default/replicasets', {
    apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `${name}-abc`, labels, ownerReferences: [ref(d)] },
    spec: { replicas: pods, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec } },
  });
  const ps: KubeObject[] = [];
  for (let i = 0; i < pods; i++) {
    ps.push(await create('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${name}-abc-${i}`, labels, ownerReferences: [ref(rs)] }, spec: podSpec }));
  }
  return { d, rs, pods: ps };
}

const exists = async (path: string): Promise<boolean> => (await ts.client.get(path)).status === 200;

describe('garbage collector', () => {
  before(async () => {
    ts = await startTestServer();
    gc = await startGarbageCollectorController(ts.client, { onError: (k, e) => console.error('gc', k, e) });
  });
  after(async () => {
    gc.stop();
    await ts.stop();
  });

  it('kubectl delete --cascade=foreground removes ReplicaSets and pods before the Deployment', async () => {
    const t = await deploymentTree('fg');
    await kubectl('delete', 'deployment', 'fg', '--cascade=foreground', '--timeout=30s');
    // kubectl waited for the Deployment to go; with foreground deletion its dependents went first.
    assert.equal(await exists('/apis/apps/v1/namespaces/default/deployments/fg'), false);
    assert.equal(await exists(`/apis/apps/v1/namespaces/default/replicasets/${t.rs.metadata!.name}`), false);
    for (const p of t.pods) assert.equal(await exists(`/api/v1/namespaces/default/pods/${p.metadata!.name}`), false);
  });

  it('kubectl delete --cascade=orphan keeps dependents and strips their ownerReferences', async () => {
    const t = await deploymentTree('orph');
    await kubectl('delete', 'deployment', 'orph', '--cascade=orphan', '--timeout=30s');
    await waitFor('deployment gone', async () => !(await exists('/apis/apps/v1/namespaces/default/deployments/orph')));
    const rs = await ts.client.get<KubeObject>(`/apis/apps/v1/namespaces/default/replicasets/${t.rs.metadata!.name}`);
    assert.equal(rs.status, 200);
    assert.deepEqual(rs.body.metadata?.ownerReferences ?? [], []);
    // Pods still belong to the (surviving) ReplicaSet.
    for (const p of t.pods) {
      const got = await ts.client.get<KubeObject>(`/api/v1/namespaces/default/pods/${p.metadata!.name}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.metadata?.ownerReferences?.[0]?.uid, t.rs.metadata!.uid);
    }
    await kubectl('delete', 'rs', t.rs.metadata!.name!, '--wait=false');
    for (const p of t.pods) await waitFor(`pod ${p.metadata!.name} collected`, async () => !(await exists(`/api/v1/namespaces/default/pods/${p.metadata!.name}`)));
  });

  it('background: deleting the owner removes the whole tree afterwards', async () => {
    const t = await deploymentTree('bg', 3);
    await kubectl('delete', 'deployment', 'bg');
    await waitFor('rs collected', async () => !(await exists(`/apis/apps/v1/namespaces/default/replicasets/${t.rs.metadata!.name}`)));
    for (const p of t.pods) await waitFor('pod collected', async () => !(await exists(`/api/v1/namespaces/default/pods/${p.metadata!.name}`)));
  });

  it('keeps dependents whose owner is alive; collects one whose owner never existed; drops a dangling second owner', async () => {
    const cm = await create('/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner-cm' } });
    const ghost = { apiVersion: 'v1', kind: 'ConfigMap', name: 'never-was', uid: '00000000-0000-0000-0000-000000000001' };
    await create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kept', ownerReferences: [{ ...ref(cm, false), controller: false }] } });
    await create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'two-owners', ownerReferences: [{ ...ref(cm, false), controller: false }, ghost] } });
    await create('/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orphaned', ownerReferences: [ghost] } });
    await waitFor('orphaned secret collected', async () => !(await exists('/api/v1/namespaces/default/secrets/orphaned')));
    await waitFor('dangling ref dropped', async () => {
      const s = await ts.client.get<KubeObject>('/api/v1/namespaces/default/secrets/two-owners');
      return s.body.metadata?.ownerReferences?.length === 1;
    });
    assert.equal(await exists('/api/v1/namespaces/default/secrets/kept'), true);
    // A cluster-scoped dependent of a cluster-scoped owner: a PV owned by a deleted namespace-less ClusterRole.
    const role = await create('/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'gc-owner' }, rules: [] });
    await create('/apis/rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'gc-dep', ownerReferences: [ref(role, false)] }, rules: [] });
    await kubectl('delete', 'clusterrole', 'gc-owner');
    await waitFor('cluster-scoped dependent collected', async () => !(await exists('/apis/rbac.authorization.k8s.io/v1/clusterroles/gc-dep')));
    assert.equal(await exists('/api/v1/namespaces/default/secrets/kept'), true);
    await kubectl('delete', 'configmap', 'owner-cm');
    await waitFor('kept secret collected after its owner went', async () => !(await exists('/api/v1/namespaces/default/secrets/kept')));
  });
});

describe('garbage collector and custom resources', () => {
  let server: TestServer;
  let collector: { stop(): void };
  before(async () => {
    server = await startTestServer();
    collector = await startGarbageCollectorController(server.client, { resyncMs: 60_000 });
  });
  after(async () => {
    collector.stop();
    await server.stop();
  });

  it('collects dependents of a custom resource created after the collector started', async () => {
    const crd = await server.client.post('/apis/apiextensions.k8s.io/v1/customresourcedefinitions', {
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    assert.equal(crd.status, 201, crd.text);
    let widget: KubeObject | undefined;
    const end = Date.now() + 15_000;
    while (!widget && Date.now() < end) {
      const res = await server.client.post<KubeObject>('/apis/example.com/v1/namespaces/default/widgets', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1' } });
      if (res.status === 201) widget = res.body;
      else await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(widget, 'custom resource served');
    const dep = await server.client.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'widget-config', ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w1', uid: widget.metadata!.uid! }] } });
    assert.equal(dep.status, 201, dep.text);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal((await server.client.get('/api/v1/namespaces/default/configmaps/widget-config')).status, 200, 'kept while its owner exists');
    const del = await server.client.delete('/apis/example.com/v1/namespaces/default/widgets/w1');
    assert.equal(del.status, 200, del.text);
    const until = Date.now() + 20_000;
    while (Date.now() < until && (await server.client.get('/api/v1/namespaces/default/configmaps/widget-config')).status !== 404) await new Promise((r) => setTimeout(r, 200));
    assert.equal((await server.client.get('/api/v1/namespaces/default/configmaps/widget-config')).status, 404);
  });
});
