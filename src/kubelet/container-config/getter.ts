/**
 * Where the container-config translation reads the ConfigMaps and Secrets that env and envFrom
 * reference. The kubelet implements it over informers (upstream's configMapManager/secretManager).
 */
import type { KubeObject } from '../../api/types.js';

export interface ObjectGetter {
  /** The object, or null when it does not exist; other failures throw. */
  get(resource: 'configmaps' | 'secrets', namespace: string, name: string): Promise<KubeObject | null>;
}
