/**
 * Preemption (upstream's DefaultPreemption PostFilter): when a pod fits nowhere, look for a node
 * where evicting lower-priority pods would make it fit. Per candidate node: remove every pod of
 * lower priority, check the pod fits, then give back as many victims as possible (highest
 * priority first, PDB-violating ones before the others so they are kept when possible). Pick
 * the node with the fewest PDB violations, then the lowest highest-victim priority, then the
 * lowest priority sum, then the fewest victims. Nodes rejected as unresolvable are skipped
 * (`Preemption is not helpful for scheduling`).
 */
import { matches, selectorFromLabelSelector } from '../machinery/labels.js';
import { fitErrorMessage, runFilters, runPreFilters, type ClusterSnapshot, type Profile, type Status } from './framework.js';
import type { NodeInfo, PodInfo } from './node-info.js';
import { ReplacedNodeCounts } from './topology-index/replaced-node.js';
import type { Pod, PodDisruptionBudget } from './types.js';

export const MSG_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const MSG_NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface PreemptionOutcome {
  /** Set when preemption can make room. */
  nodeName?: string;
  victims: PodInfo[];
  /** The PostFilter message without the "preemption: " prefix ('' on success). */
  message: string;
  /** True when no node could be freed: a nominatedNodeName the pod carries should be cleared. */
  clearNomination?: boolean;
}

interface Candidate {
  node: string;
  victims: PodInfo[];
  pdbViolations: number;
}

/**
 * The snapshot with one node replaced by a what-if copy: the node list, the nodes with affinity
 * pods and the topology counts (the cache index corrected for the copy's pods) all see the copy.
 */
export function overlay(base: ClusterSnapshot, replaced: NodeInfo): ClusterSnapshot {
  const nodes = base.nodes.map((n) => (n.name === replaced.name ? replaced : n));
  let withAffinity: readonly NodeInfo[] | undefined;
  const nodesWithAffinityPods = (): readonly NodeInfo[] => {
    if (!withAffinity) {
      const others = (base.nodesWithAffinityPods?.() ?? base.nodes.filter((n) => n.podsWithAffinity > 0)).filter((n) => n.name !== replaced.name);
      withAffinity = replaced.podsWithAffinity > 0 ? [...others, replaced] : others;
    }
    return withAffinity;
  };
  return Object.create(base, {
    nodes: { value: nodes },
    node: { value: (name: string) => (name === replaced.name ? replaced : base.node(name)) },
    nodesWithAffinityPods: { value: nodesWithAffinityPods },
    topology: { value: base.topology ? new ReplacedNodeCounts(base.topology, base.node(replaced.name), replaced) : undefined },
  }) as ClusterSnapshot;
}

function fits(profile: Profile, snapshot: ClusterSnapshot, pod: Pod, node: NodeInfo): Status | undefined {
  const ctx = { snapshot: overlay(snapshot, node), state: new Map<string, unknown>() };
  return runPreFilters(profile, ctx, pod) ?? runFilters(profile, ctx, pod, node);
}

function violatesPdb(victim: PodInfo, budgets: Map<PodDisruptionBudget, number>): boolean {
  let violates = false;
  for (const [pdb, allowed] of budgets) {
    if (pdb.metadata?.namespace !== victim.pod.metadata?.namespace) continue;
    let sel;
    try {
      sel = selectorFromLabelSelector(pdb.spec?.selector);
    } catch {
      continue;
    }
    if (!matches(sel, victim.pod.metadata?.labels)) continue;
    budgets.set(pdb, allowed - 1);
    if (allowed - 1 < 0) violates = true;
  }
  return violates;
}

function selectVictims(profile: Profile, snapshot: ClusterSnapshot, pod: Pod, priority: number, node: NodeInfo, pdbs: readonly PodDisruptionBudget[]): Candidate | Status {
  const copy = node.clone();
  const potential = [...copy.pods.values()].filter((p) => p.priority < priority && !p.pod.metadata?.deletionTimestamp);
  if (potential.length === 0) return { code: 'UnschedulableAndUnresolvable', reasons: [MSG_NO_VICTIMS] };
  for (const v of potential) copy.removePod(v.key);
  const failure = fits(profile, snapshot, pod, copy);
  if (failure) return failure;
  potential.sort((a, b) => b.priority - a.priority);
  const budgets = new Map(pdbs.map((p) => [p, p.status?.disruptionsAllowed ?? 0] as const));
  const violating = potential.filter((v) => violatesPdb(v, budgets));
  const nonViolating = potential.filter((v) => !violating.includes(v));
  const victims: PodInfo[] = [];
  let pdbViolations = 0;
  const reprieve = (v: PodInfo, isViolating: boolean): void => {
    copy.addPod(v);
    if (fits(profile, snapshot, pod, copy)) {
      copy.removePod(v.key);
      victims.push(v);
      if (isViolating) pdbViolations++;
    }
  };
  for (const v of violating) reprieve(v, true);
  for (const v of nonViolating) reprieve(v, false);
  return { node: node.name, victims, pdbViolations };
}

function better(a: Candidate, b: Candidate): boolean {
  if (a.pdbViolations !== b.pdbViolations) return a.pdbViolations < b.pdbViolations;
  const top = (c: Candidate): number => Math.max(...c.victims.map((v) => v.priority));
  if (top(a) !== top(b)) return top(a) < top(b);
  const sum = (c: Candidate): number => c.victims.reduce((s, v) => s + v.priority, 0);
  if (sum(a) !== sum(b)) return sum(a) < sum(b);
  return a.victims.length < b.victims.length;
}

export function preempt(profile: Profile, snapshot: ClusterSnapshot, pod: Pod, priority: number, nodeStatuses: ReadonlyMap<string, Status>, pdbs: readonly PodDisruptionBudget[]): PreemptionOutcome {
  if (pod.spec?.preemptionPolicy === 'Never') return { victims: [], message: 'not eligible due to preemptionPolicy=Never.' };
  const nominated = pod.status?.nominatedNodeName && snapshot.node(pod.status.nominatedNodeName);
  if (nominated && [...nominated.pods.values()].some((p) => p.pod.metadata?.deletionTimestamp && p.priority < priority)) {
    return { victims: [], message: 'not eligible due to a terminating pod on the nominated node.' };
  }
  const statuses = new Map<string, Status>();
  let best: Candidate | undefined;
  for (const node of snapshot.nodes) {
    const status = nodeStatuses.get(node.name);
    if (status?.code === 'UnschedulableAndUnresolvable') {
      statuses.set(node.name, { code: 'UnschedulableAndUnresolvable', reasons: [MSG_NOT_HELPFUL] });
      continue;
    }
    const result = selectVictims(profile, snapshot, pod, priority, node, pdbs);
    if ('code' in result) statuses.set(node.name, result);
    else if (result.victims.length === 0) statuses.set(node.name, { code: 'Error', reasons: [`expected at least one victim pod on node "${node.name}"`] });
    else if (!best || better(result, best)) best = result;
  }
  if (best) return { nodeName: best.node, victims: best.victims, message: '' };
  return { victims: [], message: fitErrorMessage(snapshot.nodes.length, { nodeStatuses: statuses }), clearNomination: true };
}
