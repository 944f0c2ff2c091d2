/**
 * The scheduling loop (upstream schedule_one.go): pop the highest-priority pending pod, run the
 * profile's preFilters and filters over nodes (starting where the last cycle stopped, stopping
 * after percentageOfNodesToScore's adaptive share of feasible nodes), score the feasible ones,
 * pick the best (random among ties), count the pod on the node at once ("assume"), and bind it
 * asynchronously via POST pods/{name}/binding. On failure: preemption (PostFilter), a
 * FailedScheduling Warning event with upstream's message, the PodScheduled=False/Unschedulable
 * condition, and a requeue (unschedulable or backoff).
 */
import type { RestClient } from '../client/rest.js';
import type { SchedulerCache } from './cache.js';
import type { EventRecorder } from './events.js';
import { fitErrorMessage, runFilters, runPreFilters, runScores, type Diagnosis, type PluginContext, type Profile, type Status } from './framework.js';
import type { NodeInfo } from './node-info.js';
import { podInfo } from './node-info.js';
import type { Nominator } from './nominator.js';
import { NAME as VOLUME_BINDING, planBindings, type VolumePlan } from './plugins/volume-binding/index.js';
import { preempt } from './preemption.js';
import type { QueuedPod, SchedulingQueue } from './queue.js';
import type { Pod, PodDisruptionBudget } from './types.js';

export interface Logger {
  info(msg: string): void;
  error(msg: string): void;
}

export interface SchedulingDeps {
  client: RestClient;
  cache: SchedulerCache;
  queue: SchedulingQueue;
  nominator: Nominator;
  events: EventRecorder;
  profiles: Map<string, Profile>;
  pdbs(): readonly PodDisruptionBudget[];
  logger: Logger;
  scheduledEvents: boolean;
}

export const ERR_NO_NODES = 'no nodes available to schedule pods';
const MAX_BINDS_IN_FLIGHT = 256;

/** upstream numFeasibleNodesToFind: all nodes under 100, else an adaptive percentage (>= 5%, >= 100 nodes). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage?: number): number {
  if (numAllNodes < 100 || (percentage ?? 0) >= 100) return numAllNodes;
  let adaptive = percentage ?? 0;
  if (adaptive <= 0) adaptive = Math.max(5, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(100, Math.trunc((numAllNodes * adaptive) / 100));
}

const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const podPath = (pod: Pod): string => `/api/v1/namespaces/${pod.metadata?.namespace}/pods/${pod.metadata?.name}`;

export class SchedulingLoop {
  private nextStartNodeIndex = 0;
  private bindsInFlight = 0;
  private bindSlotWaiters: Array<() => void> = [];
  private stopped = false;
  scheduled = 0;

  constructor(private readonly d: SchedulingDeps) {}

  async run(): Promise<void> {
    let lastYield = Date.now();
    while (!this.stopped) {
      const info = await this.d.queue.pop();
      if (!info) return;
      try {
        this.scheduleOne(info);
      } catch (err) {
        this.d.logger.error(`scheduling ${info.key}: ${err instanceof Error ? err.stack : String(err)}`);
        this.d.queue.requeueBackoff(info);
      }
      while (this.bindsInFlight >= MAX_BINDS_IN_FLIGHT) await new Promise<void>((r) => this.bindSlotWaiters.push(r));
      // Let informer events and bind responses in between cycles.
      if (Date.now() - lastYield > 5) {
        await new Promise((r) => setImmediate(r));
        lastYield = Date.now();
      }
    }
  }

  stop(): void {
    this.stopped = true;
  }

  scheduleOne(info: QueuedPod): void {
    const { cache, queue } = this.d;
    const pod = info.pod;
    if (pod.metadata?.deletionTimestamp || pod.spec?.nodeName || cache.isAssumedOrPlaced(info.key)) return queue.done(info.key);
    const profile = this.d.profiles.get(pod.spec?.schedulerName ?? 'default-scheduler');
    if (!profile) return queue.done(info.key);
    const ctx: PluginContext = { snapshot: cache, state: new Map() };
    const nodes = cache.nodes;
    if (nodes.length === 0) return this.fail(info, profile, ERR_NO_NODES, undefined);
    const pre = runPreFilters(profile, ctx, pod);
    if (pre) {
      const nodeStatuses = new Map(nodes.map((n) => [n.name, pre] as const));
      return this.fail(info, profile, undefined, { nodeStatuses, preFilterMsg: pre.reasons.join(', ') });
    }
    const nominated = this.d.nominator.nodeFor(info.key) ?? pod.status?.nominatedNodeName;
    const nominatedNode = nominated ? cache.node(nominated) : undefined;
    let chosen: NodeInfo | undefined;
    if (nominatedNode && !this.filter(profile, ctx, info, nominatedNode)) chosen = nominatedNode;
    const nodeStatuses = new Map<string, Status>();
    if (!chosen) {
      const feasible = this.findFeasible(profile, ctx, info, nodes, nodeStatuses);
      if (feasible.length === 0) return this.fail(info, profile, undefined, { nodeStatuses });
      chosen = feasible.length === 1 ? feasible[0]! : this.selectHost(profile, ctx, pod, feasible);
    }
    const claims = ctx.state.get(VOLUME_BINDING) as Parameters<typeof planBindings>[1] | undefined;
    const plan = claims?.delayed.length && chosen.node ? (planBindings(cache, claims, chosen.node) ?? []) : [];
    cache.assume(pod, chosen.name);
    this.d.nominator.remove(info.key);
    void this.bind(info, chosen.name, plan);
  }

  /** Filters with nominated pods of equal or higher priority counted on the node. */
  private filter(profile: Profile, ctx: PluginContext, info: QueuedPod, node: NodeInfo): Status | undefined {
    const nominated = this.d.nominator.podsToRespect(node.name, info.key, info.priority);
    if (!nominated?.length) return runFilters(profile, ctx, info.pod, node);
    const copy = node.clone();
    for (const p of nominated) copy.addPod(p);
    return runFilters(profile, ctx, info.pod, copy);
  }

  private findFeasible(profile: Profile, ctx: PluginContext, info: QueuedPod, nodes: readonly NodeInfo[], statuses: Map<string, Status>): NodeInfo[] {
    const n = nodes.length;
    const want = numFeasibleNodesToFind(n, profile.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    let i = 0;
    for (; i < n && feasible.length < want; i++) {
      const node = nodes[(this.nextStartNodeIndex + i) % n]!;
      const s = this.filter(profile, ctx, info, node);
      if (s) statuses.set(node.name, s);
      else feasible.push(node);
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + i) % n;
    return feasible;
  }

  private selectHost(profile: Profile, ctx: PluginContext, pod: Pod, feasible: NodeInfo[]): NodeInfo {
    const scores = runScores(profile, ctx, pod, feasible);
    let best = 0;
    let ties = 1;
    for (let i = 1; i < scores.length; i++) {
      if (scores[i]! > scores[best]!) {
        best = i;
        ties = 1;
      } else if (scores[i] === scores[best] && Math.random() * ++ties < 1) best = i;
    }
    return feasible[best]!;
  }

  private async bind(info: QueuedPod, nodeName: string, plan: VolumePlan): Promise<void> {
    const { client, cache, queue, events } = this.d;
    const pod = info.pod;
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    this.bindsInFlight++;
    try {
      for (const { pvc, pv } of plan) {
        if (pv) await client.patch(`/api/v1/persistentvolumes/${pv.metadata?.name}`, { spec: { claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: pvc.metadata?.name, uid: pvc.metadata?.uid } } });
        else await client.patch(`/api/v1/namespaces/${ns}/persistentvolumeclaims/${pvc.metadata?.name}`, { metadata: { annotations: { 'volume.kubernetes.io/selected-node': nodeName } } });
      }
      const res = await client.post(`${podPath(pod)}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace: ns }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } });
      if (res.status === 200 || res.status === 201) {
        this.scheduled++;
        queue.done(info.key);
        if (this.d.scheduledEvents) events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${nodeName}`, 'Binding');
        return;
      }
      cache.forget(info.key);
      if (res.status === 404) return queue.done(info.key);
      this.d.logger.error(`binding ${info.key} to ${nodeName}: ${res.status} ${res.text.slice(0, 200)}`);
      queue.requeueBackoff(info);
    } catch (err) {
      cache.forget(info.key);
      this.d.logger.error(`binding ${info.key}: ${String(err)}`);
      queue.requeueBackoff(info);
    } finally {
      this.bindsInFlight--;
      this.bindSlotWaiters.shift()?.();
    }
  }

  private fail(info: QueuedPod, profile: Profile, plainMessage: string | undefined, diagnosis: Diagnosis | undefined): void {
    const { cache, client, events } = this.d;
    const pod = info.pod;
    let message = plainMessage ?? '';
    const statusPatch: Record<string, unknown> = {};
    if (diagnosis) {
      const outcome = preempt(profile, cache, pod, info.priority, diagnosis.nodeStatuses, this.d.pdbs());
      if (outcome.message) diagnosis.postFilterMsg = `preemption: ${outcome.message}`;
      message = fitErrorMessage(cache.nodes.length, diagnosis);
      if (outcome.nodeName) {
        this.d.nominator.set(podInfo(pod, info.priority), outcome.nodeName);
        statusPatch.nominatedNodeName = outcome.nodeName;
        for (const v of outcome.victims) {
          events.record(v.pod, 'Normal', 'Preempted', `Preempted by pod ${pod.metadata?.uid} on node ${outcome.nodeName}`, 'Preempting');
          void client.delete(podPath(v.pod), { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: v.pod.spec?.terminationGracePeriodSeconds ?? 30 }).catch(() => undefined);
        }
      } else if (outcome.clearNomination && pod.status?.nominatedNodeName) {
        this.d.nominator.remove(info.key);
        statusPatch.nominatedNodeName = null;
      }
    }
    this.d.logger.info(`unable to schedule ${info.key}: ${message}`);
    events.record(pod, 'Warning', 'FailedScheduling', message);
    const old = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
    if (!old || old.status !== 'False' || old.reason !== 'Unschedulable' || (old as { message?: string }).message !== message) {
      const others = (pod.status?.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
      statusPatch.conditions = [...others, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: nowIso() }];
    }
    if (Object.keys(statusPatch).length) void client.patch(`${podPath(pod)}/status`, { status: statusPatch }).catch(() => undefined);
    this.d.queue.requeueUnschedulable(info);
  }
}
