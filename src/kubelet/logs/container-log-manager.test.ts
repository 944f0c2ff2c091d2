import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CriError } from '../cri/client.js';
import type { Container, ContainerState, ContainerStatus } from '../cri/types.js';
import { ContainerLogManager, type LogRotationRuntime } from './container-log-manager.js';

/**
 * A fake runtime for the code around the CRI calls: containers with a state and a log path;
 * reopenContainerLog creates the file (as containerd does) unless told to fail.
 */
class FakeRuntime implements LogRotationRuntime {
  readonly containers = new Map<string, { state: ContainerState; log: string }>();
  readonly reopened: string[] = [];
  failReopen = false;
  statusCalls = 0;
  inFlight = 0;
  maxInFlight = 0;

  add(id: string, state: ContainerState, log: string): void {
    this.containers.set(id, { state, log });
  }
  async listContainers(): Promise<Container[]> {
    return [...this.containers].map(([id, c]) => ({
      id, pod_sandbox_id: 's', metadata: null, image: null, image_ref: '', state: c.state, created_at: 0, labels: {}, annotations: {},
    }));
  }
  async containerStatus(id: string): Promise<ContainerStatus> {
    this.statusCalls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 2));
    this.inFlight--;
    const c = this.containers.get(id);
    if (!c) throw new CriError('ContainerStatus', 5, `container ${id} not found`);
    return {
      id, metadata: null, state: c.state, created_at: 0, started_at: 0, finished_at: 0, exit_code: 0, image: null, image_ref: '', reason: '',
      message: '', labels: {}, annotations: {}, mounts: [], log_path: c.log, resources: null,
    };
  }
  async reopenContainerLog(id: string): Promise<void> {
    if (this.failReopen) throw new CriError('ReopenContainerLog', 9, 'container is not running');
    this.reopened.push(id);
    writeFileSync(this.containers.get(id)!.log, '', { flag: 'a' });
  }
}

function setup(t: { after: (fn: () => void) => void }): { root: string; logOf: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'skiff-h11-mgr-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return {
    root,
    logOf: (name: string) => {
      const dir = join(root, `ns_${name}_uid-${name}`, name);
      mkdirSync(dir, { recursive: true });
      return join(dir, '0.log');
    },
  };
}

const clockFrom = (start: number) => {
  let s = start;
  return () => new Date(2025, 5, 1, 8, 0, s++);
};

test('a round rotates only running containers whose log reached maxSize', async (t) => {
  const { logOf } = setup(t);
  const cri = new FakeRuntime();
  const big = logOf('big');
  const small = logOf('small');
  const exited = logOf('exited');
  const exact = logOf('exact');
  writeFileSync(big, 'x'.repeat(2000));
  writeFileSync(small, 'x'.repeat(999));
  writeFileSync(exited, 'x'.repeat(5000));
  writeFileSync(exact, 'x'.repeat(1000));
  cri.add('c-big', 'CONTAINER_RUNNING', big);
  cri.add('c-small', 'CONTAINER_RUNNING', small);
  cri.add('c-exited', 'CONTAINER_EXITED', exited);
  cri.add('c-exact', 'CONTAINER_RUNNING', exact);
  const manager = new ContainerLogManager({ cri, maxSize: 1000, maxFiles: 3, now: clockFrom(0) });
  await manager.rotateOnce();
  assert.deepEqual(cri.reopened.sort(), ['c-big', 'c-exact'], 'size >= maxSize rotates, as upstream');
  assert.equal(statSync(big).size, 0);
  assert.equal(readdirSync(join(big, '..')).length, 2);
  assert.equal(statSync(small).size, 999);
  assert.deepEqual(readdirSync(join(exited, '..')), ['0.log'], 'exited containers are left alone');
  assert.equal(cri.maxInFlight, 1, 'one worker by default (containerLogMaxWorkers 1)');
});

test('several rounds keep at most maxFiles files per log, older rotated files gzipped', async (t) => {
  const { logOf } = setup(t);
  const cri = new FakeRuntime();
  const log = logOf('chatty');
  cri.add('c1', 'CONTAINER_RUNNING', log);
  const manager = new ContainerLogManager({ cri, maxSize: 100, maxFiles: 3, now: clockFrom(10) });
  for (let i = 0; i < 5; i++) {
    writeFileSync(log, `${i}`.repeat(150), { flag: 'a' });
    await manager.rotateOnce();
  }
  const files = readdirSync(join(log, '..')).sort();
  assert.equal(files.length, 3);
  assert.deepEqual(files.map((f) => f.replace(/\d{8}-\d{6}/, 'TS')), ['0.log', '0.log.TS.gz', '0.log.TS']);
  assert.equal(cri.reopened.length, 5);
});

test('a failed reopen puts the log back and the round goes on with other containers', async (t) => {
  const { logOf } = setup(t);
  const cri = new FakeRuntime();
  const a = logOf('a');
  const b = logOf('b');
  writeFileSync(a, 'a'.repeat(500));
  writeFileSync(b, 'b'.repeat(500));
  cri.add('a', 'CONTAINER_RUNNING', a);
  cri.add('b', 'CONTAINER_RUNNING', b);
  const logged: string[] = [];
  const manager = new ContainerLogManager({ cri, maxSize: 100, maxWorkers: 2, log: (msg) => logged.push(msg), now: clockFrom(20) });
  cri.failReopen = true;
  const outcomes = await manager.rotateAll();
  assert.deepEqual(outcomes.map((o) => o.outcome), ['error', 'error']);
  assert.equal(logged.filter((m) => m === 'failed to rotate container log').length, 2);
  assert.deepEqual(readdirSync(join(a, '..')), ['0.log']);
  assert.equal(readFileSync(a, 'utf8'), 'a'.repeat(500));
  cri.failReopen = false;
  await manager.rotateOnce();
  assert.deepEqual(cri.reopened.sort(), ['a', 'b'], 'the next round retries');
});

test('a missing log file is recreated through ReopenContainerLog', async (t) => {
  const { logOf } = setup(t);
  const cri = new FakeRuntime();
  const log = logOf('lost');
  cri.add('lost', 'CONTAINER_RUNNING', log);
  const manager = new ContainerLogManager({ cri, maxSize: 100 });
  const [outcome] = await manager.rotateAll();
  assert.deepEqual(outcome, { containerId: 'lost', outcome: 'skipped', size: 0 });
  assert.deepEqual(cri.reopened, ['lost']);
  assert.equal(existsSync(log), true);
});

test('start() rotates in the background every intervalMs; stop() ends the loop', async (t) => {
  const { logOf } = setup(t);
  const cri = new FakeRuntime();
  const log = logOf('bg');
  cri.add('bg', 'CONTAINER_RUNNING', log);
  writeFileSync(log, 'z'.repeat(300));
  const manager = new ContainerLogManager({ cri, maxSize: 100, intervalMs: 20, now: clockFrom(30) });
  manager.start();
  const deadline = Date.now() + 5000;
  while (cri.reopened.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(cri.reopened.length, 1, 'the first round runs at start');
  writeFileSync(log, 'z'.repeat(300), { flag: 'a' });
  while (cri.reopened.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  assert.equal(cri.reopened.length, 2, 'a later round rotates the grown file');
  await manager.stop();
  const calls = cri.statusCalls;
  writeFileSync(log, 'z'.repeat(300), { flag: 'a' });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(cri.statusCalls, calls, 'no rounds after stop');
  assert.equal(cri.reopened.length, 2);
});

test('concurrent rotateOnce calls never overlap', async (t) => {
  const { logOf } = setup(t);
  const cri = new FakeRuntime();
  for (const n of ['p', 'q', 'r']) cri.add(n, 'CONTAINER_RUNNING', logOf(n));
  const manager = new ContainerLogManager({ cri, maxSize: 100 });
  await Promise.all([manager.rotateOnce(), manager.rotateOnce(), manager.rotateOnce()]);
  assert.equal(cri.maxInFlight, 1);
  assert.equal(cri.statusCalls, 9);
});

test('clean removes the current and every rotated file; negative maxSize disables; maxFiles 1 is refused', async (t) => {
  const { logOf } = setup(t);
  const cri = new FakeRuntime();
  const log = logOf('gone');
  const other = join(log, '..', '1.log');
  writeFileSync(log, 'x');
  writeFileSync(`${log}.20250101-000000.gz`, 'x');
  writeFileSync(`${log}.20250101-000001`, 'x');
  writeFileSync(other, 'restart 1');
  cri.add('gone', 'CONTAINER_RUNNING', log);
  await new ContainerLogManager({ cri }).clean('gone');
  assert.deepEqual(readdirSync(join(log, '..')), ['1.log'], 'another attempt\'s log stays');

  writeFileSync(log, 'x'.repeat(1000));
  const disabled = new ContainerLogManager({ cri, maxSize: -1 });
  assert.equal(disabled.enabled, false);
  await disabled.rotateOnce();
  assert.equal(cri.statusCalls, 1, 'only clean asked for the status');
  assert.throws(() => new ContainerLogManager({ cri, maxFiles: 1 }), /must be > 1/);
});
