import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startReplicaSetController } from './index.js';
import { listPods, makePodReady, waitFor } from './testing.js';
import type { Pod, ReplicaSet } from './types.js';

const NS = 'default';
const rsBody = (name: string, replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name, namespace: NS },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  },
});

describe('ReplicaSet controller (real API server)', () => {
  let ts: TestServer;
  let ctl: { stop(): void };
  before(async () => {
    ts = await startTestServer();
    ctl = await startReplicaSetController(ts.client);
  });
  after(async () => {
    ctl.stop();
    await ts.stop();
  });

  const getRs = async (name: string) => (await ts.client.get<ReplicaSet>(`/apis/apps/v1/namespaces/${NS}/replicasets/${name}`)).body;

  it('creates pods from the template with owner references, then reports ready/available status', async () => {
    const created = await ts.client.post<ReplicaSet>(`/apis/apps/v1/namespaces/${NS}/replicasets`, rsBody('web', 3));
    assert.equal(created.status, 201, created.text);
    const pods = await waitFor('3 pods', async () => {
      const p = await listPods(ts.client, NS, 'app=web');
      return p.length === 3 && p;
    });
    for (const p of pods) {
      assert.match(p.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.equal(p.metadata.labels?.tier, 'web');
      const ref = p.metadata.ownerReferences?.[0];
      assert.deepEqual(ref, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: created.body.metadata.uid, controller: true, blockOwnerDeletion: true });
    }
    await waitFor('status.replicas=3', async () => (await getRs('web')).status?.replicas === 3);
    for (const p of pods) await makePodReady(ts.client, p);
    const rs = await waitFor('ready=3', async () => {
      const r = await getRs('web');
      return r.status?.readyReplicas === 3 && r.status?.availableReplicas === 3 && r;
    });
    assert.equal(rs.status?.fullyLabeledReplicas, 3);
    assert.equal(rs.status?.observedGeneration, rs.metadata.generation);
    // Events with upstream's messages.
    const events = await waitFor('events', async () => {
      const ev = await ts.client.get<{ items: Array<{ reason: string; message: string }> }>(`/api/v1/namespaces/${NS}/events`);
      const mine = ev.body.items.filter((e) => e.reason === 'SuccessfulCreate');
      return mine.length === 3 && mine;
    });
    assert.deepEqual(events.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
  });

  it('replaces a deleted pod', async () => {
    const before = await listPods(ts.client, NS, 'app=web');
    const victim = before[0].metadata.name;
    const del = await ts.client.delete(`/api/v1/namespaces/${NS}/pods/${victim}?gracePeriodSeconds=0`);
    assert.ok(del.status === 200 || del.status === 202, del.text);
    const after = await waitFor('replacement', async () => {
      const p = (await listPods(ts.client, NS, 'app=web')).filter((x) => !x.metadata.deletionTimestamp);
      return p.length === 3 && !p.some((x) => x.metadata.name === victim) && p;
    });
    assert.equal(after.length, 3);
  });

  it('scales down deleting not-ready pods before ready ones', async () => {
    const pods = await listPods(ts.client, NS, 'app=web');
    const notReady = pods.filter((p) => !p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
    assert.equal(notReady.length, 1, 'the replacement pod is not ready');
    const res = await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/replicasets/web`, { spec: { replicas: 2 } });
    assert.equal(res.status, 200, res.text);
    const left = await waitFor('2 pods', async () => {
      const p = (await listPods(ts.client, NS, 'app=web')).filter((x) => !x.metadata.deletionTimestamp);
      return p.length === 2 && p;
    });
    assert.ok(!left.some((p) => p.metadata.name === notReady[0].metadata.name));
  });

  it('adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async () => {
    const orphan = await ts.client.post<Pod>(`/api/v1/namespaces/${NS}/pods`, { metadata: { name: 'stray', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
    assert.equal(orphan.status, 201, orphan.text);
    await makePodReady(ts.client, orphan.body);
    const rs = await ts.client.post<ReplicaSet>(`/apis/apps/v1/namespaces/${NS}/replicasets`, rsBody('adopt', 2));
    assert.equal(rs.status, 201, rs.text);
    const adopted = await waitFor('adoption', async () => {
      const r = await ts.client.get<Pod>(`/api/v1/namespaces/${NS}/pods/stray`);
      return r.body.metadata.ownerReferences?.[0]?.uid === rs.body.metadata.uid && r.body;
    });
    assert.equal(adopted.metadata.ownerReferences?.[0].controller, true);
    await waitFor('2 replicas', async () => (await getRs('adopt')).status?.replicas === 2);
    assert.equal((await listPods(ts.client, NS, 'app=adopt')).length, 2, 'one created, one adopted');
    // Relabel: released (ownerReference removed) and replaced.
    await ts.client.patch(`/api/v1/namespaces/${NS}/pods/stray`, { metadata: { labels: { app: 'other' } } });
    await waitFor('release', async () => {
      const r = await ts.client.get<Pod>(`/api/v1/namespaces/${NS}/pods/stray`);
      return (r.body.metadata.ownerReferences ?? []).length === 0;
    });
    await waitFor('replacement', async () => (await listPods(ts.client, NS, 'app=adopt')).length === 2);
  });
});
