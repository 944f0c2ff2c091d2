/** openStorage picks the backend named by `kind`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStorage } from './index.js';
import { etcdAvailable, etcdMissingReason, startTestEtcd } from './etcd/test-etcd.js';

test('openStorage: sqlite', async () => {
  const store = await openStorage({ kind: 'sqlite', path: ':memory:' });
  const kv = await store.create('/k', 'v');
  assert.equal((await store.get('/k'))?.modRevision, kv.modRevision);
  await store.close();
});

test('openStorage: etcd', { skip: etcdAvailable() ? false : etcdMissingReason }, async () => {
  const etcd = await startTestEtcd();
  try {
    const store = await openStorage({ kind: 'etcd', endpoints: [etcd.endpoint], prefix: '/open-storage' });
    const kv = await store.create('/k', 'v');
    assert.equal((await store.get('/k'))?.modRevision, kv.modRevision);
    await store.close();
  } finally {
    await etcd.stop();
  }
});
