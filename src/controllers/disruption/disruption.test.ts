// The disruption controller against a real API server (the test plays the kubelet): a percentage
// maxUnavailable budget over a Deployment counts the Deployment's replicas, an eviction takes one
// disruption and the deleting pod stops counting, a pod whose controller is missing puts the budget in
// fail-safe (SyncFailed), and an empty selector selects the whole namespace.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startDeploymentController } from '../deployment/index.js';
import { startReplicaSetController } from '../replicaset/index.js';
import { listPods, readyAllPods, waitFor } from '../replicaset/testing.js';
import type { PdbStatus } from './budget.js';
import { startDisruptionController } from './index.js';

type Status = PdbStatus & { conditions: Array<{ type: string; status: string; reason: string; message: string }> };

describe('disruption controller', () => {
  let ts: TestServer;
  const stops: Array<{ stop(): void }> = [];
  before(async () => {
    ts = await startTestServer();
    stops.push(await startReplicaSetController(ts.client), await startDeploymentController(ts.client), await startDisruptionController(ts.client));
  });
  after(async () => {
    for (const s of stops.reverse()) s.stop();
    await ts.stop();
  });
  const status = async (ns: string, name: string): Promise<Status | undefined> =>
    (await ts.client.get<{ status?: Status }>(`/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets/${name}`)).body.status;

  it('maxUnavailable percent over a Deployment, eviction and deleting pods', async () => {
    const c = ts.client;
    assert.equal((await c.post('/api/v1/namespaces', { metadata: { name: 'pdb' } })).status, 201);
    const dep = { metadata: { name: 'web' }, spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
    assert.equal((await c.post('/apis/apps/v1/namespaces/pdb/deployments', dep)).status, 201);
    assert.equal((await c.post('/apis/policy/v1/namespaces/pdb/poddisruptionbudgets', { metadata: { name: 'web' }, spec: { maxUnavailable: '25%', selector: { matchLabels: { app: 'web' } } } })).status, 201);
    await waitFor('pods created', async () => (await listPods(c, 'pdb', 'app=web')).length === 4);
    const unready = await waitFor('status with unready pods', async () => {
      const s = await status('pdb', 'web');
      return s?.expectedPods === 4 ? s : undefined;
    });
    assert.equal(unready.desiredHealthy, 3);
    assert.equal(unready.currentHealthy, 0);
    assert.equal(unready.disruptionsAllowed, 0);
    await readyAllPods(c, 'pdb');
    const ready = await waitFor('all healthy', async () => {
      const s = await status('pdb', 'web');
      return s?.currentHealthy === 4 ? s : undefined;
    });
    assert.equal(ready.disruptionsAllowed, 1);
    assert.deepEqual(ready.conditions.map((x) => [x.type, x.status, x.reason]), [['DisruptionAllowed', 'True', 'SufficientPods']]);

    const [first, second] = await listPods(c, 'pdb', 'app=web');
    const evict = (name: string) => c.post<{ message?: string }>(`/api/v1/namespaces/pdb/pods/${name}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } });
    assert.ok([200, 201].includes((await evict(first!.metadata.name!)).status));
    // No kubelet: the evicted pod stays terminating; it is neither healthy nor a pending disruption.
    const after1 = await waitFor('eviction accounted', async () => {
      const s = await status('pdb', 'web');
      // Until the controller sees the deletion the pod is a pending disruption; after, it is just deleting.
      return s?.currentHealthy === 3 && !s.disruptedPods?.[first!.metadata.name!] ? s : undefined;
    }, 30_000);
    assert.equal(after1.disruptionsAllowed, 0);
    const refused = await evict(second!.metadata.name!);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  });

  it('fails safe when a pod controller is missing; empty selector takes the namespace', async () => {
    const c = ts.client;
    assert.equal((await c.post('/api/v1/namespaces', { metadata: { name: 'orphan' } })).status, 201);
    const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'ghost', uid: '00000000-0000-0000-0000-000000000001', controller: true };
    assert.equal((await c.post('/api/v1/namespaces/orphan/pods', { metadata: { name: 'p', ownerReferences: [owner] }, spec: { containers: [{ name: 'c', image: 'x' }] } })).status, 201);
    assert.equal((await c.post('/api/v1/namespaces/orphan/poddisruptionbudgets'.replace('/api/v1', '/apis/policy/v1'), { metadata: { name: 'all' }, spec: { minAvailable: '50%', selector: {} } })).status, 201);
    const s = await waitFor('fail safe', async () => {
      const st = await status('orphan', 'all');
      return st?.conditions?.[0]?.reason === 'SyncFailed' ? st : undefined;
    });
    assert.equal(s.disruptionsAllowed, 0);
    assert.equal(s.conditions[0]!.message, 'found no controllers for pod "p"');
    // An int minAvailable needs no controller: expected = the selected pods.
    assert.equal((await c.patch('/apis/policy/v1/namespaces/orphan/poddisruptionbudgets/all', { spec: { minAvailable: 0 } })).status, 200);
    const fixed = await waitFor('int minAvailable', async () => {
      const st = await status('orphan', 'all');
      return st?.observedGeneration === 2 && st.conditions[0]?.reason !== 'SyncFailed' ? st : undefined;
    });
    assert.equal(fixed.expectedPods, 1);
    assert.equal(fixed.desiredHealthy, 0);
    assert.equal(fixed.currentHealthy, 0);
    assert.equal(fixed.conditions[0]!.reason, 'InsufficientPods');
  });
});
