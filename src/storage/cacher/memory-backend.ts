/**
 * TEST-ONLY in-memory Storage, used to unit-test the watch cache without a real database.
 * Do not use it to run a cluster: it keeps the whole history in memory until compacted.
 *
 * It implements the Storage contract (src/storage/interface.ts) the way etcd does: one revision per
 * write, compare-and-swap preconditions, lists at an older revision, watches that replay history
 * after `fromRevision` and then go live, and compaction after which older reads answer
 * StorageError('Expired'). Watch events are delivered asynchronously (in a microtask), like a
 * real backend whose events arrive after the write has returned.
 *
 * Test hooks: `pauseWatchDelivery()` / `resumeWatchDelivery()` simulate a lagging watch stream,
 * `breakWatches(err)` ends every watch with an error, `skipRevision()` consumes a revision that
 * produces no event (like kine's compaction rows), `progressIntervalMs` makes watches report progress.
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

export interface MemoryBackendOptions {
  /** When set, every watch calls onProgress(currentRevision) at this interval. */
  progressIntervalMs?: number;
}

interface MemoryWatch {
  prefix: string;
  onEvent: (ev: WatchEvent) => void;
  onError: (err: Error) => void;
  queue: WatchEvent[];
  scheduled: boolean;
  stopped: boolean;
  timer?: NodeJS.Timeout;
}

export class MemoryBackend implements Storage {
  private revision = 0;
  private compacted = 0;
  private readonly state = new Map<string, KeyValue>();
  /** Every event after `compacted`, oldest first. */
  private log: WatchEvent[] = [];
  private readonly watches = new Set<MemoryWatch>();
  private paused = false;
  private closed = false;

  constructor(private readonly opts: MemoryBackendOptions = {}) {}

  async currentRevision(): Promise<number> {
    return this.revision;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const kv = this.state.get(key);
    return kv && { ...kv };
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const at = opts.revision && opts.revision > 0 ? opts.revision : this.revision;
    if (at < this.compacted) throw new StorageError('Expired', prefix, `required revision ${at} has been compacted`, this.compacted);
    if (at > this.revision) throw new StorageError('Unavailable', prefix, `required revision ${at} is a future revision`);
    const snapshot = new Map(this.state);
    for (let i = this.log.length - 1; i >= 0 && this.log[i].revision > at; i--) {
      const ev = this.log[i];
      const key = ev.type === 'put' ? ev.kv.key : ev.key;
      if (ev.prevKv) snapshot.set(key, ev.prevKv);
      else snapshot.delete(key);
    }
    const keys = [...snapshot.keys()].filter((k) => k.startsWith(prefix) && (opts.startAfter === undefined || k > opts.startAfter)).sort();
    const limit = opts.limit && opts.limit > 0 ? opts.limit : keys.length;
    const items = keys.slice(0, limit).map((k) => ({ ...snapshot.get(k)! }));
    return { items, revision: at, more: keys.length > limit, remaining: keys.length - items.length };
  }

  async count(prefix: string): Promise<number> {
    let n = 0;
    for (const key of this.state.keys()) if (key.startsWith(prefix)) n++;
    return n;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    if (this.state.has(key)) throw new StorageError('KeyExists', key);
    const revision = ++this.revision;
    const kv: KeyValue = { key, value, createRevision: revision, modRevision: revision };
    this.record({ type: 'put', kv, revision }, kv);
    return { ...kv };
  }

  async update(key: string, value: string, pre?: Preconditions): Promise<KeyValue> {
    const prev = this.checked(key, pre);
    const revision = ++this.revision;
    const kv: KeyValue = { key, value, createRevision: prev.createRevision, modRevision: revision };
    this.record({ type: 'put', kv, prevKv: prev, revision }, kv);
    return { ...kv };
  }

  async delete(key: string, pre?: Preconditions): Promise<KeyValue> {
    const prev = this.checked(key, pre);
    const revision = ++this.revision;
    this.record({ type: 'delete', key, prevKv: prev, revision }, undefined);
    return { ...prev };
  }

  watch(prefix: string, opts: WatchOptions, onEvent: (ev: WatchEvent) => void, onError: (err: Error) => void): Watcher {
    const w: MemoryWatch = { prefix, onEvent, onError, queue: [], scheduled: false, stopped: false };
    const stop = () => {
      w.stopped = true;
      clearInterval(w.timer);
      this.watches.delete(w);
    };
    if (opts.fromRevision < this.compacted) {
      queueMicrotask(() => {
        if (!w.stopped) onError(new StorageError('Expired', prefix, `required revision ${opts.fromRevision} has been compacted`, this.compacted));
      });
      return { stop };
    }
    w.queue = this.log.filter((ev) => ev.revision > opts.fromRevision && keyOf(ev).startsWith(prefix));
    this.watches.add(w);
    this.schedule(w);
    const onProgress = opts.onProgress;
    if (onProgress && this.opts.progressIntervalMs) {
      w.timer = setInterval(() => {
        if (!this.paused && w.queue.length === 0 && !w.stopped) onProgress(this.revision);
      }, this.opts.progressIntervalMs);
      w.timer.unref();
    }
    return { stop };
  }

  async compact(revision: number): Promise<void> {
    const at = Math.min(revision, this.revision);
    if (at <= this.compacted) return;
    this.compacted = at;
    this.log = this.log.filter((ev) => ev.revision > at);
  }

  async compactedRevision(): Promise<number> {
    return this.compacted;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const w of [...this.watches]) {
      clearInterval(w.timer);
      w.stopped = true;
    }
    this.watches.clear();
  }

  // ---- test hooks ----

  /** Hold back watch events (writes still succeed) until resumeWatchDelivery(). */
  pauseWatchDelivery(): void {
    this.paused = true;
  }

  resumeWatchDelivery(): void {
    this.paused = false;
    for (const w of this.watches) this.schedule(w);
  }

  /** End every open watch with this error (e.g. StorageError('Expired') to simulate compaction outrunning a watcher). */
  breakWatches(err: Error): void {
    for (const w of [...this.watches]) {
      w.stopped = true;
      clearInterval(w.timer);
      this.watches.delete(w);
      queueMicrotask(() => w.onError(err));
    }
  }

  /** Consume one revision without any event, as some backends do for bookkeeping rows. */
  skipRevision(): number {
    return ++this.revision;
  }

  watchCount(): number {
    return this.watches.size;
  }

  private checked(key: string, pre?: Preconditions): KeyValue {
    if (this.closed) throw new StorageError('Unavailable', key, 'storage closed');
    const prev = this.state.get(key);
    if (!prev) throw new StorageError('KeyNotFound', key);
    if (pre?.modRevision !== undefined && pre.modRevision !== prev.modRevision) {
      throw new StorageError('Conflict', key, `modRevision is ${prev.modRevision}, not ${pre.modRevision}`, prev.modRevision);
    }
    return prev;
  }

  private record(ev: WatchEvent, next: KeyValue | undefined): void {
    const key = keyOf(ev);
    if (next) this.state.set(key, next);
    else this.state.delete(key);
    this.log.push(ev);
    for (const w of this.watches) {
      if (!key.startsWith(w.prefix)) continue;
      w.queue.push(ev);
      this.schedule(w);
    }
  }

  private schedule(w: MemoryWatch): void {
    if (w.scheduled || this.paused) return;
    w.scheduled = true;
    queueMicrotask(() => {
      w.scheduled = false;
      while (!w.stopped && !this.paused && w.queue.length > 0) w.onEvent(copyEvent(w.queue.shift()!));
    });
  }
}

function keyOf(ev: WatchEvent): string {
  return ev.type === 'put' ? ev.kv.key : ev.key;
}

function copyEvent(ev: WatchEvent): WatchEvent {
  if (ev.type === 'delete') return { ...ev, prevKv: { ...ev.prevKv } };
  return ev.prevKv ? { ...ev, kv: { ...ev.kv }, prevKv: { ...ev.prevKv } } : { ...ev, kv: { ...ev.kv } };
}
