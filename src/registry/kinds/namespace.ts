/**
 * Namespaces: phase Active on create; a delete marks the namespace Terminating and keeps it while
 * spec.finalizers holds it (the namespace controller empties it and calls /finalize).
 */
import type { KubeObject } from '../../api/types.js';
import type { ResourceHooks } from '../store.js';

function specFinalizers(obj: KubeObject): string[] {
  const spec = obj.spec as { finalizers?: string[] } | undefined;
  return spec?.finalizers ?? [];
}

export const namespaceHooks: ResourceHooks = {
  async beforeCreate(obj) {
    obj.status = { ...(obj.status as object | undefined), phase: 'Active' };
  },
  holdsDeletion: (obj) => specFinalizers(obj).length > 0,
  markDeleting(obj) {
    obj.status = { ...(obj.status as object | undefined), phase: 'Terminating' };
  },
};

/** The namespaces that exist from the start. */
export const initialNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
