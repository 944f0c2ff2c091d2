// Controllers, events and leader election against a real API server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from '../apiserver/test-server.js';
import { Informer } from '../client/informer.js';
import { Controller, EventRecorder, startLeaderElection } from './index.js';

const until = async (cond: () => boolean | Promise<boolean>, ms = 8000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('a controller reconciles each changed object and retries failures', async () => {
  const t = await startTestServer();
  try {
    const inf = new Informer(t.client, { path: '/api/v1/configmaps' });
    const seen: string[] = [];
    let failOnce = true;
    const c = new Controller({
      name: 'test',
      reconcile: async (_ctx, req) => {
        if (req.name === 'flaky' && failOnce) {
          failOnce = false;
          throw new Error('transient');
        }
        seen.push(`${req.namespace}/${req.name}`);
      },
    }).watches(inf);
    inf.start();
    c.start();
    await t.client.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'a' }, data: {} });
    await t.client.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'flaky' }, data: {} });
    await until(() => seen.includes('default/a') && seen.includes('default/flaky'));
    c.stop();
    inf.stop();
  } finally {
    await t.stop();
  }
});

test('events are recorded and folded; only one of two candidates leads', async () => {
  const t = await startTestServer();
  try {
    const rec = new EventRecorder(t.client, { component: 'test-controller' });
    const obj = (await t.client.post<Record<string, any>>('/api/v1/namespaces/default/configmaps', { metadata: { name: 'ev' }, data: {} })).body;
    await rec.record(obj, 'Warning', 'Oops', 'it broke');
    await rec.record(obj, 'Warning', 'Oops', 'it broke');
    const evs = await t.client.get<{ items: Array<Record<string, any>> }>('/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dev');
    assert.equal(evs.body.items.length, 1);
    assert.equal(evs.body.items[0]!.count, 2);

    const leading = new Set<string>();
    const mk = (id: string) =>
      startLeaderElection({ client: t.client, name: 'test-lock', identity: id, leaseDurationSeconds: 2, renewIntervalMs: 200, onStartedLeading: () => leading.add(id), onStoppedLeading: () => leading.delete(id) });
    const a = mk('a');
    const b = { stop() {} } as { stop(): void };
    try {
      await until(() => leading.size === 1);
      Object.assign(b, mk('b'));
      await new Promise((r) => setTimeout(r, 800));
      assert.deepEqual([...leading], ['a']);
      a.stop();
      await until(() => leading.has('b'), 6000);
      assert.equal(leading.size, 1);
    } finally {
      a.stop();
      b.stop();
    }
  } finally {
    await t.stop();
  }
});
