/**
 * Claim sync (upstream syncClaim / syncUnboundClaim / syncBoundClaim). A claim without the
 * bind-completed annotation is matched to a volume (findBestMatch) and bound; with delayed binding
 * (WaitForFirstConsumer) it waits for the scheduler's selected-node annotation or pre-bound volume;
 * with no match it waits for its class's provisioner (annotated so the provisioner sees it) or for an
 * administrator. A class-less claim (storageClassName unset, not "") is given the default class
 * once one exists, as upstream's retroactive default StorageClass assignment. A bound claim whose volume is gone, or bound elsewhere, becomes Lost.
 */
import type { Node } from '../../scheduler/types.js';
import { claimKey, getClass, type BinderDeps } from './deps.js';
import { bindVolumeAndClaim, patchClaim, pvcPath, setClaimPhase } from './bind.js';
import { accessModesSatisfied, findBestMatch, requestedStorage, volumeStorage } from './matching.js';
import { compareQuantities } from '../../machinery/quantity.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_DEFAULT_CLASS,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  NO_PROVISIONER,
  claimClass,
  volumeClass,
  type PersistentVolume,
  type PersistentVolumeClaim,
  type StorageClass,
} from './types.js';

/** Pending claims are looked at again this often even without events (upstream resyncs every 15 s). */
export const PENDING_RESYNC_MS = 15_000;

export async function syncClaim(d: BinderDeps, pvc: PersistentVolumeClaim): Promise<{ requeueAfterMs?: number } | void> {
  if (pvc.metadata?.deletionTimestamp) return;
  if (pvc.metadata?.annotations?.[ANN_BIND_COMPLETED] !== 'yes') return syncUnboundClaim(d, pvc);
  return syncBoundClaim(d, pvc);
}

function defaultClass(d: BinderDeps): string | undefined {
  const defaults = (d.classes.list() as StorageClass[]).filter((c) => c.metadata?.annotations?.[ANN_DEFAULT_CLASS] === 'true');
  defaults.sort((a, b) => (Date.parse(b.metadata?.creationTimestamp ?? '') || 0) - (Date.parse(a.metadata?.creationTimestamp ?? '') || 0) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  return defaults[0]?.metadata?.name;
}

const remember = (d: BinderDeps) => (pv: PersistentVolume) => d.volumes.assume(pv);

async function selectedNode(d: BinderDeps, name: string): Promise<Node | undefined> {
  const res = await d.client.get<Node>(`/api/v1/nodes/${name}`);
  return res.status === 200 ? res.body : undefined;
}

async function syncUnboundClaim(d: BinderDeps, pvc: PersistentVolumeClaim): Promise<{ requeueAfterMs?: number } | void> {
  const volumeName = pvc.spec?.volumeName;
  if (volumeName) return syncPreboundClaim(d, pvc, volumeName);
  if (pvc.spec?.storageClassName === undefined || pvc.spec.storageClassName === null) {
    // Retroactive default class (upstream since 1.28): a class-less claim created before any default existed.
    const def = defaultClass(d);
    if (def) {
      const res = await d.client.patch(pvcPath(pvc.metadata?.namespace ?? '', pvc.metadata?.name ?? ''), { metadata: { resourceVersion: pvc.metadata?.resourceVersion }, spec: { storageClassName: def } });
      if (res.status === 200) return;
      // An API server refusing the nil -> class update (422) leaves the claim class-less; bind it as such.
      if (res.status !== 422) throw new Error(`set default class on ${pvc.metadata?.namespace}/${pvc.metadata?.name}: ${res.status} ${res.text.slice(0, 200)}`);
    }
  }
  const cls = getClass(d, claimClass(pvc));
  const delayBinding = cls?.volumeBindingMode === 'WaitForFirstConsumer';
  const nodeName = pvc.metadata?.annotations?.[ANN_SELECTED_NODE];
  const node = delayBinding && nodeName ? await selectedNode(d, nodeName) : undefined;
  const pv = findBestMatch(pvc, d.volumes.list(), { delayBinding, node });
  if (pv) return bindVolumeAndClaim(d.client, pv, pvc, remember(d));
  if (pvc.status?.phase !== 'Pending') await setClaimPhase(d.client, pvc, 'Pending');
  if (delayBinding && !nodeName) {
    await d.recorder.record(pvc, 'Normal', 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding');
    return;
  }
  if (cls?.provisioner && cls.provisioner !== NO_PROVISIONER) {
    const ann = pvc.metadata?.annotations ?? {};
    if (ann[ANN_STORAGE_PROVISIONER] !== cls.provisioner) {
      await patchClaim(d.client, pvc, { metadata: { annotations: { [ANN_STORAGE_PROVISIONER]: cls.provisioner, [ANN_BETA_STORAGE_PROVISIONER]: cls.provisioner } } });
    }
    await d.recorder.record(pvc, 'Normal', 'ExternalProvisioning', `Waiting for a volume to be created either by the external provisioner '${cls.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`);
    return { requeueAfterMs: PENDING_RESYNC_MS };
  }
  const className = claimClass(pvc);
  const why = !className ? 'no persistent volumes available for this claim and no storage class is set' : cls ? 'no persistent volumes available for this claim' : `storageclass.storage.k8s.io "${className}" not found`;
  await d.recorder.record(pvc, className && !cls ? 'Warning' : 'Normal', 'FailedBinding', why);
  return { requeueAfterMs: PENDING_RESYNC_MS };
}

/** The user named the volume in spec.volumeName: bind to it if it is free (or already ours) and fits. */
async function syncPreboundClaim(d: BinderDeps, pvc: PersistentVolumeClaim, volumeName: string): Promise<{ requeueAfterMs?: number } | void> {
  const pv = d.volumes.get(volumeName);
  const ref = pv?.spec?.claimRef;
  const ours = ref && ref.name === pvc.metadata?.name && ref.namespace === pvc.metadata?.namespace && (!ref.uid || ref.uid === pvc.metadata?.uid);
  if (!pv || (ref && !ours)) {
    if (pvc.status?.phase !== 'Pending') await setClaimPhase(d.client, pvc, 'Pending');
    await d.recorder.record(pvc, 'Warning', 'FailedBinding', pv ? 'volume already bound to a different claim.' : `volume "${volumeName}" not found`);
    return { requeueAfterMs: PENDING_RESYNC_MS };
  }
  const fits = compareQuantities(volumeStorage(pv), requestedStorage(pvc)) >= 0 && accessModesSatisfied(pv, pvc) && volumeClass(pv) === claimClass(pvc);
  if (!fits) {
    await d.recorder.record(pvc, 'Warning', 'VolumeMismatch', 'Cannot bind to requested volume: requested PV is too small, or its access modes or storage class do not match the claim');
    return { requeueAfterMs: PENDING_RESYNC_MS };
  }
  return bindVolumeAndClaim(d.client, pv, pvc, remember(d));
}

async function syncBoundClaim(d: BinderDeps, pvc: PersistentVolumeClaim): Promise<void> {
  const volumeName = pvc.spec?.volumeName;
  const lost = async (reason: string, message: string): Promise<void> => {
    if (pvc.status?.phase !== 'Lost') await setClaimPhase(d.client, pvc, 'Lost');
    await d.recorder.record(pvc, 'Warning', reason, message);
  };
  if (!volumeName) return lost('ClaimLost', 'Bound claim has lost reference to PersistentVolume. Data on the volume is lost!');
  const pv = d.volumes.get(volumeName);
  if (!pv) return lost('ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
  const ref = pv.spec?.claimRef;
  if (!ref || ref.uid === pvc.metadata?.uid) return bindVolumeAndClaim(d.client, pv, pvc, remember(d));
  d.enqueueVolume(volumeName);
  return lost('ClaimMisbound', 'Two claims are bound to the same volume, this one is bound incorrectly');
}

export { claimKey };
