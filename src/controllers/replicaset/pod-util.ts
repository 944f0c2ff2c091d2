/**
 * Pod predicates shared by the workload controllers (upstream pkg/api/v1/pod and controller_utils):
 * active, ready, available (minReadySeconds counted from the Ready condition's lastTransitionTime).
 */
import { timeOf, type Pod } from './types.js';

export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function podReadyCondition(pod: Pod) {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Ready for at least minReadySeconds (strictly before `now`, as upstream). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now = Date.now()): boolean {
  const c = podReadyCondition(pod);
  if (c?.status !== 'True') return false;
  if (!minReadySeconds) return true;
  const since = timeOf(c.lastTransitionTime);
  return since !== 0 && since + minReadySeconds * 1000 < now;
}
