/**
 * The storage conformance suite: one set of node:test tests every Storage backend must pass.
 *
 * Usage (from a backend's test file): `storageConformance('sqlite', async () => ({store, cleanup}))`.
 * `open` must return a fresh, empty view of a store for each test (a new file, or a new key prefix
 * on a shared etcd); revisions need not start at 1, so every assertion is relative.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guaranteedUpdate, StorageError, type Storage, type WatchEvent } from './interface.js';

export type OpenStore = () => Promise<{ store: Storage; cleanup: () => Promise<void> }>;

async function withStore(open: OpenStore, fn: (store: Storage) => Promise<void>): Promise<void> {
  const { store, cleanup } = await open();
  try {
    await fn(store);
  } finally {
    await cleanup();
  }
}

async function rejectsWith(p: Promise<unknown>, code: StorageError['code']): Promise<StorageError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof StorageError, `expected StorageError ${code}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected StorageError ${code}, but the call succeeded`);
}

/** Watches until `n` events arrived (or fails after `timeoutMs`). */
export function collectEvents(store: Storage, prefix: string, fromRevision: number, n: number, timeoutMs = 10_000): Promise<WatchEvent[]> {
  return new Promise((resolve, reject) => {
    const events: WatchEvent[] = [];
    const timer = setTimeout(() => {
      w.stop();
      reject(new Error(`watch ${prefix} from ${fromRevision}: got ${events.length} of ${n} events`));
    }, timeoutMs);
    const w = store.watch(
      prefix,
      { fromRevision },
      (ev) => {
        events.push(ev);
        if (events.length === n) {
          clearTimeout(timer);
          w.stop();
          resolve(events);
        }
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Resolves with the error a watch ends with (fails if an event or nothing arrives). */
function watchError(store: Storage, prefix: string, fromRevision: number): Promise<Error> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('watch did not fail')), 10_000);
    const w = store.watch(
      prefix,
      { fromRevision },
      (ev) => {
        clearTimeout(timer);
        w.stop();
        reject(new Error(`unexpected event at ${ev.revision}`));
      },
      (err) => {
        clearTimeout(timer);
        resolve(err);
      },
    );
  });
}

export function storageConformance(name: string, open: OpenStore): void {
  test(`${name}: revisions increase across keys and writes`, () =>
    withStore(open, async (s) => {
      const start = await s.currentRevision();
      const a = await s.create('/r/a', '1');
      const b = await s.create('/r/b', '1');
      const a2 = await s.update('/r/a', '2');
      const gone = await s.delete('/r/b');
      assert.ok(a.modRevision > start);
      assert.ok(b.modRevision > a.modRevision);
      assert.ok(a2.modRevision > b.modRevision);
      assert.equal(a2.createRevision, a.createRevision);
      assert.equal(a.createRevision, a.modRevision);
      assert.deepEqual(gone, b);
      assert.ok((await s.currentRevision()) > a2.modRevision);
      assert.deepEqual(await s.get('/r/a'), a2);
    }));

  test(`${name}: get and list by prefix, ordered by key, with exact prefix boundaries`, () =>
    withStore(open, async (s) => {
      for (const k of ['/a/bc/y', '/a/b/y', '/a/b', '/a/b/x', '/a/c', '/b']) await s.create(k, `v${k}`);
      assert.equal(await s.get('/a/missing'), undefined);
      assert.equal((await s.get('/a/b/x'))?.value, 'v/a/b/x');
      const keys = async (p: string) => (await s.list(p)).items.map((kv) => kv.key);
      assert.deepEqual(await keys('/a/b/'), ['/a/b/x', '/a/b/y']);
      assert.deepEqual(await keys('/a/b'), ['/a/b', '/a/b/x', '/a/b/y', '/a/bc/y']);
      assert.deepEqual(await keys('/a/'), ['/a/b', '/a/b/x', '/a/b/y', '/a/bc/y', '/a/c']);
      assert.deepEqual(await keys('/nothing/'), []);
      const all = await s.list('/');
      assert.equal(all.items.length, 6);
      assert.equal(all.more, false);
      assert.equal(all.revision, await s.currentRevision());
      assert.equal(await s.count('/a/b/'), 2);
      assert.equal(await s.count('/a/'), 5);
      await s.delete('/a/b/x');
      assert.equal(await s.count('/a/b/'), 1);
      assert.deepEqual(await keys('/a/b/'), ['/a/b/y']);
    }));

  test(`${name}: create only when absent`, () =>
    withStore(open, async (s) => {
      const first = await s.create('/c/k', 'one');
      await rejectsWith(s.create('/c/k', 'two'), 'KeyExists');
      assert.equal((await s.get('/c/k'))?.value, 'one');
      await s.delete('/c/k');
      const again = await s.create('/c/k', 'three');
      assert.ok(again.createRevision > first.createRevision);
    }));

  test(`${name}: update and delete compare-and-swap on modRevision`, () =>
    withStore(open, async (s) => {
      await rejectsWith(s.update('/u/k', 'x'), 'KeyNotFound');
      await rejectsWith(s.delete('/u/k'), 'KeyNotFound');
      const v1 = await s.create('/u/k', 'v1');
      const v2 = await s.update('/u/k', 'v2', { modRevision: v1.modRevision });
      const conflict = await rejectsWith(s.update('/u/k', 'v3', { modRevision: v1.modRevision }), 'Conflict');
      assert.equal(conflict.revision, v2.modRevision);
      await rejectsWith(s.delete('/u/k', { modRevision: v1.modRevision }), 'Conflict');
      assert.equal((await s.get('/u/k'))?.value, 'v2');
      const deleted = await s.delete('/u/k', { modRevision: v2.modRevision });
      assert.deepEqual(deleted, v2);
      assert.equal(await s.get('/u/k'), undefined);
      await rejectsWith(s.update('/u/k', 'v4', { modRevision: v2.modRevision }), 'KeyNotFound');
    }));

  test(`${name}: guaranteedUpdate with 20 concurrent incrementers ends at exactly 20`, () =>
    withStore(open, async (s) => {
      const inc = () => guaranteedUpdate(s, '/g/counter', (cur) => String(Number(cur?.value ?? '0') + 1), { allowCreate: true });
      await Promise.all(Array.from({ length: 20 }, inc));
      assert.equal((await s.get('/g/counter'))?.value, '20');
    }));

  test(`${name}: paginated list at an old revision is a consistent snapshot while writes continue`, () =>
    withStore(open, async (s) => {
      const keys = Array.from({ length: 25 }, (_, i) => `/p/k${String(i).padStart(2, '0')}`);
      for (const k of keys) await s.create(k, `orig-${k}`);
      const first = await s.list('/p/', { limit: 7 });
      assert.equal(first.items.length, 7);
      assert.equal(first.more, true);
      assert.equal(first.remaining, 18);
      const snapshot = first.revision;
      // Churn: update, delete and add keys while paging through the snapshot.
      const churn = (async () => {
        for (let i = 0; i < 25; i += 3) await s.update(keys[i], 'changed');
        for (let i = 1; i < 25; i += 4) await s.delete(keys[i]);
        for (let i = 0; i < 10; i++) await s.create(`/p/k${i}x`, 'new');
      })();
      const seen = [...first.items];
      let page = first;
      while (page.more) {
        page = await s.list('/p/', { revision: snapshot, limit: 7, startAfter: seen[seen.length - 1].key });
        assert.equal(page.revision, snapshot);
        seen.push(...page.items);
        if (page.more) assert.equal(page.remaining, 25 - seen.length);
      }
      await churn;
      assert.deepEqual(seen.map((kv) => kv.key), keys);
      assert.ok(seen.every((kv) => kv.value === `orig-${kv.key}`));
      const whole = await s.list('/p/', { revision: snapshot });
      assert.deepEqual(whole.items, seen);
      const now = await s.list('/p/');
      assert.equal(now.items.length, 25 - 6 + 10);
      assert.ok(now.revision > snapshot);
    }));

  test(`${name}: watch from a revision replays every later event in order, with prevKv`, () =>
    withStore(open, async (s) => {
      const from = await s.currentRevision();
      const c = await s.create('/w/a', '1');
      await s.create('/other/x', 'not watched');
      const u = await s.update('/w/a', '2');
      const watching = collectEvents(s, '/w/', from, 6);
      const d = await s.delete('/w/a');
      const c2 = await s.create('/w/b', '1');
      const many = await Promise.all([s.create('/w/c', '1'), s.create('/w/d', '1')]);
      const events = await watching;
      assert.deepEqual(events[0], { type: 'put', kv: c, revision: c.modRevision });
      assert.deepEqual(events[1], { type: 'put', kv: u, prevKv: c, revision: u.modRevision });
      assert.deepEqual(events[2], { type: 'delete', key: '/w/a', prevKv: u, revision: events[2].revision });
      assert.deepEqual(d, u);
      assert.ok(events[2].revision > u.modRevision && events[2].revision < c2.modRevision);
      assert.deepEqual(events[3], { type: 'put', kv: c2, revision: c2.modRevision });
      const last = events.slice(4).map((e) => (e.type === 'put' ? e.kv : undefined));
      assert.deepEqual(last, [...many].sort((x, y) => x.modRevision - y.modRevision));
      for (let i = 1; i < events.length; i++) assert.ok(events[i].revision > events[i - 1].revision);
    }));

  test(`${name}: two watchers see the same events in the same order, none lost`, () =>
    withStore(open, async (s) => {
      const from = await s.currentRevision();
      const n = 60;
      const w1 = collectEvents(s, '/o/', from, n);
      const w2 = collectEvents(s, '/o/', from, n);
      const writes = await Promise.all(Array.from({ length: n / 2 }, (_, i) => s.create(`/o/${i}`, 'x')));
      await Promise.all(writes.map((kv) => s.update(kv.key, 'y', { modRevision: kv.modRevision })));
      const [e1, e2] = await Promise.all([w1, w2]);
      assert.deepEqual(e1, e2);
      for (let i = 1; i < n; i++) assert.ok(e1[i].revision > e1[i - 1].revision);
      assert.equal(new Set(e1.map((e) => e.revision)).size, n);
    }));

  test(`${name}: after compaction, lists and watches below it answer Expired`, () =>
    withStore(open, async (s) => {
      const start = await s.create('/x/a', '0');
      for (let i = 1; i <= 5; i++) await s.update('/x/a', String(i));
      await s.create('/x/gone', 'g');
      await s.delete('/x/gone');
      const mid = await s.update('/x/a', 'mid');
      await s.create('/x/b', 'after');
      await s.compact(mid.modRevision);
      assert.equal(await s.compactedRevision(), mid.modRevision);
      const expired = await rejectsWith(s.list('/x/', { revision: start.modRevision }), 'Expired');
      assert.equal(expired.revision, mid.modRevision);
      const err = await watchError(s, '/x/', start.modRevision);
      assert.ok(err instanceof StorageError && err.code === 'Expired', String(err));
      const atMid = await s.list('/x/', { revision: mid.modRevision });
      assert.deepEqual(atMid.items, [mid]);
      const latest = await s.list('/x/');
      assert.deepEqual(latest.items.map((kv) => kv.value), ['mid', 'after']);
      const events = await collectEvents(s, '/x/', mid.modRevision, 1);
      assert.equal(events[0].type === 'put' && events[0].kv.key, '/x/b');
    }));

  test(`${name}: a stopped watch delivers nothing more; a future list revision is refused`, () =>
    withStore(open, async (s) => {
      const from = await s.currentRevision();
      const seen: WatchEvent[] = [];
      const first = new Promise<void>((resolve, reject) => {
        const w = s.watch('/s/', { fromRevision: from }, (ev) => (seen.push(ev), w.stop(), resolve()), reject);
      });
      await s.create('/s/1', 'x');
      await first;
      await s.create('/s/2', 'x');
      await s.update('/s/1', 'y');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(seen.length, 1);
      await rejectsWith(s.list('/s/', { revision: (await s.currentRevision()) + 1000 }), 'Unavailable');
    }));
}
