/**
 * DefaultStorageClass admission (upstream plugin/pkg/admission/storage/storageclass/setdefault):
 * a PersistentVolumeClaim created with no spec.storageClassName (absent or null; "" is an explicit
 * "no class" and is kept) gets the cluster's default StorageClass, the one annotated
 * storageclass.kubernetes.io/is-default-class: "true" (or the beta annotation). With several
 * defaults the newest wins (then the name, as upstream since 1.26); with none the claim is unchanged.
 * Claims carrying the deprecated volume.beta.kubernetes.io/storage-class annotation are left alone.
 */
import type { KubeObject } from '../../api/types.js';
import { decode } from '../codec.js';
import type { ResourceHooks } from '../store.js';
import { listObjects } from '../store-read.js';
import type { StoreLookup } from './quota.js';

const DEFAULT_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];
const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

export const isDefaultClass = (cls: KubeObject): boolean => DEFAULT_ANNOTATIONS.some((a) => cls.metadata?.annotations?.[a] === 'true');

/** The default class among these, or undefined. */
export function pickDefaultClass(classes: readonly KubeObject[]): KubeObject | undefined {
  const defaults = classes.filter(isDefaultClass);
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
    return tb - ta || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
  });
  return defaults[0];
}

export function defaultStorageClassHooks(registry: StoreLookup): ResourceHooks {
  return {
    async beforeCreate(obj) {
      const spec = (obj as { spec?: { storageClassName?: string | null } }).spec;
      if (!spec || (spec.storageClassName !== undefined && spec.storageClassName !== null)) return;
      if (obj.metadata?.annotations?.[BETA_CLASS_ANNOTATION] !== undefined) return;
      const store = registry.storeFor('storage.k8s.io', 'v1', 'storageclasses');
      if (!store) return;
      const chosen = pickDefaultClass((await listObjects(store, undefined, { resourceVersion: '0' })).items.map(decode));
      if (chosen?.metadata?.name) spec.storageClassName = chosen.metadata.name;
    },
  };
}
