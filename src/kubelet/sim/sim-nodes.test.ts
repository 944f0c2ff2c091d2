/**
 * Integration: simulated nodes against a real API server (and the real kubectl). 50 nodes register
 * and renew their Leases; pods bound to them (by binding or spec.nodeName) go Running with all
 * conditions and an IP from the node's podCIDR; jobs complete; the crash / exit-code / never-ready
 * annotations work; deleted pods are removed; pods on other nodes are left alone.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { parseSimConfig, startSimNodeGroups, startSimNodes, type SimNodesHandle } from './index.js';
import type { Pod } from './types.js';

let ts: TestServer;
let sim: SimNodesHandle;
const errors: unknown[] = [];
const COUNT = 50;

before(async () => {
  ts = await startTestServer();
  sim = await startSimNodes({
    client: ts.client,
    count: COUNT,
    labels: { pool: 'test' },
    config: {
      leaseRenewMs: 1000,
      nodeStatusMs: 2000,
      tickMs: 100,
      timings: { startDelayMs: 100, initDelayMs: 50, jobDurationMs: 300, crashBackoffBaseMs: 200, crashBackoffMaxMs: 400, deleteDelayMs: 200 },
      onError: (e) => errors.push(e),
    },
  });
});

after(async () => {
  sim?.stop();
  await ts?.stop();
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last !== undefined) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const podPath = (name: string) => `/api/v1/namespaces/default/pods/${name}`;
async function getPod(name: string): Promise<Pod | undefined> {
  const res = await ts.client.get<Pod>(podPath(name));
  return res.status === 200 ? res.body : undefined;
}
async function createPod(name: string, spec: Record<string, unknown>, annotations?: Record<string, string>): Promise<void> {
  const res = await ts.client.post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name, annotations }, spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], ...spec } });
  assert.equal(res.status, 201, res.text);
}
const waitPod = (name: string, ok: (p: Pod) => boolean, ms?: number) => waitFor(`pod ${name}`, async () => {
  const p = await getPod(name);
  return p && ok(p) ? p : undefined;
}, ms);
const cond = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type)?.status;

function inCIDR(ip: string, cidr: string): boolean {
  const toInt = (s: string) => s.split('.').reduce((a, b) => a * 256 + Number(b), 0);
  const [net, bits] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(net!) / size);
}

test(`${COUNT} nodes register with capacity, labels, CIDRs and Ready`, async () => {
  const res = await ts.client.get<{ items: KubeObject[] }>('/api/v1/nodes?labelSelector=pool%3Dtest');
  assert.equal(res.body.items.length, COUNT);
  const cidrs = new Set<string>();
  for (const n of res.body.items) {
    const spec = n.spec as { podCIDR: string };
    const status = n.status as { capacity: Record<string, string>; allocatable: Record<string, string>; conditions: Array<{ type: string; status: string }>; nodeInfo: Record<string, string>; addresses: Array<{ type: string }> };
    cidrs.add(spec.podCIDR);
    assert.equal(n.metadata?.labels?.['kubernetes.io/hostname'], n.metadata?.name);
    assert.equal(n.metadata?.labels?.['node.kubernetes.io/instance-type'], 'skiff-sim');
    assert.deepEqual(status.capacity, { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' });
    assert.deepEqual(status.allocatable, status.capacity);
    assert.equal(status.conditions.find((c) => c.type === 'Ready')?.status, 'True');
    assert.equal(status.nodeInfo.kubeletVersion, 'v1.32.0');
    assert.equal(status.nodeInfo.containerRuntimeVersion, 'sim://0.1');
    assert.ok(status.addresses.some((a) => a.type === 'InternalIP'));
  }
  assert.equal(cidrs.size, COUNT, 'every node has its own podCIDR');
  const seven = res.body.items.find((n) => n.metadata?.name === 'sim-node-7');
  assert.equal((seven?.spec as { podCIDR: string }).podCIDR, '10.244.7.0/24');
});

test('every node has a Lease in kube-node-lease that keeps being renewed', async () => {
  const leases = async () => (await ts.client.get<{ items: Array<KubeObject & { spec: { holderIdentity: string; renewTime: string; leaseDurationSeconds: number } }> }>('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases')).body.items;
  const first = new Map((await leases()).map((l) => [l.metadata!.name!, l.spec.renewTime]));
  for (const name of sim.nodeNames) assert.ok(first.has(name), `lease of ${name}`);
  await waitFor('all leases renewed', async () => {
    const now = await leases();
    const renewed = now.filter((l) => first.has(l.metadata!.name!) && l.spec.renewTime > first.get(l.metadata!.name!)!);
    return renewed.length === COUNT ? true : undefined;
  });
  const l = (await leases()).find((x) => x.metadata?.name === 'sim-node-3')!;
  assert.equal(l.spec.holderIdentity, 'sim-node-3');
  assert.equal(l.spec.leaseDurationSeconds, 40);
  assert.equal((l.metadata?.ownerReferences as Array<{ kind: string }>)[0]?.kind, 'Node');
  // A deleted lease comes back on the next renewal.
  assert.equal((await ts.client.delete('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/sim-node-3')).status, 200);
  await waitFor('lease recreated', async () => ((await ts.client.get('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/sim-node-3')).status === 200 ? true : undefined));
  // Node status heartbeats move lastHeartbeatTime forward.
  const hb = async () => ((await ts.client.get<KubeObject>('/api/v1/nodes/sim-node-4')).body.status as { conditions: Array<{ type: string; lastHeartbeatTime: string }> }).conditions.find((c) => c.type === 'Ready')!.lastHeartbeatTime;
  const before = await hb();
  await waitFor('node heartbeat', async () => ((await hb()) > before ? true : undefined), 5000);
});

test('a pod bound through pods/binding goes Running with all conditions and a pod IP from the node CIDR', async () => {
  await createPod('bound', {});
  const bind = await ts.client.post(`${podPath('bound')}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bound' }, target: { apiVersion: 'v1', kind: 'Node', name: 'sim-node-7' } });
  assert.equal(bind.status, 201, bind.text);
  const p = await waitPod('bound', (x) => x.status?.phase === 'Running');
  for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready', 'PodReadyToStartContainers']) assert.equal(cond(p, type), 'True', type);
  assert.ok(inCIDR(p.status!.podIP!, '10.244.7.0/24'), p.status!.podIP);
  assert.deepEqual(p.status!.podIPs, [{ ip: p.status!.podIP }]);
  assert.equal(p.status!.hostIP, '172.16.0.17');
  assert.ok(p.status!.startTime);
  const cs = p.status!.containerStatuses![0]!;
  assert.ok(cs.state.running?.startedAt);
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.equal(cs.restartCount, 0);
  assert.match(cs.containerID!, /^sim:\/\//);
  assert.equal(cs.image, 'nginx:1.25');
  assert.match(cs.imageID, /^nginx@sha256:[0-9a-f]{64}$/);
});

test('ContainerCreating is visible before Running; init containers complete first; IPs are distinct', async () => {
  // A second, slow group in the same process (its own address range) makes the Pending states observable.
  const slow = await startSimNodes({ client: ts.client, count: 1, namePrefix: 'slow-', firstIndex: 100, config: { timings: { initDelayMs: 800, startDelayMs: 800 } } });
  try {
    await createPod('creating', { nodeName: 'slow-0' });
    const creating = await waitPod('creating', (x) => !!x.status?.containerStatuses);
    assert.equal(creating.status?.phase, 'Pending');
    assert.equal(creating.status!.containerStatuses![0]!.state.waiting?.reason, 'ContainerCreating');
    assert.equal(cond(creating, 'Ready'), 'False');
    await createPod('with-init', { nodeName: 'slow-0', initContainers: [{ name: 'setup', image: 'busybox' }] });
    const initializing = await waitPod('with-init', (x) => !!x.status?.initContainerStatuses);
    assert.equal(initializing.status!.initContainerStatuses![0]!.state.waiting?.reason, 'PodInitializing');
    assert.equal(cond(initializing, 'Initialized'), 'False');
    const initialized = await waitPod('with-init', (x) => !!x.status?.initContainerStatuses?.[0]?.state.terminated);
    assert.equal(initialized.status?.phase, 'Pending');
    assert.equal(initialized.status!.initContainerStatuses![0]!.state.terminated?.reason, 'Completed');
    assert.equal(cond(initialized, 'Initialized'), 'True');
    const p = await waitPod('with-init', (x) => x.status?.phase === 'Running');
    const first = await waitPod('creating', (x) => x.status?.phase === 'Running');
    assert.notEqual(p.status!.podIP, first.status!.podIP);
    assert.ok(inCIDR(p.status!.podIP!, '10.244.100.0/24'), p.status!.podIP);
    assert.equal(p.status!.hostIP, '172.16.0.110');
  } finally {
    slow.stop();
  }
});

test('a job-style pod completes: Succeeded, terminated Completed with exit code 0', async () => {
  await createPod('job', { nodeName: 'sim-node-1', restartPolicy: 'Never' });
  const p = await waitPod('job', (x) => x.status?.phase === 'Succeeded');
  const t = p.status!.containerStatuses![0]!.state.terminated!;
  assert.equal(t.reason, 'Completed');
  assert.equal(t.exitCode, 0);
  assert.equal(cond(p, 'Ready'), 'False');
});

test('sim-exit-code makes a Never pod fail with that code', async () => {
  await createPod('fails', { nodeName: 'sim-node-2', restartPolicy: 'Never' }, { 'skiff.dev/sim-exit-code': '2', 'skiff.dev/sim-duration': '200ms' });
  const p = await waitPod('fails', (x) => x.status?.phase === 'Failed');
  assert.equal(p.status!.containerStatuses![0]!.state.terminated?.exitCode, 2);
  assert.equal(p.status!.containerStatuses![0]!.state.terminated?.reason, 'Error');
});

test('sim-crash-after: exit 1, restartCount increments, CrashLoopBackOff, then running again', async () => {
  await createPod('crashy', { nodeName: 'sim-node-3' }, { 'skiff.dev/sim-crash-after': '300ms' });
  const backoff = await waitPod('crashy', (x) => x.status?.containerStatuses?.[0]?.state.waiting?.reason === 'CrashLoopBackOff');
  const cs = backoff.status!.containerStatuses![0]!;
  assert.ok(cs.restartCount >= 1);
  assert.equal(cs.lastState.terminated?.exitCode, 1);
  assert.equal(cond(backoff, 'Ready'), 'False');
  assert.equal(backoff.status?.phase, 'Running');
  await waitPod('crashy', (x) => (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2);
});

test('sim-never-ready: Running and started but not Ready', async () => {
  await createPod('unready', { nodeName: 'sim-node-4' }, { 'skiff.dev/sim-never-ready': 'true' });
  const p = await waitPod('unready', (x) => x.status?.phase === 'Running');
  assert.equal(cond(p, 'Ready'), 'False');
  assert.equal(cond(p, 'ContainersReady'), 'False');
  assert.equal(p.status!.containerStatuses![0]!.started, true);
  assert.equal(p.status!.containerStatuses![0]!.ready, false);
});

test('deleting a running pod removes it (gracefully, then gracePeriodSeconds=0)', async () => {
  await createPod('doomed', { nodeName: 'sim-node-5' });
  await waitPod('doomed', (x) => x.status?.phase === 'Running');
  const del = await ts.client.delete(podPath('doomed'));
  assert.equal(del.status, 200);
  assert.ok((del.body as KubeObject).metadata?.deletionTimestamp, 'graceful deletion marks the pod first');
  await waitFor('pod gone', async () => ((await getPod('doomed')) ? undefined : true), 5000);
});

test('a deleted pod gets its containers terminated, then a DELETE with gracePeriodSeconds=0', async () => {
  // A finalizer keeps the object around so both steps can be observed.
  const res = await ts.client.post('/api/v1/namespaces/default/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'held', finalizers: ['skiff.dev/test-hold'] }, spec: { nodeName: 'sim-node-6', containers: [{ name: 'app', image: 'nginx:1.25' }] } });
  assert.equal(res.status, 201, res.text);
  await waitPod('held', (x) => x.status?.phase === 'Running');
  assert.equal((await ts.client.delete(podPath('held'))).status, 200);
  const p = await waitPod('held', (x) => x.metadata?.deletionGracePeriodSeconds === 0);
  const t = p.status!.containerStatuses![0]!.state.terminated;
  assert.equal(t?.exitCode, 0);
  assert.equal(cond(p, 'Ready'), 'False');
  assert.equal((await ts.client.patch(podPath('held'), { metadata: { finalizers: null } })).status, 200);
  await waitFor('pod gone', async () => ((await getPod('held')) ? undefined : true), 5000);
});

test('pods bound to other nodes are left alone', async () => {
  await createPod('elsewhere', { nodeName: 'real-node-1' });
  await new Promise((r) => setTimeout(r, 500));
  const p = await getPod('elsewhere');
  assert.equal(p?.status?.phase, 'Pending');
  assert.equal(p?.status?.containerStatuses, undefined);
});

test('node groups from a config file: names, labels, taints, capacity, separate CIDR ranges', async () => {
  const file = parseSimConfig(`
timings: {startDelay: 50ms}
nodeGroups:
- {name: big, count: 2, capacity: {cpu: 64, memory: 256Gi, pods: 250}, labels: {pool: big}}
- {name: gpu, count: 1, taints: [{key: nvidia.com/gpu, value: "true", effect: NoSchedule}], labels: {pool: gpu}}
`);
  const groups = await startSimNodeGroups(ts.client, file, { nodeStatusMs: 60_000 });
  try {
    assert.deepEqual(groups.nodeNames, ['big-0', 'big-1', 'gpu-0']);
    const node = async (name: string) => (await ts.client.get<KubeObject & { spec: { podCIDR: string; taints?: unknown[] }; status: { capacity: Record<string, string> } }>(`/api/v1/nodes/${name}`)).body;
    const big1 = await node('big-1');
    const gpu0 = await node('gpu-0');
    assert.equal(big1.status.capacity.cpu, '64');
    assert.equal(big1.status.capacity['ephemeral-storage'], '100Gi', 'unset resources keep the default');
    assert.equal(big1.metadata?.labels?.pool, 'big');
    assert.deepEqual(gpu0.spec.taints, [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NoSchedule' }]);
    assert.deepEqual([(await node('big-0')).spec.podCIDR, big1.spec.podCIDR, gpu0.spec.podCIDR], ['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
  } finally {
    groups.stop();
  }
});

test('a restarted simulator takes over its nodes and keeps pod IPs', async () => {
  const opts = { client: ts.client, count: 1, namePrefix: 'resume-', firstIndex: 200, config: { timings: { startDelayMs: 50 } } };
  const first = await startSimNodes(opts);
  await createPod('survivor', { nodeName: 'resume-0' });
  const before = await waitPod('survivor', (x) => x.status?.phase === 'Running');
  first.stop();
  const second = await startSimNodes(opts);
  try {
    await createPod('newcomer', { nodeName: 'resume-0' });
    const fresh = await waitPod('newcomer', (x) => x.status?.phase === 'Running');
    assert.ok(inCIDR(fresh.status!.podIP!, '10.244.200.0/24'));
    assert.notEqual(fresh.status!.podIP, before.status!.podIP, 'the running pod keeps its address');
    const after = await getPod('survivor');
    assert.equal(after?.status?.podIP, before.status!.podIP);
    assert.equal(after?.metadata?.resourceVersion, before.metadata?.resourceVersion, 'a running pod is not rewritten');
  } finally {
    second.stop();
  }
});

test('kubectl sees the nodes Ready and the pod Running', async () => {
  // Asynchronously: the API server runs in this process.
  const kubectl = async (args: string[]) => (await promisify(execFile)('/usr/bin/kubectl', args, { encoding: 'utf8' })).stdout;
  const cache = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  try {
    if (!existsSync('/usr/bin/kubectl')) return; // the API checks above already cover the behaviour
    const args = ['--kubeconfig', ts.server.kubeconfigPath, '--cache-dir', cache];
    const nodes = (await kubectl([...args, 'get', 'nodes', '-l', 'pool=test', '--no-headers'])).trim().split('\n');
    assert.equal(nodes.length, COUNT);
    assert.ok(nodes.every((l) => /\sReady\s/.test(l)), nodes.find((l) => !/\sReady\s/.test(l)));
    const pod = await kubectl([...args, 'get', 'pod', 'bound', '-o', 'wide', '--no-headers']);
    assert.match(pod, /bound\s+1\/1\s+Running\s+0\s+.*10\.244\.7\.\d+\s+sim-node-7/);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('no simulator errors were reported', () => {
  assert.deepEqual(errors.map(String), []);
});
