// The ResourceQuota controller: status computed from live objects (counts of any kind through
// discovery, compute of pods, scopes), usage given back when a pod finishes or an object is deleted,
// and the pure status computation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { waitFor } from '../replicaset/testing.js';
import { startResourceQuotaController } from './index.js';
import { countedKind, desiredQuotaStatus, lowersUsage } from './status.js';

describe('quota status (pure)', () => {
  it('zero-fills hard resources and counts only matching kinds', () => {
    const quota = { metadata: {}, spec: { hard: { pods: '10', 'requests.cpu': '2', 'count/deployments.apps': '3' } } } as KubeObject;
    const pod = { metadata: {}, spec: { containers: [{ name: 'c', resources: { requests: { cpu: '250m' } } }] } } as KubeObject;
    const st = desiredQuotaStatus(quota, [{ group: '', plural: 'pods', objects: [pod, pod] }]);
    assert.deepEqual(st, { hard: { 'count/deployments.apps': '3', pods: '10', 'requests.cpu': '2' }, used: { pods: '2', 'requests.cpu': '500m', 'count/deployments.apps': '0' } });
    assert.deepEqual(countedKind('count/deployments.apps'), { plural: 'deployments', group: 'apps' });
    assert.equal(countedKind('pods'), undefined);
    assert.equal(lowersUsage({ used: { pods: '2' } }, st), false);
    assert.equal(lowersUsage({ used: { pods: '3' } }, st), true);
  });
});

describe('resourcequota controller', () => {
  let ts: TestServer;
  let stop: { stop(): void };
  before(async () => {
    ts = await startTestServer();
    stop = await startResourceQuotaController(ts.client, { resyncMs: 300, settleMs: 200 });
  });
  after(async () => {
    stop.stop();
    await ts.stop();
  });

  const used = async (name: string): Promise<Record<string, string> | undefined> =>
    (await ts.client.get<{ status?: { used?: Record<string, string> } }>(`/api/v1/namespaces/qc/resourcequotas/${name}`)).body.status?.used;

  it('computes usage, follows finished pods and deletes', async () => {
    const c = ts.client;
    assert.equal((await c.post('/api/v1/namespaces', { metadata: { name: 'qc' } })).status, 201);
    const res = { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '200m', memory: '64Mi' } };
    for (const n of ['p1', 'p2']) {
      assert.equal((await c.post('/api/v1/namespaces/qc/pods', { metadata: { name: n }, spec: { containers: [{ name: 'c', image: 'x', resources: res }] } })).status, 201);
    }
    assert.equal((await c.post('/api/v1/namespaces/qc/pods', { metadata: { name: 'be' }, spec: { containers: [{ name: 'c', image: 'x' }] } })).status, 201);
    assert.equal((await c.post('/api/v1/namespaces/qc/serviceaccounts', { metadata: { name: 'sa' } })).status, 201);
    const dep = { metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } };
    assert.equal((await c.post('/apis/apps/v1/namespaces/qc/deployments', dep)).status, 201);
    // Created after the objects: only the controller can know their usage.
    assert.equal((await c.post('/api/v1/namespaces/qc/resourcequotas', { metadata: { name: 'all' }, spec: { hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '1Gi', 'count/deployments.apps': '5', 'count/serviceaccounts': '9' } } })).status, 201);
    assert.equal((await c.post('/api/v1/namespaces/qc/resourcequotas', { metadata: { name: 'be' }, spec: { hard: { pods: '10' }, scopes: ['BestEffort'] } })).status, 201);
    await waitFor('usage computed', async () => {
      const u = await used('all');
      return u?.pods === '3' ? u : undefined;
    }).then((u) => assert.deepEqual(u, { 'count/deployments.apps': '1', 'count/serviceaccounts': '1', 'limits.memory': '128Mi', pods: '3', 'requests.cpu': '200m' }));
    await waitFor('scoped usage', async () => (await used('be'))?.pods === '1');

    // A finished pod and a deleted pod give their usage back.
    assert.equal((await c.patch('/api/v1/namespaces/qc/pods/p1/status', { status: { phase: 'Succeeded' } })).status, 200);
    assert.equal((await c.delete('/api/v1/namespaces/qc/pods/be', { gracePeriodSeconds: 0 })).status, 200);
    await waitFor('usage released', async () => {
      const u = await used('all');
      return u?.pods === '1' && u['requests.cpu'] === '100m' && u['limits.memory'] === '64Mi';
    });
    await waitFor('scoped usage released', async () => (await used('be'))?.pods === '0');
  });
});
