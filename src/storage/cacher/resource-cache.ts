/**
 * The watch cache of one resource prefix (e.g. `/registry/pods/`): its current state (SortedStore),
 * its recent history (EventRing) and the watchers on it. It is fed, in revision order, by the
 * cacher's single backend watch; it never talks to the backend itself.
 *
 * Lifecycle: `initializing` (events are held in `pending`) -> `init(list)` -> `ready`; a re-list
 * calls `reset()`, which ends every watcher with Expired (their position in history is lost).
 */
import { StorageError, type KeyValue, type WatchEvent } from '../interface.js';
import type { CacheWatcher } from './cache-watcher.js';
import { EventRing, keyOf } from './event-ring.js';
import { SortedStore, type Overrides, type RangePage } from './sorted-store.js';

export class ResourceCache {
  readonly store = new SortedStore();
  readonly ring: EventRing;
  readonly watchers = new Set<CacheWatcher>();
  private pending: WatchEvent[] = [];
  private readyNow = false;
  private readyPromise!: Promise<void>;
  private markReady!: () => void;
  private markFailed!: (err: Error) => void;
  /** History is complete after this revision (init list revision, raised by eviction and compaction). */
  private initRevision = 0;
  private compacted = 0;
  slowWatchersClosed = 0;

  constructor(readonly prefix: string, ringCapacity: number) {
    this.ring = new EventRing(ringCapacity);
    this.newReadyPromise();
  }

  get ready(): boolean {
    return this.readyNow;
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  /** Load the list read at `revision`, then apply the events that arrived meanwhile. */
  init(items: KeyValue[], revision: number): void {
    this.store.clear();
    for (const kv of items) this.store.set(Object.freeze({ ...kv }));
    this.ring.reset(revision);
    this.initRevision = revision;
    this.readyNow = true;
    const held = this.pending;
    this.pending = [];
    for (const ev of held) if (ev.revision > revision) this.apply(ev);
    this.markReady();
  }

  /** Back to initializing: every watcher gets Expired, since events may be lost until the re-list. */
  reset(reason: string): void {
    if (this.readyNow) this.newReadyPromise();
    this.readyNow = false;
    this.pending = [];
    for (const w of [...this.watchers]) w.fail(new StorageError('Expired', w.prefix, reason, this.oldestRevision()));
    this.watchers.clear();
  }

  /** Backend compacted at `revision`: history at or before it must answer Expired, as the backend would. */
  compactedAt(revision: number): void {
    this.compacted = Math.max(this.compacted, revision);
  }

  /** The oldest revision N for which "events after N" and "state at N" can be served from memory. */
  oldestRevision(): number {
    return Math.max(this.initRevision, this.ring.evictedRevision, this.compacted);
  }

  /** Apply one backend event (revision order), record it and hand it to the watchers. */
  apply(ev: WatchEvent): void {
    if (!this.readyNow) {
      this.pending.push(ev);
      return;
    }
    let cached: WatchEvent;
    if (ev.type === 'put') {
      // The backend's own key-value, frozen in place (backends hand out a fresh one per write and never
      // change it): the writer's decode of its result and the watchers' decode share one memo.
      const kv = Object.freeze(ev.kv);
      const prevKv = this.store.set(kv);
      cached = Object.freeze(prevKv ? { type: 'put', kv, prevKv, revision: ev.revision } : { type: 'put', kv, revision: ev.revision });
    } else {
      const prevKv = this.store.delete(ev.key) ?? Object.freeze({ ...ev.prevKv });
      cached = Object.freeze({ type: 'delete', key: ev.key, prevKv, revision: ev.revision });
    }
    this.ring.push(cached);
    const key = keyOf(cached);
    for (const w of this.watchers) w.push(cached, key);
  }

  /**
   * Start a watcher from `fromRevision`, replaying the buffered history after it. 0 means "from
   * now" (`now`), except while the cache still holds the whole history since revision 0 (a fresh
   * store): then, exactly like a backend, every event > 0 is replayed.
   */
  attach(w: CacheWatcher, fromRevision: number, now: number): void {
    if (w.closed) return;
    if (fromRevision === 0 && this.oldestRevision() > 0) {
      this.watchers.add(w);
      w.start(now, []);
      return;
    }
    const oldest = this.oldestRevision();
    if (fromRevision < oldest) {
      w.fail(new StorageError('Expired', w.prefix, `too old resource version: ${fromRevision} (${oldest})`, oldest));
      return;
    }
    this.watchers.add(w);
    w.start(fromRevision, this.ring.after(fromRevision, w.prefix));
  }

  detach(w: CacheWatcher): void {
    this.watchers.delete(w);
    if (w.closedTooSlow) this.slowWatchersClosed++;
  }

  list(prefix: string, startAfter?: string, limit?: number): RangePage {
    return this.store.list(prefix, startAfter, limit);
  }

  /** State at `revision` (oldestRevision() <= revision <= latest applied): undo the newer events. */
  listAt(prefix: string, revision: number, startAfter?: string, limit?: number): RangePage {
    const overrides: Overrides = new Map();
    for (const ev of this.ring.after(revision, prefix)) {
      const key = keyOf(ev);
      if (overrides.has(key)) continue;
      overrides.set(key, ev.prevKv ?? null);
    }
    if (overrides.size === 0) return this.store.list(prefix, startAfter, limit);
    return this.store.listAt(prefix, overrides, startAfter, limit);
  }

  /** Loading failed for good: whoever waits for this cache gets the error. */
  abandon(err: Error): void {
    this.reset(err.message);
    this.markFailed(err);
  }

  private newReadyPromise(): void {
    this.readyPromise = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.markFailed = reject;
    });
    this.readyPromise.catch(() => undefined);
  }
}
