/**
 * The writes that bind a PersistentVolume and a PersistentVolumeClaim to each other, in upstream's
 * order (pv_controller.go bind): the volume's claimRef, the volume's phase, the claim's volumeName
 * with its annotations, then the claim's status. Each step is skipped when already done, so a bind
 * interrupted half-way is finished by the next sync of either object.
 */
import type { RestClient } from '../../client/rest.js';
import { isVolumeBoundToClaim } from './matching.js';
import { ANN_BIND_COMPLETED, ANN_BOUND_BY_CONTROLLER, type PersistentVolume, type PersistentVolumeClaim } from './types.js';

export const pvPath = (name: string): string => `/api/v1/persistentvolumes/${name}`;
export const pvcPath = (ns: string, name: string): string => `/api/v1/namespaces/${ns}/persistentvolumeclaims/${name}`;

async function write<T>(res: Promise<{ status: number; text: string; body: T }>, what: string): Promise<T> {
  const r = await res;
  if (r.status !== 200 && r.status !== 201) throw new Error(`${what}: ${r.status} ${r.text.slice(0, 200)}`);
  return r.body;
}

export const patchVolume = (client: RestClient, name: string, patch: unknown, sub = ''): Promise<PersistentVolume> =>
  write(client.patch<PersistentVolume>(`${pvPath(name)}${sub}`, patch), `patch persistentvolume ${name}${sub}`);

export const patchClaim = (client: RestClient, pvc: PersistentVolumeClaim, patch: unknown, sub = ''): Promise<PersistentVolumeClaim> =>
  write(client.patch<PersistentVolumeClaim>(`${pvcPath(pvc.metadata?.namespace ?? '', pvc.metadata?.name ?? '')}${sub}`, patch), `patch persistentvolumeclaim ${pvc.metadata?.namespace}/${pvc.metadata?.name}${sub}`);

export const setVolumePhase = (client: RestClient, pv: PersistentVolume, phase: string, message?: string): Promise<PersistentVolume> =>
  patchVolume(client, pv.metadata?.name ?? '', { status: { phase, message: message ?? null } }, '/status');

export const setClaimPhase = (client: RestClient, pvc: PersistentVolumeClaim, phase: string): Promise<PersistentVolumeClaim> =>
  patchClaim(client, pvc, { status: { phase } }, '/status');

/** Binds both ways; `onVolumeWritten` sees each new version of the volume (for the binder's cache). */
export async function bindVolumeAndClaim(client: RestClient, pv: PersistentVolume, pvc: PersistentVolumeClaim, onVolumeWritten: (pv: PersistentVolume) => void): Promise<void> {
  const meta = pvc.metadata ?? {};
  let volume = pv;
  if (!isVolumeBoundToClaim(volume, pvc) || volume.spec?.claimRef?.uid !== meta.uid) {
    // Setting the claimRef ourselves (not completing a claimRef the scheduler or a user wrote with the uid).
    volume = await patchVolume(client, volume.metadata?.name ?? '', {
      metadata: { resourceVersion: volume.metadata?.resourceVersion, annotations: { [ANN_BOUND_BY_CONTROLLER]: 'yes' } },
      spec: { claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: meta.namespace, name: meta.name, uid: meta.uid, resourceVersion: meta.resourceVersion } },
    });
    onVolumeWritten(volume);
  }
  if (volume.status?.phase !== 'Bound') {
    volume = await setVolumePhase(client, volume, 'Bound');
    onVolumeWritten(volume);
  }
  const volumeName = volume.metadata?.name ?? '';
  let claim = pvc;
  if (claim.spec?.volumeName !== volumeName || claim.metadata?.annotations?.[ANN_BIND_COMPLETED] !== 'yes') {
    const annotations: Record<string, string> = { [ANN_BIND_COMPLETED]: 'yes' };
    if (claim.spec?.volumeName !== volumeName) annotations[ANN_BOUND_BY_CONTROLLER] = 'yes';
    claim = await patchClaim(client, claim, { metadata: { resourceVersion: claim.metadata?.resourceVersion, annotations }, spec: { volumeName } });
  }
  const st = claim.status ?? {};
  const capacity = volume.spec?.capacity ?? {};
  const modes = volume.spec?.accessModes ?? [];
  if (st.phase !== 'Bound' || JSON.stringify(st.capacity ?? {}) !== JSON.stringify(capacity) || JSON.stringify(st.accessModes ?? []) !== JSON.stringify(modes)) {
    await patchClaim(client, claim, { status: { phase: 'Bound', capacity, accessModes: modes } }, '/status');
  }
}
