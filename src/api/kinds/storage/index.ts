/** The storage.k8s.io/v1 kinds served so far: StorageClass. */
import type { KindDefinition } from '../../types.js';
import { storageClass } from './storage-class.js';

export { storageClass };
export const kinds: KindDefinition[] = [storageClass];
