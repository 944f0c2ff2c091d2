import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KeyValue } from '../interface.js';
import { EventRing } from './event-ring.js';
import { SortedStore, type Overrides } from './sorted-store.js';

/** Deterministic pseudo-random numbers so a failure can be replayed. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
}

function naive(map: Map<string, KeyValue>, prefix: string, startAfter?: string, limit?: number) {
  const keys = [...map.keys()].filter((k) => k.startsWith(prefix) && (startAfter === undefined || k > startAfter)).sort();
  const n = limit && limit > 0 ? limit : keys.length;
  return { items: keys.slice(0, n).map((k) => map.get(k)!), more: keys.length > n, remaining: Math.max(0, keys.length - n) };
}

it('list, listAt and count agree with a naive sorted scan under random writes', () => {
  const random = rng(7);
  const store = new SortedStore();
  const truth = new Map<string, KeyValue>();
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const keys = Array.from({ length: 60 }, (_, i) => `/r/${pick(['a', 'ab', 'b', 'a/b'])}/${i % 17}`);
  const prefixes = ['', '/', '/r/', '/r/a', '/r/a/', '/r/ab/', '/r/b/', '/r/c/', '/r/a/b/'];
  for (let step = 1; step <= 2000; step++) {
    const key = pick(keys);
    if (random() < 0.3) {
      assert.equal(store.delete(key), truth.get(key));
      truth.delete(key);
    } else {
      const kv = { key, value: String(step), createRevision: step, modRevision: step };
      assert.equal(store.set(kv), truth.get(key));
      truth.set(key, kv);
    }
    if (step % 50 !== 0) continue;
    for (const prefix of prefixes) {
      const startAfter = random() < 0.5 ? undefined : pick(keys);
      const limit = pick([undefined, 0, 1, 3, 100]);
      assert.deepEqual(store.list(prefix, startAfter, limit), naive(truth, prefix, startAfter, limit), `${prefix} ${startAfter} ${limit}`);
      assert.equal(store.count(prefix), naive(truth, prefix).items.length);
      // an older view: some keys reverted, some removed, some only in the past
      const overrides: Overrides = new Map();
      const past = new Map(truth);
      for (let i = 0; i < 5; i++) {
        const k = random() < 0.5 ? pick(keys) : `/r/a/past${i}`;
        const v = random() < 0.4 ? null : { key: k, value: 'old', createRevision: 1, modRevision: 1 };
        overrides.set(k, v);
        if (v) past.set(k, v);
        else past.delete(k);
      }
      assert.deepEqual(store.listAt(prefix, overrides, startAfter, limit), naive(past, prefix, startAfter, limit));
    }
  }
});

it('the event ring keeps the newest events and reports what it dropped', () => {
  const ring = new EventRing(4);
  const kv = (rev: number) => ({ key: `/k/${rev % 2}`, value: '', createRevision: rev, modRevision: rev });
  for (let rev = 1; rev <= 10; rev++) ring.push({ type: 'put', kv: kv(rev), revision: rev });
  assert.equal(ring.size, 4);
  assert.equal(ring.evictedRevision, 6);
  assert.deepEqual(ring.after(0).map((e) => e.revision), [7, 8, 9, 10]);
  assert.deepEqual(ring.after(8).map((e) => e.revision), [9, 10]);
  assert.deepEqual(ring.after(8, '/k/1').map((e) => e.revision), [9]);
  assert.deepEqual(ring.after(10), []);
  ring.reset(42);
  assert.equal(ring.size, 0);
  assert.equal(ring.evictedRevision, 42);
});
