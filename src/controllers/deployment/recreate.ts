/**
 * Recreate (upstream deployment/recreate.go): scale every old ReplicaSet to zero, wait until none of
 * their pods is still running, then create/scale the new ReplicaSet to the full count.
 */
import type { Deployment, ReplicaSet } from '../replicaset/types.js';
import { deploymentComplete } from './conditions.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleAndRecord, type SyncContext } from './sync.js';
import * as u from './util.js';

function oldPodsRunning(ctx: SyncContext, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): boolean {
  if (u.sumStatus(oldRSs, 'replicas') > 0) return true;
  for (const rs of oldRSs) {
    if (newRS && rs.metadata.uid === newRS.metadata.uid) continue;
    for (const pod of ctx.podsOf(rs)) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}

export async function rolloutRecreate(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  let [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  const allRSs = () => [...oldRSs, ...(newRS ? [newRS] : [])];
  let scaledDown = false;
  for (const rs of u.filterActive(oldRSs)) if ((await scaleAndRecord(ctx, rs, 0, d))[0]) scaledDown = true;
  if (scaledDown) return syncRolloutStatus(ctx, allRSs(), newRS, d);
  if (oldPodsRunning(ctx, newRS, oldRSs)) return syncRolloutStatus(ctx, allRSs(), newRS, d);
  if (!newRS) [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  if (newRS) await scaleAndRecord(ctx, newRS, u.replicasOf(d), d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs(), newRS, d);
}
