import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageError, type WatchEvent } from '../interface.js';
import { createCacher, type CacherOptions } from './cacher.js';
import { MemoryBackend } from './memory-backend.js';

const PODS = '/registry/pods/';

async function setup(opts: CacherOptions = {}) {
  const backend = new MemoryBackend();
  const cacher = createCacher(backend, { consistentReadTimeoutMs: 500, ...opts });
  await cacher.cacheResource(PODS);
  return { backend, cacher };
}

function keyOf(ev: WatchEvent): string {
  return ev.type === 'put' ? ev.kv.key : ev.key;
}

function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const check = () => {
      if (cond()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(check, 2);
    };
    check();
  });
}

describe('cacher watches', () => {
  it('replays events after N, then goes live, only for its sub-prefix', async () => {
    const { cacher } = await setup();
    const a1 = await cacher.create(`${PODS}a/1`, 'x');
    await cacher.create(`${PODS}b/1`, 'x');
    await cacher.update(`${PODS}a/1`, 'y');
    await cacher.delete(`${PODS}a/1`);
    const got: WatchEvent[] = [];
    const errors: Error[] = [];
    const w = cacher.watch(`${PODS}a/`, { fromRevision: a1.modRevision }, (ev) => void got.push(ev), (e) => void errors.push(e));
    await cacher.create(`${PODS}a/2`, 'z');
    await cacher.create(`${PODS}b/2`, 'z');
    await until(() => got.length === 3);
    assert.deepEqual(got.map((ev) => [ev.type, keyOf(ev), ev.revision]), [
      ['put', `${PODS}a/1`, 3],
      ['delete', `${PODS}a/1`, 4],
      ['put', `${PODS}a/2`, 5],
    ]);
    const del = got[1];
    assert.ok(del.type === 'delete' && del.prevKv.value === 'y');
    const upd = got[0];
    assert.ok(upd.type === 'put' && upd.prevKv?.value === 'x');
    assert.equal(errors.length, 0);
    w.stop();
    assert.equal(cacher.stats().watchers, 0);
    await cacher.close();
  });

  it('fromRevision 0 starts from now without replay', async () => {
    const backend = new MemoryBackend();
    await backend.create(`${PODS}a/0`, 'x');
    const cacher = createCacher(backend);
    await cacher.cacheResource(PODS);
    await cacher.create(`${PODS}a/1`, 'x');
    await until(() => cacher.cacheRevision() === 2);
    const got: WatchEvent[] = [];
    cacher.watch(PODS, { fromRevision: 0 }, (ev) => void got.push(ev), assert.fail);
    await new Promise((r) => setTimeout(r, 5));
    await cacher.create(`${PODS}a/2`, 'x');
    await until(() => got.length === 1);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(got.map(keyOf), [`${PODS}a/2`]);
    await cacher.close();
  });

  it('fromRevision 0 on a cache that holds the whole history replays it, as a backend would', async () => {
    const { cacher } = await setup();
    await cacher.create(`${PODS}a/1`, 'x');
    await cacher.create(`${PODS}a/2`, 'x');
    await until(() => cacher.cacheRevision() === 2);
    const got: WatchEvent[] = [];
    cacher.watch(PODS, { fromRevision: 0 }, (ev) => void got.push(ev), assert.fail);
    await until(() => got.length === 2);
    assert.deepEqual(got.map((ev) => ev.revision), [1, 2]);
    await cacher.close();
  });

  it('answers Expired for a revision older than the buffer, with the oldest available revision', async () => {
    const { cacher } = await setup({ eventBufferCapacity: 3 });
    for (let i = 0; i < 6; i++) await cacher.create(`${PODS}a/${i}`, 'x');
    await until(() => cacher.cacheRevision() === 6);
    const err = await new Promise<Error>((resolve) => {
      cacher.watch(PODS, { fromRevision: 1 }, () => assert.fail('no events expected'), resolve);
    });
    assert.ok(err instanceof StorageError);
    assert.equal(err.code, 'Expired');
    assert.equal(err.revision, 3);
    assert.match(err.message, /too old resource version: 1 \(3\)/);
    // the oldest available revision itself still replays
    const got: number[] = [];
    cacher.watch(PODS, { fromRevision: 3 }, (ev) => void got.push(ev.revision), assert.fail);
    await until(() => got.length === 3);
    assert.deepEqual(got, [4, 5, 6]);
    await cacher.close();
  });

  it('sends bookmarks with the cache revision to idle watchers', async () => {
    const { cacher } = await setup({ bookmarkIntervalMs: 15 });
    await cacher.create(`${PODS}a/1`, 'x');
    await cacher.create('/registry/services/a/1', 'x');
    const progress: number[] = [];
    cacher.watch(`${PODS}a/`, { fromRevision: 1, onProgress: (rev) => void progress.push(rev) }, () => undefined, assert.fail);
    await until(() => progress.length >= 2);
    assert.ok(progress.every((rev) => rev === 2), `bookmarks carry the cache revision: ${progress.join()}`);
    await cacher.close();
  });

  it('closes a slow watcher with Expired while a fast one receives everything in order', async () => {
    const { cacher } = await setup({ watcherQueueCapacity: 10 });
    const fast: number[] = [];
    const slowGot: number[] = [];
    let slowError: Error | undefined;
    cacher.watch(PODS, { fromRevision: 0 }, (ev) => void fast.push(ev.revision), assert.fail);
    // the slow consumer says "buffer full" at once and never resumes
    cacher.watch(PODS, { fromRevision: 0 }, (ev) => {
      slowGot.push(ev.revision);
      return false;
    }, (e) => {
      slowError = e;
    });
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 50; i++) await cacher.create(`${PODS}a/${i}`, 'x');
    await until(() => fast.length === 50);
    assert.deepEqual(fast, Array.from({ length: 50 }, (_, i) => i + 1));
    assert.equal(slowGot.length, 1);
    assert.ok(slowError instanceof StorageError && slowError.code === 'Expired');
    assert.match(slowError.message, /watcher too slow, re-list/);
    assert.equal(cacher.stats().slowWatchersClosed, 1);
    assert.equal(cacher.stats().watchers, 1);
    await cacher.close();
  });

  it('a paused watcher that resumes in time loses nothing', async () => {
    const { cacher } = await setup({ watcherQueueCapacity: 100 });
    const got: number[] = [];
    const handle = cacher.watch(PODS, { fromRevision: 0 }, (ev) => {
      got.push(ev.revision);
      if (got.length % 10 === 0) {
        setTimeout(() => handle.resume(), 1);
        return false;
      }
      return true;
    }, assert.fail);
    await new Promise((r) => setTimeout(r, 5));
    for (let i = 0; i < 60; i++) await cacher.create(`${PODS}a/${i}`, 'x');
    await until(() => got.length === 60);
    assert.deepEqual(got, Array.from({ length: 60 }, (_, i) => i + 1));
    await cacher.close();
  });

  it('1,000 watchers and 10,000 events: nothing lost or reordered', async () => {
    const { cacher } = await setup({ watcherQueueCapacity: 20_000 });
    const watchers = 1000;
    const events = 10_000;
    const last = new Int32Array(watchers);
    const counts = new Int32Array(watchers);
    let disorder = 0;
    for (let w = 0; w < watchers; w++) {
      // half watch everything, half one namespace of two
      const prefix = w % 2 === 0 ? PODS : `${PODS}ns${w % 4 === 1 ? 0 : 1}/`;
      cacher.watch(prefix, { fromRevision: 0 }, (ev) => {
        if (ev.revision <= last[w]) disorder++;
        if (!keyOf(ev).startsWith(prefix)) disorder++;
        last[w] = ev.revision;
        counts[w]++;
      }, assert.fail);
    }
    await new Promise((r) => setTimeout(r, 10));
    for (let i = 0; i < events; i++) await cacher.create(`${PODS}ns${i % 2}/p${i}`, 'x');
    await until(() => counts.every((c, w) => c === (w % 2 === 0 ? events : events / 2)), 60_000);
    assert.equal(disorder, 0);
    await cacher.close();
  });

  it('re-lists when the backend watch expires; open watchers get Expired, reads stay correct', async () => {
    const { backend, cacher } = await setup();
    await cacher.create(`${PODS}a/1`, 'x');
    let watchError: Error | undefined;
    cacher.watch(PODS, { fromRevision: 0 }, () => undefined, (e) => {
      watchError = e;
    });
    await new Promise((r) => setTimeout(r, 5));
    backend.pauseWatchDelivery();
    await backend.create(`${PODS}a/2`, 'x');
    await backend.delete(`${PODS}a/1`);
    await backend.compact(3);
    backend.breakWatches(new StorageError('Expired', '', 'compacted', 3));
    backend.resumeWatchDelivery();
    await until(() => watchError !== undefined);
    assert.ok(watchError instanceof StorageError && watchError.code === 'Expired');
    await until(() => cacher.stats().relists === 1);
    const listed = await cacher.list(PODS);
    assert.deepEqual(listed.items.map((kv) => kv.key), [`${PODS}a/2`]);
    // the cache keeps following the backend after the re-list
    await cacher.create(`${PODS}a/3`, 'x');
    assert.equal((await cacher.listWithRV(PODS, { resourceVersion: '' })).items.length, 2);
    await until(() => cacher.stats().cachedObjects === 2);
    await cacher.close();
  });

  it('re-opens the backend watch after a transient failure without losing events', async () => {
    const { backend, cacher } = await setup({ watchRetryMs: 5 });
    const got: number[] = [];
    cacher.watch(PODS, { fromRevision: 0 }, (ev) => void got.push(ev.revision), assert.fail);
    await new Promise((r) => setTimeout(r, 5));
    await cacher.create(`${PODS}a/1`, 'x');
    backend.pauseWatchDelivery();
    await cacher.create(`${PODS}a/2`, 'x');
    backend.breakWatches(new Error('connection reset'));
    backend.resumeWatchDelivery();
    await cacher.create(`${PODS}a/3`, 'x');
    await until(() => got.length === 3);
    assert.deepEqual(got, [1, 2, 3]);
    assert.equal(cacher.stats().backendWatchRestarts, 1);
    await cacher.close();
  });
});
