/**
 * Status validation shared by Deployment and ReplicaSet (upstream ValidateDeploymentStatus /
 * ValidateReplicaSetStatus): counters non-negative and never above status.replicas.
 */
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { invalidValue, nonNegative } from '../common/validation.js';

/** upstream IsDecremented check on status.collisionCount (status updates only). */
export function collisionCountNotDecremented(now: number | undefined, old: number | undefined, fld: FieldPath): FieldError[] {
  if (old == null || (now != null && now >= old)) return [];
  return [invalidValue(fld.child('collisionCount'), now ?? 0, 'cannot be decremented')];
}

export type ReplicaCounters = Record<string, number | undefined>;

/** `bounded` counters may not exceed status.replicas; availableReplicas may not exceed readyReplicas. */
export function validateReplicaCounters(
  status: ReplicaCounters,
  fld: FieldPath,
  counters: string[],
  bounded: string[],
  availableOverReady = 'cannot be greater than readyReplicas',
): FieldError[] {
  const errs: FieldError[] = [];
  for (const c of counters) errs.push(...nonNegative(status[c], fld.child(c)));
  const replicas = status.replicas ?? 0;
  for (const c of bounded) {
    const v = status[c] ?? 0;
    if (v > replicas) errs.push(invalidValue(fld.child(c), v, 'cannot be greater than status.replicas'));
  }
  const available = status.availableReplicas ?? 0;
  if (available > (status.readyReplicas ?? 0)) errs.push(invalidValue(fld.child('availableReplicas'), available, availableOverReady));
  return errs;
}
