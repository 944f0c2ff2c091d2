/**
 * Which pods a ReplicaSet deletes first when it scales down: upstream's ActivePodsWithRanks ordering
 * (controller_utils.go) with PodDeletionCost and LogarithmicScaleDown on, as they are by default.
 * Input: pods and, for ranking, all related pods; output: the pods sorted most-deletable first.
 */
import { isPodReady } from './pod-util.js';
import { timeOf, type Pod } from './types.js';

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

function deletionCost(pod: Pod): number {
  const v = pod.metadata.annotations?.[DELETION_COST];
  if (v === undefined || !/^[+-]?\d+$/.test(v.trim())) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function readyTime(pod: Pod): number {
  if (!isPodReady(pod)) return 0;
  return timeOf(pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'True')?.lastTransitionTime);
}

function maxRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/** Zero (absent) sorts first, then later timestamps first. */
function afterOrZero(t1: number, t2: number): boolean {
  if (t1 === 0 || t2 === 0) return t1 === 0;
  return t1 > t2;
}

/** floor(log2(nanoseconds since t)), -1 when not in the past: upstream's logarithmic buckets. */
function logRank(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

function compareTimes(t1: number, t2: number, now: number, uid1: string, uid2: string): boolean {
  if (now === 0 || t1 === 0 || t2 === 0) return afterOrZero(t1, t2);
  const diff = logRank(t1, now) - logRank(t2, now);
  if (diff === 0) return uid1 < uid2;
  return diff < 0;
}

export interface RankedPod {
  pod: Pod;
  /** Number of active related pods on the same node. */
  rank: number;
}

/** True when `a` should be deleted before `b`. */
export function deletesBefore(a: RankedPod, b: RankedPod, now: number): boolean {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ?? '';
  const nb = pb.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '';
  const oa = phaseOrdinal[pa.status?.phase ?? ''] ?? 0;
  const ob = phaseOrdinal[pb.status?.phase ?? ''] ?? 0;
  if (oa !== ob) return oa < ob;
  if (isPodReady(pa) !== isPodReady(pb)) return !isPodReady(pa);
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca < cb;
  if (a.rank !== b.rank) return a.rank > b.rank;
  if (isPodReady(pa) && isPodReady(pb)) {
    const ra = readyTime(pa);
    const rb = readyTime(pb);
    if (ra !== rb) return compareTimes(ra, rb, now, pa.metadata.uid ?? '', pb.metadata.uid ?? '');
  }
  const ma = maxRestarts(pa);
  const mb = maxRestarts(pb);
  if (ma !== mb) return ma > mb;
  const ta = timeOf(pa.metadata.creationTimestamp);
  const tb = timeOf(pb.metadata.creationTimestamp);
  if (ta !== tb) return compareTimes(ta, tb, now, pa.metadata.uid ?? '', pb.metadata.uid ?? '');
  return false;
}

/** Sorts `pods` most-deletable first, ranking each by the active `related` pods on its node. */
export function sortPodsForDeletion(pods: Pod[], related: Pod[], isActive: (p: Pod) => boolean, now = Date.now()): Pod[] {
  const onNode = new Map<string, number>();
  for (const p of related) if (isActive(p)) onNode.set(p.spec?.nodeName ?? '', (onNode.get(p.spec?.nodeName ?? '') ?? 0) + 1);
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((a, b) => (deletesBefore(a, b, now) ? -1 : deletesBefore(b, a, now) ? 1 : 0));
  return ranked.map((r) => r.pod);
}

/** The `diff` pods to delete from `filtered` (all active pods of the ReplicaSet); `related` ranks them. */
export function podsToDelete(filtered: Pod[], related: Pod[], diff: number, isActive: (p: Pod) => boolean, now = Date.now()): Pod[] {
  if (diff >= filtered.length) return [...filtered];
  return sortPodsForDeletion(filtered, related, isActive, now).slice(0, diff);
}
