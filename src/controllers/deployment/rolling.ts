/**
 * RollingUpdate (upstream deployment/rolling.go): scale the new ReplicaSet up within maxSurge, scale
 * old ones down within maxUnavailable (unhealthy replicas first), one step per sync.
 */
import type { Deployment, ReplicaSet } from '../replicaset/types.js';
import { deploymentComplete } from './conditions.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleAndRecord, type SyncContext } from './sync.js';
import * as u from './util.js';

async function reconcileNewReplicaSet(ctx: SyncContext, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const want = u.replicasOf(d);
  if (u.specReplicas(newRS) === want) return false;
  if (u.specReplicas(newRS) > want) return (await scaleAndRecord(ctx, newRS, want, d))[0];
  return (await scaleAndRecord(ctx, newRS, u.newRSNewReplicas(d, allRSs, newRS), d))[0];
}

/** Scales down old ReplicaSets' unhealthy replicas first; returns the old RSs as updated and the count. */
async function cleanupUnhealthyReplicas(ctx: SyncContext, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<[ReplicaSet[], number]> {
  const sorted = [...oldRSs].sort(u.byCreation);
  let total = 0;
  for (const [i, rs] of sorted.entries()) {
    if (total >= maxCleanup) break;
    if (u.specReplicas(rs) === 0) continue;
    const unhealthy = u.specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (unhealthy === 0) continue;
    const count = Math.min(maxCleanup - total, unhealthy);
    const next = u.specReplicas(rs) - count;
    if (next > u.specReplicas(rs)) throw new Error(`when cleaning up unhealthy replicas, got invalid request to scale down ${rs.metadata.name} ${u.specReplicas(rs)} -> ${next}`);
    const [, updated] = await scaleAndRecord(ctx, rs, next, d);
    sorted[i] = updated;
    total += count;
  }
  return [sorted, total];
}

async function scaleDownOldForRollingUpdate(ctx: SyncContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = u.replicasOf(d) - u.maxUnavailable(d);
  const available = u.sumStatus(allRSs, 'availableReplicas');
  if (available <= minAvailable) return 0;
  const totalToScaleDown = available - minAvailable;
  let done = 0;
  for (const rs of [...oldRSs].sort(u.byCreation)) {
    if (done >= totalToScaleDown) break;
    if (u.specReplicas(rs) === 0) continue;
    const count = Math.min(u.specReplicas(rs), totalToScaleDown - done);
    await scaleAndRecord(ctx, rs, u.specReplicas(rs) - count, d);
    done += count;
  }
  return done;
}

async function reconcileOldReplicaSets(ctx: SyncContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (u.sumSpec(oldRSs) === 0) return false;
  const allPods = u.sumSpec(allRSs);
  const minAvailable = u.replicasOf(d) - u.maxUnavailable(d);
  const newUnavailable = u.specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const [cleaned, cleanupCount] = await cleanupUnhealthyReplicas(ctx, oldRSs, d, maxScaledDown);
  const scaledDown = await scaleDownOldForRollingUpdate(ctx, [...cleaned, newRS], cleaned, d);
  return cleanupCount + scaledDown > 0;
}

export async function rolloutRolling(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  if (!newRS) throw new Error(`deployment ${d.metadata.name}: no new replica set`);
  const allRSs = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(ctx, allRSs, newRS, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(ctx, allRSs, u.filterActive(oldRSs), newRS, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}
