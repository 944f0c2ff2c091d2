/**
 * Node lifecycle controller (upstream pkg/controller/nodelifecycle plus the taint-eviction controller).
 *
 * Input: Nodes, Leases in kube-node-lease (renewed by kubelets) and Pods (informers), checked every
 * `nodeMonitorPeriodMs` (5 s).
 * Output:
 * - a node with no heartbeat (lease renewal or Ready heartbeat) for `nodeMonitorGracePeriodMs` (40 s)
 *   gets Ready/MemoryPressure/DiskPressure/PIDPressure = Unknown, reason NodeStatusUnknown,
 *   "Kubelet stopped posting node status.";
 * - taints: `node.kubernetes.io/unreachable` (Ready Unknown) or `node.kubernetes.io/not-ready`
 *   (Ready False) as NoSchedule and NoExecute, the NoExecute ones added to at most `evictionRate`
 *   nodes a second (0.1), all removed when the node is Ready again; other condition taints NoSchedule;
 * - pods on a node that is not Ready get their Ready condition set to False (pods-not-ready.ts);
 * - pods on NoExecute-tainted nodes deleted when their tolerations run out (eviction.ts).
 * Also exports `addDefaultTolerations(pod)` (the DefaultTolerationSeconds admission plugin).
 */
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { EventRecorder } from '../../runtime/index.js';
import { TaintEvictor, type Pod } from './eviction.js';
import { NodeHealthTracker, unknownConditions, type Lease, type Node } from './health.js';
import { markPodsNotReady } from './pods-not-ready.js';
import { TokenBucket } from './rate-limiter.js';
import { nextTaints, wantedNoExecute } from './taints.js';

export interface NodeLifecycleOptions {
  nodeMonitorGracePeriodMs?: number;
  /** Grace for nodes that never reported Ready [60000]. */
  nodeStartupGracePeriodMs?: number;
  nodeMonitorPeriodMs?: number;
  /** Nodes a second that may get NoExecute taints (pods evicted) [0.1]. */
  evictionRate?: number;
  onError?: (err: unknown) => void;
}

const stamp = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function startNodeLifecycleController(client: RestClient, opts: NodeLifecycleOptions = {}): Promise<{ stop(): void }> {
  const grace = opts.nodeMonitorGracePeriodMs ?? 40_000;
  const startupGrace = opts.nodeStartupGracePeriodMs ?? 60_000;
  const onError = opts.onError ?? (() => {});
  const nodes = new Informer(client, { path: '/api/v1/nodes' });
  const leases = new Informer(client, { path: '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases' });
  const pods = new Informer(client, { path: '/api/v1/pods' });
  const informers = [nodes, leases, pods];
  const tracker = new NodeHealthTracker();
  const limiter = new TokenBucket(opts.evictionRate ?? 0.1, 1);
  const recorder = new EventRecorder(client, { component: 'node-controller' });
  const evictor = new TaintEvictor(client, recorder, { pod: (k) => pods.get(k) as Pod | undefined, node: (n) => nodes.get(n) as Node | undefined }, onError);

  const podsOn = (node: string): Pod[] => (pods.list() as Pod[]).filter((p) => p.spec?.nodeName === node);

  async function monitorNode(cached: Node, podsOfNode: readonly Pod[]): Promise<void> {
    const name = cached.metadata!.name!;
    let node = cached;
    const silentFor = tracker.observe(node, leases.get(`kube-node-lease/${name}`) as Lease | undefined, Date.now());
    const everReady = node.status?.conditions?.some((c) => c.type === 'Ready');
    if (silentFor > (everReady ? grace : startupGrace)) {
      const conditions = unknownConditions(node, stamp());
      if (conditions) {
        const next = structuredClone(node);
        next.status = { ...(next.status ?? {}), conditions };
        const res = await client.put<Node>(`/api/v1/nodes/${name}/status`, next);
        if (res.status === 200) {
          node = res.body;
          void recorder.record(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
        } else if (res.status !== 409 && res.status !== 404) throw new Error(`node ${name} status: ${res.status} ${res.text.slice(0, 200)}`);
        else return;
      }
    }
    if (node.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True' && everReady) {
      await markPodsNotReady(client, podsOfNode);
    }
    const needsNoExecute = wantedNoExecute(node);
    const lacksIt = !!needsNoExecute && !(node.spec?.taints ?? []).some((t) => t.key === needsNoExecute && t.effect === 'NoExecute');
    const taints = nextTaints(node, stamp(), lacksIt ? limiter.tryAccept() : true);
    if (!taints) return;
    const next = structuredClone(node);
    next.spec = { ...(next.spec ?? {}), taints };
    if (!taints.length) delete next.spec.taints;
    const res = await client.put<Node>(`/api/v1/nodes/${name}`, next);
    if (res.status !== 200 && res.status !== 409 && res.status !== 404) throw new Error(`node ${name} taints: ${res.status} ${res.text.slice(0, 200)}`);
  }

  let running = false;
  const monitor = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const byNode = new Map<string, Pod[]>();
      for (const p of pods.list() as Pod[]) {
        const n = p.spec?.nodeName;
        if (n) byNode.set(n, [...(byNode.get(n) ?? []), p]);
      }
      for (const n of nodes.list() as Node[]) await monitorNode(n, byNode.get(n.metadata!.name!) ?? []).catch(onError);
    } finally {
      running = false;
    }
  };

  nodes.addHandlers({
    onAdd: (n) => podsOn(n.metadata!.name!).forEach((p) => evictor.consider(p)),
    onUpdate: (_o, n) => podsOn(n.metadata!.name!).forEach((p) => evictor.consider(p)),
    onDelete: (n) => tracker.forget(n.metadata!.name!),
  });
  pods.addHandlers({
    onAdd: (p) => evictor.consider(p as Pod),
    onUpdate: (_o, p) => evictor.consider(p as Pod),
    onDelete: (p) => evictor.forget(p as Pod),
  });
  for (const i of informers) i.start();
  await Promise.all(informers.map((i) => i.waitForSync()));
  for (const p of pods.list()) evictor.consider(p as Pod);
  const timer = setInterval(() => void monitor(), opts.nodeMonitorPeriodMs ?? 5000);
  timer.unref();
  void monitor();
  return {
    stop() {
      clearInterval(timer);
      evictor.stop();
      for (const i of informers) i.stop();
    },
  };
}

export { addDefaultTolerations, tolerates, tolerationTimeMs, type Taint, type Toleration } from './tolerations.js';
export { evictionTime } from './eviction.js';
