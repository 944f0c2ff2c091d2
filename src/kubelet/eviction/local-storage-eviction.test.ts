// LocalStorageEviction over a temp dir laid out as the kubelet lays it out (pods dir with volumes and
// etc-hosts, CRI log root) and a fake CRI answering ListContainers/ListContainerStats.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import type { Container, ContainerState, ContainerStats } from '../cri/index.js';
import { LocalStorageEviction, type EvictionDecision, type LocalStorageEvictionOptions } from './local-storage-eviction.js';
import type { EvictionCri } from './pod-usage.js';

const MiB = 1024 * 1024;

class FakeCri implements EvictionCri {
  containers: Container[] = [];
  writable = new Map<string, number>();
  filters: unknown[] = [];
  add(uid: string, name: string, state: ContainerState = 'CONTAINER_RUNNING', rootfsBytes = 0): string {
    const id = `c-${uid}-${name}-${this.containers.length}`;
    this.containers.push({
      id,
      pod_sandbox_id: `s-${uid}`,
      metadata: { name, attempt: 0 },
      image: null,
      image_ref: '',
      state,
      created_at: 0,
      labels: { 'io.kubernetes.pod.uid': uid, 'io.kubernetes.container.name': name },
      annotations: {},
    });
    this.writable.set(id, rootfsBytes);
    return id;
  }
  async listContainers(filter?: { state?: { state: ContainerState } | null }): Promise<Container[]> {
    this.filters.push(filter);
    return this.containers.filter((c) => !filter?.state || c.state === filter.state.state);
  }
  async listContainerStats(): Promise<ContainerStats[]> {
    return [...this.writable].map(([id, used]) => ({
      attributes: { id, metadata: null, labels: {}, annotations: {} },
      cpu: null,
      memory: null,
      writable_layer: { timestamp: 0, fs_id: null, used_bytes: { value: used }, inodes_used: null },
    }));
  }
}

interface Env {
  root: string;
  cri: FakeCri;
  pods: KubeObject[];
  evicted: Array<{ pod: KubeObject; decision: EvictionDecision }>;
  manager: LocalStorageEviction;
  podDir: (uid: string) => string;
  logRoot: string;
}

function setup(t: { after: (fn: () => void) => void }, extra: Partial<LocalStorageEvictionOptions> = {}): Env {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'skiff-h10-lse-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  const cri = new FakeCri();
  const pods: KubeObject[] = [];
  const evicted: Env['evicted'] = [];
  const podDir = (uid: string) => path.join(root, 'kubelet', 'pods', uid);
  const logRoot = path.join(root, 'kubelet', 'logs');
  const manager = new LocalStorageEviction({ cri, pods: () => pods, podDir, logRoot, onEvict: (pod, decision) => void evicted.push({ pod, decision }), ...extra });
  return { root, cri, pods, evicted, manager, podDir, logRoot };
}

function makePod(uid: string, spec: Record<string, unknown>, extra: Partial<KubeObject> = {}): KubeObject {
  return { metadata: { name: `pod-${uid}`, namespace: 'ns', uid }, spec, status: { phase: 'Running' }, ...extra };
}

function writeFile(p: string, bytes: number): void {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, Buffer.alloc(bytes, 7));
}

const emptyDirFile = (env: Env, uid: string, volume: string, file = 'f') => path.join(env.podDir(uid), 'volumes', 'kubernetes.io~empty-dir', volume, file);
const logFile = (env: Env, pod: KubeObject, container: string, attempt = 0) => path.join(env.logRoot, `ns_${pod.metadata!.name}_${pod.metadata!.uid}`, container, `${attempt}.log`);

test('emptyDir over its sizeLimit: one decision with upstream message, onEvict called, running-only CRI filter', async (t) => {
  const env = setup(t);
  const p = makePod('u1', { containers: [{ name: 'app' }], volumes: [{ name: 'scratch', emptyDir: { sizeLimit: '1Mi' } }] });
  env.pods.push(p);
  env.cri.add('u1', 'app');
  writeFile(emptyDirFile(env, 'u1', 'scratch'), 4 * MiB);
  const decisions = await env.manager.checkOnce();
  assert.equal(decisions.length, 1);
  const d = decisions[0]!;
  assert.equal(d.message, 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ');
  assert.equal(d.reason, 'Evicted');
  assert.equal(d.signal, 'emptydirfs.limit');
  assert.equal(d.gracePeriodSeconds, 1);
  assert.equal(d.condition, undefined, 'upstream sets no DisruptionTarget for local-storage evictions');
  assert.deepEqual([d.uid, d.namespace, d.name], ['u1', 'ns', 'pod-u1']);
  assert.ok(d.usedBytes >= 4 * MiB);
  assert.equal(env.evicted.length, 1);
  assert.equal(env.evicted[0]!.pod, p);
  assert.deepEqual(env.cri.filters[0], { state: { state: 'CONTAINER_RUNNING' } });
});

test('each pod is evicted once, even though it stays over the limit', async (t) => {
  const env = setup(t);
  env.pods.push(makePod('u1', { containers: [{ name: 'app' }], volumes: [{ name: 'd', emptyDir: { sizeLimit: '1Mi' } }] }));
  env.cri.add('u1', 'app');
  writeFile(emptyDirFile(env, 'u1', 'd'), 2 * MiB);
  assert.equal((await env.manager.checkOnce()).length, 1);
  assert.deepEqual(await env.manager.checkOnce(), []);
  assert.equal(env.evicted.length, 1);
  assert.ok(env.manager.hasEvicted('u1'));
});

test('memory-medium emptyDirs are not measured (tmpfs enforces their size)', async (t) => {
  const env = setup(t);
  env.pods.push(makePod('u1', { containers: [{ name: 'app' }], volumes: [{ name: 'm', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } }] }));
  env.cri.add('u1', 'app');
  writeFile(emptyDirFile(env, 'u1', 'm'), 3 * MiB); // a plain dir here, so only the medium decides
  assert.deepEqual(await env.manager.checkOnce(), []);
});

test('pod total: disk emptyDir + configMap + etc-hosts + pod and container logs + writable layers', async (t) => {
  const env = setup(t);
  const p = makePod('u1', {
    containers: [{ name: 'a', resources: { limits: { 'ephemeral-storage': '4Mi' } } }, { name: 'b', resources: { limits: { 'ephemeral-storage': '4Mi' } } }],
    volumes: [{ name: 'd', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }],
  });
  env.pods.push(p);
  env.cri.add('u1', 'a', 'CONTAINER_RUNNING', 2 * MiB);
  env.cri.add('u1', 'b', 'CONTAINER_RUNNING', 2 * MiB);
  writeFile(emptyDirFile(env, 'u1', 'd'), 2 * MiB);
  assert.deepEqual(await env.manager.checkOnce(), [], '6 MiB of 8Mi');
  writeFile(path.join(env.podDir('u1'), 'volumes', 'kubernetes.io~configmap', 'cfg', 'big'), 512 * 1024);
  writeFile(path.join(env.podDir('u1'), 'etc-hosts'), 256 * 1024);
  writeFile(logFile(env, p, 'a'), 256 * 1024);
  assert.deepEqual(await env.manager.checkOnce(), [], '7 MiB of 8Mi');
  writeFile(path.join(path.dirname(path.dirname(logFile(env, p, 'a'))), 'pod-level.log'), MiB);
  const [d] = await env.manager.checkOnce();
  assert.equal(d?.message, 'Pod ephemeral local storage usage exceeds the total limit of containers 8Mi. ');
  assert.ok(d!.usedBytes > 8 * MiB);
});

test('container rule: writable layer + every attempt of its logs against its own limit', async (t) => {
  const env = setup(t);
  const p = makePod('u1', { containers: [{ name: 'a', resources: { limits: { 'ephemeral-storage': '10Mi' } } }, { name: 'b', resources: { limits: { 'ephemeral-storage': '2Mi' } } }] });
  env.pods.push(p);
  env.cri.add('u1', 'a', 'CONTAINER_RUNNING', MiB);
  env.cri.add('u1', 'b', 'CONTAINER_RUNNING', MiB);
  writeFile(logFile(env, p, 'b', 0), 600 * 1024);
  assert.deepEqual(await env.manager.checkOnce(), []);
  writeFile(logFile(env, p, 'b', 1), 600 * 1024);
  const [d] = await env.manager.checkOnce();
  assert.equal(d?.signal, 'ephemeralcontainerfs.limit');
  assert.equal(d?.message, 'Container b exceeded its local ephemeral storage limit "2Mi". ');
  assert.equal(d?.containerName, 'b');
});

test('exited containers do not count; a pod with no running container is not checked', async (t) => {
  const env = setup(t);
  const p = makePod('u1', { containers: [{ name: 'a', resources: { limits: { 'ephemeral-storage': '1Mi' } } }], volumes: [{ name: 'd', emptyDir: { sizeLimit: '1Mi' } }] });
  env.pods.push(p);
  env.cri.add('u1', 'a', 'CONTAINER_EXITED', 50 * MiB);
  writeFile(emptyDirFile(env, 'u1', 'd'), 2 * MiB);
  assert.deepEqual(await env.manager.checkOnce(), [], 'no running container: no stats, as upstream');
  env.cri.add('u1', 'a', 'CONTAINER_RUNNING', 0);
  fs.rmSync(emptyDirFile(env, 'u1', 'd'));
  assert.deepEqual(await env.manager.checkOnce(), [], 'the exited attempt\'s 50 MiB layer is not counted');
});

test('critical, terminal and unknown pods are left alone; other pods in the same pass are evicted', async (t) => {
  const env = setup(t);
  const over = { containers: [{ name: 'app' }], volumes: [{ name: 'd', emptyDir: { sizeLimit: '1Mi' } }] };
  env.pods.push(
    makePod('static', over, { metadata: { name: 'static', namespace: 'ns', uid: 'static', annotations: { 'kubernetes.io/config.source': 'file' } } }),
    makePod('critical', { ...over, priority: 2_000_001_000 }),
    makePod('failed', over, { status: { phase: 'Failed' } }),
    makePod('x1', over),
    makePod('x2', over),
  );
  for (const uid of ['static', 'critical', 'failed', 'x1', 'x2']) {
    env.cri.add(uid, 'app');
    writeFile(emptyDirFile(env, uid, 'd'), 2 * MiB);
  }
  const decisions = await env.manager.checkOnce();
  assert.deepEqual(decisions.map((d) => d.uid).sort(), ['x1', 'x2']);
  assert.equal(env.evicted.length, 2);
});

test('disruptionTargetCondition option adds the TerminationByKubelet condition; onEvict failures are logged, not retried', async (t) => {
  const logs: string[] = [];
  const env = setup(t, {
    disruptionTargetCondition: true,
    onEvict: () => {
      throw new Error('kill failed');
    },
    log: (msg) => logs.push(msg),
  });
  env.pods.push(makePod('u1', { containers: [{ name: 'app' }], volumes: [{ name: 'd', emptyDir: { sizeLimit: '1Mi' } }] }));
  env.cri.add('u1', 'app');
  writeFile(emptyDirFile(env, 'u1', 'd'), 2 * MiB);
  const [d] = await env.manager.checkOnce();
  assert.deepEqual(d?.condition, { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: d!.message });
  assert.ok(logs.includes('eviction manager: pod failed to evict'));
  assert.deepEqual(await env.manager.checkOnce(), []);
});

test('start() runs passes every intervalMs until stop()', async (t) => {
  const env = setup(t, { intervalMs: 20 });
  env.pods.push(makePod('u1', { containers: [{ name: 'app' }], volumes: [{ name: 'd', emptyDir: { sizeLimit: '1Mi' } }] }));
  env.cri.add('u1', 'app');
  env.manager.start();
  try {
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(env.evicted.length, 0);
    writeFile(emptyDirFile(env, 'u1', 'd'), 2 * MiB);
    const deadline = Date.now() + 2000;
    while (env.evicted.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(env.evicted.length, 1);
  } finally {
    await env.manager.stop();
  }
  const passes = env.cri.filters.length;
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(env.cri.filters.length, passes, 'no pass after stop()');
});
