import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../../apiserver/test-server.js';
import { startGarbageCollectorController } from '../garbagecollector/index.js';
import { timeLeftMs } from './expiry.js';
import { startTTLAfterFinishedController } from './index.js';

let ts: TestServer;
const stops: Array<{ stop(): void }> = [];

async function waitFor(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`timed out waiting for ${what}`);
}

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function job(name: string, ttl: number | undefined): Promise<{ metadata: { uid: string } }> {
  const labels = { job: name };
  const res = await ts.client.post<{ metadata: { uid: string } }>('/apis/batch/v1/namespaces/default/jobs', {
    metadata: { name },
    spec: {
      ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}),
      template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
    },
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function complete(name: string): Promise<void> {
  const t = stamp(Date.now());
  const res = await ts.client.patch(`/apis/batch/v1/namespaces/default/jobs/${name}/status`, {
    status: { startTime: t, completionTime: t, succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: t }] },
  });
  assert.equal(res.status, 200, res.text);
}

describe('timeLeftMs', () => {
  it('counts from the finish condition and ignores running jobs', () => {
    const finished = { spec: { ttlSecondsAfterFinished: 10 }, status: { conditions: [{ type: 'Failed', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' }] } };
    assert.equal(timeLeftMs(finished, Date.parse('2026-01-01T00:00:04Z')), 6000);
    assert.equal(timeLeftMs({ spec: { ttlSecondsAfterFinished: 10 }, status: {} }, 0), undefined);
    assert.equal(timeLeftMs({ status: finished.status }, 0), undefined);
  });
});

describe('ttl-after-finished controller', () => {
  before(async () => {
    ts = await startTestServer();
    stops.push(await startTTLAfterFinishedController(ts.client, { onError: (k, e) => console.error('ttl', k, e) }));
    stops.push(await startGarbageCollectorController(ts.client));
  });
  after(async () => {
    for (const s of stops) s.stop();
    await ts.stop();
  });

  it('deletes a finished job after its TTL, its pods with it; keeps others', async () => {
    const j = await job('short', 2);
    await job('forever', undefined);
    await job('running', 0);
    const pod = await ts.client.post('/api/v1/namespaces/default/pods', {
      metadata: { name: 'short-x', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'short', uid: j.metadata.uid, controller: true, blockOwnerDeletion: true }] },
      spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] },
    });
    assert.equal(pod.status, 201, pod.text);
    await complete('short');
    await complete('forever');
    const finishedAt = Date.now();
    assert.equal((await ts.client.get('/apis/batch/v1/namespaces/default/jobs/short')).status, 200, 'not deleted before its TTL');
    await waitFor('expired job deleted', async () => (await ts.client.get('/apis/batch/v1/namespaces/default/jobs/short')).status === 404);
    // TTL 2 s from a finish stamp truncated to the second: at least 1 s after completion.
    assert.ok(Date.now() - finishedAt >= 1000, `deleted ${Date.now() - finishedAt} ms after finishing`);
    await waitFor('its pod collected', async () => (await ts.client.get('/api/v1/namespaces/default/pods/short-x')).status === 404);
    assert.equal((await ts.client.get('/apis/batch/v1/namespaces/default/jobs/forever')).status, 200);
    assert.equal((await ts.client.get('/apis/batch/v1/namespaces/default/jobs/running')).status, 200);
  });
});
