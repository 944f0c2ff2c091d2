/** The etcd backend against the shared conformance suite, on a real etcd started for this file. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { storageConformance } from '../conformance.case.js';
import { StorageError } from '../interface.js';
import { etcdPrefixEnd, openEtcdStorage } from './index.js';
import { etcdAvailable, etcdMissingReason, startTestEtcd, startTestEtcdCluster, type TestEtcd } from './test-etcd.js';

test('etcd: prefix range end', () => {
  assert.deepEqual(etcdPrefixEnd(Buffer.from('/a/b')), Buffer.from('/a/c'));
  assert.deepEqual(etcdPrefixEnd(Buffer.from([0x61, 0xff])), Buffer.from('b'));
  assert.deepEqual(etcdPrefixEnd(Buffer.from([0xff])), Buffer.from([0]));
});

if (!etcdAvailable()) {
  test('etcd backend', { skip: etcdMissingReason }, () => undefined);
} else {
  let etcd: TestEtcd;
  let n = 0;
  before(async () => {
    etcd = await startTestEtcd();
  });
  after(async () => {
    await etcd?.stop();
  });

  storageConformance('etcd', async () => {
    const store = await openEtcdStorage({ endpoints: [etcd.endpoint], prefix: `/skiff-test-${++n}` });
    return { store, cleanup: () => store.close() };
  });

  test('etcd: stores keys under the prefix and keeps prefixes apart', async () => {
    const a = await openEtcdStorage({ endpoints: [etcd.endpoint], prefix: '/tenant-a' });
    const b = await openEtcdStorage({ endpoints: [etcd.endpoint], prefix: '/tenant-ab' });
    try {
      await a.create('/k', 'a');
      await b.create('/k', 'b');
      assert.equal((await a.get('/k'))?.value, 'a');
      assert.deepEqual((await a.list('/')).items.map((kv) => kv.key), ['/k']);
      assert.equal(await b.count('/'), 1);
      if (existsSync('/usr/bin/etcdctl')) {
        // The etcd layout is Kubernetes': prefix + key, readable with etcdctl.
        const out = execFileSync('/usr/bin/etcdctl', ['--endpoints', etcd.endpoint, 'get', '/tenant-a/k', '--print-value-only'], {
          env: { ...process.env, ETCDCTL_API: '3' },
        });
        assert.equal(out.toString().trim(), 'a');
      }
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('etcd: an idle watch reports progress; closing the store ends watches with Unavailable', async () => {
    const store = await openEtcdStorage({ endpoints: [etcd.endpoint], prefix: '/progress', progressIntervalMs: 100 });
    const kv = await store.create('/idle/a', '1');
    const progressed = await new Promise<number>((resolve, reject) => {
      const w = store.watch('/idle/', { fromRevision: kv.modRevision, onProgress: (rev) => (w.stop(), resolve(rev)) }, () => reject(new Error('no events expected')), reject);
    });
    assert.ok(progressed >= kv.modRevision);
    const ended = new Promise<Error>((resolve) => store.watch('/idle/', { fromRevision: kv.modRevision }, () => undefined, resolve));
    await store.close();
    assert.equal(((await ended) as { code?: string }).code, 'Unavailable');
    await assert.rejects(store.get('/idle/a'), { code: 'Unavailable' });
  });

  test('etcd: automatic compaction keeps the configured number of revisions', async () => {
    const store = await openEtcdStorage({ endpoints: [etcd.endpoint], prefix: '/auto', autoCompact: { intervalMs: 50, keepRevisions: 5 } });
    try {
      for (let i = 0; i < 20; i++) await store.create(`/ac/${i}`, 'x');
      const written = await store.currentRevision();
      const deadline = Date.now() + 5000;
      while ((await store.compactedRevision()) < written - 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const compacted = await store.compactedRevision();
      assert.ok(compacted >= written - 5 && compacted <= (await store.currentRevision()) - 5, `compacted ${compacted}, written ${written}`);
      await assert.rejects(store.list('/ac/', { revision: compacted - 1 }), { code: 'Expired' });
      assert.equal(await store.count('/ac/'), 20);
    } finally {
      await store.close();
    }
  });

  test('etcd: a value above etcd\'s request limit is refused with TooLarge', async () => {
    const store = await openEtcdStorage({ endpoints: [etcd.endpoint], prefix: '/large' });
    try {
      await assert.rejects(store.create('/big', 'x'.repeat(2 * 1024 * 1024)), { code: 'TooLarge' });
      assert.equal(await store.get('/big'), undefined);
    } finally {
      await store.close();
    }
  });

  test('etcd: with several endpoints the store fails over when a member stops', async () => {
    const cluster = await startTestEtcdCluster(3);
    const store = await openEtcdStorage({ endpoints: cluster.endpoints, prefix: '/failover', callTimeoutMs: 3000 });
    try {
      const before = await store.create('/k/1-before', '1');
      await cluster.members[0].stop(); // the first endpoint: the one a fresh channel picks
      let after: Awaited<ReturnType<typeof store.create>> | undefined;
      const deadline = Date.now() + 20_000;
      while (!after) {
        try {
          after = await store.create('/k/2-after', '2');
        } catch (err) {
          assert.ok(err instanceof StorageError && err.code === 'Unavailable', String(err));
          if (Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 200));
        }
      }
      assert.ok(after.modRevision > before.modRevision);
      assert.deepEqual((await store.list('/k/')).items.map((kv) => kv.value), ['1', '2']);
    } finally {
      await store.close();
      await cluster.stop();
    }
  });

  test('etcd: an unreachable endpoint fails with Unavailable', async () => {
    await assert.rejects(openEtcdStorage({ endpoints: ['http://127.0.0.1:1'], callTimeoutMs: 2000 }), (err) => err instanceof StorageError && err.code === 'Unavailable');
  });
}
