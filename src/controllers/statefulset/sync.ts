/**
 * One StatefulSet sync (upstream stateful_set_control.go updateStatefulSet, without the alpha gates):
 * 1. replace failed pods and create missing ones in ordinal order (OrderedReady: one at a time, each
 *    Running and Ready before the next; Parallel: all at once), with their claims first;
 * 2. delete pods above the replica count, highest ordinal first (OrderedReady: one at a time, only
 *    while every other pod is healthy);
 * 3. RollingUpdate: replace pods not at the update revision from the highest ordinal down to the
 *    partition, at most maxUnavailable unavailable at once (OnDelete: only new pods get the update).
 */
import type { RestClient } from '../../client/rest.js';
import type { EventRecorder } from '../../runtime/index.js';
import { isPodAvailable } from '../common/pods.js';
import type { ControllerRevision } from '../common/revisions.js';
import { scaledValue } from '../deployment/util.js';
import { claimOwners, createMissingClaims, updateClaimOwners } from './claims.js';
import { claimName, newStatefulPod, ordinalOf, revisionOfPod } from './identity.js';
import { isFailed, isRunningAndReady, isTerminating, replicasOf, startOrdinal } from './util.js';
import type { PersistentVolumeClaim, Pod, PodTemplateSpec, StatefulSet } from './types.js';

export interface StatefulSetSyncDeps {
  client: RestClient;
  recorder: EventRecorder;
  now(): number;
}

export interface Revisions {
  current: ControllerRevision;
  update: ControllerRevision;
}

const templateOf = (r: ControllerRevision): PodTemplateSpec => {
  const t = structuredClone((r.data as { spec: { template: PodTemplateSpec & { $patch?: string } } }).spec.template);
  delete t.$patch;
  return t;
};

export async function syncStatefulSet(d: StatefulSetSyncDeps, set: StatefulSet, pods: Pod[], claims: Map<string, PersistentVolumeClaim>, revs: Revisions): Promise<void> {
  const ns = set.metadata.namespace ?? 'default';
  const replicas = replicasOf(set);
  const start = startOrdinal(set);
  const end = start + replicas;
  const ordered = (set.spec.podManagementPolicy ?? 'OrderedReady') === 'OrderedReady';
  const strategy = set.spec.updateStrategy ?? {};
  const rolling = (strategy.type ?? 'RollingUpdate') === 'RollingUpdate';
  const partition = rolling ? (strategy.rollingUpdate?.partition ?? 0) : 0;
  const byOrdinal = new Map<number, Pod>();
  for (const p of pods) {
    const o = ordinalOf(set, p);
    if (o >= 0) byOrdinal.set(o, p);
  }
  const podUrl = (name: string) => `/api/v1/namespaces/${ns}/pods/${name}`;

  const create = async (ordinal: number) => {
    await createMissingClaims(d.client, set, ordinal, replicas, claims);
    const useCurrent = rolling && ordinal < start + partition;
    const rev = useCurrent ? revs.current : revs.update;
    const pod = newStatefulPod(set, templateOf(rev), ordinal, rev.metadata.name ?? '');
    const res = await d.client.post(`/api/v1/namespaces/${ns}/pods`, pod);
    if (res.status === 409) return;
    if (res.status !== 201) {
      void d.recorder.record(set, 'Warning', 'FailedCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} failed error: ${res.text.slice(0, 200)}`);
      throw new Error(`create pod ${pod.metadata.name}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    void d.recorder.record(set, 'Normal', 'SuccessfulCreate', `create Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  };
  const remove = async (pod: Pod) => {
    const res = await d.client.delete(podUrl(pod.metadata.name ?? ''));
    if (res.status >= 300 && res.status !== 404) throw new Error(`delete pod ${pod.metadata.name}: ${res.status} ${res.text.slice(0, 200)}`);
    void d.recorder.record(set, 'Normal', 'SuccessfulDelete', `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`);
  };

  // 1. Pods in range.
  for (let ord = start; ord < end; ord++) {
    const pod = byOrdinal.get(ord);
    if (!pod) {
      await create(ord);
      if (ordered) return;
      continue;
    }
    if (isFailed(pod) && !isTerminating(pod)) {
      await remove(pod);
      if (ordered) return;
      continue;
    }
    // Claims lost meanwhile are recreated; owner references follow the retention policy.
    await createMissingClaims(d.client, set, ord, replicas, claims);
    await syncClaimOwners(d, set, ord, replicas, pod, claims);
    if (ordered && (isTerminating(pod) || !isRunningAndReady(pod))) return;
  }
  // 2. Pods above the count, highest ordinal first.
  const condemned = pods.filter((p) => { const o = ordinalOf(set, p); return o < start || o >= end; }).sort((a, b) => ordinalOf(set, b) - ordinalOf(set, a));
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (ordered) return;
      continue;
    }
    await syncClaimOwners(d, set, ordinalOf(set, pod), replicas, pod, claims);
    await remove(pod);
    if (ordered) return;
  }
  if (!rolling) return;
  // 3. Rolling update, highest ordinal first, down to the partition.
  const maxUnavailable = Math.max(1, scaledValue(strategy.rollingUpdate?.maxUnavailable ?? 1, replicas, false, '1'));
  const minReady = set.spec.minReadySeconds ?? 0;
  let unavailable = 0;
  for (let ord = start; ord < end; ord++) {
    const p = byOrdinal.get(ord);
    if (!p || isTerminating(p) || !isPodAvailable(p, minReady, d.now())) unavailable++;
  }
  for (let ord = end - 1; ord >= start + partition; ord--) {
    const pod = byOrdinal.get(ord);
    if (!pod || revisionOfPod(pod) === revs.update.metadata.name) continue;
    if (isTerminating(pod)) continue;
    if (unavailable >= maxUnavailable) return;
    // An unavailable outdated pod is replaced without using up the budget (it is down already).
    if (isPodAvailable(pod, minReady, d.now())) unavailable++;
    await remove(pod);
  }
}

async function syncClaimOwners(d: StatefulSetSyncDeps, set: StatefulSet, ordinal: number, replicas: number, pod: Pod, claims: Map<string, PersistentVolumeClaim>): Promise<void> {
  if (!set.spec.persistentVolumeClaimRetentionPolicy) return;
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const claim = claims.get(claimName(t.metadata.name ?? '', set, ordinal));
    if (claim) await updateClaimOwners(d.client, set, claim, claimOwners(set, ordinal, replicas, pod));
  }
}

/** Status from the pods (upstream computeReplicaStatus + completeRollingUpdate). */
export function statefulSetStatus(set: StatefulSet, pods: Pod[], revs: Revisions, collisionCount: number, now: number): NonNullable<StatefulSet['status']> {
  const minReady = set.spec.minReadySeconds ?? 0;
  let replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
  for (const p of pods) {
    replicas++;
    if (isRunningAndReady(p)) ready++;
    if (isRunningAndReady(p) && isPodAvailable(p, minReady, now)) available++;
    if (isTerminating(p)) continue;
    const rev = revisionOfPod(p);
    if (rev === revs.current.metadata.name) current++;
    if (rev === revs.update.metadata.name) updated++;
  }
  const status = {
    observedGeneration: set.metadata.generation ?? 0,
    replicas,
    readyReplicas: ready,
    currentReplicas: current,
    updatedReplicas: updated,
    availableReplicas: available,
    currentRevision: revs.current.metadata.name ?? '',
    updateRevision: revs.update.metadata.name ?? '',
    collisionCount,
  };
  const rolling = (set.spec.updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
  if (rolling && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas && status.replicas === replicasOf(set)) {
    status.currentRevision = status.updateRevision;
    status.currentReplicas = status.updatedReplicas;
  }
  return status;
}
