/**
 * PodDisruptionBudget arithmetic (upstream pkg/controller/disruption: getExpectedPodCount,
 * buildDisruptedPodMap, countHealthyPods, updatePdbStatus and pdb helpers), pure.
 *
 * Inputs: the PDB, its pods, the expected scale (sum of the pods' controllers' replicas) and the time.
 * Output: the status the controller writes: expectedPods, desiredHealthy, currentHealthy,
 * disruptionsAllowed, disruptedPods (entries older than 2 minutes or for pods already deleting
 * dropped), observedGeneration and the DisruptionAllowed condition.
 */
import type { KubeObject } from '../../api/types.js';

/** How long an evicted pod may take to be deleted before the budget stops counting it as disrupted. */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

export type IntOrString = number | string;

export interface PdbCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  observedGeneration?: number;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface PdbStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: PdbCondition[];
}

export interface PdbSpec {
  minAvailable?: IntOrString;
  maxUnavailable?: IntOrString;
  selector?: unknown;
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** intstr.GetScaledValueFromIntOrPercent(v, total, roundUp=true); throws on a malformed percent. */
export function scaledValue(v: IntOrString, total: number): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  return Math.ceil((Number(m[1]) * total) / 100);
}

/** Whether the budget needs the pods' controllers' scale (percentages and maxUnavailable do). */
export function needsScale(spec: PdbSpec): boolean {
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) return true;
  return typeof spec.minAvailable === 'string';
}

/** expectedCount and desiredHealthy; `scale` is only consulted when needsScale(spec). */
export function expectedAndDesired(spec: PdbSpec, podCount: number, scale: () => number): { expected: number; desired: number } {
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    const expected = scale();
    return { expected, desired: Math.max(0, expected - scaledValue(spec.maxUnavailable, expected)) };
  }
  if (typeof spec.minAvailable === 'number') return { expected: podCount, desired: spec.minAvailable };
  if (typeof spec.minAvailable === 'string') {
    const expected = scale();
    return { expected, desired: scaledValue(spec.minAvailable, expected) };
  }
  return { expected: podCount, desired: 0 };
}

export function isPodReady(pod: KubeObject): boolean {
  const conds = (pod.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? [];
  return conds.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Disrupted pods still expected to go, and when the earliest of them stops counting. */
export function liveDisruptions(pdb: KubeObject, pods: KubeObject[], now: number): { disrupted: Record<string, string>; recheckAt?: number } {
  const recorded = (pdb.status as { disruptedPods?: Record<string, string> } | undefined)?.disruptedPods ?? {};
  const disrupted: Record<string, string> = {};
  let recheckAt: number | undefined;
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    if (pod.metadata?.deletionTimestamp || recorded[name] === undefined) continue;
    const expires = Date.parse(recorded[name]!) + DELETION_TIMEOUT_MS;
    if (expires < now) continue;
    disrupted[name] = recorded[name]!;
    if (recheckAt === undefined || expires < recheckAt) recheckAt = expires;
  }
  return { disrupted, recheckAt };
}

/** Ready pods that are neither deleting nor recently evicted. */
export function countHealthy(pods: KubeObject[], disrupted: Record<string, string>, now: number): number {
  return pods.filter((p) => {
    if (p.metadata?.deletionTimestamp) return false;
    const t = disrupted[p.metadata?.name ?? ''];
    if (t !== undefined && Date.parse(t) + DELETION_TIMEOUT_MS > now) return false;
    return isPodReady(p);
  }).length;
}

/** apimeta.SetStatusCondition: replaces the condition of that type, keeping lastTransitionTime when the status stays. */
export function setCondition(conds: PdbCondition[] | undefined, next: Omit<PdbCondition, 'lastTransitionTime'>, now: number): PdbCondition[] {
  const list = (conds ?? []).map((c) => ({ ...c }));
  const i = list.findIndex((c) => c.type === next.type);
  if (i < 0) return [...list, { ...next, lastTransitionTime: rfc3339(now) }];
  const prev = list[i]!;
  list[i] = { ...next, lastTransitionTime: prev.status === next.status ? prev.lastTransitionTime : rfc3339(now) };
  return list;
}

/** updatePdbStatus + UpdateDisruptionAllowedCondition. */
export function budgetStatus(pdb: KubeObject, counts: { currentHealthy: number; desiredHealthy: number; expectedPods: number; disruptedPods: Record<string, string> }, now: number): PdbStatus {
  let allowed = counts.currentHealthy - counts.desiredHealthy;
  if (counts.expectedPods <= 0 || allowed <= 0) allowed = 0;
  const generation = pdb.metadata?.generation ?? 0;
  const prev = pdb.status as Partial<PdbStatus> | undefined;
  const condition = allowed > 0
    ? { type: 'DisruptionAllowed', status: 'True' as const, reason: 'SufficientPods', message: '', observedGeneration: generation }
    : { type: 'DisruptionAllowed', status: 'False' as const, reason: 'InsufficientPods', message: '', observedGeneration: generation };
  return {
    observedGeneration: generation,
    ...(Object.keys(counts.disruptedPods).length ? { disruptedPods: counts.disruptedPods } : {}),
    disruptionsAllowed: allowed,
    currentHealthy: counts.currentHealthy,
    desiredHealthy: counts.desiredHealthy,
    expectedPods: counts.expectedPods,
    conditions: setCondition(prev?.conditions, condition, now),
  };
}

/** failSafe: no disruptions while the budget cannot be computed, with the reason in the condition. */
export function failSafeStatus(pdb: KubeObject, message: string, now: number): PdbStatus {
  const prev = (pdb.status ?? {}) as Partial<PdbStatus>;
  const generation = prev.observedGeneration;
  return {
    currentHealthy: prev.currentHealthy ?? 0,
    desiredHealthy: prev.desiredHealthy ?? 0,
    expectedPods: prev.expectedPods ?? 0,
    ...prev,
    disruptionsAllowed: 0,
    conditions: setCondition(prev.conditions, { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message, ...(generation !== undefined ? { observedGeneration: generation } : {}) }, now),
  };
}
