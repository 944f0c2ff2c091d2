import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { ProbeManager, type ProbeEvent, type ProbeKind, type ProbeResult, type ProbeTarget } from './index.js';

/** A fake clock whose timers fire in time order; each firing lets the (immediately resolving) probes finish. */
function fakeClock(start = 1_000_000) {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const flush = async () => {
    for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
  };
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const id = ++seq;
      timers.set(id, { at: now + ms, fn });
      return () => void timers.delete(id);
    },
    pending: () => timers.size,
    async advance(ms: number) {
      const end = now + ms;
      await flush();
      for (;;) {
        let next: [number, { at: number; fn: () => void }] | undefined;
        for (const e of timers) if (e[1].at <= end && (!next || e[1].at < next[1].at || (e[1].at === next[1].at && e[0] < next[0]))) next = e;
        if (!next) break;
        timers.delete(next[0]);
        now = Math.max(now, next[1].at);
        next[1].fn();
        await flush();
      }
      now = end;
    },
  };
}

interface Change {
  at: number;
  name: string;
  kind: ProbeKind;
  result: ProbeResult;
  message: string;
}

function setup() {
  const clock = fakeClock();
  const changes: Change[] = [];
  const events: ProbeEvent[] = [];
  const manager = new ProbeManager({
    onChange: (_uid, name, kind, result, message) => changes.push({ at: clock.now(), name, kind, result, message }),
    onEvent: (_uid, _name, e) => events.push(e),
    now: clock.now,
    setTimer: clock.setTimer,
  });
  return { clock, changes, events, manager };
}

/** An exec target answering from per-command scripts: each call shifts the next exit code (the last one repeats). */
function scriptedTarget(scripts: Record<string, number[]>) {
  const calls: Array<{ at: number; cmd: string }> = [];
  let clockNow: () => number = () => 0;
  const target: ProbeTarget = {
    podIP: '10.42.0.5',
    async exec(cmd) {
      const key = cmd.join(' ');
      calls.push({ at: clockNow(), cmd: key });
      const script = scripts[key] ?? [0];
      const code = script.length > 1 ? script.shift()! : script[0]!;
      return { exitCode: code, output: code === 0 ? '' : `${key} failed` };
    },
  };
  return { target, calls, bindClock: (now: () => number) => (clockNow = now) };
}

const pod = (container: Record<string, unknown>): KubeObject => ({ metadata: { name: 'web-1', namespace: 'default', uid: 'uid-1' }, spec: { containers: [{ name: 'web', image: 'busybox', ...container }] } });
const exec = (cmd: string, extra: Record<string, unknown> = {}) => ({ exec: { command: cmd.split(' ') }, ...extra });

test('no probes: started and ready at once; unknown containers are neither', () => {
  const { manager } = setup();
  manager.addContainer(pod({}), 'web', 'c1', 1_000_000, { exec: async () => ({ exitCode: 0, output: '' }) });
  assert.equal(manager.isStarted('uid-1', 'web'), true);
  assert.equal(manager.isReady('uid-1', 'web'), true);
  assert.equal(manager.isReady('uid-1', 'other'), false);
  assert.equal(manager.isStarted('uid-2', 'web'), false);
});

test('readiness: false until successThreshold successes, false again after failureThreshold failures', async () => {
  const { clock, changes, manager, events } = setup();
  const s = scriptedTarget({ ready: [1, 0, 0, 0, 1, 1, 1, 1] });
  s.bindClock(clock.now);
  manager.addContainer(pod({ readinessProbe: exec('ready', { periodSeconds: 5, successThreshold: 2, failureThreshold: 3 }) }), 'web', 'c1', clock.now(), s.target);
  assert.equal(manager.isReady('uid-1', 'web'), false, 'not ready before the first probe');
  await clock.advance(0); // t=0: fail
  assert.equal(manager.isReady('uid-1', 'web'), false);
  assert.equal(events[0]?.message, 'Readiness probe failed: ready failed');
  await clock.advance(5000); // t=5: success 1/2
  assert.equal(manager.isReady('uid-1', 'web'), false);
  await clock.advance(5000); // t=10: success 2/2
  assert.equal(manager.isReady('uid-1', 'web'), true);
  await clock.advance(10_000); // t=15 success, t=20 fail 1/3
  assert.equal(manager.isReady('uid-1', 'web'), true);
  await clock.advance(10_000); // t=25 fail 2/3, t=30 fail 3/3
  assert.equal(manager.isReady('uid-1', 'web'), false);
  assert.deepEqual(changes.map((c) => [(c.at - 1_000_000) / 1000, c.kind, c.result]), [[10, 'readiness', 'success'], [30, 'readiness', 'failure']]);
  assert.deepEqual(s.calls.map((c) => (c.at - 1_000_000) / 1000), [0, 5, 10, 15, 20, 25, 30]);
});

test('liveness: failureThreshold failures -> onChange failure once, then the worker holds until a new container', async () => {
  const { clock, changes, manager, events } = setup();
  const s = scriptedTarget({ 'cat /tmp/healthy': [1] });
  s.bindClock(clock.now);
  const p = pod({ livenessProbe: exec('cat /tmp/healthy', { periodSeconds: 10, failureThreshold: 3 }) });
  manager.addContainer(p, 'web', 'c1', clock.now(), s.target);
  await clock.advance(60_000);
  assert.deepEqual(changes.map((c) => [(c.at - 1_000_000) / 1000, c.kind, c.result, c.message]), [[20, 'liveness', 'failure', 'cat /tmp/healthy failed']]);
  assert.equal(s.calls.length, 3, 'on hold after the failure: no more probes of the old container');
  assert.deepEqual(events.map((e) => e.reason), ['Unhealthy', 'Unhealthy', 'Unhealthy']);
  assert.equal(events[0]!.message, 'Liveness probe failed: cat /tmp/healthy failed');
  // The pod worker restarts the container and registers the new one: probing resumes from scratch.
  manager.removeContainer('uid-1', 'web');
  manager.addContainer(p, 'web', 'c2', clock.now(), s.target);
  assert.equal(manager.result('uid-1', 'web', 'liveness'), 'success', 'a new container starts live');
  await clock.advance(20_000);
  assert.equal(s.calls.length, 6);
  assert.equal(changes.length, 2);
});

test('initialDelaySeconds: no probe before the delay (counted from the container start)', async () => {
  const { clock, manager } = setup();
  const s = scriptedTarget({ check: [0] });
  s.bindClock(clock.now);
  manager.addContainer(pod({ readinessProbe: exec('check', { initialDelaySeconds: 15, periodSeconds: 10 }) }), 'web', 'c1', clock.now(), s.target);
  await clock.advance(19_000);
  assert.equal(s.calls.length, 0, 'ticks at 0 and 10 s are inside the delay');
  assert.equal(manager.isReady('uid-1', 'web'), false);
  await clock.advance(1000);
  assert.deepEqual(s.calls.map((c) => (c.at - 1_000_000) / 1000), [20]);
  assert.equal(manager.isReady('uid-1', 'web'), true);
});

test('startup probe gates liveness and readiness; readiness runs as soon as the container started', async () => {
  const { clock, changes, manager } = setup();
  const s = scriptedTarget({ started: [1, 1, 0], live: [0], ready: [0] });
  s.bindClock(clock.now);
  const p = pod({
    startupProbe: exec('started', { periodSeconds: 10, failureThreshold: 30 }),
    livenessProbe: exec('live', { periodSeconds: 10 }),
    readinessProbe: exec('ready', { periodSeconds: 10 }),
  });
  manager.addContainer(p, 'web', 'c1', clock.now(), s.target);
  await clock.advance(10_000);
  assert.equal(manager.isStarted('uid-1', 'web'), false);
  assert.equal(manager.isReady('uid-1', 'web'), false);
  assert.ok(s.calls.every((c) => c.cmd === 'started'), 'only the startup probe runs before the container started');
  await clock.advance(10_000); // t=20: startup succeeds, readiness is triggered at once
  assert.equal(manager.isStarted('uid-1', 'web'), true);
  assert.equal(manager.isReady('uid-1', 'web'), true);
  assert.deepEqual(changes.map((c) => [(c.at - 1_000_000) / 1000, c.kind, c.result]), [[20, 'startup', 'success'], [20, 'readiness', 'success']]);
  const before = s.calls.filter((c) => c.cmd === 'started').length;
  await clock.advance(30_000);
  assert.equal(s.calls.filter((c) => c.cmd === 'started').length, before, 'the startup probe stops once started');
  assert.ok(s.calls.filter((c) => c.cmd === 'live').length >= 3, 'liveness runs after start');
});

test('startup failure threshold -> onChange startup failure (the container is restarted)', async () => {
  const { clock, changes, manager } = setup();
  const s = scriptedTarget({ started: [1] });
  s.bindClock(clock.now);
  manager.addContainer(pod({ startupProbe: exec('started', { periodSeconds: 5, failureThreshold: 2 }) }), 'web', 'c1', clock.now(), s.target);
  await clock.advance(30_000);
  assert.deepEqual(changes.map((c) => [(c.at - 1_000_000) / 1000, c.kind, c.result]), [[5, 'startup', 'failure']]);
  assert.equal(s.calls.length, 2);
});

test('a probe that errors is retried 3 times per period and its result discarded', async () => {
  const { clock, changes, manager, events } = setup();
  let calls = 0;
  const target: ProbeTarget = {
    podIP: '10.0.0.1',
    async exec() {
      calls++;
      throw new Error('container not running');
    },
  };
  manager.addContainer(pod({ livenessProbe: exec('x', { failureThreshold: 1 }) }), 'web', 'c1', clock.now(), target);
  await clock.advance(0);
  assert.equal(calls, 3);
  assert.deepEqual(changes, [], 'errors never change the result');
  assert.equal(events[0]?.message, 'Liveness probe errored and resulted in unknown state: container not running');
});

test('removeContainer, removePod and stop end probing; markTerminating silences liveness', async () => {
  const { clock, changes, manager } = setup();
  const s = scriptedTarget({ live: [1] });
  s.bindClock(clock.now);
  const p = pod({ livenessProbe: exec('live', { periodSeconds: 1, failureThreshold: 2 }) });
  manager.addContainer(p, 'web', 'c1', clock.now(), s.target);
  manager.markTerminating('uid-1');
  await clock.advance(10_000);
  assert.equal(s.calls.length, 0);
  assert.deepEqual(changes, []);
  manager.removePod('uid-1');
  assert.equal(clock.pending(), 0);
  manager.addContainer(p, 'web', 'c2', clock.now(), s.target);
  await clock.advance(0);
  assert.equal(s.calls.length, 1);
  manager.stop();
  await clock.advance(10_000);
  assert.equal(s.calls.length, 1);
  assert.equal(clock.pending(), 0);
});

test('probes of a sidecar (init container with restartPolicy Always) are found in initContainers', async () => {
  const { clock, manager } = setup();
  const s = scriptedTarget({ ready: [1] });
  s.bindClock(clock.now);
  const p: KubeObject = { metadata: { uid: 'uid-1' }, spec: { initContainers: [{ name: 'proxy', restartPolicy: 'Always', readinessProbe: exec('ready') }], containers: [{ name: 'web' }] } };
  manager.addContainer(p, 'proxy', 'c1', clock.now(), s.target);
  await clock.advance(0);
  assert.equal(s.calls.length, 1);
  assert.equal(manager.isStarted('uid-1', 'proxy'), true);
  assert.equal(manager.isReady('uid-1', 'proxy'), false);
});

test('real timers and sockets: HTTP 500 liveness fails after failureThreshold; an unfollowed redirect is a ProbeWarning', async () => {
  const http = await import('node:http');
  const server = http.createServer((req, res) => {
    if (req.url === '/moved') res.writeHead(301, { Location: 'http://localhost:1/elsewhere' }).end();
    else res.writeHead(500).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as import('node:net').AddressInfo).port;
  const changes: Array<[ProbeKind, ProbeResult, string]> = [];
  const events: ProbeEvent[] = [];
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const manager = new ProbeManager({
    onChange: (_u, _n, kind, result, message) => {
      changes.push([kind, result, message]);
      if (kind === 'liveness') done();
    },
    onEvent: (_u, _n, e) => events.push(e),
  });
  try {
    const p = pod({
      livenessProbe: { httpGet: { path: '/healthz', port }, periodSeconds: 1, failureThreshold: 2 },
      readinessProbe: { httpGet: { path: '/moved', port }, periodSeconds: 1 },
    });
    manager.addContainer(p, 'web', 'c1', Date.now(), { podIP: '127.0.0.1', exec: async () => ({ exitCode: 0, output: '' }) });
    await Promise.race([finished, new Promise((r) => setTimeout(r, 5000))]);
    assert.deepEqual(changes.find((c) => c[0] === 'liveness'), ['liveness', 'failure', 'HTTP probe failed with statuscode: 500']);
    assert.deepEqual(changes.find((c) => c[0] === 'readiness'), ['readiness', 'success', 'Probe terminated redirects, Response body: ']);
    assert.ok(manager.isReady('uid-1', 'web'));
    assert.ok(events.some((e) => e.reason === 'Unhealthy' && e.message === 'Liveness probe failed: HTTP probe failed with statuscode: 500'));
    assert.ok(events.some((e) => e.reason === 'ProbeWarning' && e.message === 'Readiness probe warning: Probe terminated redirects, Response body: '));
  } finally {
    manager.stop();
    server.close();
  }
});
