/** What the claim and volume syncs share: the client, the caches, events and the cross-queue enqueues. */
import type { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import type { EventRecorder } from '../../runtime/index.js';
import type { PersistentVolumeClaim, StorageClass } from './types.js';
import type { VolumeCache } from './volume-cache.js';

export interface BinderDeps {
  client: RestClient;
  volumes: VolumeCache;
  claims: Informer;
  classes: Informer;
  recorder: EventRecorder;
  enqueueClaim(key: string): void;
  enqueueVolume(name: string): void;
}

export const claimKey = (ns: string | undefined, name: string | undefined): string => `${ns ?? ''}/${name ?? ''}`;
export const getClaim = (d: BinderDeps, key: string): PersistentVolumeClaim | undefined => d.claims.get(key) as PersistentVolumeClaim | undefined;
export const getClass = (d: BinderDeps, name: string): StorageClass | undefined => (name ? (d.classes.get(name) as StorageClass | undefined) : undefined);
