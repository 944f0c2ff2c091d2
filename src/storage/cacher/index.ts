/**
 * Watch cache (kube-apiserver's Cacher) for Skiff storage: `createCacher(backend, opts)` decorates
 * any Storage with in-memory lists and watches of registered resource prefixes. See cacher.ts.
 */
export { createCacher } from './cacher.js';
export type { CachedStorage, CacherOptions, CacherStats, ListWithRVOptions, ResourceVersionMatch } from './cacher.js';
export type { CacheWatch, WatchEventHandler } from './cache-watcher.js';
