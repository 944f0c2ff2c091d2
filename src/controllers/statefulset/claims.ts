/**
 * PersistentVolumeClaims of a StatefulSet (upstream stateful_pod_control.go createPersistentVolumeClaims
 * and the StatefulSetAutoDeletePVC retention policy): one claim per template and ordinal, created before
 * the pod and kept across pod restarts. whenDeleted=Delete gives each claim an ownerReference to the set;
 * whenScaled=Delete gives claims of ordinals being scaled away an ownerReference to their pod, so the
 * garbage collector removes them with it.
 */
import type { RestClient } from '../../client/rest.js';
import type { OwnerReference } from '../replicaset/types.js';
import { claimName } from './identity.js';
import { selectorLabels } from './util.js';
import type { PersistentVolumeClaim, Pod, StatefulSet } from './types.js';

const pvcPath = (ns: string) => `/api/v1/namespaces/${ns}/persistentvolumeclaims`;
const setRef = (set: StatefulSet): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: set.metadata.name ?? '', uid: set.metadata.uid ?? '', blockOwnerDeletion: true });
const podRef = (pod: Pod): OwnerReference => ({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name ?? '', uid: pod.metadata.uid ?? '', blockOwnerDeletion: true });

/** The owner references a claim should carry for this ordinal under the retention policy. */
export function claimOwners(set: StatefulSet, ordinal: number, replicas: number, pod: Pod | undefined): OwnerReference[] {
  const policy = set.spec.persistentVolumeClaimRetentionPolicy ?? {};
  const refs: OwnerReference[] = [];
  if (policy.whenDeleted === 'Delete') refs.push(setRef(set));
  const start = set.spec.ordinals?.start ?? 0;
  if (policy.whenScaled === 'Delete' && pod?.metadata.uid && (ordinal < start || ordinal >= start + replicas)) refs.push(podRef(pod));
  return refs;
}

/** Creates the missing claims for an ordinal; existing claims are kept as they are. */
export async function createMissingClaims(client: RestClient, set: StatefulSet, ordinal: number, replicas: number, existing: Map<string, PersistentVolumeClaim>): Promise<void> {
  const ns = set.metadata.namespace ?? 'default';
  for (const t of set.spec.volumeClaimTemplates ?? []) {
    const name = claimName(t.metadata.name ?? '', set, ordinal);
    if (existing.has(name)) continue;
    const owners = claimOwners(set, ordinal, replicas, undefined);
    const body = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: ns, labels: { ...(t.metadata.labels ?? {}), ...selectorLabels(set) }, annotations: t.metadata.annotations, ...(owners.length ? { ownerReferences: owners } : {}) },
      spec: t.spec,
    };
    const res = await client.post(pvcPath(ns), body);
    if (res.status !== 201 && res.status !== 409) throw new Error(`create claim ${name}: ${res.status} ${res.text.slice(0, 200)}`);
  }
}

/** Brings a claim's owner references in line with the retention policy (keeps references to others). */
export async function updateClaimOwners(client: RestClient, set: StatefulSet, claim: PersistentVolumeClaim, want: OwnerReference[]): Promise<void> {
  const ours = (r: OwnerReference) => r.uid === set.metadata.uid || (r.kind === 'Pod' && r.apiVersion === 'v1');
  const current = claim.metadata.ownerReferences ?? [];
  const next = [...current.filter((r) => !ours(r)), ...want];
  const key = (rs: OwnerReference[]) => rs.map((r) => r.uid).sort().join();
  if (key(next) === key(current)) return;
  const res = await client.patch(`${pvcPath(claim.metadata.namespace ?? 'default')}/${claim.metadata.name}`, { metadata: { ownerReferences: next, resourceVersion: claim.metadata.resourceVersion } });
  if (res.status !== 200 && res.status !== 404) throw new Error(`update claim owners ${claim.metadata.name}: ${res.status} ${res.text.slice(0, 200)}`);
}
