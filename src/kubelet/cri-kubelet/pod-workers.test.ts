import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PodWorkers } from './pod-workers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('syncs of one pod never overlap; triggers during a sync collapse into one more', async () => {
  let running = 0;
  let maxRunning = 0;
  let syncs = 0;
  const workers = new PodWorkers(async () => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    syncs++;
    await sleep(30);
    running--;
  }, () => {});
  workers.trigger('a');
  for (let i = 0; i < 5; i++) workers.trigger('a');
  await sleep(150);
  assert.equal(maxRunning, 1);
  assert.equal(syncs, 2);
  workers.close();
});

test('a requested requeue runs later; errors are retried', async () => {
  const calls: string[] = [];
  let fail = true;
  const workers = new PodWorkers(
    async (uid) => {
      calls.push(uid);
      if (uid === 'b' && fail) {
        fail = false;
        throw new Error('boom');
      }
      return uid === 'a' && calls.filter((c) => c === 'a').length === 1 ? { requeueAfterMs: 40 } : undefined;
    },
    () => {},
    20,
  );
  workers.trigger('a');
  workers.trigger('b');
  await sleep(120);
  assert.equal(calls.filter((c) => c === 'a').length, 2);
  assert.equal(calls.filter((c) => c === 'b').length, 2);
  workers.close();
});
