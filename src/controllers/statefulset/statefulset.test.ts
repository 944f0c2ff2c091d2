import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { listPods, makePodReady, waitFor } from '../replicaset/testing.js';
import { startStatefulSetController } from './index.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from './types.js';

const NS = 'default';
const setBody = (name: string, replicas: number, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name, namespace: NS },
  spec: {
    replicas,
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } },
    ...spec,
  },
});

describe('StatefulSet controller (real API server)', () => {
  let ts: TestServer;
  let ctl: { stop(): void };
  before(async () => {
    ts = await startTestServer();
    ctl = await startStatefulSetController(ts.client);
  });
  after(async () => {
    ctl.stop();
    await ts.stop();
  });
  const getSet = async (name: string) => (await ts.client.get<StatefulSet>(`/apis/apps/v1/namespaces/${NS}/statefulsets/${name}`)).body;
  const podsOf = async (name: string) => (await listPods(ts.client, NS, `app=${name}`)).filter((p) => !p.metadata.deletionTimestamp).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const names = (pods: Pod[]) => pods.map((p) => p.metadata.name).join(',');
  const claims = async () => (await ts.client.get<{ items: PersistentVolumeClaim[] }>(`/api/v1/namespaces/${NS}/persistentvolumeclaims`)).body.items;
  /** Plays the kubelet: makes the named pod Running+Ready once it exists. */
  const ready = async (name: string) => makePodReady(ts.client, await waitFor(`pod ${name}`, async () => (await podsOf(name.replace(/-\d+$/, ''))).find((p) => p.metadata.name === name)));

  it('creates pods in order, waiting for each to be ready, with identities and claims', async () => {
    const res = await ts.client.post(`/apis/apps/v1/namespaces/${NS}/statefulsets`, setBody('web', 3, {
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }));
    assert.equal(res.status, 201, res.text);
    const first = await waitFor('web-0', async () => { const p = await podsOf('web'); return p.length === 1 && p; });
    assert.equal(names(first), 'web-0');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(names(await podsOf('web')), 'web-0', 'web-1 waits for web-0 to be ready');
    const p0 = first[0] as Pod;
    assert.equal(p0.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(p0.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    assert.equal(p0.spec?.hostname, 'web-0');
    assert.equal(p0.spec?.subdomain, 'web');
    assert.deepEqual((p0.spec?.volumes as Array<{ name: string }>).find((v) => v.name === 'data'), { name: 'data', persistentVolumeClaim: { claimName: 'data-web-0' } });
    assert.ok((await claims()).some((c) => c.metadata.name === 'data-web-0' && c.metadata.labels?.app === 'web'));
    await ready('web-0');
    await waitFor('web-1', async () => names(await podsOf('web')) === 'web-0,web-1');
    await ready('web-1');
    await waitFor('web-2', async () => names(await podsOf('web')) === 'web-0,web-1,web-2');
    await ready('web-2');
    const set = await waitFor('status ready=3', async () => { const s = await getSet('web'); return s.status?.readyReplicas === 3 && s; });
    assert.equal(set.status?.replicas, 3);
    assert.equal(set.status?.currentRevision, set.status?.updateRevision);
    assert.match(set.status?.updateRevision ?? '', /^web-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(p0.metadata.labels?.['controller-revision-hash'], set.status?.updateRevision);
    assert.deepEqual((await claims()).map((c) => c.metadata.name).filter((n) => n?.endsWith('web-0') || n?.endsWith('web-1') || n?.endsWith('web-2')).sort(), ['data-web-0', 'data-web-1', 'data-web-2']);
    const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', mkdtempSync(join(tmpdir(), 'kc-')), 'get', 'sts', 'web', '--no-headers']);
    assert.match(stdout, /^web\s+3\/3\s/);
  });

  it('scales down in reverse order, keeping claims (Retain)', async () => {
    await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/statefulsets/web`, { spec: { replicas: 1 } });
    await waitFor('web-0 only', async () => names(await podsOf('web')) === 'web-0');
    await waitFor('status replicas=1', async () => (await getSet('web')).status?.replicas === 1);
    assert.ok((await claims()).some((c) => c.metadata.name === 'data-web-2'), 'claims retained');
    // Scale up again: the same identities come back, claims reused.
    await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/statefulsets/web`, { spec: { replicas: 2 } });
    await waitFor('web-1 back', async () => names(await podsOf('web')) === 'web-0,web-1');
  });

  it('rolls out a new template from the highest ordinal down, honouring the partition', async () => {
    await ts.client.post(`/apis/apps/v1/namespaces/${NS}/statefulsets`, setBody('db', 3, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } }));
    await waitFor('3 parallel pods', async () => (await podsOf('db')).length === 3);
    for (const p of await podsOf('db')) await makePodReady(ts.client, p);
    const before = await waitFor('ready', async () => { const s = await getSet('db'); return s.status?.readyReplicas === 3 && s; });
    await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/statefulsets/db`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    const updateRev = await waitFor('new update revision', async () => { const s = await getSet('db'); return s.status?.updateRevision !== before.status?.updateRevision && s.status?.updateRevision; });
    // Play the kubelet for whatever pod is recreated, until db-2 and db-1 run the new image.
    const image = (p: Pod | undefined) => (p?.spec?.containers as Array<{ image: string }> | undefined)?.[0]?.image;
    await waitFor('db-1,db-2 updated', async () => {
      const pods = await podsOf('db');
      for (const p of pods) if (!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) await makePodReady(ts.client, p);
      return pods.length === 3 && image(pods[1]) === 'nginx:2' && image(pods[2]) === 'nginx:2';
    });
    const pods = await podsOf('db');
    assert.equal(image(pods[0]), 'nginx:1', 'below the partition stays');
    assert.equal(pods[2]?.metadata.labels?.['controller-revision-hash'], updateRev);
    const s = await waitFor('updatedReplicas=2', async () => { const x = await getSet('db'); return x.status?.updatedReplicas === 2 && x; });
    assert.equal(s.status?.currentRevision, before.status?.updateRevision, 'current stays until all are updated');
    const revs = await ts.client.get<{ items: Array<{ revision: number; metadata: { name: string } }> }>(`/apis/apps/v1/namespaces/${NS}/controllerrevisions`);
    const mine = revs.body.items.filter((r) => r.metadata.name.startsWith('db-')).map((r) => r.revision).sort();
    assert.deepEqual(mine, [1, 2]);
    // Partition 0 finishes the rollout.
    await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/statefulsets/db`, { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } });
    await waitFor('rollout complete', async () => {
      for (const p of await podsOf('db')) if (!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) await makePodReady(ts.client, p);
      const x = await getSet('db');
      return x.status?.currentRevision === updateRev && x.status?.updatedReplicas === 3;
    });
  });

  it('deletes claims of scaled-away ordinals with whenScaled=Delete (owner reference to the pod)', async () => {
    await ts.client.post(`/apis/apps/v1/namespaces/${NS}/statefulsets`, setBody('kv', 2, {
      podManagementPolicy: 'Parallel',
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    }));
    await waitFor('2 pods', async () => (await podsOf('kv')).length === 2);
    const set = await getSet('kv');
    const c1 = await waitFor('claim owner', async () => (await claims()).find((c) => c.metadata.name === 'data-kv-1' && c.metadata.ownerReferences?.some((r) => r.uid === set.metadata.uid)));
    assert.equal(c1.metadata.ownerReferences?.[0]?.kind, 'StatefulSet');
    await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/statefulsets/kv`, { spec: { replicas: 1 } });
    await waitFor('kv-1 gone', async () => names(await podsOf('kv')) === 'kv-0');
    // The garbage collector (not running here) deletes the claim; the controller's part is the pod owner reference.
    const claim = (await claims()).find((c) => c.metadata.name === 'data-kv-1');
    assert.ok(claim?.metadata.ownerReferences?.some((r) => r.kind === 'Pod' && r.name === 'kv-1'), JSON.stringify(claim?.metadata.ownerReferences));
  });
  it('adopts an orphan pod that has one of its identities', async () => {
    const orphan = await ts.client.post<Pod>(`/api/v1/namespaces/${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'orph-0', labels: { app: 'orph' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } });
    assert.equal(orphan.status, 201, orphan.text);
    await ts.client.post(`/apis/apps/v1/namespaces/${NS}/statefulsets`, setBody('orph', 1));
    const set = await getSet('orph');
    const adopted = await waitFor('adopted', async () => (await podsOf('orph')).find((p) => p.metadata.ownerReferences?.some((r) => r.controller && r.uid === set.metadata.uid)));
    assert.equal(adopted.metadata.uid, orphan.body.metadata.uid);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(names(await podsOf('orph')), 'orph-0');
  });
  it('OnDelete: a template change reaches only pods deleted by the user', async () => {
    await ts.client.post(`/apis/apps/v1/namespaces/${NS}/statefulsets`, setBody('od', 2, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'OnDelete' } }));
    await waitFor('2 pods', async () => (await podsOf('od')).length === 2);
    for (const p of await podsOf('od')) await makePodReady(ts.client, p);
    await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/statefulsets/od`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    const s = await waitFor('update revision', async () => { const x = await getSet('od'); return x.status?.updateRevision !== x.status?.currentRevision && x; });
    await new Promise((r) => setTimeout(r, 300));
    const image = (p: Pod | undefined) => (p?.spec?.containers as Array<{ image: string }> | undefined)?.[0]?.image;
    assert.deepEqual((await podsOf('od')).map(image), ['nginx:1', 'nginx:1'], 'nothing replaced by itself');
    await ts.client.delete(`/api/v1/namespaces/${NS}/pods/od-1`);
    const p1 = await waitFor('od-1 recreated', async () => (await podsOf('od')).find((p) => p.metadata.name === 'od-1' && image(p) === 'nginx:2'));
    assert.equal(p1.metadata.labels?.['controller-revision-hash'], s.status?.updateRevision);
    assert.equal(image((await podsOf('od'))[0]), 'nginx:1');
  });
  it('RollingUpdate maxUnavailable 2 replaces two pods at once and waits', async () => {
    await ts.client.post(`/apis/apps/v1/namespaces/${NS}/statefulsets`, setBody('mu', 3, { podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } }));
    await waitFor('3 pods', async () => (await podsOf('mu')).length === 3);
    for (const p of await podsOf('mu')) await makePodReady(ts.client, p);
    await waitFor('ready', async () => (await getSet('mu')).status?.readyReplicas === 3);
    await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/statefulsets/mu`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:2' }] } } } });
    const image = (p: Pod | undefined) => (p?.spec?.containers as Array<{ image: string }> | undefined)?.[0]?.image;
    await waitFor('mu-1, mu-2 replaced', async () => (await podsOf('mu')).map(image).join() === 'nginx:1,nginx:2,nginx:2');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await podsOf('mu')).map(image).join(), 'nginx:1,nginx:2,nginx:2', 'mu-0 waits while two are unavailable');
    for (const p of await podsOf('mu')) await makePodReady(ts.client, p);
    await waitFor('mu-0 replaced', async () => (await podsOf('mu')).map(image).join() === 'nginx:2,nginx:2,nginx:2');
  });
});
