/**
 * Local-path provisioner (what k3s ships as rancher's local-path-provisioner, here in-process).
 *
 * At start: creates the default StorageClass `local-path` (provisioner skiff.dev/local-path,
 * WaitForFirstConsumer, reclaim Delete). Input: PersistentVolumeClaims, PersistentVolumes and
 * StorageClasses (informers). For an unbound claim of a class with this provisioner that the
 * scheduler has given a node (volume.kubernetes.io/selected-node), makes `<dataDir>/local-path/<uid>`
 * and creates PV `pvc-<uid>` (hostPath to it, nodeAffinity to the node, capacity = the request,
 * claimRef to the claim, pv.kubernetes.io/provisioned-by); the PV binder then binds the pair. A
 * Released volume of ours with reclaim Delete loses its directory and then its PV object; a volume of
 * ours deleted by anyone with reclaim Delete loses its directory. Output: API writes, directories,
 * events; `stop()`.
 */
import { mkdir, rm } from 'node:fs/promises';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller, EventRecorder } from '../../runtime/index.js';
import { ANN_SELECTED_NODE, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from '../persistentvolume/types.js';
import { LOCAL_PATH_PROVISIONER, ensureLocalPathStorageClass } from './storage-class.js';
import { buildVolume, ownedDirOf, volumeDirFor, volumeNameFor } from './volume.js';

export interface LocalPathOptions {
  /** Volumes live under `<dataDir>/local-path/`. */
  dataDir: string;
  onError?: (key: string, err: unknown) => void;
}

const okDelete = (s: number): boolean => s === 200 || s === 202 || s === 404;

export async function startLocalPathProvisioner(client: RestClient, opts: LocalPathOptions): Promise<{ stop(): void }> {
  await ensureLocalPathStorageClass(client);
  const pvcs = new Informer(client, { path: '/api/v1/persistentvolumeclaims' });
  const pvs = new Informer(client, { path: '/api/v1/persistentvolumes' });
  const classes = new Informer(client, { path: '/apis/storage.k8s.io/v1/storageclasses' });
  const recorder = new EventRecorder(client, { component: `${LOCAL_PATH_PROVISIONER}_local-path-provisioner` });

  const provisioner = new Controller({
    name: 'local-path-provisioner',
    workers: 2,
    onError: opts.onError,
    reconcile: async (_ctx, { namespace, name }) => {
      const pvc = pvcs.get(`${namespace}/${name}`) as PersistentVolumeClaim | undefined;
      if (!pvc || pvc.metadata?.deletionTimestamp || pvc.spec?.volumeName) return;
      const cls = classes.get(pvc.spec?.storageClassName ?? '') as StorageClass | undefined;
      const nodeName = pvc.metadata?.annotations?.[ANN_SELECTED_NODE];
      if (!cls || cls.provisioner !== LOCAL_PATH_PROVISIONER || !nodeName) return;
      if (pvs.get(volumeNameFor(pvc))) return;
      const dir = volumeDirFor(opts.dataDir, pvc);
      try {
        await mkdir(dir, { recursive: true });
        const res = await client.post('/api/v1/persistentvolumes', buildVolume(pvc, cls, nodeName, dir));
        if (res.status === 409) return;
        if (res.status !== 201 && res.status !== 200) throw new Error(`create persistentvolume ${volumeNameFor(pvc)}: ${res.status} ${res.text.slice(0, 200)}`);
      } catch (err) {
        await recorder.record(pvc, 'Warning', 'ProvisioningFailed', `failed to provision volume with StorageClass "${cls.metadata?.name}": ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
      await recorder.record(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volumeNameFor(pvc)}`);
    },
  });

  const deleter = new Controller({
    name: 'local-path-deleter',
    workers: 1,
    onError: opts.onError,
    reconcile: async (_ctx, { name }) => {
      const pv = pvs.get(name) as PersistentVolume | undefined;
      if (!pv || pv.metadata?.deletionTimestamp || pv.status?.phase !== 'Released' || pv.spec?.persistentVolumeReclaimPolicy !== 'Delete') return;
      const dir = ownedDirOf(pv, opts.dataDir);
      if (!dir) return;
      await rm(dir, { recursive: true, force: true });
      const res = await client.delete(`/api/v1/persistentvolumes/${name}`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: pv.metadata?.uid } });
      if (!okDelete(res.status) && res.status !== 409) throw new Error(`delete persistentvolume ${name}: ${res.status} ${res.text.slice(0, 200)}`);
    },
  });

  provisioner.watches(pvcs);
  provisioner.watches(classes, () => (pvcs.list() as PersistentVolumeClaim[]).filter((c) => !c.spec?.volumeName).map((c) => `${c.metadata?.namespace}/${c.metadata?.name}`));
  deleter.watches(pvs);
  pvs.addHandlers({
    onDelete: (o) => {
      const pv = o as PersistentVolume;
      const dir = pv.spec?.persistentVolumeReclaimPolicy === 'Delete' ? ownedDirOf(pv, opts.dataDir) : undefined;
      if (dir) void rm(dir, { recursive: true, force: true }).catch((err: unknown) => opts.onError?.(pv.metadata?.name ?? '', err));
    },
  });
  for (const inf of [pvcs, pvs, classes]) inf.start();
  await Promise.all([pvcs, pvs, classes].map((inf) => inf.waitForSync()));
  provisioner.start();
  deleter.start();
  return {
    stop() {
      provisioner.stop();
      deleter.stop();
      for (const inf of [pvcs, pvs, classes]) inf.stop();
    },
  };
}

export { LOCAL_PATH_CLASS, LOCAL_PATH_PROVISIONER, localPathStorageClass } from './storage-class.js';
export { buildVolume, ownedDirOf, volumeDirFor } from './volume.js';
