/**
 * Simulated nodes, kwok-style: thousands of fake kubelets in one process, talking to the cluster only
 * through the API.
 *
 * `startSimNodes({client, count})` registers `count` Nodes (capacity, labels, taints, a podCIDR each),
 * keeps them alive with Leases in kube-node-lease (renewed every 10 s, staggered) and slower node
 * status heartbeats, and runs every pod bound to them through the simulated lifecycle of
 * pod-stages.ts (ContainerCreating -> Running with conditions, pod IP, container statuses; jobs
 * complete; crash / exit-code / never-ready annotations; graceful deletion). One pod informer, one
 * heartbeat interval and one stage timer serve all nodes. Returns the node names and `stop()`.
 *
 * `startSimNodeGroups(client, file)` does the same for every group of a node-groups file (config.ts).
 */
import type { KubeObject } from '../../api/types.js';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { HeartbeatLoop, registerNode, type SimNode } from './node-heartbeat.js';
import { buildNode, defaultCapacity, type Taint } from './node-objects.js';
import { SimRuntime, apiPodWriter } from './sim-runtime.js';
import { Limiter } from './timer-queue.js';
import { defaultTimings, type Pod, type SimTimings } from './types.js';
import type { SimNodeGroupsFile } from './config.js';

/** Behaviour of the simulator (all optional; defaults in brackets). */
export interface SimConfig {
  timings?: Partial<SimTimings>;
  /** Lease renewal period [10000]. */
  leaseRenewMs?: number;
  /** Node status heartbeat period [60000]. */
  nodeStatusMs?: number;
  /** Heartbeat scheduler tick [1000]; each tick serves the nodes whose slot it is. */
  tickMs?: number;
  /** Concurrent API requests of this simulator [32]. */
  maxConcurrentRequests?: number;
  /** Called with errors the simulator retries or skips (default: ignored). */
  onError?: (err: unknown) => void;
}

export interface SimNodesOptions {
  client: RestClient;
  count: number;
  /** Node names are `${namePrefix}${i}` [sim-node-]. */
  namePrefix?: string;
  /** Position of the first node in the address plan (10.244.<index>.0/24); for several groups [0]. */
  firstIndex?: number;
  capacity?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  config?: SimConfig;
}

export interface SimNodesHandle {
  nodeNames: string[];
  runtime: SimRuntime;
  heartbeats: HeartbeatLoop;
  stop(): void;
}

export async function startSimNodes(opts: SimNodesOptions): Promise<SimNodesHandle> {
  const config = opts.config ?? {};
  const timings: SimTimings = { ...defaultTimings, ...config.timings };
  const limiter = new Limiter(config.maxConcurrentRequests ?? 32);
  const onError = config.onError ?? (() => {});
  const runtime = new SimRuntime({
    writer: apiPodWriter(opts.client),
    timings,
    capacity: { ...defaultCapacity, ...opts.capacity },
    schedule: (job) => limiter.run(job),
    onError: (err) => onError(err),
  });

  const prefix = opts.namePrefix ?? 'sim-node-';
  const first = opts.firstIndex ?? 0;
  const nodes: SimNode[] = [];
  for (let i = 0; i < opts.count; i++) {
    const name = `${prefix}${i}`;
    const reg = runtime.registerNode(name, first + i);
    nodes.push({ name, index: first + i, template: buildNode(name, reg, { labels: opts.labels, taints: opts.taints }) });
  }
  const results = await Promise.allSettled(nodes.map((n) => limiter.run(() => registerNode(opts.client, n))));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    runtime.close();
    throw failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  }

  const names = new Set(nodes.map((n) => n.name));
  const ours = (pod: KubeObject) => names.has((pod as Pod).spec?.nodeName ?? '');
  const pods = new Informer(opts.client, { path: '/api/v1/pods', fieldSelector: 'spec.nodeName!=', pageSize: 500 });
  const sync = (pod: KubeObject) => {
    if (!ours(pod)) return;
    const p = pod as Pod;
    if (p.metadata?.deletionTimestamp) runtime.killPod(p, p.metadata.deletionGracePeriodSeconds ?? 0);
    else runtime.syncPod(p);
  };
  pods.addHandlers({ onAdd: sync, onUpdate: (_old, pod) => sync(pod), onDelete: (pod) => ours(pod) && runtime.forgetPod(pod) });
  pods.start();
  await pods.waitForSync();

  const heartbeats = new HeartbeatLoop(opts.client, nodes, limiter, { leaseRenewMs: config.leaseRenewMs ?? 10_000, nodeStatusMs: config.nodeStatusMs ?? 60_000, tickMs: config.tickMs ?? 1000 }, onError);
  heartbeats.start();

  return {
    nodeNames: nodes.map((n) => n.name),
    runtime,
    heartbeats,
    stop() {
      heartbeats.stop();
      pods.stop();
      runtime.close();
    },
  };
}

export interface SimNodeGroupsHandle {
  groups: SimNodesHandle[];
  nodeNames: string[];
  stop(): void;
}

/** Starts every node group of a node-groups file, giving each group its own range of the address plan. */
export async function startSimNodeGroups(client: RestClient, file: SimNodeGroupsFile, config: SimConfig = {}): Promise<SimNodeGroupsHandle> {
  const groups: SimNodesHandle[] = [];
  const stop = () => groups.forEach((g) => g.stop());
  let index = 0;
  try {
    for (const g of file.nodeGroups) {
      const timings = { ...file.timings, ...config.timings };
      groups.push(await startSimNodes({ client, count: g.count, namePrefix: g.namePrefix, firstIndex: index, capacity: g.capacity, labels: g.labels, taints: g.taints, config: { ...config, timings } }));
      index += g.count;
    }
  } catch (err) {
    stop();
    throw err;
  }
  return { groups, nodeNames: groups.flatMap((g) => g.nodeNames), stop };
}

export { podStages } from './pod-stages.js';
export { StageEngine } from './stage-engine.js';
export { SimRuntime, apiPodWriter } from './sim-runtime.js';
export { loadSimConfig, parseSimConfig, type SimNodeGroupsFile, type SimNodeGroup } from './config.js';
export { Annotations } from './pod-status.js';
export type { Stage, StageContext, StageAction, SimTimings, Pod } from './types.js';
