/**
 * InterPodAffinity: required pod affinity / anti-affinity of the incoming pod, and required
 * anti-affinity of pods already placed, evaluated per topology domain (the node's value of the
 * term's topologyKey). Filter reasons as upstream: `node(s) didn't match pod affinity rules`
 * (unresolvable), `node(s) didn't match pod anti-affinity rules`, `node(s) didn't satisfy
 * existing pods anti-affinity rules`. Score: preferred terms of both sides (plus existing pods'
 * required affinity at weight 1), summed per domain, min-max normalised.
 */
import { MAX_NODE_SCORE, SKIP, unresolvable, unschedulable, type ClusterSnapshot, type Plugin, type PluginContext, type Result } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import type { Pod } from '../../types.js';
import { compiledAffinity, termMatchesPod, type CompiledTerm } from './terms.js';

export const NAME = 'InterPodAffinity';
export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
const HARD_POD_AFFINITY_WEIGHT = 1;

/** Counts keyed by `topologyKey=value`. */
type Counts = Map<string, number>;
const pair = (key: string, value: string): string => `${key}=${value}`;
const bump = (m: Counts, k: string, by: number): void => void m.set(k, (m.get(k) ?? 0) + by);

interface FilterState {
  existingAnti: Counts;
  affinity: Counts[];
  antiAffinity: Counts[];
  anyAffinityMatch: boolean;
  podMatchesOwnAffinity: boolean;
}

function nodesWithAffinityPods(snapshot: ClusterSnapshot): readonly NodeInfo[] {
  return snapshot.nodesWithAffinityPods?.() ?? snapshot.nodes.filter((n) => n.podsWithAffinity > 0);
}

export function computeFilterState(snapshot: ClusterSnapshot, pod: Pod): FilterState {
  const own = compiledAffinity(pod);
  const state: FilterState = { existingAnti: new Map(), affinity: own.requiredAffinity.map(() => new Map()), antiAffinity: own.requiredAntiAffinity.map(() => new Map()), anyAffinityMatch: false, podMatchesOwnAffinity: false };
  for (const n of nodesWithAffinityPods(snapshot)) {
    const labels = n.node?.metadata?.labels ?? {};
    for (const p of n.pods.values()) {
      for (const t of compiledAffinity(p.pod).requiredAntiAffinity) {
        if (t.topologyKey in labels && termMatchesPod(t, pod, snapshot)) bump(state.existingAnti, pair(t.topologyKey, labels[t.topologyKey]!), 1);
      }
    }
  }
  if (own.requiredAffinity.length || own.requiredAntiAffinity.length) {
    for (const n of snapshot.nodes) {
      const labels = n.node?.metadata?.labels ?? {};
      for (const p of n.pods.values()) {
        own.requiredAffinity.forEach((t, i) => {
          if (t.topologyKey in labels && termMatchesPod(t, p.pod, snapshot)) {
            bump(state.affinity[i]!, pair(t.topologyKey, labels[t.topologyKey]!), 1);
            state.anyAffinityMatch = true;
          }
        });
        own.requiredAntiAffinity.forEach((t, i) => {
          if (t.topologyKey in labels && termMatchesPod(t, p.pod, snapshot)) bump(state.antiAffinity[i]!, pair(t.topologyKey, labels[t.topologyKey]!), 1);
        });
      }
    }
    state.podMatchesOwnAffinity = own.requiredAffinity.every((t) => termMatchesPod(t, pod, snapshot));
  }
  return state;
}

export function filterNode(state: FilterState, pod: Pod, node: NodeInfo): Result {
  const labels = node.node?.metadata?.labels ?? {};
  const own = compiledAffinity(pod);
  const countAt = (m: Counts, t: CompiledTerm): number => (t.topologyKey in labels ? (m.get(pair(t.topologyKey, labels[t.topologyKey]!)) ?? 0) : 0);
  if (own.requiredAffinity.length) {
    const allHaveKeys = own.requiredAffinity.every((t) => t.topologyKey in labels);
    const satisfied = own.requiredAffinity.every((t, i) => countAt(state.affinity[i]!, t) > 0);
    // The first pod of a group that selects itself may go anywhere the topology keys exist.
    if (!allHaveKeys || (!satisfied && (state.anyAffinityMatch || !state.podMatchesOwnAffinity))) return unresolvable(ERR_AFFINITY);
  }
  if (own.requiredAntiAffinity.some((t, i) => countAt(state.antiAffinity[i]!, t) > 0)) return unschedulable(ERR_ANTI_AFFINITY);
  for (const [key, value] of Object.entries(labels)) if ((state.existingAnti.get(pair(key, value)) ?? 0) > 0) return unschedulable(ERR_EXISTING_ANTI_AFFINITY);
  return undefined;
}

/** Per-domain preference totals for scoring the incoming pod. */
export function computeScoreCounts(snapshot: ClusterSnapshot, pod: Pod): Counts {
  const counts: Counts = new Map();
  const own = compiledAffinity(pod);
  const ownTerms = own.preferredAffinity.length + own.preferredAntiAffinity.length > 0;
  for (const n of ownTerms ? snapshot.nodes : nodesWithAffinityPods(snapshot)) {
    const labels = n.node?.metadata?.labels ?? {};
    const add = (t: CompiledTerm, target: Pod, sign: number, weight: number): void => {
      if (t.topologyKey in labels && termMatchesPod(t, target, snapshot)) bump(counts, pair(t.topologyKey, labels[t.topologyKey]!), sign * weight);
    };
    for (const p of n.pods.values()) {
      for (const t of own.preferredAffinity) add(t, p.pod, 1, t.weight);
      for (const t of own.preferredAntiAffinity) add(t, p.pod, -1, t.weight);
      const theirs = compiledAffinity(p.pod);
      for (const t of theirs.preferredAffinity) add(t, pod, 1, t.weight);
      for (const t of theirs.preferredAntiAffinity) add(t, pod, -1, t.weight);
      for (const t of theirs.requiredAffinity) add(t, pod, 1, HARD_POD_AFFINITY_WEIGHT);
    }
  }
  return counts;
}

export function scoreNode(counts: Counts, node: NodeInfo): number {
  let s = 0;
  for (const [key, value] of Object.entries(node.node?.metadata?.labels ?? {})) s += counts.get(pair(key, value)) ?? 0;
  return s;
}

const filterState = (ctx: PluginContext): FilterState => ctx.state.get(NAME) as FilterState;
const SCORE_KEY = `${NAME}/score`;

export const interPodAffinity: Plugin = {
  name: NAME,
  preFilter(ctx, pod) {
    const state = computeFilterState(ctx.snapshot, pod);
    const own = compiledAffinity(pod);
    if (!own.requiredAffinity.length && !own.requiredAntiAffinity.length && state.existingAnti.size === 0) return SKIP;
    ctx.state.set(NAME, state);
    return undefined;
  },
  filter(ctx, pod, node) {
    return filterNode(filterState(ctx), pod, node);
  },
  preScore(ctx, pod) {
    const counts = computeScoreCounts(ctx.snapshot, pod);
    if (counts.size === 0) return SKIP;
    ctx.state.set(SCORE_KEY, counts);
  },
  score(ctx, _pod, node) {
    return scoreNode(ctx.state.get(SCORE_KEY) as Counts, node);
  },
  normalizeScore(_ctx, _pod, scores) {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    for (let i = 0; i < scores.length; i++) scores[i] = max - min > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i]! - min)) / (max - min)) : 0;
  },
};
