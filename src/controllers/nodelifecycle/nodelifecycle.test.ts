import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import type { Node } from './health.js';
import { startNodeLifecycleController } from './index.js';

let ts: TestServer;
let ctl: { stop(): void };
const renewing = new Set<string>();
let renewer: NodeJS.Timeout;

async function waitFor(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const micro = (): string => new Date().toISOString().replace('Z', '000Z');
const stamp = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Registers a node as a kubelet would: the Node with Ready=True and its Lease. */
async function registerNode(name: string): Promise<void> {
  const node = await ts.client.post('/api/v1/nodes', { metadata: { name }, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: stamp(), lastTransitionTime: stamp() }] } });
  assert.equal(node.status, 201, node.text);
  const got = await ts.client.get<Node>(`/api/v1/nodes/${name}`);
  if (!got.body.status?.conditions?.length) {
    const st = await ts.client.patch(`/api/v1/nodes/${name}/status`, { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: stamp(), lastTransitionTime: stamp() }] } });
    assert.equal(st.status, 200, st.text);
  }
  const lease = await ts.client.post('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', { metadata: { name }, spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: micro() } });
  assert.equal(lease.status, 201, lease.text);
}

async function pod(name: string, nodeName: string, tolerations: unknown[] = []): Promise<void> {
  const res = await ts.client.post('/api/v1/namespaces/default/pods', { metadata: { name }, spec: { nodeName, tolerations, containers: [{ name: 'c', image: 'nginx' }] } });
  assert.equal(res.status, 201, res.text);
}

const getNode = async (name: string): Promise<Node> => (await ts.client.get<Node>(`/api/v1/nodes/${name}`)).body;
const hasTaint = (n: Node, key: string, effect: string): boolean => (n.spec?.taints ?? []).some((t) => t.key === key && t.effect === effect);
/** Evicted: deleted, or being deleted gracefully (no kubelet here to finish). */
async function evicted(name: string): Promise<boolean> {
  const res = await ts.client.get<{ metadata: { deletionTimestamp?: string } }>(`/api/v1/namespaces/default/pods/${name}`);
  return res.status === 404 || !!res.body.metadata.deletionTimestamp;
}

async function podReady(name: string): Promise<string | undefined> {
  const res = await ts.client.get<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(`/api/v1/namespaces/default/pods/${name}`);
  return res.body.status?.conditions?.find((c) => c.type === 'Ready')?.status;
}

describe('node lifecycle controller', () => {
  before(async () => {
    ts = await startTestServer();
    for (const n of ['alive', 'dead-1', 'dead-2']) await registerNode(n);
    renewing.add('alive');
    // dead-2 goes silent a little after dead-1, so dead-1 takes the one NoExecute token.
    renewing.add('dead-2');
    setTimeout(() => renewing.delete('dead-2'), 600);
    renewer = setInterval(() => {
      for (const n of renewing) ts.client.patch(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n}`, { spec: { renewTime: micro() } }).catch(() => {});
    }, 200);
    // The API server gives this one the default 300 s tolerations (DefaultTolerationSeconds).
    await pod('default-tolerations', 'dead-1');
    await pod('tolerates-0s', 'dead-1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 0 }]);
    await pod('tolerates-2s', 'dead-1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }]);
    await pod('tolerates-forever', 'dead-1', [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }]);
    await pod('on-alive', 'alive');
    for (const [name, node] of [['tolerates-forever', 'dead-1'], ['on-alive', 'alive']]) {
      const st = await ts.client.patch(`/api/v1/namespaces/default/pods/${name}/status`, { status: { phase: 'Running', podIP: '10.0.0.9', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: stamp() }] } });
      assert.equal(st.status, 200, `${node}: ${st.text}`);
    }
    ctl = await startNodeLifecycleController(ts.client, { nodeMonitorGracePeriodMs: 1000, nodeMonitorPeriodMs: 200, evictionRate: 0.1, onError: (e) => console.error('nodelifecycle', e) });
  });
  after(async () => {
    clearInterval(renewer);
    ctl.stop();
    await ts.stop();
  });

  it('a node whose lease stops gets Ready=Unknown and unreachable taints; its pods go after their tolerations', async () => {
    await waitFor('dead node tainted unreachable NoExecute', async () => hasTaint(await getNode('dead-1'), 'node.kubernetes.io/unreachable', 'NoExecute'));
    const taintedAt = Date.now();
    const dead = await getNode('dead-1');
    const ready = dead.status!.conditions!.find((c) => c.type === 'Ready')!;
    assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);

    // Rate limit 0.1 nodes/s: the second dead node gets NoSchedule now, NoExecute only 10 s after the first.
    await waitFor('second dead node unreachable', async () => hasTaint(await getNode('dead-2'), 'node.kubernetes.io/unreachable', 'NoSchedule'));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(hasTaint(await getNode('dead-2'), 'node.kubernetes.io/unreachable', 'NoExecute'), false);
    assert.ok(hasTaint(await getNode('dead-1'), 'node.kubernetes.io/unreachable', 'NoSchedule'));

    const alive = await getNode('alive');
    assert.equal(alive.status!.conditions!.find((c) => c.type === 'Ready')!.status, 'True');
    assert.equal((alive.spec?.taints ?? []).length, 0);

    await waitFor('pod with a zero toleration evicted', () => evicted('tolerates-0s'));
    await waitFor('pod evicted after its toleration', () => evicted('tolerates-2s'), 10_000);
    assert.ok(Date.now() - taintedAt >= 900, `evicted ${Date.now() - taintedAt} ms after the taint`);
    assert.equal(await evicted('tolerates-forever'), false);
    assert.equal(await evicted('default-tolerations'), false, 'default tolerations last 300 s');
    assert.equal(await evicted('on-alive'), false);
    // Pods on the unreachable node are no longer Ready; those on the live node are.
    await waitFor('pods on the dead node marked not ready', async () => (await podReady('tolerates-forever')) === 'False');
    assert.equal(await podReady('on-alive'), 'True');
  });

  it('removes the taints when the kubelet is back', async () => {
    renewing.add('dead-2');
    const st = await ts.client.patch('/api/v1/nodes/dead-2/status', { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: stamp(), lastTransitionTime: stamp() }] } });
    assert.equal(st.status, 200, st.text);
    await waitFor('taints removed', async () => ((await getNode('dead-2')).spec?.taints ?? []).length === 0);
    await new Promise((r) => setTimeout(r, 1500));
    const n = await getNode('dead-2');
    assert.equal(n.status!.conditions!.find((c) => c.type === 'Ready')!.status, 'True', 'a renewing node stays Ready');
  });
});
