/**
 * The shapes of PersistentVolumes, PersistentVolumeClaims and StorageClasses the PV binder reads and
 * writes (core/v1 and storage.k8s.io/v1), plus the annotation names upstream's pv_controller uses.
 */
import type { KubeObject } from '../../api/types.js';
import type { LabelSelectorSpec } from '../../machinery/labels.js';
import type { NodeSelector } from '../../scheduler/types.js';

export type ResourceList = Record<string, string>;

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  resourceVersion?: string;
}

export interface PersistentVolumeClaim extends KubeObject {
  spec?: {
    accessModes?: string[];
    selector?: LabelSelectorSpec | null;
    resources?: { requests?: ResourceList };
    volumeName?: string;
    storageClassName?: string | null;
    volumeMode?: string;
  };
  status?: { phase?: string; accessModes?: string[]; capacity?: ResourceList };
}

export interface PersistentVolume extends KubeObject {
  spec?: {
    capacity?: ResourceList;
    accessModes?: string[];
    claimRef?: ObjectReference | null;
    persistentVolumeReclaimPolicy?: 'Retain' | 'Delete' | 'Recycle';
    storageClassName?: string;
    volumeMode?: string;
    nodeAffinity?: { required?: NodeSelector };
    hostPath?: { path: string; type?: string };
    local?: { path: string };
  };
  status?: { phase?: string; message?: string; reason?: string };
}

export interface StorageClass extends KubeObject {
  provisioner?: string;
  reclaimPolicy?: 'Retain' | 'Delete';
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
}

export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
/** Static PVs only: classes with this provisioner are never provisioned dynamically. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** A PVC's class: unset and "" both mean "no class" once admission has run. */
export const claimClass = (pvc: PersistentVolumeClaim): string => pvc.spec?.storageClassName ?? '';
export const volumeClass = (pv: PersistentVolume): string => pv.spec?.storageClassName ?? '';
export const volumeMode = (mode: string | undefined): string => mode ?? 'Filesystem';
