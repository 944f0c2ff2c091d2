/**
 * ReplicaSet status (upstream replica_set_utils.go): replica counts from the active pods it owns,
 * availability with minReadySeconds, and the ReplicaFailure condition when creating or deleting failed.
 */
import { matches, selectorFromSet } from '../../machinery/labels.js';
import { isPodAvailable, isPodReady } from './pod-util.js';
import { nowRfc3339, type Condition, type Pod, type ReplicaSet, type ReplicaSetStatus } from './types.js';

export function calculateReplicaSetStatus(rs: ReplicaSet, activePods: Pod[], manageError: Error | undefined, now = Date.now()): ReplicaSetStatus {
  const templateLabels = selectorFromSet(rs.spec.template.metadata?.labels ?? {});
  const minReady = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of activePods) {
    if (matches(templateLabels, pod.metadata.labels ?? {})) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
  }
  let conditions: Condition[] = [...(rs.status?.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    const reason = activePods.length - (rs.spec.replicas ?? 1) < 0 ? 'FailedCreate' : 'FailedDelete';
    conditions.push({ type: 'ReplicaFailure', status: 'True', reason, message: manageError.message, lastTransitionTime: nowRfc3339(now) });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const status: ReplicaSetStatus = {
    ...(rs.status ?? {}),
    replicas: activePods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
  };
  if (conditions.length) status.conditions = conditions;
  else delete status.conditions;
  return status;
}
