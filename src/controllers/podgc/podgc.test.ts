import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startPodGCController } from './index.js';

let ts: TestServer;
let gc: { stop(): void; sweep(): Promise<void> };

async function waitFor(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function pod(name: string, nodeName?: string, phase?: string): Promise<void> {
  const res = await ts.client.post('/api/v1/namespaces/default/pods', { metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] } });
  assert.equal(res.status, 201, res.text);
  if (phase) {
    const st = await ts.client.patch(`/api/v1/namespaces/default/pods/${name}/status`, { status: { phase } });
    assert.equal(st.status, 200, st.text);
  }
}

const podNames = async (): Promise<string[]> => (await ts.client.get<{ items: KubeObject[] }>('/api/v1/namespaces/default/pods')).body.items.map((p) => p.metadata!.name!).sort();

describe('pod garbage collector', () => {
  before(async () => {
    ts = await startTestServer();
    const node = await ts.client.post('/api/v1/nodes', { metadata: { name: 'node-a' } });
    assert.equal(node.status, 201, node.text);
    gc = await startPodGCController(ts.client, { terminatedPodThreshold: 2, quarantineMs: 0, checkPeriodMs: 60_000, onError: (e) => console.error('podgc', e) });
  });
  after(async () => {
    gc.stop();
    await ts.stop();
  });

  it('deletes the oldest terminated pods beyond the threshold', async () => {
    await pod('done-a', 'node-a', 'Succeeded');
    await pod('done-b', 'node-a', 'Failed');
    await pod('done-c', 'node-a', 'Succeeded');
    await pod('done-d', 'node-a', 'Succeeded');
    await pod('running', 'node-a', 'Running');
    await waitFor('informer has 5 pods', async () => {
      await gc.sweep();
      return (await podNames()).length === 3;
    });
    assert.deepEqual(await podNames(), ['done-c', 'done-d', 'running']);
  });

  it('removes pods bound to nodes that no longer exist', async () => {
    await pod('lost', 'ghost-node', 'Running');
    await waitFor('orphan collected', async () => {
      await gc.sweep();
      return !(await podNames()).includes('lost');
    });
    assert.ok((await podNames()).includes('running'), 'pods on live nodes stay');

    const gone = await ts.client.delete('/api/v1/nodes/node-a');
    assert.equal(gone.status, 200, gone.text);
    await waitFor('pods of the deleted node collected', async () => {
      await gc.sweep();
      return (await podNames()).length === 0;
    });
  });
});
