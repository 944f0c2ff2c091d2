// 50 clients doing read-modify-write increments of one ConfigMap, retrying on 409: nothing is lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RestClient, loadKubeconfig } from '../src/client/rest.js';
import { startTestServer } from '../src/apiserver/test-server.js';

type CM = { metadata: { resourceVersion: string }; data: { count: string } };

test('50 concurrent read-modify-write clients lose no increment', async () => {
  const t = await startTestServer();
  try {
    const path = '/api/v1/namespaces/default/configmaps/counter';
    await t.client.post('/api/v1/namespaces/default/configmaps', { metadata: { name: 'counter' }, data: { count: '0' } });
    const clients = Array.from({ length: 50 }, () => new RestClient(loadKubeconfig(t.server.kubeconfigPath), { maxSockets: 1 }));
    const perClient = 4;
    let conflicts = 0;
    await Promise.all(
      clients.map(async (c) => {
        for (let i = 0; i < perClient; i++) {
          for (;;) {
            const cur = (await c.get<CM>(path)).body;
            cur.data.count = String(Number(cur.data.count) + 1);
            const res = await c.put(path, cur);
            if (res.status === 200) break;
            assert.equal(res.status, 409, res.text);
            conflicts++;
          }
        }
      }),
    );
    for (const c of clients) c.close();
    const final = (await t.client.get<CM>(path)).body;
    assert.equal(Number(final.data.count), 50 * perClient);
    assert.ok(conflicts > 0, 'the clients really raced');
  } finally {
    await t.stop();
  }
});
