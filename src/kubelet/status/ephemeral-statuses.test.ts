// status.ephemeralContainerStatuses: kubectl debug containers as the kubelet reports them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { buildPodStatus, type ContainerStatus, type ObservedContainer, type ObservedPod } from './index.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const NOW = new Date(T0 + 60_000);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

const spec = {
  restartPolicy: 'Always',
  containers: [{ name: 'app', image: 'busybox:1.36' }],
  ephemeralContainers: [
    { name: 'zdbg', image: 'busybox:1.36', targetContainerName: 'app' },
    { name: 'dbg', image: 'busybox:1.36' },
  ],
};
const pod = (status: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u' }, spec, status });

const running = (name: string, extra: Partial<ObservedContainer> = {}): ObservedContainer => ({
  name,
  id: `containerd://${name}`,
  attempt: 0,
  state: 'running',
  createdAt: T0,
  startedAt: T0 + 1000,
  image: 'busybox:1.36',
  imageRef: 'sha256:abc',
  ...extra,
});

function observed(containers: ObservedContainer[], extra: Partial<ObservedPod> = {}): ObservedPod {
  return { hostIP: '10.0.0.1', podIPs: ['10.43.12.5'], sandboxReady: true, sandboxCreated: true, startTime: new Date(T0), containers, waiting: {}, ready: { app: true }, started: { app: true }, ...extra };
}

type Built = { phase: string; conditions: Array<{ type: string; status: string }>; ephemeralContainerStatuses?: ContainerStatus[] };
const build = (p: KubeObject, o: ObservedPod) => buildPodStatus(p, o, NOW) as unknown as Built;

test('a running debug container: running state, never ready, restartCount 0, no started field; sorted by name', () => {
  const s = build(pod(), observed([running('app'), running('zdbg')]));
  assert.deepEqual(s.ephemeralContainerStatuses?.map((x) => x.name), ['dbg', 'zdbg']);
  assert.deepEqual(s.ephemeralContainerStatuses?.[1], {
    name: 'zdbg',
    state: { running: { startedAt: iso(T0 + 1000) } },
    lastState: {},
    ready: false,
    restartCount: 0,
    image: 'busybox:1.36',
    imageID: 'sha256:abc',
    containerID: 'containerd://zdbg',
  });
  // Not yet created: waiting, with the worker's reason when it has one.
  assert.deepEqual(s.ephemeralContainerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
  const failing = build(pod(), observed([running('app')], { waiting: { dbg: { reason: 'CreateContainerConfigError', message: 'unable to find target container app' } } }));
  assert.deepEqual(failing.ephemeralContainerStatuses?.find((x) => x.name === 'dbg')?.state, { waiting: { reason: 'CreateContainerConfigError', message: 'unable to find target container app' } });
});

test('an exited debug container stays terminated (never restarted) and does not touch phase or readiness', () => {
  const done = running('dbg', { state: 'exited', exitCode: 0, finishedAt: T0 + 5000 });
  const s = build(pod(), observed([running('app'), done], { waiting: { dbg: { reason: 'ContainerCreating' } } }));
  const dbg = s.ephemeralContainerStatuses?.find((x) => x.name === 'dbg');
  assert.deepEqual(dbg?.state, { terminated: { exitCode: 0, reason: 'Completed', startedAt: iso(T0 + 1000), finishedAt: iso(T0 + 5000), containerID: 'containerd://dbg' } });
  assert.equal(dbg?.restartCount, 0);
  assert.equal(s.phase, 'Running');
  assert.deepEqual(s.conditions.find((c) => c.type === 'Ready')?.status, 'True');
});

test('no ephemeral containers: no ephemeralContainerStatuses field', () => {
  const p: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u' }, spec: { containers: spec.containers }, status: {} };
  assert.equal('ephemeralContainerStatuses' in buildPodStatus(p, observed([running('app')]), NOW), false);
});
