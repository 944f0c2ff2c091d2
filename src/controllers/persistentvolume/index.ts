/**
 * PersistentVolume binder (upstream pkg/controller/volume/persistentvolume, pv_controller).
 *
 * Input: PersistentVolumes, PersistentVolumeClaims and StorageClasses (informers). Two queues as
 * upstream: claims (`ns/name`, sync-claim.ts) are matched to the smallest fitting Available volume
 * (matching.ts) and bound both ways (bind.ts: PV claimRef + phase Bound, PVC volumeName + phase Bound
 * + capacity + access modes, bind-completed / bound-by-controller annotations); volumes (`name`,
 * sync-volume.ts) track their claim and are Released then reclaimed (Retain / Delete) when it goes.
 * WaitForFirstConsumer claims wait for the scheduler (selected-node annotation or a pre-bound PV).
 * Output: API writes and events; `stop()`.
 */
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller, EventRecorder } from '../../runtime/index.js';
import { claimKey, type BinderDeps } from './deps.js';
import { syncClaim } from './sync-claim.js';
import { syncVolume } from './sync-volume.js';
import type { PersistentVolume, PersistentVolumeClaim } from './types.js';
import { VolumeCache } from './volume-cache.js';

export interface PersistentVolumeControllerOptions {
  onError?: (key: string, err: unknown) => void;
}

export async function startPersistentVolumeController(client: RestClient, opts: PersistentVolumeControllerOptions = {}): Promise<{ stop(): void }> {
  const pvs = new Informer(client, { path: '/api/v1/persistentvolumes' });
  const pvcs = new Informer(client, { path: '/api/v1/persistentvolumeclaims' });
  const classes = new Informer(client, { path: '/apis/storage.k8s.io/v1/storageclasses' });
  const volumes = new VolumeCache(pvs);
  // One worker per queue, as upstream: claims never race each other for the same volume.
  const claimQueue: Controller = new Controller({
    name: 'persistentvolume-binder-claims',
    workers: 1,
    onError: opts.onError,
    reconcile: async (_ctx, { namespace, name }) => {
      const pvc = pvcs.get(claimKey(namespace, name)) as PersistentVolumeClaim | undefined;
      return pvc ? syncClaim(deps, pvc) : undefined;
    },
  });
  const volumeQueue: Controller = new Controller({
    name: 'persistentvolume-binder-volumes',
    workers: 1,
    onError: opts.onError,
    reconcile: async (_ctx, { name }) => {
      const pv = volumes.get(name);
      if (pv) await syncVolume(deps, pv);
    },
  });
  const deps: BinderDeps = {
    client,
    volumes,
    claims: pvcs,
    classes,
    recorder: new EventRecorder(client, { component: 'persistentvolume-controller' }),
    enqueueClaim: (key) => claimQueue.enqueue(key),
    enqueueVolume: (name) => volumeQueue.enqueue(name),
  };
  const unboundClaims = (): string[] => (pvcs.list() as PersistentVolumeClaim[]).filter((c) => !c.spec?.volumeName || c.status?.phase !== 'Bound').map((c) => claimKey(c.metadata?.namespace, c.metadata?.name));
  // A volume change can satisfy any pending claim; a claim change matters to the volume it names.
  claimQueue.watches(pvcs).watches(pvs, (o) => {
    const ref = (o as PersistentVolume).spec?.claimRef;
    return ref ? [claimKey(ref.namespace, ref.name), ...unboundClaims()] : unboundClaims();
  });
  claimQueue.watches(classes, () => unboundClaims());
  volumeQueue.watches(pvs).watches(pvcs, (o) => {
    const c = o as PersistentVolumeClaim;
    const bound = c.spec?.volumeName ? [c.spec.volumeName] : [];
    const named = (pvs.list() as PersistentVolume[]).filter((pv) => pv.spec?.claimRef?.name === c.metadata?.name && pv.spec?.claimRef?.namespace === c.metadata?.namespace);
    return [...new Set([...bound, ...named.map((pv) => pv.metadata?.name ?? '')])];
  });
  for (const inf of [pvs, pvcs, classes]) inf.start();
  await Promise.all([pvs, pvcs, classes].map((inf) => inf.waitForSync()));
  claimQueue.start();
  volumeQueue.start();
  return {
    stop() {
      claimQueue.stop();
      volumeQueue.stop();
      for (const inf of [pvs, pvcs, classes]) inf.stop();
    },
  };
}

export { findBestMatch, isVolumeBoundToClaim } from './matching.js';
export * from './types.js';
