import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SchedulingQueue } from './queue.js';
import { makePod } from './test-fixtures.js';
import type { Pod } from './types.js';

const pod = (name: string, priority: number, created: string): Pod => {
  const p = makePod(name, { priority });
  return { ...p, metadata: { ...p.metadata, creationTimestamp: created } };
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('pops by priority, then creation time', () => {
  const q = new SchedulingQueue({ priorityOf: (p) => p.spec?.priority ?? 0 });
  q.add(pod('old-low', 0, '2024-01-01T00:00:00Z'));
  q.add(pod('new-high', 100, '2024-01-03T00:00:00Z'));
  q.add(pod('old-high', 100, '2024-01-02T00:00:00Z'));
  assert.deepEqual([q.popActive(), q.popActive(), q.popActive()].map((i) => i?.pod.metadata?.name), ['old-high', 'new-high', 'old-low']);
  q.close();
});

it('an unschedulable pod waits for a cluster event, then goes through backoff that doubles up to the cap', async () => {
  const q = new SchedulingQueue({ priorityOf: () => 0, initialBackoffMs: 40, maxBackoffMs: 100 });
  q.add(pod('p', 0, '2024-01-01T00:00:00Z'));
  let info = q.popActive()!;
  q.requeueUnschedulable(info);
  assert.deepEqual(q.counts(), { active: 0, backoff: 0, unschedulable: 1, inflight: 0 });
  await sleep(60);
  assert.equal(q.popActive(), undefined, 'no event: still unschedulable');
  q.moveAllToActiveOrBackoff();
  info = (await q.pop())!;
  assert.equal(info.attempts, 1);
  q.requeueUnschedulable(info);
  q.moveAllToActiveOrBackoff();
  assert.deepEqual(q.counts(), { active: 0, backoff: 1, unschedulable: 0, inflight: 0 }, 'second failure backs off 80 ms');
  const t = Date.now();
  info = (await q.pop())!;
  assert.ok(Date.now() - t >= 60, `waited ${Date.now() - t} ms`);
  q.requeueBackoff(info);
  q.requeueBackoff(info);
  assert.ok(info.backoffUntilMs - Date.now() <= 100, 'capped at maxBackoff');
  q.close();
});

it('an event during the pod\'s cycle sends it to backoff instead of unschedulable', () => {
  const q = new SchedulingQueue({ priorityOf: () => 0, initialBackoffMs: 10_000 });
  q.add(pod('p', 0, '2024-01-01T00:00:00Z'));
  const info = q.popActive()!;
  q.moveAllToActiveOrBackoff();
  q.requeueUnschedulable(info);
  assert.equal(q.counts().backoff, 1);
  q.close();
});

it('ignores status-only updates of unschedulable pods; spec changes retry them; deletes drop them', () => {
  const q = new SchedulingQueue({ priorityOf: () => 0, initialBackoffMs: 0 });
  const p = pod('p', 0, '2024-01-01T00:00:00Z');
  q.add(p);
  q.requeueUnschedulable(q.popActive()!);
  q.update({ ...p, status: { conditions: [{ type: 'PodScheduled', status: 'False' }] } });
  assert.equal(q.counts().unschedulable, 1);
  q.update({ ...p, spec: { ...p.spec, nodeSelector: { a: 'b' } } });
  assert.equal(q.popActive()?.pod.spec?.nodeSelector?.a, 'b');
  q.add(pod('gone', 0, '2024-01-01T00:00:00Z'));
  q.delete('default/gone');
  assert.equal(q.popActive(), undefined);
  q.close();
});

it('the periodic flush retries pods unschedulable for too long', async () => {
  const q = new SchedulingQueue({ priorityOf: () => 0, initialBackoffMs: 0, unschedulableMaxMs: 30, flushIntervalMs: 10 });
  q.add(pod('p', 0, '2024-01-01T00:00:00Z'));
  q.requeueUnschedulable(q.popActive()!);
  const keepAlive = setTimeout(() => undefined, 1000); // the queue's own timers do not hold the process
  const got = await q.pop();
  clearTimeout(keepAlive);
  assert.equal(got?.key, 'default/p');
  q.close();
});
