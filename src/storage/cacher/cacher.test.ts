import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StorageError, type WatchEvent } from '../interface.js';
import { createCacher, type CacherOptions } from './cacher.js';
import { MemoryBackend } from './memory-backend.js';

const PODS = '/registry/pods/';

async function setup(opts: CacherOptions = {}) {
  const backend = new MemoryBackend();
  const cacher = createCacher(backend, { consistentReadTimeoutMs: 500, ...opts });
  return { backend, cacher };
}

function keyOf(ev: WatchEvent): string {
  return ev.type === 'put' ? ev.kv.key : ev.key;
}

function until(cond: () => boolean, timeoutMs = 2000): Promise<void> {
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

describe('cacher lists', () => {
  it('serves the same list as the backend, with sub-prefixes and pagination', async () => {
    const { backend, cacher } = await setup();
    for (const ns of ['default', 'kube-system', 'apps']) {
      for (let i = 0; i < 7; i++) await backend.create(`${PODS}${ns}/pod-${i}`, `{"i":${i}}`);
    }
    await backend.create('/registry/services/default/svc', '{}');
    await cacher.cacheResource(PODS);
    for (let i = 0; i < 3; i++) await cacher.update(`${PODS}default/pod-${i}`, 'changed');
    await cacher.delete(`${PODS}apps/pod-3`);
    for (const prefix of [PODS, `${PODS}default/`, `${PODS}apps/`, `${PODS}nothing/`]) {
      const fromCache = await cacher.list(prefix);
      const fromBackend = await backend.list(prefix);
      assert.deepEqual(fromCache.items, fromBackend.items, prefix);
      assert.equal(fromCache.revision, fromBackend.revision);
    }
    // paginate through with limit + startAfter
    const seen: string[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await cacher.list(PODS, { limit: 4, startAfter });
      const expected = await backend.list(PODS, { limit: 4, startAfter });
      assert.deepEqual(page.items, expected.items);
      assert.equal(page.more, expected.more);
      assert.equal(page.remaining, expected.remaining);
      seen.push(...page.items.map((kv) => kv.key));
      if (!page.more) break;
      startAfter = page.items.at(-1)!.key;
    }
    assert.equal(seen.length, 20);
    assert.equal(await cacher.count(`${PODS}default/`), 7);
    assert.equal(await cacher.count(`${PODS}apps/`), 6);
    await cacher.close();
  });

  it('returns the same KeyValue instances for unchanged entries', async () => {
    const { cacher } = await setup();
    await cacher.cacheResource(PODS);
    await cacher.create(`${PODS}a/x`, '1');
    await cacher.create(`${PODS}a/y`, '1');
    const first = await cacher.list(PODS);
    await cacher.update(`${PODS}a/y`, '2');
    const second = await cacher.list(PODS);
    assert.equal(second.items[0], first.items[0]);
    assert.notEqual(second.items[1], first.items[1]);
    assert.equal(second.items[1].value, '2');
    await cacher.close();
  });

  it('a consistent list right after a write includes it', async () => {
    const { cacher } = await setup();
    await cacher.cacheResource(PODS);
    for (let i = 0; i < 50; i++) {
      const kv = await cacher.create(`${PODS}default/p${String(i).padStart(3, '0')}`, 'v');
      const listed = await cacher.listWithRV(PODS, { resourceVersion: '' });
      assert.equal(listed.items.length, i + 1);
      assert.ok(listed.revision >= kv.modRevision);
      assert.equal(listed.items.at(-1)!.key, kv.key);
    }
    await cacher.close();
  });

  it('RV "0" serves the cache as is; a consistent read waits and then falls back to the backend', async () => {
    const { backend, cacher } = await setup({ consistentReadTimeoutMs: 100 });
    await cacher.cacheResource(PODS);
    await cacher.create(`${PODS}default/a`, '1');
    await until(() => cacher.cacheRevision() >= 1);
    backend.pauseWatchDelivery();
    await cacher.create(`${PODS}default/b`, '1');
    const any = await cacher.listWithRV(PODS, { resourceVersion: '0' });
    assert.deepEqual(any.items.map((kv) => kv.key), [`${PODS}default/a`]);
    const started = Date.now();
    const consistent = await cacher.listWithRV(PODS, {});
    assert.ok(Date.now() - started >= 90, 'waited for the cache first');
    assert.deepEqual(consistent.items.map((kv) => kv.key), [`${PODS}default/a`, `${PODS}default/b`]);
    backend.resumeWatchDelivery();
    await until(() => cacher.cacheRevision() >= 2);
    assert.equal((await cacher.listWithRV(PODS, { resourceVersion: '0' })).items.length, 2);
    await cacher.close();
  });

  it('NotOlderThan N waits for N, and answers Unavailable when N never comes', async () => {
    const { backend, cacher } = await setup({ consistentReadTimeoutMs: 150 });
    await cacher.cacheResource(PODS);
    backend.pauseWatchDelivery();
    const kv = await cacher.create(`${PODS}default/a`, '1');
    const pending = cacher.listWithRV(PODS, { resourceVersion: String(kv.modRevision) });
    setTimeout(() => backend.resumeWatchDelivery(), 30);
    const listed = await pending;
    assert.equal(listed.items.length, 1);
    assert.ok(listed.revision >= kv.modRevision);
    await assert.rejects(
      cacher.listWithRV(PODS, { resourceVersion: String(kv.modRevision + 100), resourceVersionMatch: 'NotOlderThan' }),
      (err: unknown) => err instanceof StorageError && err.code === 'Unavailable' && /Too large resource version/.test(err.message),
    );
    await assert.rejects(cacher.listWithRV(PODS, { resourceVersion: 'abc' }), RangeError);
    await cacher.close();
  });

  it('Exact N equals the backend at N, inside the buffer and below it, with consistent pagination', async () => {
    const { backend, cacher } = await setup({ eventBufferCapacity: 8 });
    await cacher.cacheResource(PODS);
    const revisions: number[] = [];
    for (let i = 0; i < 6; i++) revisions.push((await cacher.create(`${PODS}ns${i % 2}/p${i}`, `v${i}`)).modRevision);
    for (let i = 0; i < 6; i += 2) revisions.push((await cacher.update(`${PODS}ns${i % 2}/p${i}`, `w${i}`)).modRevision);
    revisions.push((await cacher.delete(`${PODS}ns1/p1`)).modRevision);
    revisions.push((await cacher.create(`${PODS}ns1/p1`, 'again')).modRevision);
    await until(() => cacher.cacheRevision() >= revisions.at(-1)!);
    for (const rev of revisions) {
      for (const prefix of [PODS, `${PODS}ns1/`]) {
        const exact = await cacher.listWithRV(prefix, { resourceVersion: String(rev), resourceVersionMatch: 'Exact' });
        const truth = await backend.list(prefix, { revision: rev });
        assert.deepEqual(exact.items, truth.items, `${prefix} at ${rev}`);
        assert.equal(exact.revision, rev);
        // page through the snapshot one item at a time
        const paged: string[] = [];
        let startAfter: string | undefined;
        for (;;) {
          const page = await cacher.listWithRV(prefix, { resourceVersion: String(rev), resourceVersionMatch: 'Exact', limit: 1, startAfter });
          paged.push(...page.items.map((kv) => `${kv.key}=${kv.value}`));
          if (!page.more) break;
          startAfter = page.items[0].key;
        }
        assert.deepEqual(paged, truth.items.map((kv) => `${kv.key}=${kv.value}`));
      }
    }
    // buffer holds 8 events: revision 1 is served by the backend, and is Expired once compacted
    await cacher.compact(revisions[3]);
    await assert.rejects(
      cacher.listWithRV(PODS, { resourceVersion: String(revisions[1]), resourceVersionMatch: 'Exact' }),
      (err: unknown) => err instanceof StorageError && err.code === 'Expired',
    );
    assert.equal((await cacher.list(PODS, { revision: revisions[3] })).items.length, 4);
    await cacher.close();
  });

  it('passes prefixes that are not cached through to the backend', async () => {
    const { backend, cacher } = await setup();
    await cacher.cacheResource(PODS);
    await cacher.create('/registry/services/default/a', 'x');
    assert.deepEqual((await cacher.list('/registry/services/')).items, (await backend.list('/registry/services/')).items);
    assert.equal(cacher.stats().cachedObjects, 0);
    await cacher.close();
  });

  it('a revision with no event is covered by backend progress', async () => {
    const backend = new MemoryBackend({ progressIntervalMs: 10 });
    const cacher = createCacher(backend, { consistentReadTimeoutMs: 2000 });
    await cacher.cacheResource(PODS);
    await cacher.create(`${PODS}d/a`, '1');
    backend.skipRevision();
    const started = Date.now();
    const listed = await cacher.listWithRV(PODS, {});
    assert.ok(Date.now() - started < 1000);
    assert.equal(listed.revision, 2);
    await cacher.close();
  });

  it('a resource that fails to load is not cached: reads pass through and caching can be retried', async () => {
    const backend = new MemoryBackend();
    await backend.create(`${PODS}a/1`, 'x');
    let failLists = 1;
    const realList = backend.list.bind(backend);
    backend.list = (prefix, opts) => (failLists-- > 0 ? Promise.reject(new Error('disk on fire')) : realList(prefix, opts));
    const cacher = createCacher(backend);
    await assert.rejects(cacher.cacheResource(PODS), /disk on fire/);
    assert.equal(cacher.stats().cachedResources, 0);
    assert.equal((await cacher.list(PODS)).items.length, 1);
    await cacher.cacheResource(PODS);
    assert.equal(cacher.stats().cachedResources, 1);
    assert.equal(cacher.stats().cachedObjects, 1);
    await cacher.close();
  });

  it('reports stats for /metrics', async () => {
    const { cacher } = await setup();
    await cacher.cacheResource(PODS);
    await cacher.cacheResource('/registry/services/');
    await cacher.create(`${PODS}a/1`, 'x');
    await cacher.create('/registry/services/a/1', 'x');
    const w = cacher.watch(PODS, { fromRevision: 0 }, () => undefined, assert.fail);
    await new Promise((r) => setTimeout(r, 5));
    const stats = cacher.stats();
    assert.equal(stats.cachedResources, 2);
    assert.equal(stats.watchers, 1);
    assert.equal(stats.cachedObjects, 2);
    assert.equal(stats.bufferedEvents, 2);
    assert.equal(stats.cacheRevision, 2);
    w.stop();
    assert.equal(cacher.stats().watchers, 0);
    await cacher.close();
  });

  it('getWithRV: "" reads the backend, "0" the cache as is, N waits for N', async () => {
    const { backend, cacher } = await setup({ consistentReadTimeoutMs: 100 });
    await cacher.cacheResource(PODS);
    const v1 = await cacher.create(`${PODS}a/1`, 'one');
    await until(() => cacher.cacheRevision() >= v1.modRevision);
    backend.pauseWatchDelivery();
    const v2 = await cacher.update(`${PODS}a/1`, 'two');
    assert.equal((await cacher.getWithRV(`${PODS}a/1`))?.value, 'two');
    assert.equal((await cacher.getWithRV(`${PODS}a/1`, '0'))?.value, 'one');
    const waiting = cacher.getWithRV(`${PODS}a/1`, String(v2.modRevision));
    setTimeout(() => backend.resumeWatchDelivery(), 20);
    assert.equal((await waiting)?.value, 'two');
    await assert.rejects(cacher.getWithRV(`${PODS}a/1`, '999'), (err: unknown) => err instanceof StorageError && err.code === 'Unavailable');
    assert.equal(await cacher.getWithRV(`${PODS}a/missing`, '0'), undefined);
    await cacher.close();
  });
});
