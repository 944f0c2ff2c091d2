/**
 * The watch cache's current state for one resource: the KeyValue of every key, with the keys kept
 * in a sorted array (binary-search insert/delete) so that prefix lists with startAfter and limit
 * are a binary search plus a slice. Values are returned by identity: an entry that did not change
 * is the same object in every list (callers memoise decoding on it).
 */
import type { KeyValue } from '../interface.js';

export interface RangePage {
  items: KeyValue[];
  more: boolean;
  remaining: number;
}

/** State of a key at an older revision: the KeyValue it had then, or null when it did not exist. */
export type Overrides = Map<string, KeyValue | null>;

export class SortedStore {
  private readonly byKey = new Map<string, KeyValue>();
  private readonly keys: string[] = [];

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): KeyValue | undefined {
    return this.byKey.get(key);
  }

  /** Sets kv; returns the previous value of its key. */
  set(kv: KeyValue): KeyValue | undefined {
    const prev = this.byKey.get(kv.key);
    this.byKey.set(kv.key, kv);
    if (!prev) this.keys.splice(firstIndex(this.keys, (k) => k >= kv.key), 0, kv.key);
    return prev;
  }

  delete(key: string): KeyValue | undefined {
    const prev = this.byKey.get(key);
    if (!prev) return undefined;
    this.byKey.delete(key);
    this.keys.splice(firstIndex(this.keys, (k) => k >= key), 1);
    return prev;
  }

  clear(): void {
    this.byKey.clear();
    this.keys.length = 0;
  }

  /** Index range [start, end) of the sorted keys that have this prefix and are > startAfter. */
  private range(prefix: string, startAfter?: string): [number, number] {
    const from = startAfter !== undefined && startAfter >= prefix ? startAfter : undefined;
    const start = from === undefined
      ? firstIndex(this.keys, (k) => k >= prefix)
      : firstIndex(this.keys, (k) => k > from);
    const end = firstIndex(this.keys, (k) => k >= prefix && !k.startsWith(prefix), start);
    return [start, Math.max(start, end)];
  }

  count(prefix: string): number {
    const [start, end] = this.range(prefix);
    return end - start;
  }

  /** Current values with this prefix, ordered by key. limit <= 0 or undefined = no limit. */
  list(prefix: string, startAfter?: string, limit?: number): RangePage {
    const [start, end] = this.range(prefix, startAfter);
    const stop = limit && limit > 0 ? Math.min(end, start + limit) : end;
    const items = new Array<KeyValue>(stop - start);
    for (let i = start; i < stop; i++) items[i - start] = this.byKey.get(this.keys[i])!;
    return { items, more: stop < end, remaining: end - stop };
  }

  /**
   * Like list, but as of an older revision: `overrides` gives, for every key changed since then, its
   * value at that revision (null = absent). Merges the sorted current keys with the sorted override keys.
   */
  listAt(prefix: string, overrides: Overrides, startAfter?: string, limit?: number): RangePage {
    const [start, end] = this.range(prefix, startAfter);
    const extra = [...overrides.keys()]
      .filter((k) => k.startsWith(prefix) && (startAfter === undefined || k > startAfter))
      .sort();
    const max = limit && limit > 0 ? limit : Infinity;
    const items: KeyValue[] = [];
    let total = 0;
    let i = start;
    let j = 0;
    while (i < end || j < extra.length) {
      let key: string;
      if (j >= extra.length || (i < end && this.keys[i] < extra[j])) key = this.keys[i++];
      else {
        key = extra[j++];
        if (i < end && this.keys[i] === key) i++;
      }
      const kv = overrides.has(key) ? overrides.get(key) : this.byKey.get(key);
      if (!kv) continue;
      total++;
      if (items.length < max) items.push(kv);
    }
    return { items, more: total > items.length, remaining: total - items.length };
  }
}

/** First index in [from, keys.length) where pred holds, for a pred that is false then true. */
function firstIndex(keys: string[], pred: (k: string) => boolean, from = 0): number {
  let lo = from;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(keys[mid])) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
