/**
 * Deployment controller against a real API server, the test playing the kubelet on demand:
 * Recreate ordering, progress deadline, revisionHistoryLimit cleanup, adopting an orphan ReplicaSet.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startReplicaSetController } from '../replicaset/index.js';
import { listPods, readyAllPods, waitFor } from '../replicaset/testing.js';
import type { Deployment, ReplicaSet } from '../replicaset/types.js';
import { startDeploymentController } from './index.js';

const NS = 'default';
const body = (name: string, spec: Partial<Deployment['spec']> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: NS },
  spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } }, ...spec },
});

describe('Deployment controller (real API server)', () => {
  let ts: TestServer;
  let stops: Array<{ stop(): void }> = [];
  before(async () => {
    ts = await startTestServer();
    stops = [await startReplicaSetController(ts.client), await startDeploymentController(ts.client)];
  });
  after(async () => {
    for (const s of stops) s.stop();
    await ts.stop();
  });
  const get = async (name: string) => (await ts.client.get<Deployment>(`/apis/apps/v1/namespaces/${NS}/deployments/${name}`)).body;
  const rssOf = async (app: string) => (await ts.client.get<{ items: ReplicaSet[] }>(`/apis/apps/v1/namespaces/${NS}/replicasets?labelSelector=app%3D${app}`)).body.items;
  const setImage = (name: string, image: string) => ts.client.patch(`/apis/apps/v1/namespaces/${NS}/deployments/${name}`, { spec: { template: { spec: { containers: [{ name: 'c', image }] } } } }, 'application/strategic-merge-patch+json');

  it('Recreate scales the old ReplicaSet to zero before the new one gets any pod', async () => {
    assert.equal((await ts.client.post(`/apis/apps/v1/namespaces/${NS}/deployments`, body('rec', { strategy: { type: 'Recreate' } }))).status, 201);
    await waitFor('2 pods', async () => (await listPods(ts.client, NS, 'app=rec')).length === 2);
    await readyAllPods(ts.client, NS);
    await waitFor('available', async () => (await get('rec')).status?.availableReplicas === 2);
    const res = await setImage('rec', 'img:2');
    assert.equal(res.status, 200, res.text);
    let mixed = false;
    await waitFor('new pods only', async () => {
      const pods = await listPods(ts.client, NS, 'app=rec');
      const images = new Set(pods.map((p) => (p.spec?.containers as Array<{ image: string }>)[0].image));
      if (images.size > 1) mixed = true;
      return pods.length === 2 && images.has('img:2') && images.size === 1;
    });
    assert.equal(mixed, false, 'old and new pods never coexist');
    const rss = await rssOf('rec');
    assert.equal(rss.length, 2);
    assert.deepEqual(rss.map((r) => r.spec.replicas).sort(), [0, 2]);
  });

  it('marks Progressing=False ProgressDeadlineExceeded when pods never become ready', async () => {
    assert.equal((await ts.client.post(`/apis/apps/v1/namespaces/${NS}/deployments`, body('slow', { progressDeadlineSeconds: 2 }))).status, 201);
    const d = await waitFor('deadline exceeded', async () => {
      const x = await get('slow');
      return x.status?.conditions?.find((c) => c.type === 'Progressing')?.reason === 'ProgressDeadlineExceeded' && x;
    }, 20_000);
    const p = d.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(p?.status, 'False');
    assert.match(p?.message ?? '', /^ReplicaSet "slow-[a-z0-9]+" has timed out progressing\.$/);
    assert.equal(d.status?.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasUnavailable');
    assert.equal(d.status?.unavailableReplicas, 2);
  });

  it('keeps at most revisionHistoryLimit old ReplicaSets', async () => {
    assert.equal((await ts.client.post(`/apis/apps/v1/namespaces/${NS}/deployments`, body('hist', { revisionHistoryLimit: 1, replicas: 1 }))).status, 201);
    for (const image of ['img:2', 'img:3', 'img:4']) {
      await waitFor('pods', async () => {
        await readyAllPods(ts.client, NS);
        const x = await get('hist');
        return x.status?.updatedReplicas === 1 && x.status.availableReplicas === 1 && x.status.replicas === 1 && (x.status.observedGeneration ?? 0) >= (x.metadata.generation ?? 0);
      });
      await setImage('hist', image);
    }
    await waitFor('rolled out', async () => {
      await readyAllPods(ts.client, NS);
      const x = await get('hist');
      return x.metadata.annotations?.['deployment.kubernetes.io/revision'] === '4' && x.status?.updatedReplicas === 1 && x.status.availableReplicas === 1 && x.status.replicas === 1;
    });
    await waitFor('cleaned up', async () => (await rssOf('hist')).length === 2);
    const rss = await rssOf('hist');
    const revisions = rss.map((r) => r.metadata.annotations?.['deployment.kubernetes.io/revision']).sort();
    assert.deepEqual(revisions, ['3', '4']);
  });

  it('adopts a matching orphan ReplicaSet instead of creating another', async () => {
    const template = { metadata: { labels: { app: 'orph', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'img:1' }] } };
    const orphan = await ts.client.post<ReplicaSet>(`/apis/apps/v1/namespaces/${NS}/replicasets`, { metadata: { name: 'orph-abc', labels: { app: 'orph' } }, spec: { replicas: 2, selector: { matchLabels: { app: 'orph', 'pod-template-hash': 'abc' } }, template } });
    assert.equal(orphan.status, 201, orphan.text);
    const d = await ts.client.post<Deployment>(`/apis/apps/v1/namespaces/${NS}/deployments`, body('orph'));
    assert.equal(d.status, 201);
    const rs = await waitFor('adopted', async () => {
      const r = (await ts.client.get<ReplicaSet>(`/apis/apps/v1/namespaces/${NS}/replicasets/orph-abc`)).body;
      return r.metadata.ownerReferences?.[0]?.uid === d.body.metadata.uid && !!r.metadata.annotations?.['deployment.kubernetes.io/revision'] && r;
    });
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await rssOf('orph')).length, 1);
  });

  it('scales proportionally mid-rollout (10 -> 15 with maxSurge 3: old 8 -> 11, new 5 -> 7)', async () => {
    const spec = { replicas: 10, strategy: { type: 'RollingUpdate' as const, rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } };
    assert.equal((await ts.client.post(`/apis/apps/v1/namespaces/${NS}/deployments`, body('prop', spec))).status, 201);
    await waitFor('10 available', async () => {
      await readyAllPods(ts.client, NS);
      return (await get('prop')).status?.availableReplicas === 10;
    });
    await setImage('prop', 'img:2'); // new pods never become ready
    const sizes = async () => {
      const rss = await rssOf('prop');
      const d = await get('prop');
      const isNew = (r: ReplicaSet) => r.spec.template.spec?.containers && (r.spec.template.spec.containers as Array<{ image: string }>)[0].image === 'img:2';
      return { old: rss.filter((r) => !isNew(r)).map((r) => r.spec.replicas), new: rss.filter(isNew).map((r) => r.spec.replicas), d };
    };
    await waitFor('old 8, new 5', async () => {
      const s = await sizes();
      return s.old[0] === 8 && s.new[0] === 5;
    });
    await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/deployments/prop/scale`, { spec: { replicas: 15 } });
    const s = await waitFor('old 11, new 7', async () => {
      const x = await sizes();
      return x.old[0] === 11 && x.new[0] === 7 && x;
    });
    const rss = await rssOf('prop');
    for (const r of rss) {
      assert.equal(r.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '15');
      assert.equal(r.metadata.annotations?.['deployment.kubernetes.io/max-replicas'], '18');
    }
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual((await sizes()).old, s.old, 'stable');
  });
});
