import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CriClient } from '../cri/client.js';
import { LABEL_POD_UID, RuntimeState } from './runtime-state.js';

interface FakeContainer {
  id: string;
  pod_sandbox_id: string;
  state: string;
  uid: string;
}

/** A containerd stand-in: lists what `sandboxes`/`containers` hold; every call can be held back. */
class FakeCri {
  sandboxes: Array<{ id: string; uid: string; ready: boolean; ip: string }> = [];
  containers: FakeContainer[] = [];
  lists = 0;
  statusCalls = 0;
  inFlightStatus = 0;
  maxInFlightStatus = 0;
  gate?: Promise<void>;

  private async hold(): Promise<void> {
    await new Promise((r) => setTimeout(r, 5));
    if (this.gate) await this.gate;
  }
  async listPodSandbox() {
    const snapshot = this.sandboxes.map((s) => ({ ...s }));
    this.lists++;
    await this.hold();
    return snapshot.map((s) => ({ id: s.id, metadata: { name: s.uid, uid: s.uid, namespace: 'ns', attempt: 0 }, state: s.ready ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY', created_at: 1e15, labels: { [LABEL_POD_UID]: s.uid }, annotations: {} }));
  }
  async listContainers() {
    const snapshot = this.containers.map((c) => ({ ...c }));
    await this.hold();
    return snapshot.map((c) => this.asContainer(c));
  }
  private asContainer(c: FakeContainer) {
    return { id: c.id, pod_sandbox_id: c.pod_sandbox_id, metadata: { name: 'main', attempt: 0 }, image: { image: 'img' }, image_ref: 'sha256:x', state: c.state, created_at: 1e15, labels: { [LABEL_POD_UID]: c.uid }, annotations: {} };
  }
  private async status<T>(fn: () => T): Promise<T> {
    this.statusCalls++;
    this.inFlightStatus++;
    this.maxInFlightStatus = Math.max(this.maxInFlightStatus, this.inFlightStatus);
    await new Promise((r) => setTimeout(r, 10));
    this.inFlightStatus--;
    return fn();
  }
  podSandboxStatus(id: string) {
    return this.status(() => {
      const s = this.sandboxes.find((x) => x.id === id);
      if (!s) throw new Error('not found');
      return { id, metadata: { name: s.uid, uid: s.uid, namespace: 'ns', attempt: 0 }, state: s.ready ? 'SANDBOX_READY' : 'SANDBOX_NOTREADY', created_at: 1e15, network: { ip: s.ip }, labels: { [LABEL_POD_UID]: s.uid }, annotations: {} };
    });
  }
  containerStatus(id: string) {
    return this.status(() => {
      const c = this.containers.find((x) => x.id === id);
      if (!c) throw new Error('not found');
      const { pod_sandbox_id: _sb, ...rest } = this.asContainer(c);
      return { ...rest, started_at: 2e15, finished_at: c.state === 'CONTAINER_EXITED' ? 3e15 : 0, exit_code: c.state === 'CONTAINER_EXITED' ? 1 : 0, reason: '', message: '' };
    });
  }
}

function setup() {
  const cri = new FakeCri();
  const changed: string[] = [];
  const state = new RuntimeState(cri as unknown as CriClient, (uid) => changed.push(uid));
  return { cri, changed, state };
}

test('a relist asked for while one is in flight lists again afterwards, and callers meanwhile share it', async () => {
  const { cri, state } = setup();
  let release!: () => void;
  cri.gate = new Promise((r) => (release = r));
  const first = state.relist();
  await new Promise((r) => setTimeout(r, 1));
  cri.sandboxes.push({ id: 'sb1', uid: 'pod-a', ready: true, ip: '10.0.0.5' });
  const second = state.relist();
  const third = state.relist();
  cri.gate = undefined;
  release();
  await first;
  assert.equal(state.sandboxesOf('pod-a').length, 0, 'the first list was taken before the sandbox existed');
  await Promise.all([second, third]);
  assert.equal(state.sandboxesOf('pod-a')[0]?.ip, '10.0.0.5');
  assert.equal(cri.lists, 2);
});

test('status details of new objects are fetched concurrently', async () => {
  const { cri, state } = setup();
  for (let i = 0; i < 20; i++) {
    cri.sandboxes.push({ id: `sb${i}`, uid: `pod-${i}`, ready: true, ip: `10.0.0.${i}` });
    cri.containers.push({ id: `c${i}`, pod_sandbox_id: `sb${i}`, state: 'CONTAINER_RUNNING', uid: `pod-${i}` });
  }
  await state.relist();
  assert.equal(cri.statusCalls, 40);
  assert.ok(cri.maxInFlightStatus > 1, `at most ${cri.maxInFlightStatus} status call at a time`);
  assert.equal(state.containersOf('pod-7')[0]?.startedAt, 2e9);
  await state.relist();
  assert.equal(cri.statusCalls, 40, 'unchanged objects are not asked again');
});

test('a recorded sandbox and container are not reported as changes by the next relist', async () => {
  const { cri, changed, state } = setup();
  await state.relist();
  cri.sandboxes.push({ id: 'sb1', uid: 'pod-a', ready: true, ip: '10.0.0.9' });
  cri.containers.push({ id: 'c1', pod_sandbox_id: 'sb1', state: 'CONTAINER_RUNNING', uid: 'pod-a' });
  const sb = await state.recordSandbox('sb1');
  assert.equal(sb?.ip, '10.0.0.9');
  const c = await state.recordContainer('c1', 'sb1');
  assert.equal(c?.state, 'running');
  assert.equal(c?.sandboxId, 'sb1');
  await state.relist();
  assert.deepEqual(changed, []);
  cri.containers[0]!.state = 'CONTAINER_EXITED';
  await state.relist();
  assert.deepEqual(changed, ['pod-a']);
  assert.equal(state.container('c1')?.exitCode, 1);
});

test('a record made while a relist is listing survives that relist', async () => {
  const { cri, changed, state } = setup();
  let release!: () => void;
  cri.gate = new Promise((r) => (release = r));
  const relist = state.relist();
  await new Promise((r) => setTimeout(r, 1));
  cri.sandboxes.push({ id: 'sb1', uid: 'pod-a', ready: true, ip: '10.0.0.9' });
  cri.containers.push({ id: 'c1', pod_sandbox_id: 'sb1', state: 'CONTAINER_RUNNING', uid: 'pod-a' });
  await state.recordSandbox('sb1');
  await state.recordContainer('c1', 'sb1');
  cri.gate = undefined;
  release();
  await relist;
  assert.equal(state.sandboxesOf('pod-a').length, 1);
  assert.equal(state.containersOf('pod-a').length, 1);
  await state.relist();
  assert.equal(state.containersOf('pod-a').length, 1);
  assert.deepEqual(changed, []);
});

test('recording a container that already exited resyncs its pod', async () => {
  const { cri, changed, state } = setup();
  cri.containers.push({ id: 'c1', pod_sandbox_id: 'sb1', state: 'CONTAINER_EXITED', uid: 'pod-b' });
  const c = await state.recordContainer('c1', 'sb1');
  assert.equal(c?.state, 'exited');
  assert.deepEqual(changed, ['pod-b']);
});
