/**
 * InterPodAffinity: required pod affinity / anti-affinity of the incoming pod, and required
 * anti-affinity of pods already placed, evaluated per topology domain (the node's value of the
 * term's topologyKey). Filter reasons as upstream: `node(s) didn't match pod affinity rules`
 * (unresolvable), `node(s) didn't match pod anti-affinity rules`, `node(s) didn't satisfy
 * existing pods anti-affinity rules`. Score: preferred terms of both sides (plus existing pods'
 * required affinity at weight 1), summed per domain, min-max normalised.
 * Counts come from the cache's TopologyIndex when the snapshot has one (cost follows the domains
 * and matching terms, not the pods placed); otherwise every placed pod is walked.
 */
import { MAX_NODE_SCORE, SKIP, unresolvable, unschedulable, type ClusterSnapshot, type Plugin, type PluginContext, type Result, type Status } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import type { Pod } from '../../types.js';
import { compiledAffinity, termMatchesPod, type CompiledTerm } from './terms.js';

export const NAME = 'InterPodAffinity';
export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
const HARD_POD_AFFINITY_WEIGHT = 1;
/** The filter's answers, shared (one per node would be garbage on every cycle). */
const named = (s: Status): Status => Object.freeze({ ...s, plugin: NAME });
const AFFINITY_FAILED = named(unresolvable(ERR_AFFINITY));
const ANTI_AFFINITY_FAILED = named(unschedulable(ERR_ANTI_AFFINITY));
const EXISTING_ANTI_AFFINITY_FAILED = named(unschedulable(ERR_EXISTING_ANTI_AFFINITY));

/** Score totals per topology key, per value of that key. */
type Counts = Map<string, Map<string, number>>;
/** Pods per value of one topology key. */
type PerDomain = ReadonlyMap<string, number>;
const bump = (m: Map<string, number>, k: string, by: number): void => void m.set(k, (m.get(k) ?? 0) + by);
function totalsFor(counts: Counts, key: string): Map<string, number> {
  let m = counts.get(key);
  if (!m) counts.set(key, (m = new Map()));
  return m;
}

interface FilterState {
  /** Domains (per topology key) where placed pods' required anti-affinity terms select the incoming pod. */
  existingAnti: Array<{ topologyKey: string; perDomain: PerDomain }>;
  /** Per required affinity / anti-affinity term of the incoming pod: the pods it selects per domain. */
  affinity: PerDomain[];
  antiAffinity: PerDomain[];
  anyAffinityMatch: boolean;
  podMatchesOwnAffinity: boolean;
}

function nodesWithAffinityPods(snapshot: ClusterSnapshot): readonly NodeInfo[] {
  return snapshot.nodesWithAffinityPods?.() ?? snapshot.nodes.filter((n) => n.podsWithAffinity > 0);
}

/** Brute force (no topology index): `fn(pod, labels)` for every pod on every node, or on nodes with affinity pods. */
function forEachPlacedPod(nodes: readonly NodeInfo[], fn: (pod: Pod, labels: Readonly<Record<string, string>>) => void): void {
  for (const n of nodes) {
    const labels = n.node?.metadata?.labels ?? {};
    for (const p of n.pods.values()) fn(p.pod, labels);
  }
}

/** Pods `term` selects, per domain of its topology key, by walking every placed pod. */
function walkMatching(snapshot: ClusterSnapshot, term: CompiledTerm): PerDomain {
  const m = new Map<string, number>();
  forEachPlacedPod(snapshot.nodes, (p, labels) => {
    if (term.topologyKey in labels && termMatchesPod(term, p, snapshot)) bump(m, labels[term.topologyKey]!, 1);
  });
  return m;
}

function walkExistingAnti(snapshot: ClusterSnapshot, pod: Pod): FilterState['existingAnti'] {
  const byKey = new Map<string, Map<string, number>>();
  forEachPlacedPod(nodesWithAffinityPods(snapshot), (p, labels) => {
    for (const t of compiledAffinity(p).requiredAntiAffinity) {
      if (!(t.topologyKey in labels) || !termMatchesPod(t, pod, snapshot)) continue;
      let m = byKey.get(t.topologyKey);
      if (!m) byKey.set(t.topologyKey, (m = new Map()));
      bump(m, labels[t.topologyKey]!, 1);
    }
  });
  return [...byKey].map(([topologyKey, perDomain]) => ({ topologyKey, perDomain }));
}

export function computeFilterState(snapshot: ClusterSnapshot, pod: Pod): FilterState {
  const own = compiledAffinity(pod);
  const index = snapshot.topology;
  const perDomain = (t: CompiledTerm): PerDomain => (index ? index.matchingPerDomain(t, t.topologyKey) : walkMatching(snapshot, t));
  let existingAnti: FilterState['existingAnti'] = [];
  if (!index) existingAnti = walkExistingAnti(snapshot, pod);
  else for (const g of index.existingTerms('requiredAntiAffinity', pod)) if (g.perDomain.size) existingAnti.push({ topologyKey: g.term.topologyKey, perDomain: g.perDomain });
  const affinity = own.requiredAffinity.map(perDomain);
  return {
    existingAnti,
    affinity,
    antiAffinity: own.requiredAntiAffinity.map(perDomain),
    anyAffinityMatch: affinity.some((m) => m.size > 0),
    podMatchesOwnAffinity: own.requiredAffinity.every((t) => termMatchesPod(t, pod, snapshot)),
  };
}

export function filterNode(state: FilterState, pod: Pod, node: NodeInfo): Result {
  const labels = node.node?.metadata?.labels ?? {};
  const own = compiledAffinity(pod);
  const countAt = (m: PerDomain, t: CompiledTerm): number => (t.topologyKey in labels ? (m.get(labels[t.topologyKey]!) ?? 0) : 0);
  if (own.requiredAffinity.length) {
    const allHaveKeys = own.requiredAffinity.every((t) => t.topologyKey in labels);
    const satisfied = own.requiredAffinity.every((t, i) => countAt(state.affinity[i]!, t) > 0);
    // The first pod of a group that selects itself may go anywhere the topology keys exist.
    if (!allHaveKeys || (!satisfied && (state.anyAffinityMatch || !state.podMatchesOwnAffinity))) return AFFINITY_FAILED;
  }
  if (own.requiredAntiAffinity.some((t, i) => countAt(state.antiAffinity[i]!, t) > 0)) return ANTI_AFFINITY_FAILED;
  for (const { topologyKey, perDomain } of state.existingAnti) {
    const value = labels[topologyKey];
    if (value !== undefined && (perDomain.get(value) ?? 0) > 0) return EXISTING_ANTI_AFFINITY_FAILED;
  }
  return undefined;
}

/** Per-domain preference totals for scoring the incoming pod. */
export function computeScoreCounts(snapshot: ClusterSnapshot, pod: Pod): Counts {
  const counts: Counts = new Map();
  const own = compiledAffinity(pod);
  const index = snapshot.topology;
  if (index) {
    const addAll = (key: string, perDomain: PerDomain, weight: number): void => {
      if (perDomain.size === 0) return;
      const totals = totalsFor(counts, key);
      for (const [value, n] of perDomain) bump(totals, value, n * weight);
    };
    for (const t of own.preferredAffinity) addAll(t.topologyKey, index.matchingPerDomain(t, t.topologyKey), t.weight);
    for (const t of own.preferredAntiAffinity) addAll(t.topologyKey, index.matchingPerDomain(t, t.topologyKey), -t.weight);
    for (const g of index.existingTerms('preferredAffinity', pod)) addAll(g.term.topologyKey, g.perDomain, g.term.weight);
    for (const g of index.existingTerms('preferredAntiAffinity', pod)) addAll(g.term.topologyKey, g.perDomain, -g.term.weight);
    for (const g of index.existingTerms('requiredAffinity', pod)) addAll(g.term.topologyKey, g.perDomain, HARD_POD_AFFINITY_WEIGHT);
    return counts;
  }
  const ownTerms = own.preferredAffinity.length + own.preferredAntiAffinity.length > 0;
  forEachPlacedPod(ownTerms ? snapshot.nodes : nodesWithAffinityPods(snapshot), (p, labels) => {
    const add = (t: CompiledTerm, target: Pod, sign: number, weight: number): void => {
      if (t.topologyKey in labels && termMatchesPod(t, target, snapshot)) bump(totalsFor(counts, t.topologyKey), labels[t.topologyKey]!, sign * weight);
    };
    for (const t of own.preferredAffinity) add(t, p, 1, t.weight);
    for (const t of own.preferredAntiAffinity) add(t, p, -1, t.weight);
    const theirs = compiledAffinity(p);
    for (const t of theirs.preferredAffinity) add(t, pod, 1, t.weight);
    for (const t of theirs.preferredAntiAffinity) add(t, pod, -1, t.weight);
    for (const t of theirs.requiredAffinity) add(t, pod, 1, HARD_POD_AFFINITY_WEIGHT);
  });
  return counts;
}

export function scoreNode(counts: Counts, node: NodeInfo): number {
  const labels = node.node?.metadata?.labels;
  if (!labels) return 0;
  let s = 0;
  for (const [key, totals] of counts) {
    const value = labels[key];
    if (value !== undefined) s += totals.get(value) ?? 0;
  }
  return s;
}

const filterState = (ctx: PluginContext): FilterState => ctx.state.get(NAME) as FilterState;
const SCORE_KEY = `${NAME}/score`;

export const interPodAffinity: Plugin = {
  name: NAME,
  preFilter(ctx, pod) {
    const state = computeFilterState(ctx.snapshot, pod);
    const own = compiledAffinity(pod);
    if (!own.requiredAffinity.length && !own.requiredAntiAffinity.length && state.existingAnti.length === 0) return SKIP;
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
