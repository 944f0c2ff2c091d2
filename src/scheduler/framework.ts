/**
 * The scheduling framework: the plugin contract (preFilter / filter / preScore / score /
 * normalizeScore), typed statuses, the read-only cluster snapshot plugins see, and the runners
 * that apply a profile's plugins to a pod and a node. Also upstream's FitError message
 * ("0/6 nodes are available: ...").
 */
import type { NodeInfo } from './node-info.js';
import type { TopologyCounts } from './topology-index/index.js';
import type { Namespace, PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from './types.js';

export const MAX_NODE_SCORE = 100;

/** Unschedulable may be fixed by preemption; UnschedulableAndUnresolvable may not. */
export type Code = 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error';
export interface Status {
  code: Code;
  reasons: string[];
  plugin?: string;
}
/** A plugin result: undefined means success. */
export type Result = Status | undefined;

export const unschedulable = (...reasons: string[]): Status => ({ code: 'Unschedulable', reasons });
export const unresolvable = (...reasons: string[]): Status => ({ code: 'UnschedulableAndUnresolvable', reasons });

/** What plugins may read about the cluster during one cycle. Never mutated by plugins. */
export interface ClusterSnapshot {
  nodes: readonly NodeInfo[];
  /** Nodes holding at least one pod with pod (anti-)affinity terms (optional fast path). */
  nodesWithAffinityPods?(): readonly NodeInfo[];
  /**
   * Incremental per-domain pod counts over exactly `nodes`: the cache's TopologyIndex, or a view
   * of it with one node replaced (preemption). Absent in test snapshots: plugins then count by
   * walking the pods.
   */
  topology?: TopologyCounts;
  node(name: string): NodeInfo | undefined;
  namespace(name: string): Namespace | undefined;
  namespaces(): readonly Namespace[];
  pvc(namespace: string, name: string): PersistentVolumeClaim | undefined;
  pv(name: string): PersistentVolume | undefined;
  pvs(): readonly PersistentVolume[];
  storageClass(name: string): StorageClass | undefined;
}

/** Per-cycle scratch space, keyed by plugin name. */
export type CycleState = Map<string, unknown>;

export interface PluginContext {
  snapshot: ClusterSnapshot;
  state: CycleState;
}

/** A preFilter/preScore answer meaning "nothing to check for this pod": the plugin's filter/score is skipped. */
export const SKIP = 'skip' as const;

export interface Plugin {
  name: string;
  /** Once per pod and cycle; may reject the pod outright (for every node) or skip the filter. */
  preFilter?(ctx: PluginContext, pod: Pod): Result | typeof SKIP;
  filter?(ctx: PluginContext, pod: Pod, node: NodeInfo): Result;
  preScore?(ctx: PluginContext, pod: Pod, feasible: readonly NodeInfo[]): void | typeof SKIP;
  score?(ctx: PluginContext, pod: Pod, node: NodeInfo): number;
  /** Rescales raw scores in place to 0..MAX_NODE_SCORE. */
  normalizeScore?(ctx: PluginContext, pod: Pod, scores: number[]): void;
}

export interface Profile {
  schedulerName: string;
  filters: Plugin[];
  preFilters: Plugin[];
  scorers: Array<{ plugin: Plugin; weight: number }>;
  percentageOfNodesToScore?: number;
}

const FILTERS_KEY = '#filters';

/**
 * Runs every preFilter; the first rejection wins (as upstream, later plugins do not run).
 * Remembers in the cycle state which filters this pod needs (skipped ones are left out).
 */
export function runPreFilters(profile: Profile, ctx: PluginContext, pod: Pod): Result {
  const skipped = new Set<Plugin>();
  for (const p of profile.preFilters) {
    const s = p.preFilter!(ctx, pod);
    if (s === SKIP) skipped.add(p);
    else if (s) return { ...s, plugin: p.name };
  }
  ctx.state.set(FILTERS_KEY, skipped.size ? profile.filters.filter((p) => !skipped.has(p)) : profile.filters);
  return undefined;
}

/** Runs the cycle's filters in order and stops at the first failure. Call runPreFilters first. */
export function runFilters(profile: Profile, ctx: PluginContext, pod: Pod, node: NodeInfo): Result {
  const filters = (ctx.state.get(FILTERS_KEY) as Plugin[] | undefined) ?? profile.filters;
  for (let i = 0; i < filters.length; i++) {
    const p = filters[i]!;
    const s = p.filter!(ctx, pod, node);
    // Plugins may return shared statuses that already name them (statuses are never mutated).
    if (s) return s.plugin === p.name ? s : { ...s, plugin: p.name };
  }
  return undefined;
}

/** Weighted, normalised total score per feasible node (same order as `nodes`). */
export function runScores(profile: Profile, ctx: PluginContext, pod: Pod, nodes: readonly NodeInfo[]): number[] {
  const totals = new Array<number>(nodes.length).fill(0);
  for (const { plugin, weight } of profile.scorers) {
    if (plugin.preScore?.(ctx, pod, nodes) === SKIP) continue;
    const scores = new Array<number>(nodes.length);
    for (let i = 0; i < nodes.length; i++) scores[i] = plugin.score!(ctx, pod, nodes[i]!);
    plugin.normalizeScore?.(ctx, pod, scores);
    for (let i = 0; i < scores.length; i++) totals[i]! += scores[i]! * weight;
  }
  return totals;
}

/**
 * Scales scores so the highest becomes MAX_NODE_SCORE (upstream's DefaultNormalizeScore);
 * `reverse` makes the lowest raw score the best.
 */
export function defaultNormalize(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) scores[i] = reverse ? MAX_NODE_SCORE : 0;
    else {
      const v = Math.floor((MAX_NODE_SCORE * scores[i]!) / max);
      scores[i] = reverse ? MAX_NODE_SCORE - v : v;
    }
  }
}

export interface Diagnosis {
  /** Failure per node name (nodes that passed are absent). */
  nodeStatuses: Map<string, Status>;
  /** Set when a preFilter rejected the pod: its message replaces the per-node histogram. */
  preFilterMsg?: string;
  /** The PostFilter (preemption) message, already prefixed with "preemption: ". */
  postFilterMsg?: string;
}

/** upstream FitError.Error(): `0/N nodes are available: <histogram>. <postfilter>.` */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (d.preFilterMsg) msg += ` ${d.preFilterMsg}.`;
  else {
    const hist = reasonHistogram(d.nodeStatuses.values());
    if (hist) msg += ` ${hist}.`;
  }
  if (d.postFilterMsg) msg += ` ${d.postFilterMsg}.`;
  return msg;
}

/** "1 node(s) had untolerated taint {a: b}, 5 node(s) didn't match ..." — counts, sorted as strings. */
export function reasonHistogram(statuses: Iterable<Status>): string {
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`);
  parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return parts.join(', ');
}
