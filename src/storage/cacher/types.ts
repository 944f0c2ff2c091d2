/**
 * Public types of the watch cache: options, resourceVersion list options, stats, and the
 * CachedStorage interface (Storage plus resourceVersion semantics and flow-controlled watches).
 */
import type { KeyValue, ListResult, Storage, WatchOptions } from '../interface.js';
import type { CacheWatch, WatchEventHandler } from './cache-watcher.js';

export interface CacherOptions {
  /** Events kept per resource for watch replay and exact-revision lists (default 10,000). */
  eventBufferCapacity?: number;
  /** Live events held for a paused watcher before it is closed as too slow (default 1,000). */
  watcherQueueCapacity?: number;
  /** How often idle watchers get onProgress(cacheRevision) (default 60,000 ms). */
  bookmarkIntervalMs?: number;
  /** How long a read waits for the cache to reach a revision (default 3,000 ms). */
  consistentReadTimeoutMs?: number;
  /** Delay before re-opening a failed backend watch (default 250 ms). */
  watchRetryMs?: number;
}

export type ResourceVersionMatch = 'NotOlderThan' | 'Exact';

export interface ListWithRVOptions {
  /** "" or undefined = consistent (latest), "0" = any (cache as is), "N" = see resourceVersionMatch. */
  resourceVersion?: string;
  /** For N: NotOlderThan (default) = at least N; Exact = the state at exactly N. */
  resourceVersionMatch?: ResourceVersionMatch;
  limit?: number;
  startAfter?: string;
}

export interface CacherStats {
  cachedResources: number;
  watchers: number;
  cacheRevision: number;
  cachedObjects: number;
  bufferedEvents: number;
  slowWatchersClosed: number;
  relists: number;
  backendWatchRestarts: number;
}

export interface CachedStorage extends Storage {
  /** Serve this prefix (and every prefix inside it) from memory; resolves once loaded. */
  cacheResource(prefix: string): Promise<void>;
  listWithRV(prefix: string, opts?: ListWithRVOptions): Promise<ListResult>;
  /**
   * GET with resourceVersion: "" / undefined = consistent (the backend), "0" = the cached value as
   * is, "N" = the cached value once the cache has seen N (timeout -> Unavailable). Keys outside
   * cached resources always go to the backend.
   */
  getWithRV(key: string, resourceVersion?: string): Promise<KeyValue | undefined>;
  /** Like Storage.watch; onEvent may return false for backpressure, then call the handle's resume(). */
  watch(prefix: string, opts: WatchOptions, onEvent: WatchEventHandler, onError: (err: Error) => void): CacheWatch;
  /** True once the cache has seen `revision`; false after the timeout. */
  waitForRevision(revision: number, timeoutMs?: number): Promise<boolean>;
  /** The latest backend revision the cache has seen (events or progress). */
  cacheRevision(): number;
  stats(): CacherStats;
}
