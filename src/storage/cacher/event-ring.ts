/**
 * Bounded ring buffer of the most recent watch events of one cached resource, oldest first, in
 * revision order. It answers "every event after revision N" for watch replay and for rebuilding
 * the state at an older revision. When full, the oldest event is dropped and `evictedRevision`
 * moves up: history is complete only for revisions >= evictedRevision.
 */
import type { WatchEvent } from '../interface.js';

export class EventRing {
  private readonly slots: (WatchEvent | undefined)[];
  private head = 0;
  private length = 0;
  /** Revision of the newest event dropped for capacity (0 = none dropped). */
  evictedRevision = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError('event ring capacity must be >= 1');
    this.slots = new Array<WatchEvent | undefined>(capacity);
  }

  get size(): number {
    return this.length;
  }

  push(ev: WatchEvent): void {
    if (this.length === this.capacity) {
      this.evictedRevision = this.slots[this.head]!.revision;
      this.slots[this.head] = ev;
      this.head = (this.head + 1) % this.capacity;
      return;
    }
    this.slots[(this.head + this.length) % this.capacity] = ev;
    this.length++;
  }

  /** Forget everything (after a re-list); history restarts at `revision`. */
  reset(revision: number): void {
    this.slots.fill(undefined);
    this.head = 0;
    this.length = 0;
    this.evictedRevision = revision;
  }

  /** Events with revision > rev, oldest first (optionally only keys with this prefix). */
  after(rev: number, prefix = ''): WatchEvent[] {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).revision > rev) hi = mid;
      else lo = mid + 1;
    }
    const out: WatchEvent[] = [];
    for (let i = lo; i < this.length; i++) {
      const ev = this.at(i);
      if (prefix === '' || keyOf(ev).startsWith(prefix)) out.push(ev);
    }
    return out;
  }

  private at(i: number): WatchEvent {
    return this.slots[(this.head + i) % this.capacity]!;
  }
}

export function keyOf(ev: WatchEvent): string {
  return ev.type === 'put' ? ev.kv.key : ev.key;
}
