/**
 * The PersistentVolume the local-path provisioner creates for a claim, and where its data lives:
 * `<dataDir>/local-path/<pvc-uid>` on the node the scheduler selected, pinned there by nodeAffinity.
 */
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ANN_PROVISIONED_BY, type PersistentVolume, type PersistentVolumeClaim, type StorageClass } from '../persistentvolume/types.js';
import { LOCAL_PATH_PROVISIONER } from './storage-class.js';

export const volumeRoot = (dataDir: string): string => resolve(dataDir, 'local-path');
export const volumeNameFor = (pvc: PersistentVolumeClaim): string => `pvc-${pvc.metadata?.uid ?? ''}`;
export const volumeDirFor = (dataDir: string, pvc: PersistentVolumeClaim): string => join(volumeRoot(dataDir), pvc.metadata?.uid ?? '');

export function buildVolume(pvc: PersistentVolumeClaim, cls: StorageClass, nodeName: string, dir: string): PersistentVolume & { apiVersion: string; kind: string } {
  const meta = pvc.metadata ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: volumeNameFor(pvc), annotations: { [ANN_PROVISIONED_BY]: LOCAL_PATH_PROVISIONER } },
    spec: {
      capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '0' },
      accessModes: pvc.spec?.accessModes?.length ? [...pvc.spec.accessModes] : ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
      storageClassName: cls.metadata?.name ?? '',
      volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
      hostPath: { path: dir, type: 'DirectoryOrCreate' },
      nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodeName] }] }] } },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: meta.namespace, name: meta.name, uid: meta.uid, resourceVersion: meta.resourceVersion },
    },
  };
}

/** The volume's directory, only when it is one this provisioner made (never delete anything else). */
export function ownedDirOf(pv: PersistentVolume, dataDir: string): string | undefined {
  if (pv.metadata?.annotations?.[ANN_PROVISIONED_BY] !== LOCAL_PATH_PROVISIONER) return undefined;
  const path = pv.spec?.hostPath?.path ?? pv.spec?.local?.path;
  if (!path) return undefined;
  const rel = relative(volumeRoot(dataDir), resolve(path));
  if (!rel || rel.startsWith('..') || isAbsolute(rel) || rel.includes('/')) return undefined;
  return resolve(path);
}
