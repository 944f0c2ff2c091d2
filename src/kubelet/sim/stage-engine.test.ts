/**
 * Unit tests of the stage engine and its timer queue, with a fake status writer standing in for the
 * API: stage order and delays, per-object coalescing of writes while one is in flight, deletion
 * only after pending patches are written, re-selection when the object changes while waiting.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { applyMergePatch } from '../../machinery/patch.js';
import type { PodStatusWriter } from '../runtime.js';
import { StageEngine } from './stage-engine.js';
import { Limiter, TimerQueue } from './timer-queue.js';
import { defaultTimings, type Stage, type StageContext } from './types.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type ObjStatus = { step?: number; note?: string };
interface Obj extends KubeObject {
  status?: ObjStatus;
}

/** A fake API: keeps objects, counts writes, optionally holds each write for `latencyMs`. */
function fakeWriter(latencyMs = 0) {
  let rv = 100;
  const log: Array<{ op: 'patch' | 'delete'; status?: Record<string, unknown> }> = [];
  const writer: PodStatusWriter<Obj> = {
    async patchStatus(obj, status) {
      log.push({ op: 'patch', status });
      await sleep(latencyMs);
      const next = applyMergePatch(obj, { status }) as Obj;
      next.metadata = { ...next.metadata, resourceVersion: String(++rv) };
      return next;
    },
    async deletePod() {
      log.push({ op: 'delete' });
      await sleep(latencyMs);
    },
  };
  return { writer, log };
}

const ctx: StageContext = { now: () => Date.now(), timings: defaultTimings, podIP: () => undefined, hostIP: () => undefined };
const step = (n: number, delayMs: number): Stage<Obj, ObjStatus> => ({
  name: `step-${n}`,
  selector: (o) => (o.status?.step ?? 0) === n - 1 && !o.metadata?.deletionTimestamp,
  delayMs: () => delayMs,
  apply: () => ({ type: 'patch', status: { step: n } }),
});
const deleteStage: Stage<Obj, ObjStatus> = { name: 'delete', selector: (o) => !!o.metadata?.deletionTimestamp, delayMs: () => 10, apply: () => ({ type: 'delete' }) };
const obj = (name: string, extra: Partial<Obj> = {}): Obj => ({ metadata: { name, namespace: 'ns', uid: `uid-${name}`, resourceVersion: '1' }, ...extra });

test('timer queue fires in deadline order, replaces and cancels by key', async () => {
  const q = new TimerQueue();
  const fired: string[] = [];
  const t = Date.now();
  q.schedule('c', t + 30, () => fired.push('c'));
  q.schedule('a', t + 10, () => fired.push('a'));
  q.schedule('b', t + 20, () => fired.push('b'));
  q.schedule('a', t + 40, () => fired.push('a2')); // replaces a
  q.schedule('d', t + 5, () => fired.push('d'));
  q.cancel('d');
  await sleep(80);
  assert.deepEqual(fired, ['b', 'c', 'a2']);
  assert.equal(q.size, 0);
  q.close();
});

test('limiter never runs more than its limit at once', async () => {
  const lim = new Limiter(3);
  let active = 0;
  let peak = 0;
  await Promise.all(Array.from({ length: 12 }, () => lim.run(async () => {
    peak = Math.max(peak, ++active);
    await sleep(5);
    active--;
  })));
  assert.equal(peak, 3);
});

test('stages run in order with their delays; the view moves ahead of the API', async () => {
  const { writer, log } = fakeWriter();
  const engine = new StageEngine<Obj>({ stages: [step(1, 0), step(2, 40), step(3, 0)], context: ctx, sender: writer });
  const t0 = Date.now();
  engine.observe(obj('a'));
  await sleep(15);
  assert.equal(engine.view('ns/a')?.status?.step, 1);
  assert.equal(engine.pendingStage('ns/a'), 'step-2');
  await sleep(60);
  assert.equal(engine.view('ns/a')?.status?.step, 3);
  assert.ok(Date.now() - t0 >= 40);
  assert.equal(engine.pendingStage('ns/a'), undefined);
  const written = log.map((l) => Number(l.status?.step));
  assert.deepEqual(written, [...written].sort(), 'writes go out in stage order');
  assert.equal(written.at(-1), 3);
  engine.close();
});

test('patches made while a write is in flight are coalesced into one write', async () => {
  const { writer, log } = fakeWriter(50);
  const engine = new StageEngine<Obj>({ stages: [step(1, 0), step(2, 0), step(3, 0), step(4, 0)], context: ctx, sender: writer });
  engine.observe(obj('a'));
  await sleep(150);
  // step 1 goes out alone; steps 2..4 happen while it is in flight and go out together.
  assert.equal(log.length, 2);
  assert.deepEqual(log[0]!.status, { step: 1 });
  assert.deepEqual(log[1]!.status, { step: 4 });
  assert.equal(engine.stats.applied, 4);
  engine.close();
});

test('an object changed while waiting is re-evaluated: deletion wins over the pending stage', async () => {
  const { writer, log } = fakeWriter();
  const engine = new StageEngine<Obj>({ stages: [deleteStage, step(1, 0), step(2, 1000)], context: ctx, sender: writer });
  engine.observe(obj('a'));
  await sleep(10);
  assert.equal(engine.pendingStage('ns/a'), 'step-2');
  engine.observe(obj('a', { metadata: { name: 'a', namespace: 'ns', uid: 'uid-a', resourceVersion: '500', deletionTimestamp: '2026-01-01T00:00:00Z' }, status: { step: 1 } }));
  assert.equal(engine.pendingStage('ns/a'), 'delete');
  await sleep(40);
  assert.deepEqual(log.map((l) => l.op), ['patch', 'delete']);
  assert.equal(engine.size, 0);
  // A late event for the deleted object does not bring it back.
  engine.observe(obj('a', { metadata: { name: 'a', namespace: 'ns', uid: 'uid-a', resourceVersion: '501', deletionTimestamp: '2026-01-01T00:00:00Z' } }));
  assert.equal(engine.size, 0);
  engine.close();
});

test('deletion waits for the unsent patch to be written first', async () => {
  const { writer, log } = fakeWriter(30);
  const patchThenDelete: Stage<Obj, ObjStatus>[] = [
    { name: 'mark', selector: (o) => !o.status?.note, delayMs: () => 0, apply: () => ({ type: 'patch', status: { note: 'stopped' } }) },
    { name: 'gone', selector: (o) => o.status?.note === 'stopped', delayMs: () => 0, apply: () => ({ type: 'delete' }) },
  ];
  const engine = new StageEngine<Obj>({ stages: patchThenDelete, context: ctx, sender: writer });
  engine.observe(obj('a'));
  await sleep(100);
  assert.deepEqual(log.map((l) => l.op), ['patch', 'delete']);
  engine.close();
});

test('a failed write is retried with the changes made meanwhile', async () => {
  let calls = 0;
  const sent: Array<Record<string, unknown>> = [];
  const writer: PodStatusWriter<Obj> = {
    async patchStatus(o, status) {
      calls++;
      sent.push(status);
      if (calls === 1) throw new Error('boom');
      return applyMergePatch(o, { status }) as Obj;
    },
    async deletePod() {},
  };
  const errors: unknown[] = [];
  const engine = new StageEngine<Obj>({ stages: [step(1, 0), step(2, 5)], context: ctx, sender: writer, retryMs: 30, onError: (e) => errors.push(e) });
  engine.observe(obj('a'));
  await sleep(100);
  assert.equal(errors.length, 1);
  assert.deepEqual(sent.at(-1), { step: 2 });
  assert.equal(engine.view('ns/a')?.status?.step, 2);
  engine.close();
});

test('an older informer event does not roll the view back', async () => {
  const { writer } = fakeWriter();
  const engine = new StageEngine<Obj>({ stages: [step(1, 0), step(2, 1000)], context: ctx, sender: writer });
  engine.observe(obj('a'));
  await sleep(20);
  assert.equal(engine.view('ns/a')?.status?.step, 1);
  engine.observe(obj('a')); // resourceVersion 1: older than the write's response
  assert.equal(engine.view('ns/a')?.status?.step, 1);
  assert.equal(engine.pendingStage('ns/a'), 'step-2');
  engine.close();
});
