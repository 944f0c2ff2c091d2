/**
 * One watch served from the watch cache, with its own bounded queue so that a slow consumer can
 * never block other watchers nor make memory grow without bound.
 *
 * Flow control contract (small on purpose):
 * - `onEvent(ev)` may return `false` to say "stop, my buffer is full" (e.g. the HTTP socket's
 *   write() returned false). Delivery then pauses; events keep being queued.
 * - The consumer calls `resume()` on the returned handle when it can take more (e.g. on 'drain').
 * - If more than `capacity` live events pile up while paused, the watcher is closed with
 *   onError(StorageError('Expired', prefix, 'watcher too slow, re-list')) — the client re-lists
 *   and watches again, exactly as after a 410 Gone.
 * - Returning `undefined`/`true` means "keep going". Throwing from onEvent closes the watch with
 *   that error.
 * Events are delivered in revision order, asynchronously (never from inside watch() itself); an
 * idle watcher gets a live event synchronously from the cache's dispatch, others via a microtask.
 * Replayed history (events before the watch started) is delivered first and does not count
 * against `capacity`.
 */
import { StorageError, type WatchEvent, type Watcher } from '../interface.js';

/** Return false for backpressure (then call resume()), anything else to continue. */
export type WatchEventHandler = (ev: WatchEvent) => boolean | void;

/** The handle a cached watch returns: stop it, or resume it after onEvent returned false. */
export interface CacheWatch extends Watcher {
  resume(): void;
}

export interface CacheWatcherInit {
  prefix: string;
  onEvent: WatchEventHandler;
  onError: (err: Error) => void;
  onProgress?: (revision: number) => void;
  /** Most live events held for a paused consumer before it is closed as too slow. */
  capacity: number;
  /** Called once when the watcher ends (stopped or failed), to unregister it. */
  onClosed: (w: CacheWatcher) => void;
}

export class CacheWatcher implements CacheWatch {
  readonly prefix: string;
  /** Only events with revision > startRevision are delivered; set by start(). */
  startRevision = Infinity;
  closed = false;
  /** True when the watcher was closed because its consumer fell too far behind. */
  closedTooSlow = false;
  private replay: WatchEvent[] = [];
  private replayPos = 0;
  private queue: WatchEvent[] = [];
  private queueHead = 0;
  private paused = false;
  private scheduled = false;

  constructor(private readonly init: CacheWatcherInit) {
    this.prefix = init.prefix;
  }

  /** Begin delivery: `replay` (events after startRevision already in history), then live events. */
  start(startRevision: number, replay: WatchEvent[]): void {
    this.startRevision = startRevision;
    this.replay = replay;
    this.schedule();
  }

  /** Offer a live event; ignored unless it is newer than the start and under this prefix. */
  push(ev: WatchEvent, key: string): void {
    if (this.closed || ev.revision <= this.startRevision || !key.startsWith(this.prefix)) return;
    if (this.queue.length - this.queueHead >= this.init.capacity) {
      this.fail(new StorageError('Expired', this.prefix, 'watcher too slow, re-list'), true);
      return;
    }
    if (!this.paused && !this.scheduled && this.pending() === 0) {
      // Fast path: an idle, unpaused watcher gets the event right away (we are already in the
      // backend's asynchronous event callback, never inside the consumer's watch() call).
      this.deliver(ev);
      return;
    }
    this.queue.push(ev);
    this.schedule();
  }

  /** Send a bookmark if the watcher is idle (nothing queued), so it never overtakes an event. */
  progress(revision: number): void {
    if (this.closed || this.paused || this.scheduled || !this.init.onProgress) return;
    if (revision < this.startRevision || this.pending() > 0) return;
    try {
      this.init.onProgress(revision);
    } catch (err) {
      this.fail(asError(err), false);
    }
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.schedule();
  }

  stop(): void {
    if (this.closed) return;
    this.closed = true;
    this.drop();
    this.init.onClosed(this);
  }

  /** End the watch with an error (once). `tooSlow` marks closures for the stats. */
  fail(err: Error, tooSlow = false): void {
    if (this.closed) return;
    this.closed = true;
    this.closedTooSlow = tooSlow;
    this.drop();
    this.init.onClosed(this);
    this.init.onError(err);
  }

  pending(): number {
    return this.replay.length - this.replayPos + this.queue.length - this.queueHead;
  }

  private schedule(): void {
    if (this.scheduled || this.paused || this.closed) return;
    this.scheduled = true;
    queueMicrotask(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    while (!this.paused && !this.closed) {
      const ev = this.next();
      if (!ev) return;
      this.deliver(ev);
    }
  }

  private deliver(ev: WatchEvent): void {
    let result: boolean | void;
    try {
      result = this.init.onEvent(ev);
    } catch (err) {
      this.fail(asError(err));
      return;
    }
    if (result === false) this.paused = true;
  }

  private next(): WatchEvent | undefined {
    if (this.replayPos < this.replay.length) return this.replay[this.replayPos++];
    if (this.queueHead >= this.queue.length) return undefined;
    const ev = this.queue[this.queueHead++];
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    } else if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.queueHead);
      this.queueHead = 0;
    }
    return ev;
  }

  private drop(): void {
    this.replay = [];
    this.replayPos = 0;
    this.queue = [];
    this.queueHead = 0;
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
