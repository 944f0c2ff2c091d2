/**
 * The watch cache (kube-apiserver's Cacher): a Storage decorator that serves lists, counts and
 * watches of registered resource prefixes from memory, and sends everything else to the backend.
 *
 * Input: any backend Storage. `cacheResource('/registry/pods/')` lists that prefix from the backend
 * and keeps it current from ONE backend watch on all keys (''), so that every backend revision —
 * whichever resource it touched — advances the cache's revision; that is what lets a consistent
 * read ("state as of the backend's current revision") be answered from memory after a short wait.
 * Output: the Storage interface plus resourceVersion semantics (`listWithRV`), flow-controlled
 * watches (see cache-watcher.ts), bookmarks, `waitForRevision` and `stats()`.
 *
 * Writes go straight to the backend. Reads after a write are never older than the write: a
 * consistent read asks the backend for its current revision and waits until the cache has seen it
 * (timeout -> the read is served by the backend). Backends whose revisions can have no event
 * should report watch progress (WatchOptions.onProgress) so those waits end quickly.
 * If the backend watch fails with Expired (compaction outran the cache), every cache re-lists and
 * existing watchers get Expired; other watch failures are retried from the last seen revision.
 */
import {
  StorageError,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type Preconditions,
  type Storage,
  type WatchEvent,
  type WatchOptions,
  type Watcher,
} from '../interface.js';
import { CacheWatcher, type CacheWatch, type WatchEventHandler } from './cache-watcher.js';
import { keyOf } from './event-ring.js';
import { ResourceCache } from './resource-cache.js';
import { RevisionClock } from './revision-clock.js';
import type { CachedStorage, CacherOptions, CacherStats, ListWithRVOptions } from './types.js';

export type { CachedStorage, CacherOptions, CacherStats, ListWithRVOptions, ResourceVersionMatch } from './types.js';

export function createCacher(backend: Storage, opts: CacherOptions = {}): CachedStorage {
  return new Cacher(backend, opts);
}

class Cacher implements CachedStorage {
  private readonly resources = new Map<string, ResourceCache>();
  private readonly clock = new RevisionClock();
  /** Revision of the last backend event applied (dedupe after a watch restart; progress does not move it). */
  private lastEvent = 0;
  private reflectorStart?: Promise<void>;
  private reflector?: Watcher;
  private generation = 0;
  private bookmarkTimer?: NodeJS.Timeout;
  private closed = false;
  private relists = 0;
  private restarts = 0;
  private readonly ringCapacity: number;
  private readonly queueCapacity: number;
  private readonly readTimeoutMs: number;

  constructor(private readonly backend: Storage, private readonly opts: CacherOptions) {
    this.ringCapacity = opts.eventBufferCapacity ?? 10_000;
    this.queueCapacity = opts.watcherQueueCapacity ?? 1_000;
    this.readTimeoutMs = opts.consistentReadTimeoutMs ?? 3_000;
  }

  // ---- registration and the backend watch ----

  async cacheResource(prefix: string): Promise<void> {
    const existing = this.resources.get(prefix);
    if (existing) return existing.whenReady();
    const cache = new ResourceCache(prefix, this.ringCapacity);
    this.resources.set(prefix, cache);
    try {
      await this.startReflector();
      this.startBookmarks();
      await this.load(cache);
    } catch (err) {
      // Not cached after all: reads keep going to the backend and the caller may try again.
      if (this.resources.get(prefix) === cache) this.resources.delete(prefix);
      cache.abandon(new StorageError('Unavailable', prefix, `caching ${prefix} failed: ${String(err)}`));
      throw err;
    }
  }

  private startReflector(): Promise<void> {
    this.reflectorStart ??= this.backend.currentRevision().then((rev) => {
      this.advance(rev);
      this.lastEvent = rev;
      this.openWatch(rev);
    });
    this.reflectorStart.catch(() => {
      this.reflectorStart = undefined;
    });
    return this.reflectorStart;
  }

  private openWatch(fromRevision: number): void {
    const generation = ++this.generation;
    const current = () => generation === this.generation && !this.closed;
    this.reflector = this.backend.watch(
      '',
      { fromRevision, onProgress: (rev) => current() && this.advance(rev) },
      (ev) => current() && this.onBackendEvent(ev),
      (err) => current() && this.onBackendError(err),
    );
  }

  private onBackendEvent(ev: WatchEvent): void {
    if (ev.revision < this.lastEvent) return;
    this.lastEvent = ev.revision;
    const key = keyOf(ev);
    for (const cache of this.resources.values()) if (key.startsWith(cache.prefix)) cache.apply(ev);
    this.advance(ev.revision);
  }

  private onBackendError(err: Error): void {
    this.reflector?.stop();
    this.generation++;
    if (err instanceof StorageError && err.code === 'Expired') {
      void this.relist();
      return;
    }
    this.restarts++;
    const timer = setTimeout(() => !this.closed && this.openWatch(this.clock.current), this.opts.watchRetryMs ?? 250);
    timer.unref();
  }

  /** The backend forgot our position: start over from a fresh list of every cached resource. */
  private async relist(): Promise<void> {
    this.relists++;
    for (const cache of this.resources.values()) cache.reset('watch cache re-listed after backend compaction, re-list');
    try {
      const rev = await this.backend.currentRevision();
      if (this.closed) return;
      this.advance(rev);
      this.lastEvent = rev;
      this.openWatch(rev);
      await Promise.all([...this.resources.values()].map((cache) => this.load(cache)));
    } catch {
      if (!this.closed) setTimeout(() => void this.relist(), this.opts.watchRetryMs ?? 250).unref();
    }
  }

  /** List the resource at the cache's revision; events after it are held by the cache meanwhile. */
  private async load(cache: ResourceCache): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        const listed = await this.backend.list(cache.prefix, { revision: this.clock.current });
        if (this.closed || this.resources.get(cache.prefix) !== cache) return;
        cache.init(listed.items, listed.revision);
        return;
      } catch (err) {
        const expired = err instanceof StorageError && err.code === 'Expired';
        if (!expired || attempt >= 5 || this.closed) throw err;
        // The revision we listed at was compacted already: the backend watch will fail too.
      }
    }
  }

  private advance(revision: number): void {
    this.clock.advance(revision);
  }

  waitForRevision(revision: number, timeoutMs = this.readTimeoutMs): Promise<boolean> {
    return this.clock.waitFor(revision, timeoutMs);
  }

  cacheRevision(): number {
    return this.clock.current;
  }

  private startBookmarks(): void {
    if (this.bookmarkTimer) return;
    this.bookmarkTimer = setInterval(() => {
      for (const cache of this.resources.values()) {
        if (!cache.ready) continue;
        for (const w of cache.watchers) w.progress(this.clock.current);
      }
    }, this.opts.bookmarkIntervalMs ?? 60_000);
    this.bookmarkTimer.unref();
  }

  /** The most specific registered cache containing this prefix (ready or not). */
  private cacheFor(prefix: string): ResourceCache | undefined {
    let best: ResourceCache | undefined;
    for (const cache of this.resources.values()) {
      if (prefix.startsWith(cache.prefix) && (!best || cache.prefix.length > best.prefix.length)) best = cache;
    }
    return best;
  }

  // ---- reads ----

  async listWithRV(prefix: string, opts: ListWithRVOptions = {}): Promise<ListResult> {
    const { limit, startAfter } = opts;
    const rv = parseResourceVersion(opts.resourceVersion);
    const cache = this.cacheFor(prefix);
    if (!cache?.ready) {
      const exact = rv !== undefined && rv > 0 && opts.resourceVersionMatch === 'Exact';
      return this.backend.list(prefix, { revision: exact ? rv : undefined, limit, startAfter });
    }
    if (rv === undefined) {
      const target = await this.backend.currentRevision();
      if (!(await this.waitForRevision(target)) || !cache.ready) return this.backend.list(prefix, { limit, startAfter });
      return { ...cache.list(prefix, startAfter, limit), revision: this.clock.current };
    }
    if (rv === 0) return { ...cache.list(prefix, startAfter, limit), revision: this.clock.current };
    if (!(await this.waitForRevision(rv))) {
      throw new StorageError('Unavailable', prefix, `Too large resource version: ${rv}, current: ${this.clock.current}`);
    }
    if (!cache.ready) return this.backend.list(prefix, { revision: opts.resourceVersionMatch === 'Exact' ? rv : undefined, limit, startAfter });
    if (opts.resourceVersionMatch !== 'Exact') return { ...cache.list(prefix, startAfter, limit), revision: this.clock.current };
    if (rv < cache.oldestRevision()) return this.backend.list(prefix, { revision: rv, limit, startAfter });
    return { ...cache.listAt(prefix, rv, startAfter, limit), revision: rv };
  }

  list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const exact = opts.revision !== undefined && opts.revision > 0;
    return this.listWithRV(prefix, {
      resourceVersion: exact ? String(opts.revision) : '',
      resourceVersionMatch: exact ? 'Exact' : undefined,
      limit: opts.limit,
      startAfter: opts.startAfter,
    });
  }

  async count(prefix: string): Promise<number> {
    const cache = this.cacheFor(prefix);
    if (!cache?.ready) return this.backend.count(prefix);
    const target = await this.backend.currentRevision();
    if (!(await this.waitForRevision(target)) || !cache.ready) return this.backend.count(prefix);
    return cache.store.count(prefix);
  }

  /** Consistent single-key reads go to the backend: cheap there, and never a wait. */
  get(key: string): Promise<KeyValue | undefined> {
    return this.backend.get(key);
  }

  async getWithRV(key: string, resourceVersion?: string): Promise<KeyValue | undefined> {
    const rv = parseResourceVersion(resourceVersion);
    const cache = this.cacheFor(key);
    if (rv === undefined || !cache?.ready) return this.backend.get(key);
    if (rv > 0 && !(await this.waitForRevision(rv))) {
      throw new StorageError('Unavailable', key, `Too large resource version: ${rv}, current: ${this.clock.current}`);
    }
    return cache.ready ? cache.store.get(key) : this.backend.get(key);
  }

  currentRevision(): Promise<number> {
    return this.backend.currentRevision();
  }

  // ---- watches ----

  watch(prefix: string, opts: WatchOptions, onEvent: WatchEventHandler, onError: (err: Error) => void): CacheWatch {
    const cache = this.cacheFor(prefix);
    if (!cache || this.closed) {
      const inner = this.backend.watch(prefix, opts, (ev) => void onEvent(ev), onError);
      return { stop: () => inner.stop(), resume: () => undefined };
    }
    const watcher: CacheWatcher = new CacheWatcher({
      prefix,
      onEvent,
      onError,
      onProgress: opts.onProgress,
      capacity: this.queueCapacity,
      onClosed: (w) => cache.detach(w),
    });
    const attach = () => cache.attach(watcher, opts.fromRevision, this.clock.current);
    if (cache.ready) queueMicrotask(attach);
    else cache.whenReady().then(attach, (err: Error) => watcher.fail(err));
    return watcher;
  }

  // ---- writes: straight to the backend ----

  create(key: string, value: string): Promise<KeyValue> {
    return this.backend.create(key, value);
  }

  update(key: string, value: string, preconditions?: Preconditions): Promise<KeyValue> {
    return this.backend.update(key, value, preconditions);
  }

  delete(key: string, preconditions?: Preconditions): Promise<KeyValue> {
    return this.backend.delete(key, preconditions);
  }

  async compact(revision: number): Promise<void> {
    await this.backend.compact(revision);
    const compacted = await this.backend.compactedRevision();
    for (const cache of this.resources.values()) cache.compactedAt(compacted);
  }

  compactedRevision(): Promise<number> {
    return this.backend.compactedRevision();
  }

  stats(): CacherStats {
    let watchers = 0;
    let cachedObjects = 0;
    let bufferedEvents = 0;
    let slowWatchersClosed = 0;
    for (const cache of this.resources.values()) {
      watchers += cache.watchers.size;
      cachedObjects += cache.store.size;
      bufferedEvents += cache.ring.size;
      slowWatchersClosed += cache.slowWatchersClosed;
    }
    return {
      cachedResources: this.resources.size,
      watchers,
      cacheRevision: this.clock.current,
      cachedObjects,
      bufferedEvents,
      slowWatchersClosed,
      relists: this.relists,
      backendWatchRestarts: this.restarts,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.reflector?.stop();
    clearInterval(this.bookmarkTimer);
    this.clock.close();
    for (const cache of this.resources.values()) {
      for (const w of [...cache.watchers]) w.stop();
    }
    await this.backend.close();
  }
}

/** "" / undefined -> undefined (consistent), "0" -> 0 (any), "N" -> N. Anything else is a RangeError. */
function parseResourceVersion(rv: string | undefined): number | undefined {
  if (rv === undefined || rv === '') return undefined;
  if (!/^\d+$/.test(rv)) throw new RangeError(`invalid resourceVersion: ${JSON.stringify(rv)}`);
  return Number(rv);
}
