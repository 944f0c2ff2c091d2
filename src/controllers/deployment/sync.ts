/**
 * Deployment sync (upstream deployment/sync.go): finding or creating the new ReplicaSet with its
 * revision, scaling (including proportional scaling of a rollout in flight), cleanup of old
 * ReplicaSets past revisionHistoryLimit, pause/resume conditions and status writes. Every write goes
 * through the API with the resourceVersion read, so a stale cache fails with a conflict and is retried.
 */
import type { RestClient } from '../../client/rest.js';
import type { EventRecorder } from '../../runtime/index.js';
import { controllerRefTo } from '../replicaset/claim.js';
import type { Deployment, DeploymentStatus, Pod, ReplicaSet } from '../replicaset/types.js';
import { Reason, calculateStatus, getCondition, hasProgressDeadline, newCondition, normalizeStatus, setCondition } from './conditions.js';
import { computeHash } from './hash.js';
import * as u from './util.js';

export interface SyncContext {
  client: RestClient;
  recorder: EventRecorder;
  /** Re-sync this Deployment after `ms`. */
  enqueueAfter(d: Deployment, ms: number): void;
  /** Pods controlled by a ReplicaSet (for Recreate). */
  podsOf(rs: ReplicaSet): Pod[];
}

const ns = (o: { metadata: { namespace?: string } }) => o.metadata.namespace ?? 'default';
const rsPath = (rs: ReplicaSet) => `/apis/apps/v1/namespaces/${ns(rs)}/replicasets/${rs.metadata.name}`;
const deployPath = (d: Deployment) => `/apis/apps/v1/namespaces/${ns(d)}/deployments/${d.metadata.name}`;

function fail(what: string, res: { status: number; text: string }): never {
  throw new Error(`${what}: ${res.status} ${res.text.slice(0, 300)}`);
}

export async function updateReplicaSet(ctx: SyncContext, rs: ReplicaSet): Promise<ReplicaSet> {
  const res = await ctx.client.put<ReplicaSet>(rsPath(rs), rs);
  if (res.status !== 200) fail(`update replicaset ${rs.metadata.name}`, res);
  return res.body;
}

/** Writes the Deployment's status (merge patch; fields that went to zero are removed, as omitempty). */
export async function writeStatus(ctx: SyncContext, d: Deployment, status: DeploymentStatus): Promise<void> {
  const next = normalizeStatus(status);
  const patch: Record<string, unknown> = { ...next };
  for (const k of Object.keys(d.status ?? {})) if (!(k in next)) patch[k] = null;
  const res = await ctx.client.patch(`${deployPath(d)}/status`, { status: patch });
  if (res.status !== 200 && res.status !== 404) fail(`update status of deployment ${d.metadata.name}`, res);
  d.status = next;
}

export function statusChanged(d: Deployment, s: DeploymentStatus): boolean {
  return JSON.stringify(normalizeStatus(d.status)) !== JSON.stringify(normalizeStatus(s));
}

/** Sets the Deployment's revision annotation (metadata changes do not go through /status here). */
async function setDeploymentRevision(ctx: SyncContext, d: Deployment, revision: string): Promise<void> {
  if (d.metadata.annotations?.[u.REVISION] === revision) return;
  const res = await ctx.client.patch(deployPath(d), { metadata: { annotations: { [u.REVISION]: revision } } });
  if (res.status !== 200 && res.status !== 404) fail(`set revision of deployment ${d.metadata.name}`, res);
  d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [u.REVISION]: revision };
}

/** Returns [newRS, oldRSs]; creates the new ReplicaSet when asked and it does not exist. */
export async function getAllReplicaSetsAndSyncRevision(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<[ReplicaSet | undefined, ReplicaSet[]]> {
  const existing = u.findNewReplicaSet(d, rsList);
  const oldRSs = rsList.filter((rs) => rs !== existing);
  return [await getNewReplicaSet(ctx, d, existing, oldRSs, create), oldRSs];
}

async function getNewReplicaSet(ctx: SyncContext, d: Deployment, existing: ReplicaSet | undefined, oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
  const newRevision = u.maxRevision(oldRSs) + 1;
  if (existing) {
    let rs: ReplicaSet = structuredClone(existing);
    const annotationsChanged = u.setNewReplicaSetAnnotations(d, rs, newRevision, true);
    const minReadyChanged = (rs.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0);
    if (annotationsChanged || minReadyChanged) {
      rs.spec.minReadySeconds = d.spec.minReadySeconds ?? 0;
      rs = await updateReplicaSet(ctx, rs);
    }
    await setDeploymentRevision(ctx, d, rs.metadata.annotations?.[u.REVISION] ?? '');
    if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
      const status = { ...(d.status ?? {}) };
      setCondition(status, newCondition('Progressing', 'True', Reason.FoundNewRS, `Found new replica set "${rs.metadata.name}"`));
      await writeStatus(ctx, d, status);
    }
    return rs;
  }
  if (!create) return undefined;

  const hash = computeHash(d.spec.template, d.status?.collisionCount);
  const template = structuredClone(d.spec.template);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [u.POD_TEMPLATE_HASH]: hash } };
  const selector = structuredClone(d.spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [u.POD_TEMPLATE_HASH]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: `${d.metadata.name}-${hash}`, namespace: ns(d), ownerReferences: [controllerRefTo({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: d.metadata })], labels: { ...(template.metadata.labels ?? {}) } },
    spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds ?? 0, selector, template },
  };
  rs.spec.replicas = u.newRSNewReplicas(d, [...oldRSs, rs], rs);
  u.setNewReplicaSetAnnotations(d, rs, newRevision, false);
  const res = await ctx.client.post<ReplicaSet>(`/apis/apps/v1/namespaces/${ns(d)}/replicasets`, rs);
  let created: ReplicaSet;
  let alreadyExists = false;
  if (res.status === 201) created = res.body;
  else if (res.status === 409) {
    // Our cache may be stale (we made it earlier), or a different template hashed the same: a collision.
    const got = await ctx.client.get<ReplicaSet>(rsPath(rs));
    if (got.status !== 200) fail(`get replicaset ${rs.metadata.name}`, got);
    const ref = got.body.metadata.ownerReferences?.find((r) => r.controller);
    if (ref?.uid === d.metadata.uid && u.equalIgnoreHash(d.spec.template, got.body.spec.template)) {
      created = got.body;
      alreadyExists = true;
    } else {
      const status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
      await writeStatus(ctx, d, status);
      throw new Error(`hash collision for replica set ${rs.metadata.name}; collisionCount now ${status.collisionCount}`);
    }
  } else {
    if (hasProgressDeadline(d)) {
      const status = { ...(d.status ?? {}) };
      setCondition(status, newCondition('Progressing', 'False', Reason.FailedRSCreate, `Failed to create new replica set "${rs.metadata.name}": ${(res.body as { message?: string })?.message ?? res.status}`));
      await writeStatus(ctx, d, status);
    }
    fail(`create replicaset ${rs.metadata.name}`, res);
  }
  if (!alreadyExists && u.specReplicas(created) > 0) void ctx.recorder.record(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} from 0 to ${u.specReplicas(created)}`);
  await setDeploymentRevision(ctx, d, String(newRevision));
  if (!alreadyExists && hasProgressDeadline(d)) {
    const status = { ...(d.status ?? {}) };
    setCondition(status, newCondition('Progressing', 'True', Reason.NewReplicaSetCreated, `Created new replica set "${created.metadata.name}"`));
    await writeStatus(ctx, d, status);
  }
  return created;
}

/** Scales one ReplicaSet (and refreshes its replica annotations); records ScalingReplicaSet. */
export async function scaleReplicaSet(ctx: SyncContext, rs: ReplicaSet, newScale: number, d: Deployment, operation?: 'up' | 'down'): Promise<[boolean, ReplicaSet]> {
  const oldScale = u.specReplicas(rs);
  const sizeChanged = oldScale !== newScale;
  const desired = u.replicasOf(d);
  const max = desired + u.maxSurge(d);
  if (!sizeChanged && !u.replicasAnnotationsNeedUpdate(rs, desired, max)) return [false, rs];
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  u.setReplicasAnnotations(copy, desired, max);
  const updated = await updateReplicaSet(ctx, copy);
  if (sizeChanged) void ctx.recorder.record(d, 'Normal', 'ScalingReplicaSet', `Scaled ${operation ?? (oldScale < newScale ? 'up' : 'down')} replica set ${rs.metadata.name} from ${oldScale} to ${newScale}`);
  return [sizeChanged, updated];
}

export async function scaleAndRecord(ctx: SyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<[boolean, ReplicaSet]> {
  if (u.specReplicas(rs) === newScale) return [false, rs];
  return scaleReplicaSet(ctx, rs, newScale, d, u.specReplicas(rs) < newScale ? 'up' : 'down');
}

function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const sortedOld = [...oldRSs].sort(u.bySizeNewer);
  const active = u.filterActive([...sortedOld, newRS]);
  if (active.length === 0) return newRS ?? sortedOld[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** Scales for a replicas change: one active RS takes it all; a rollout in flight shares it proportionally. */
export async function scale(ctx: SyncContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const target = findActiveOrLatest(newRS, oldRSs);
  if (target) {
    if (u.specReplicas(target) !== u.replicasOf(d)) await scaleAndRecord(ctx, target, u.replicasOf(d), d);
    return;
  }
  if (u.isSaturated(d, newRS)) {
    for (const old of u.filterActive(oldRSs)) await scaleAndRecord(ctx, old, 0, d);
    return;
  }
  if (!u.isRollingUpdate(d)) return;
  let all = u.filterActive([...oldRSs, newRS]);
  const allowed = u.replicasOf(d) > 0 ? u.replicasOf(d) + u.maxSurge(d) : 0;
  const toAdd = allowed - u.sumSpec(all);
  let operation: 'up' | 'down' | undefined;
  if (toAdd > 0) (all = [...all].sort(u.bySizeNewer)), (operation = 'up');
  else if (toAdd < 0) (all = [...all].sort(u.bySizeOlder)), (operation = 'down');
  const sizes = new Map<string, number>();
  let added = 0;
  for (const rs of all) {
    if (toAdd !== 0) {
      const p = u.proportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name ?? '', u.specReplicas(rs) + p);
      added += p;
    } else sizes.set(rs.metadata.name ?? '', u.specReplicas(rs));
  }
  for (const [i, rs] of all.entries()) {
    const name = rs.metadata.name ?? '';
    if (i === 0 && toAdd !== 0) sizes.set(name, Math.max(0, (sizes.get(name) ?? 0) + toAdd - added));
    await scaleReplicaSet(ctx, rs, sizes.get(name) ?? 0, d, operation);
  }
}

/** Deletes the oldest fully scaled-down ReplicaSets beyond revisionHistoryLimit. */
export async function cleanupDeployment(ctx: SyncContext, oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
  const limit = d.spec.revisionHistoryLimit;
  if (limit === undefined || limit === null) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata.deletionTimestamp).sort(u.byRevision);
  const diff = cleanable.length - limit;
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i];
    if ((rs.status?.replicas ?? 0) !== 0 || u.specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    const res = await ctx.client.delete(rsPath(rs));
    if (res.status >= 300 && res.status !== 404) fail(`delete replicaset ${rs.metadata.name}`, res);
  }
}

export async function syncDeploymentStatus(ctx: SyncContext, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const status = calculateStatus(allRSs, newRS, d);
  if (statusChanged(d, status)) await writeStatus(ctx, d, status);
}

/** True when a ReplicaSet's desired-replicas annotation disagrees with the Deployment: a scale, not a rollout. */
export async function isScalingEvent(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
  const [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  for (const rs of u.filterActive([newRS, ...oldRSs])) {
    const desired = rs.metadata.annotations?.[u.DESIRED_REPLICAS];
    if (desired !== undefined && Number.parseInt(desired, 10) !== u.replicasOf(d)) return true;
  }
  return false;
}

/** Progressing=Unknown DeploymentPaused / DeploymentResumed as the Deployment is paused or resumed. */
export async function checkPausedConditions(ctx: SyncContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === Reason.TimedOut) return;
  const pausedExists = cond?.reason === Reason.Paused;
  const status = { ...(d.status ?? {}) };
  if (d.spec.paused && !pausedExists) setCondition(status, newCondition('Progressing', 'Unknown', Reason.Paused, 'Deployment is paused'));
  else if (!d.spec.paused && pausedExists) setCondition(status, newCondition('Progressing', 'Unknown', Reason.Resumed, 'Deployment is resumed'));
  else return;
  await writeStatus(ctx, d, status);
}

/** Scaling and cleanup without a rollout (paused Deployments and scaling events). */
export async function syncOnly(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const [newRS, oldRSs] = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await scale(ctx, d, newRS, oldRSs);
  if (d.spec.paused) await cleanupDeployment(ctx, oldRSs, d);
  // Read back what scale wrote: status is computed from the ReplicaSets as they are now.
  const fresh = await Promise.all([newRS, ...oldRSs].filter((x): x is ReplicaSet => !!x).map(async (rs) => {
    const r = await ctx.client.get<ReplicaSet>(rsPath(rs));
    return r.status === 200 ? r.body : rs;
  }));
  const freshNew = newRS && fresh.find((r) => r.metadata.uid === newRS.metadata.uid);
  await syncDeploymentStatus(ctx, fresh, freshNew, d);
}
