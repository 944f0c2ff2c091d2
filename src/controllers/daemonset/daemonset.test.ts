import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { listPods, makePodReady, waitFor } from '../replicaset/testing.js';
import { startDaemonSetController } from './index.js';
import { targetNodeOf } from './placement.js';
import type { DaemonSet, Pod } from './types.js';

const NS = 'default';
const dsBody = (name: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name, namespace: NS },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'agent:1' }], ...podSpec } },
    ...spec,
  },
});

describe('DaemonSet controller (real API server)', () => {
  let ts: TestServer;
  let ctl: { stop(): void };
  before(async () => {
    ts = await startTestServer();
    for (const [name, labels] of [['n1', { disk: 'ssd' }], ['n2', {}], ['n3', { disk: 'ssd' }]] as const) {
      const res = await ts.client.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels } });
      assert.equal(res.status, 201, res.text);
    }
    ctl = await startDaemonSetController(ts.client);
  });
  after(async () => {
    ctl.stop();
    await ts.stop();
  });
  const getDs = async (name: string) => (await ts.client.get<DaemonSet>(`/apis/apps/v1/namespaces/${NS}/daemonsets/${name}`)).body;
  const podsOf = async (name: string) => (await listPods(ts.client, NS, `app=${name}`)).filter((p) => !p.metadata.deletionTimestamp);
  const nodesOf = (pods: Pod[]) => pods.map((p) => targetNodeOf(p)).sort().join(',');

  it('runs one pod per node, pinned by node affinity, with the daemon tolerations', async () => {
    const res = await ts.client.post(`/apis/apps/v1/namespaces/${NS}/daemonsets`, dsBody('agent'));
    assert.equal(res.status, 201, res.text);
    const pods = await waitFor('3 pods', async () => { const p = await podsOf('agent'); return p.length === 3 && p; });
    assert.equal(nodesOf(pods), 'n1,n2,n3');
    const p = pods.find((x) => targetNodeOf(x) === 'n2') as Pod;
    const spec = p.spec as { affinity?: unknown; tolerations?: Array<{ key: string; effect: string; operator: string; tolerationSeconds?: number }> };
    assert.deepEqual(spec.affinity, { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }] } } });
    const keys = (spec.tolerations ?? []).map((t) => `${t.key}:${t.effect}`);
    assert.deepEqual(keys, ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']);
    assert.equal(spec.tolerations?.[0]?.tolerationSeconds, undefined);
    assert.match(p.metadata.labels?.['controller-revision-hash'] ?? '', /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    for (const x of pods) await makePodReady(ts.client, x);
    const ds = await waitFor('status', async () => { const d = await getDs('agent'); return d.status?.numberReady === 3 && d; });
    assert.deepEqual({ ...ds.status, collisionCount: undefined, conditions: undefined }, { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberMisscheduled: 0, numberReady: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberUnavailable: 0, observedGeneration: 1, collisionCount: undefined, conditions: undefined });
    const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', mkdtempSync(join(tmpdir(), 'kc-')), 'get', 'ds', 'agent', '--no-headers']);
    assert.match(stdout, /^agent\s+3\s+3\s+3\s+3\s+3\s/);
  });

  it('follows nodeSelector, taints and new nodes', async () => {
    await ts.client.post(`/apis/apps/v1/namespaces/${NS}/daemonsets`, dsBody('ssd', {}, { nodeSelector: { disk: 'ssd' } }));
    await waitFor('pods on ssd nodes', async () => nodesOf(await podsOf('ssd')) === 'n1,n3');
    // NoSchedule: the pod stays but is counted misscheduled.
    await ts.client.patch('/api/v1/nodes/n1', { spec: { taints: [{ key: 'maint', effect: 'NoSchedule' }] } });
    await waitFor('misscheduled', async () => { const d = await getDs('ssd'); return d.status?.numberMisscheduled === 1 && d.status.desiredNumberScheduled === 1; });
    assert.equal(nodesOf(await podsOf('ssd')), 'n1,n3');
    // NoExecute: the pod goes.
    await ts.client.patch('/api/v1/nodes/n1', { spec: { taints: [{ key: 'maint', effect: 'NoExecute' }] } });
    await waitFor('pod removed from n1', async () => nodesOf(await podsOf('ssd')) === 'n3');
    // A taint covered by the daemon tolerations does not matter.
    await ts.client.patch('/api/v1/nodes/n3', { spec: { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } });
    await ts.client.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n4', labels: { disk: 'ssd' } } });
    await waitFor('pod on the new node', async () => nodesOf(await podsOf('ssd')) === 'n3,n4');
    const d = await waitFor('desired=2', async () => { const x = await getDs('ssd'); return x.status?.desiredNumberScheduled === 2 && x.status.numberMisscheduled === 0 && x; });
    assert.equal(d.status?.currentNumberScheduled, 2);
  });

  it('rolls out a template change node by node (maxUnavailable 1)', async () => {
    const before = await podsOf('agent');
    const oldHash = before[0]?.metadata.labels?.['controller-revision-hash'];
    await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/daemonsets/agent`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } });
    let maxDown = 0;
    const done = await waitFor('all updated', async () => {
      const pods = await podsOf('agent');
      const nodes = new Set(pods.map((p) => targetNodeOf(p)));
      // n1 has a NoExecute taint from the previous test, so 3 nodes remain eligible: n2, n3, n4.
      maxDown = Math.max(maxDown, 3 - pods.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length);
      for (const p of pods) if (!p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) await makePodReady(ts.client, p);
      const d = await getDs('agent');
      return nodes.size === 3 && pods.length === 3 && pods.every((p) => p.metadata.labels?.['controller-revision-hash'] !== oldHash) && d.status?.updatedNumberScheduled === 3 && d.status.numberAvailable === 3 && pods;
    }, 20_000);
    assert.equal(nodesOf(done), 'n2,n3,n4');
    assert.ok(done.every((p) => (p.spec?.containers as Array<{ image: string }>)[0]?.image === 'agent:2'));
    assert.ok(maxDown <= 1, `at most one node without a ready pod, saw ${maxDown}`);
  });
  it('rolls out with maxSurge: the new pod starts beside the old one, which goes once the new is ready', async () => {
    await ts.client.post(`/apis/apps/v1/namespaces/${NS}/daemonsets`, dsBody('surge', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }, { nodeSelector: { disk: 'ssd' } }));
    const first = await waitFor('2 pods', async () => { const p = await podsOf('surge'); return p.length === 2 && p; });
    for (const p of first) await makePodReady(ts.client, p);
    await waitFor('available', async () => (await getDs('surge')).status?.numberAvailable === 2);
    await ts.client.patch(`/apis/apps/v1/namespaces/${NS}/daemonsets/surge`, { spec: { template: { spec: { containers: [{ name: 'c', image: 'agent:2' }] } } } });
    const image = (p: Pod) => (p.spec?.containers as Array<{ image: string }>)[0]?.image;
    const surged = await waitFor('a surge pod', async () => { const p = await podsOf('surge'); return p.length === 3 && p; });
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await podsOf('surge')).length, 3, 'one surge pod at a time');
    const fresh = surged.find((p) => image(p) === 'agent:2') as Pod;
    const old = surged.find((p) => image(p) === 'agent:1' && targetNodeOf(p) === targetNodeOf(fresh)) as Pod;
    assert.ok(old, 'the new pod shares its node with an old one');
    await makePodReady(ts.client, fresh);
    await waitFor('old pod on that node removed, next node surging', async () => {
      const p = await podsOf('surge');
      return !p.some((x) => x.metadata.name === old.metadata.name) && p.filter((x) => image(x) === 'agent:2').length === 2 && p;
    });
    for (const p of await podsOf('surge')) if (image(p) === 'agent:2') await makePodReady(ts.client, p);
    await waitFor('done', async () => { const p = await podsOf('surge'); return p.length === 2 && p.every((x) => image(x) === 'agent:2'); });
  });
});
