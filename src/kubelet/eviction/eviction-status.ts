/**
 * The status an evicted pod ends with, as upstream's evictPod writes it through killPodFunc's status
 * function: phase Failed, reason Evicted, the eviction message, and (when the decision carries one)
 * the DisruptionTarget condition merged in as podutil.UpdatePodCondition does (lastTransitionTime kept
 * when the status did not change, otherwise now).
 */
import type { KubeObject } from '../../api/types.js';
import type { PodCondition } from '../status/index.js';

export const EVICTED_REASON = 'Evicted';

/** What statusForEviction needs from a decision. */
export interface EvictionOutcome {
  reason: typeof EVICTED_REASON;
  message: string;
  condition?: PodCondition;
}

export interface EvictionStatusPatch {
  phase: 'Failed';
  reason: typeof EVICTED_REASON;
  message: string;
  /** The pod's conditions with the decision's condition added or updated (unchanged when it has none). */
  conditions: PodCondition[];
}

function conditionsOf(pod: KubeObject): PodCondition[] {
  const status = pod.status as { conditions?: PodCondition[] } | undefined;
  return Array.isArray(status?.conditions) ? status.conditions : [];
}

/** The DisruptionTarget condition upstream sets when the kubelet terminates a pod (reason TerminationByKubelet). */
export function disruptionTargetCondition(message: string): PodCondition {
  return { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message };
}

/** Upstream podutil.UpdatePodCondition on a copy of the list. */
export function updatePodCondition(conditions: readonly PodCondition[], condition: PodCondition, now: string): PodCondition[] {
  const index = conditions.findIndex((c) => c.type === condition.type);
  const old = index >= 0 ? conditions[index] : undefined;
  const lastTransitionTime = old && old.status === condition.status && old.lastTransitionTime ? old.lastTransitionTime : now;
  const next: PodCondition = { ...condition, lastProbeTime: condition.lastProbeTime ?? null, lastTransitionTime };
  const out = conditions.map((c) => ({ ...c }));
  if (index >= 0) out[index] = next;
  else out.push(next);
  return out;
}

/**
 * The status patch for an evicted pod. `now` is an RFC 3339 time (seconds precision, as the API
 * stores it), e.g. `new Date().toISOString().replace(/\.\d+Z$/, 'Z')`.
 */
export function statusForEviction(pod: KubeObject, decision: EvictionOutcome, now: string): EvictionStatusPatch {
  const existing = conditionsOf(pod);
  const conditions = decision.condition ? updatePodCondition(existing, decision.condition, now) : existing.map((c) => ({ ...c }));
  return { phase: 'Failed', reason: EVICTED_REASON, message: decision.message, conditions };
}
