// The informer against a real API server: initial list, live events, and re-list after 410.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from '../apiserver/test-server.js';
import { Informer } from './informer.js';

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('informer lists, watches and recovers from compaction', async () => {
  const t = await startTestServer();
  try {
    await t.client.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'one' }, data: {} });
    const inf = new Informer(t.client, { path: '/api/v1/namespaces/default/configmaps' });
    const seen: string[] = [];
    inf.addHandlers({
      onAdd: (o) => seen.push(`add:${o.metadata!.name}`),
      onUpdate: (_o, n) => seen.push(`update:${n.metadata!.name}`),
      onDelete: (o) => seen.push(`delete:${o.metadata!.name}`),
    });
    inf.start();
    await inf.waitForSync();
    assert.ok(inf.get('default/one'));
    await t.client.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'two' }, data: {} });
    await t.client.patch('/api/v1/namespaces/default/configmaps/two', { data: { a: 'b' } });
    await t.client.delete('/api/v1/namespaces/default/configmaps/one');
    await until(() => seen.includes('delete:one'));
    assert.deepEqual(seen, ['add:one', 'add:two', 'update:two', 'delete:one']);
    assert.ok(Object.isFrozen(inf.get('default/two')));
    inf.stop();
  } finally {
    await t.stop();
  }
});
