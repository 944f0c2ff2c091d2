import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkQueue } from './workqueue.js';

test('deduplicates waiting keys and never hands a key to two workers', async () => {
  const q = new WorkQueue();
  q.add('a');
  q.add('a');
  q.add('b');
  assert.equal(q.len(), 2);
  const k = await q.get();
  assert.equal(k, 'a');
  q.add('a'); // while processing: queued again only after done
  assert.equal(await q.get(), 'b');
  const pending = q.get();
  q.done('b');
  q.done('a');
  assert.equal(await pending, 'a');
});

test('rate-limited retries back off exponentially and forget resets', async () => {
  const q = new WorkQueue(10, 1000);
  q.addRateLimited('x');
  q.addRateLimited('x');
  assert.equal(q.numRequeues('x'), 2);
  const started = Date.now();
  assert.equal(await q.get(), 'x');
  assert.ok(Date.now() - started >= 15);
  q.forget('x');
  assert.equal(q.numRequeues('x'), 0);
  q.shutDown();
  assert.equal(await q.get(), undefined);
});
