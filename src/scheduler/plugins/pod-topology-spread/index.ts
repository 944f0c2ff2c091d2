/**
 * PodTopologySpread: keep matching pods evenly spread across topology domains.
 * DoNotSchedule constraints filter: a node must carry every constraint's topologyKey
 * (`... (missing required label)`, unresolvable) and placing the pod there must keep
 * `matching pods in its domain + self - global minimum <= maxSkew` (minimum taken as 0 while
 * fewer than minDomains domains exist). ScheduleAnyway constraints score: fewer matching pods in
 * the node's domain is better. Domains come from nodes passing nodeAffinityPolicy (Honor by
 * default: the pod's nodeSelector/required affinity) and nodeTaintsPolicy (Ignore by default).
 * Counts come from the cache's TopologyIndex when the snapshot has one.
 */
import { matches, selectorFromLabelSelector, type LabelSelector } from '../../../machinery/labels.js';
import { MAX_NODE_SCORE, SKIP, unresolvable, unschedulable, type ClusterSnapshot, type Plugin, type Result, type Status } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import type { PodMatcher, TopologyCounts } from '../../topology-index/index.js';
import type { Pod, TopologySpreadConstraint } from '../../types.js';
import { matchesRequiredAffinity } from '../node-affinity/index.js';
import { firstUntoleratedTaint } from '../taint-toleration/index.js';

export const NAME = 'PodTopologySpread';
export const ERR_CONSTRAINTS = "node(s) didn't match pod topology spread constraints";
export const ERR_MISSING_LABEL = `${ERR_CONSTRAINTS} (missing required label)`;
/** The filter's answers, shared (one per node would be garbage on every cycle). */
const MISSING_LABEL: Status = Object.freeze({ ...unresolvable(ERR_MISSING_LABEL), plugin: NAME });
const SKEWED: Status = Object.freeze({ ...unschedulable(ERR_CONSTRAINTS), plugin: NAME });

interface Compiled {
  c: TopologySpreadConstraint;
  selector: LabelSelector;
  selfMatch: number;
}

function compile(pod: Pod, c: TopologySpreadConstraint): Compiled {
  let selector: LabelSelector;
  try {
    selector = selectorFromLabelSelector(c.labelSelector);
  } catch {
    selector = { requirements: [], nothing: true };
  }
  const labels = pod.metadata?.labels ?? {};
  if (!selector.nothing) for (const k of c.matchLabelKeys ?? []) if (k in labels) selector.requirements.push({ key: k, operator: 'in', values: [labels[k]!] });
  return { c, selector, selfMatch: matches(selector, labels) ? 1 : 0 };
}

export function constraintsOf(pod: Pod, when: TopologySpreadConstraint['whenUnsatisfiable']): Compiled[] {
  return (pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === when).map((c) => compile(pod, c));
}

/** Whether the node counts as a domain member for this pod (both inclusion policies). */
function nodeEligible(pod: Pod, node: NodeInfo, c: TopologySpreadConstraint): boolean {
  if (!node.node) return false;
  if ((c.nodeAffinityPolicy ?? 'Honor') === 'Honor' && !matchesRequiredAffinity(pod, node.node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && firstUntoleratedTaint(node.node.spec?.taints, pod.spec?.tolerations)) return false;
  return true;
}

/** Matching live pods of the pod's namespace on one node, by walking them (no topology index). */
function countMatching(pod: Pod, node: NodeInfo, selector: LabelSelector): number {
  const ns = pod.metadata?.namespace;
  let n = 0;
  for (const p of node.pods.values()) {
    if (p.pod.metadata?.namespace === ns && !p.pod.metadata?.deletionTimestamp && matches(selector, p.pod.metadata?.labels)) n++;
  }
  return n;
}

/** One constraint's counts: matching pods per domain (a domain absent from `counts` holds 0). */
interface ConstraintCounts {
  counts: ReadonlyMap<string, number>;
  /** Eligible domains (values of the topology key on eligible nodes). */
  domains: number;
  /** The fewest matching pods in an eligible domain. */
  min: number;
}

interface SpreadState {
  constraints: Compiled[];
  perConstraint: ConstraintCounts[];
}

/** Every node carrying the key is a domain member for this pod: no node inclusion policy narrows it. */
function allNodesEligible(pod: Pod, c: TopologySpreadConstraint): boolean {
  if (c.nodeTaintsPolicy === 'Honor') return false;
  if ((c.nodeAffinityPolicy ?? 'Honor') === 'Ignore') return true;
  return Object.keys(pod.spec?.nodeSelector ?? {}).length === 0 && !pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
}

const minOf = (counts: ReadonlyMap<string, number>, domains: number): number => {
  if (counts.size < domains) return 0;
  let min = Infinity;
  for (const n of counts.values()) if (n < min) min = n;
  return domains ? min : 0;
};

/**
 * Matching pods per domain for each constraint. With the cache's topology index and no node
 * inclusion policy in play, the counts are read from it (cost: the domains holding matching
 * pods); otherwise every node is visited (its count from the index, or by walking its pods).
 * `requireAllKeys` (filtering): a node counts only if it carries every constraint's key.
 */
export function computeSpreadState(snapshot: ClusterSnapshot, pod: Pod, constraints: Compiled[], requireAllKeys: boolean): SpreadState {
  const index = snapshot.topology;
  const ns = pod.metadata?.namespace ?? '';
  const matcherOf = (k: Compiled): PodMatcher => ({ selector: k.selector, namespaces: new Set([ns]), skipTerminating: true });
  // Filtering counts a node only if it carries every constraint's key: the index's per-key
  // counts are exact when each node carrying one key carries them all (zone + hostname, usually).
  const keys = constraints.map((k) => k.c.topologyKey);
  const keysCoincide = (ix: TopologyCounts): boolean => {
    const all = ix.nodesWithKeys(keys);
    return keys.every((k) => ix.nodesWithKeys([k]) === all);
  };
  if (index && constraints.every((k) => allNodesEligible(pod, k.c)) && (!requireAllKeys || keysCoincide(index))) {
    const perConstraint = constraints.map((k): ConstraintCounts => {
      const counts = index.matchingPerDomain(matcherOf(k), k.c.topologyKey);
      const domains = index.domains(k.c.topologyKey).size;
      return { counts, domains, min: minOf(counts, domains) };
    });
    return { constraints, perConstraint };
  }
  const perNode = index ? constraints.map((k) => index.matchingPerNode(matcherOf(k))) : undefined;
  const counts = constraints.map(() => new Map<string, number>());
  for (const node of snapshot.nodes) {
    const labels = node.node?.metadata?.labels ?? {};
    if (requireAllKeys && !constraints.every((k) => k.c.topologyKey in labels)) continue;
    constraints.forEach((k, i) => {
      if (!(k.c.topologyKey in labels) || !nodeEligible(pod, node, k.c)) return;
      const domain = labels[k.c.topologyKey]!;
      const n = perNode ? (perNode[i]!.get(node.name) ?? 0) : countMatching(pod, node, k.selector);
      counts[i]!.set(domain, (counts[i]!.get(domain) ?? 0) + n);
    });
  }
  return { constraints, perConstraint: counts.map((m) => ({ counts: m, domains: m.size, min: minOf(m, m.size) })) };
}

export function filterSpread(state: SpreadState, node: NodeInfo): Result {
  const labels = node.node?.metadata?.labels ?? {};
  for (let i = 0; i < state.constraints.length; i++) {
    const { c, selfMatch } = state.constraints[i]!;
    if (!(c.topologyKey in labels)) return MISSING_LABEL;
    const { counts, domains, min } = state.perConstraint[i]!;
    const globalMin = c.minDomains && domains < c.minDomains ? 0 : min;
    const skew = (counts.get(labels[c.topologyKey]!) ?? 0) + selfMatch - globalMin;
    if (skew > c.maxSkew) return SKEWED;
  }
  return undefined;
}

const SCORE_KEY = `${NAME}/score`;
const IGNORED = -1;

export const podTopologySpread: Plugin = {
  name: NAME,
  preFilter(ctx, pod) {
    const hard = constraintsOf(pod, 'DoNotSchedule');
    if (!hard.length) return SKIP;
    ctx.state.set(NAME, computeSpreadState(ctx.snapshot, pod, hard, true));
    return undefined;
  },
  filter(ctx, _pod, node) {
    const state = ctx.state.get(NAME) as SpreadState | undefined;
    return state ? filterSpread(state, node) : undefined;
  },
  preScore(ctx, pod) {
    const soft = constraintsOf(pod, 'ScheduleAnyway');
    if (!soft.length) return SKIP;
    ctx.state.set(SCORE_KEY, computeSpreadState(ctx.snapshot, pod, soft, false));
  },
  score(ctx, _pod, node) {
    const state = ctx.state.get(SCORE_KEY) as SpreadState | undefined;
    if (!state) return 0;
    const labels = node.node?.metadata?.labels ?? {};
    // Nodes lacking a constraint's key are ignored (they end with score 0), as upstream.
    if (!state.constraints.every(({ c }) => c.topologyKey in labels)) return IGNORED;
    let score = 0;
    state.constraints.forEach(({ c }, i) => {
      const { counts, domains } = state.perConstraint[i]!;
      score += (counts.get(labels[c.topologyKey]!) ?? 0) * Math.log(domains + 2) + (c.maxSkew - 1);
    });
    return Math.round(score);
  },
  normalizeScore(ctx, _pod, scores) {
    if (!ctx.state.get(SCORE_KEY)) return;
    const counted = scores.filter((s) => s !== IGNORED);
    const max = Math.max(0, ...counted);
    const min = counted.length ? Math.min(...counted) : 0;
    for (let i = 0; i < scores.length; i++) {
      if (scores[i] === IGNORED) scores[i] = 0;
      else scores[i] = max === 0 ? MAX_NODE_SCORE : Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
    }
  },
};
