/**
 * Rollout progress (upstream deployment/progress.go): after each rollout step, recompute status and
 * move the Progressing condition (ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded),
 * carry ReplicaSet failures up as ReplicaFailure, and re-check a stuck rollout when its deadline passes.
 */
import { timeOf, type Deployment, type DeploymentStatus, type ReplicaSet } from '../replicaset/types.js';
import { Reason, calculateStatus, deploymentComplete, deploymentProgressing, deploymentTimedOut, getCondition, hasProgressDeadline, newCondition, removeCondition, setCondition } from './conditions.js';
import { statusChanged, writeStatus, type SyncContext } from './sync.js';

function replicaFailure(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined) {
  const ordered = newRS ? [newRS, ...allRSs.filter((r) => r.metadata.uid !== newRS.metadata.uid)] : allRSs;
  for (const rs of ordered) {
    const c = rs.status?.conditions?.find((x) => x.type === 'ReplicaFailure');
    if (c) return c;
  }
  return undefined;
}

export function rolloutStatus(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment, now = Date.now()): DeploymentStatus {
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, 'Progressing');
  const current = getCondition(status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === Reason.NewRSAvailable;
  if (hasProgressDeadline(d) && !complete) {
    if (deploymentComplete(d, status)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has successfully progressed.` : 'Deployment has successfully progressed.';
      setCondition(status, newCondition('Progressing', 'True', Reason.NewRSAvailable, msg, now));
    } else if (deploymentProgressing(d, status)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" is progressing.` : 'Deployment is progressing.';
      const c = newCondition('Progressing', 'True', Reason.ReplicaSetUpdated, msg, now);
      // Progress refreshes lastUpdateTime (the deadline clock) even when the reason is unchanged.
      if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
      removeCondition(status, 'Progressing');
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, now)) {
      const msg = newRS ? `ReplicaSet "${newRS.metadata.name}" has timed out progressing.` : `Deployment "${d.metadata.name}" has timed out progressing.`;
      setCondition(status, newCondition('Progressing', 'False', Reason.TimedOut, msg, now));
    }
  }
  const failure = replicaFailure(allRSs, newRS);
  if (failure) setCondition(status, { type: 'ReplicaFailure', status: failure.status, reason: failure.reason, message: failure.message, lastUpdateTime: failure.lastTransitionTime, lastTransitionTime: failure.lastTransitionTime });
  else removeCondition(status, 'ReplicaFailure');
  return status;
}

/** Milliseconds until a stuck rollout should be re-checked for its deadline, or undefined. */
export function requeueStuckAfter(d: Deployment, status: DeploymentStatus, now = Date.now()): number | undefined {
  const c = getCondition(status, 'Progressing');
  if (!hasProgressDeadline(d) || !c || deploymentComplete(d, status) || c.reason === Reason.TimedOut) return undefined;
  const after = timeOf(c.lastUpdateTime) + (d.spec.progressDeadlineSeconds ?? 600) * 1000 - now;
  return after < 1000 ? 0 : after;
}

export async function syncRolloutStatus(ctx: SyncContext, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const status = rolloutStatus(allRSs, newRS, d);
  if (!statusChanged(d, status)) {
    const after = requeueStuckAfter(d, status);
    if (after !== undefined) ctx.enqueueAfter(d, after);
    return;
  }
  await writeStatus(ctx, d, status);
}
