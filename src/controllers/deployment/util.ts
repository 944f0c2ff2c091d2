/**
 * Deployment helpers (upstream pkg/controller/deployment/util): revisions and the annotations the
 * controller keeps on ReplicaSets, maxSurge/maxUnavailable resolution, finding the new and old
 * ReplicaSets, replica counting and proportional-scaling shares. Pure functions over plain objects.
 */
import { isDeepStrictEqual } from 'node:util';
import { timeOf, type Deployment, type PodTemplateSpec, type ReplicaSet } from '../replicaset/types.js';

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH = 'pod-template-hash';
export const MAX_REVISION_HISTORY_CHARS = 2000;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const ROLLBACK_TO = 'deprecated.deployment.rollback.to';
const SKIPPED_ANNOTATIONS = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

export const replicasOf = (d: { spec: { replicas?: number } }): number => d.spec.replicas ?? 1;
export const isRollingUpdate = (d: Deployment): boolean => (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** maxSurge/maxUnavailable as a count: integers as is, percentages of `total` rounded up or down. */
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean, fallback: string): number {
  const value = v ?? fallback;
  if (typeof value === 'number') return value;
  if (!value.endsWith('%')) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const pct = Number.parseInt(value.slice(0, -1), 10);
  if (Number.isNaN(pct)) throw new Error(`invalid value "${value}": percentage is not a number`);
  return roundUp ? Math.ceil((pct * total) / 100) : Math.floor((pct * total) / 100);
}

/** [maxSurge, maxUnavailable] for the desired count; both zero is not allowed, so unavailable becomes 1. */
export function resolveFenceposts(maxSurge: number | string | undefined, maxUnavailable: number | string | undefined, desired: number): [number, number] {
  const surge = scaledValue(maxSurge, desired, true, '25%');
  const unavailable = scaledValue(maxUnavailable, desired, false, '25%');
  if (surge === 0 && unavailable === 0) return [0, 1];
  return [surge, unavailable];
}

export function maxSurge(d: Deployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d))[0];
}

export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || replicasOf(d) === 0) return 0;
  const ru = d.spec.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicasOf(d))[1], replicasOf(d));
}

export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } }): number {
  const v = obj.metadata?.annotations?.[REVISION];
  if (!v) return 0;
  const n = Number.parseInt(v, 10);
  return Number.isNaN(n) ? 0 : n;
}

export const maxRevision = (rss: ReplicaSet[]): number => rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);

function withoutHash(t: PodTemplateSpec): PodTemplateSpec {
  const copy = structuredClone(t);
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  if (copy.metadata && Object.keys(copy.metadata).length === 0) delete copy.metadata;
  return copy;
}

/** Templates equal once the pod-template-hash label is ignored (the rule that makes rollback find the old RS). */
export function equalIgnoreHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return isDeepStrictEqual(withoutHash(a), withoutHash(b));
}

export const byCreation = (a: ReplicaSet, b: ReplicaSet): number => timeOf(a.metadata.creationTimestamp) - timeOf(b.metadata.creationTimestamp) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
export const byRevision = (a: ReplicaSet, b: ReplicaSet): number => revisionOf(a) - revisionOf(b) || byCreation(a, b);
/** Larger first; among equals, newer first (scaling up). */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet): number => specReplicas(b) - specReplicas(a) || byCreation(b, a);
/** Larger first; among equals, older first (scaling down). */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet): number => specReplicas(b) - specReplicas(a) || byCreation(a, b);

export const specReplicas = (rs: ReplicaSet | undefined): number => (rs ? (rs.spec.replicas ?? 1) : 0);
export const sumSpec = (rss: Array<ReplicaSet | undefined>): number => rss.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumStatus = (rss: Array<ReplicaSet | undefined>, f: 'replicas' | 'readyReplicas' | 'availableReplicas'): number => rss.reduce((n, rs) => n + (rs?.status?.[f] ?? 0), 0);
export const filterActive = (rss: Array<ReplicaSet | undefined>): ReplicaSet[] => rss.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);

/** The oldest ReplicaSet whose template equals the Deployment's (ignoring the hash label). */
export function findNewReplicaSet(d: Deployment, rss: ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** How many replicas the new ReplicaSet may have now. */
export function newRSNewReplicas(d: Deployment, allRSs: Array<ReplicaSet | undefined>, newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return replicasOf(d);
  const current = sumSpec(allRSs);
  const maxTotal = replicasOf(d) + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicasOf(d) - specReplicas(newRS));
  return specReplicas(newRS) + scaleUp;
}

export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = Number.parseInt(rs.metadata.annotations?.[DESIRED_REPLICAS] ?? '', 10);
  return desired === replicasOf(d) && specReplicas(rs) === replicasOf(d) && (rs.status?.availableReplicas ?? 0) === replicasOf(d);
}

/** Sets desired/max-replicas annotations; true when something changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  if (a[DESIRED_REPLICAS] !== String(desired)) (a[DESIRED_REPLICAS] = String(desired)), (changed = true);
  if (a[MAX_REPLICAS] !== String(max)) (a[MAX_REPLICAS] = String(max)), (changed = true);
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS] !== String(desired) || a[MAX_REPLICAS] !== String(max);
}

/** Copies the Deployment's own annotations onto the RS, bumps its revision and keeps revision-history. */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const a = (rs.metadata.annotations ??= {});
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED_ANNOTATIONS.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const oldRevision = a[REVISION] ?? '';
  const oldRevisionInt = oldRevision ? Number.parseInt(oldRevision, 10) : 0;
  if (Number.isNaN(oldRevisionInt)) return false;
  if (oldRevisionInt < newRevision) {
    a[REVISION] = String(newRevision);
    changed = true;
    if (oldRevision) {
      const history = a[REVISION_HISTORY] ?? '';
      let old = history ? history.split(',') : [];
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > MAX_REVISION_HISTORY_CHARS && start < old.length) total -= old[start++].length + 1;
      if (total <= MAX_REVISION_HISTORY_CHARS) {
        old = [...old.slice(start), oldRevision];
        a[REVISION_HISTORY] = old.join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** Go's math.Round: half away from zero. */
const goRound = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

/** The share of a proportional scale an RS gets (upstream GetProportion/getReplicaSetFraction). */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  let fraction: number;
  if (replicasOf(d) === 0) fraction = -specReplicas(rs);
  else {
    const deploymentReplicas = replicasOf(d) + maxSurge(d);
    const annotated = Number.parseInt(rs.metadata.annotations?.[MAX_REPLICAS] ?? '', 10);
    const base = Number.isNaN(annotated) ? (d.status?.replicas ?? 0) : annotated;
    fraction = base === 0 ? 0 : goRound((specReplicas(rs) * deploymentReplicas) / base) - specReplicas(rs);
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}
