/**
 * Volume sync (upstream syncVolume and reclaimVolume). An unclaimed volume is Available; a volume
 * pre-bound to a claim pokes that claim; a volume whose claim is gone (or is a new claim with the
 * same name) is Released and then reclaimed by its policy: Retain keeps it Released until an
 * administrator clears the claimRef, Delete deletes it (volumes of an external provisioner, marked
 * pv.kubernetes.io/provisioned-by, are left to that provisioner, which removes the storage first),
 * Recycle is not supported and fails the volume. A volume its claim no longer points at, bound by
 * this controller, is made Available again.
 */
import { claimKey, getClaim, type BinderDeps } from './deps.js';
import { patchVolume, pvcPath, pvPath, setVolumePhase } from './bind.js';
import { ANN_BOUND_BY_CONTROLLER, ANN_PROVISIONED_BY, type PersistentVolume, type PersistentVolumeClaim } from './types.js';

export async function syncVolume(d: BinderDeps, pv: PersistentVolume): Promise<void> {
  const name = pv.metadata?.name ?? '';
  if (pv.metadata?.deletionTimestamp) return;
  const ref = pv.spec?.claimRef;
  const setPhase = async (phase: string, message?: string): Promise<void> => {
    if (pv.status?.phase !== phase) d.volumes.assume(await setVolumePhase(d.client, pv, phase, message));
  };
  if (!ref) return setPhase('Available');
  const key = claimKey(ref.namespace, ref.name);
  if (!ref.uid) {
    // Pre-bound by a user or the scheduler but not bound yet: the claim sync finishes the bind.
    await setPhase('Available');
    d.enqueueClaim(key);
    return;
  }
  let claim = getClaim(d, key);
  if (!claim || claim.metadata?.uid !== ref.uid) {
    // The cache may lag behind a just-created claim: confirm with the API before releasing.
    const live = await d.client.get<PersistentVolumeClaim>(pvcPath(ref.namespace ?? '', ref.name ?? ''));
    if (live.status !== 200 && live.status !== 404) throw new Error(`get persistentvolumeclaim ${key}: ${live.status}`);
    claim = live.status === 200 ? live.body : undefined;
  }
  if (!claim || claim.metadata?.uid !== ref.uid) {
    if (pv.status?.phase !== 'Released' && pv.status?.phase !== 'Failed') await setPhase('Released');
    return reclaimVolume(d, pv);
  }
  const claimVolume = claim.spec?.volumeName;
  if (!claimVolume) {
    d.enqueueClaim(key);
    return;
  }
  if (claimVolume === name) return setPhase('Bound');
  // The claim is bound to another volume: undo our half of a bind that lost a race.
  if (pv.metadata?.annotations?.[ANN_BOUND_BY_CONTROLLER]) {
    const next = await patchVolume(d.client, name, { metadata: { resourceVersion: pv.metadata.resourceVersion, annotations: { [ANN_BOUND_BY_CONTROLLER]: null } }, spec: { claimRef: null } });
    d.volumes.assume(next);
    d.volumes.assume(await setVolumePhase(d.client, next, 'Available'));
  }
}

async function reclaimVolume(d: BinderDeps, pv: PersistentVolume): Promise<void> {
  const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
  if (policy === 'Retain') return;
  if (policy === 'Recycle') {
    if (pv.status?.phase !== 'Failed') d.volumes.assume(await setVolumePhase(d.client, pv, 'Failed', 'Recycle is not supported; use Retain or Delete'));
    await d.recorder.record(pv, 'Warning', 'VolumeFailedRecycle', 'Recycle is not supported; use Retain or Delete');
    return;
  }
  // Dynamically provisioned: the provisioner deletes the storage, then the PV.
  if (pv.metadata?.annotations?.[ANN_PROVISIONED_BY]) return;
  const res = await d.client.delete(pvPath(pv.metadata?.name ?? ''), { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: pv.metadata?.uid } });
  if (res.status !== 200 && res.status !== 202 && res.status !== 404 && res.status !== 409) throw new Error(`delete persistentvolume ${pv.metadata?.name}: ${res.status} ${res.text.slice(0, 200)}`);
  d.volumes.forget(pv.metadata?.name ?? '');
}
