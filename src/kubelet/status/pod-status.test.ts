import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { buildPodStatus, type ContainerStatus, type ObservedContainer, type ObservedPod, type PodCondition } from './index.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678); // fractions must be dropped
const NOW = new Date(T0 + 60_000);
const at = (s: number) => T0 + s * 1000;
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function pod(spec: Record<string, unknown>, status: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'default', uid: 'uid-1', ...meta }, spec: { restartPolicy: 'Always', ...spec }, status };
}

const c = (name: string, extra: Partial<ObservedContainer> = {}): ObservedContainer => ({
  name,
  id: `containerd://${name}-${extra.attempt ?? 0}`,
  attempt: 0,
  state: 'running',
  createdAt: at(0),
  startedAt: at(1),
  image: 'docker.io/library/busybox:1.36',
  imageRef: 'docker.io/library/busybox@sha256:abc',
  ...extra,
});
const exited = (name: string, attempt: number, exitCode: number, reason?: string, extra: Partial<ObservedContainer> = {}) =>
  c(name, { attempt, state: 'exited', exitCode, reason, createdAt: at(attempt * 10), startedAt: at(attempt * 10 + 1), finishedAt: at(attempt * 10 + 5), ...extra });

function observed(containers: ObservedContainer[], extra: Partial<ObservedPod> = {}): ObservedPod {
  const names = containers.map((x) => x.name);
  return {
    hostIP: '192.168.1.10',
    podIPs: ['10.42.0.5'],
    sandboxReady: true,
    sandboxCreated: true,
    startTime: new Date(T0),
    containers,
    waiting: {},
    ready: Object.fromEntries(names.map((n) => [n, true])),
    started: Object.fromEntries(names.map((n) => [n, true])),
    ...extra,
  };
}

interface Built {
  phase: string;
  conditions: PodCondition[];
  containerStatuses: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  [k: string]: unknown;
}
const build = (p: KubeObject, o: ObservedPod) => buildPodStatus(p, o, NOW) as unknown as Built;
const cond = (s: Built, type: string) => s.conditions.find((x) => x.type === type)!;
const cs = (s: Built, name: string) => [...s.containerStatuses, ...(s.initContainerStatuses ?? [])].find((x) => x.name === name)!;
const web = { name: 'web', image: 'busybox:1.36' };

test('running ready pod: phase, all conditions True, addresses, times, QoS, container status', () => {
  const s = build(pod({ containers: [web] }), observed([c('web')]));
  assert.equal(s.phase, 'Running');
  assert.deepEqual(s.conditions.map((x) => [x.type, x.status]), [['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', 'True'], ['ContainersReady', 'True'], ['PodScheduled', 'True']]);
  assert.equal(cond(s, 'Ready').lastTransitionTime, iso(NOW.getTime()));
  assert.equal(s.hostIP, '192.168.1.10');
  assert.deepEqual(s.hostIPs, [{ ip: '192.168.1.10' }]);
  assert.equal(s.podIP, '10.42.0.5');
  assert.deepEqual(s.podIPs, [{ ip: '10.42.0.5' }]);
  assert.equal(s.startTime, iso(T0));
  assert.match(String(s.startTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(s.qosClass, 'BestEffort');
  assert.equal(s.initContainerStatuses, undefined);
  assert.deepEqual(cs(s, 'web'), {
    name: 'web',
    state: { running: { startedAt: iso(at(1)) } },
    lastState: {},
    ready: true,
    restartCount: 0,
    image: 'docker.io/library/busybox:1.36',
    imageID: 'docker.io/library/busybox@sha256:abc',
    containerID: 'containerd://web-0',
    started: true,
  });
});

test('readiness false -> Ready and ContainersReady False with upstream message', () => {
  const p = pod({ containers: [web, { name: 'db' }, { name: 'cache' }] });
  const s = build(p, observed([c('web'), c('db'), c('cache')], { ready: { web: false, db: true, cache: false }, started: { web: true, db: true, cache: true } }));
  assert.equal(s.phase, 'Running');
  for (const type of ['Ready', 'ContainersReady']) {
    assert.deepEqual({ ...cond(s, type), lastTransitionTime: undefined }, { type, status: 'False', lastProbeTime: null, lastTransitionTime: undefined, reason: 'ContainersNotReady', message: 'containers with unready status: [web cache]' });
  }
  assert.deepEqual(s.containerStatuses.map((x) => x.name), ['cache', 'db', 'web'], 'regular statuses sorted by name');
  // A container that has not started (startup probe pending) is neither started nor ready.
  const s2 = build(pod({ containers: [web] }), observed([c('web')], { started: { web: false }, ready: { web: true } }));
  assert.equal(cs(s2, 'web').started, false);
  assert.equal(cs(s2, 'web').ready, false);
});

test('crash loop: waiting CrashLoopBackOff, lastState from the previous attempt, restartCount = newest attempt', () => {
  const message = 'back-off 10s restarting failed container=web pod=web-1_default(uid-1)';
  const o = observed([exited('web', 0, 1, 'Error'), exited('web', 1, 2, 'Error')], { waiting: { web: { reason: 'CrashLoopBackOff', message } } });
  const s = build(pod({ containers: [web] }), o);
  assert.equal(s.phase, 'Running');
  const st = cs(s, 'web');
  assert.deepEqual(st.state, { waiting: { reason: 'CrashLoopBackOff', message } });
  assert.deepEqual(st.lastState, { terminated: { exitCode: 2, reason: 'Error', startedAt: iso(at(11)), finishedAt: iso(at(15)), containerID: 'containerd://web-1' } });
  assert.equal(st.restartCount, 1);
  assert.equal(st.containerID, 'containerd://web-1');
  assert.equal(st.ready, false);
  assert.equal(cond(s, 'Ready').message, 'containers with unready status: [web]');
  // Restarted and running again: lastState is the attempt before.
  const s2 = build(pod({ containers: [web] }), observed([exited('web', 1, 2, 'Error'), c('web', { attempt: 2, createdAt: at(30), startedAt: at(31) })]));
  assert.deepEqual(cs(s2, 'web').state, { running: { startedAt: iso(at(31)) } });
  assert.equal(cs(s2, 'web').lastState.terminated?.exitCode, 2);
  assert.equal(cs(s2, 'web').restartCount, 2);
});

test('OOMKilled container of a Never pod: terminated OOMKilled, phase Failed', () => {
  const s = build(pod({ containers: [web], restartPolicy: 'Never' }), observed([exited('web', 0, 137, 'OOMKilled')], { sandboxReady: false }));
  assert.equal(s.phase, 'Failed');
  assert.deepEqual(cs(s, 'web').state.terminated, { exitCode: 137, reason: 'OOMKilled', startedAt: iso(at(1)), finishedAt: iso(at(5)), containerID: 'containerd://web-0' });
  assert.deepEqual([cond(s, 'Ready').status, cond(s, 'Ready').reason], ['False', 'PodFailed']);
  assert.deepEqual([cond(s, 'ContainersReady').status, cond(s, 'ContainersReady').reason], ['False', 'PodFailed']);
  assert.equal(cond(s, 'PodReadyToStartContainers').status, 'False', 'the sandbox was stopped');
});

test('Job pod (Never): all exit 0 -> Succeeded with Completed; one failure -> Failed; still running -> Running', () => {
  const spec = { containers: [{ name: 'main' }, { name: 'side' }], restartPolicy: 'Never' };
  const ok = build(pod(spec), observed([exited('main', 0, 0), exited('side', 0, 0)]));
  assert.equal(ok.phase, 'Succeeded');
  assert.equal(cs(ok, 'main').state.terminated?.reason, 'Completed', 'reason defaults like the CRI: exit 0 = Completed');
  assert.deepEqual([cond(ok, 'Ready').status, cond(ok, 'Ready').reason], ['False', 'PodCompleted']);
  assert.deepEqual([cond(ok, 'Initialized').status, cond(ok, 'Initialized').reason], ['True', 'PodCompleted']);
  const bad = build(pod(spec), observed([exited('main', 0, 0), exited('side', 0, 3)], { waiting: { side: { reason: 'CrashLoopBackOff' } } }));
  assert.equal(bad.phase, 'Failed');
  assert.equal(cs(bad, 'side').state.terminated?.exitCode, 3, 'a Never container is not restarted: the waiting reason is ignored');
  assert.equal(build(pod(spec), observed([exited('main', 0, 0), c('side')])).phase, 'Running');
});

test('OnFailure: a failed container restarts (Running, CrashLoopBackOff), exit 0 finishes (Succeeded)', () => {
  const spec = { containers: [web], restartPolicy: 'OnFailure' };
  const failing = build(pod(spec), observed([exited('web', 0, 1, 'Error')], { waiting: { web: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } } }));
  assert.equal(failing.phase, 'Running');
  assert.equal(cs(failing, 'web').state.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(cs(failing, 'web').lastState.terminated?.exitCode, 1);
  const done = build(pod(spec), observed([exited('web', 0, 1, 'Error'), exited('web', 1, 0, 'Completed')]));
  assert.equal(done.phase, 'Succeeded');
  assert.equal(cs(done, 'web').restartCount, 1);
});

test('init containers run in order: Pending, Initialized False with incomplete names, PodInitializing', () => {
  const spec = { initContainers: [{ name: 'init-a' }, { name: 'init-b' }], containers: [web] };
  const s = build(pod(spec), observed([exited('init-a', 0, 0, 'Completed'), c('init-b')], { ready: {}, started: { 'init-b': true } }));
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(s.initContainerStatuses!.map((x) => x.name), ['init-a', 'init-b'], 'spec order');
  assert.deepEqual([cs(s, 'init-a').ready, cs(s, 'init-a').started], [true, false]);
  assert.deepEqual([cs(s, 'init-b').ready, cs(s, 'init-b').started], [false, true]);
  assert.deepEqual({ ...cond(s, 'Initialized'), lastTransitionTime: undefined }, { type: 'Initialized', status: 'False', lastProbeTime: null, lastTransitionTime: undefined, reason: 'ContainersNotInitialized', message: 'containers with incomplete status: [init-b]' });
  assert.deepEqual(cs(s, 'web').state, { waiting: { reason: 'PodInitializing' } });
  assert.equal(cond(s, 'Ready').message, 'containers with unready status: [web]');
  // Before anything ran: both incomplete, in spec order.
  const fresh = build(pod(spec), observed([], { waiting: {} }));
  assert.equal(cond(fresh, 'Initialized').message, 'containers with incomplete status: [init-a init-b]');
  assert.deepEqual(cs(fresh, 'init-a').state, { waiting: { reason: 'PodInitializing' } });
  // All done and the app runs.
  const running = build(pod(spec), observed([exited('init-a', 0, 0), exited('init-b', 0, 0), c('web')]));
  assert.equal(running.phase, 'Running');
  assert.equal(cond(running, 'Initialized').status, 'True');
});

test('a failed init container fails a Never pod; with Always it restarts (Pending, Init:CrashLoopBackOff)', () => {
  const spec = { initContainers: [{ name: 'init-a' }], containers: [web] };
  const never = build(pod({ ...spec, restartPolicy: 'Never' }), observed([exited('init-a', 0, 1, 'Error')]));
  assert.equal(never.phase, 'Failed');
  const always = build(pod(spec), observed([exited('init-a', 0, 1, 'Error')], { waiting: { 'init-a': { reason: 'CrashLoopBackOff', message: 'back-off 10s' } } }));
  assert.equal(always.phase, 'Pending');
  assert.equal(cs(always, 'init-a').state.waiting?.reason, 'CrashLoopBackOff');
  assert.equal(cs(always, 'init-a').lastState.terminated?.exitCode, 1);
});

test('sidecar (init container with restartPolicy Always) counts as running and ready like a regular container', () => {
  const spec = { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }], containers: [web] };
  const s = build(pod(spec), observed([c('proxy'), c('web')]));
  assert.equal(s.phase, 'Running');
  assert.deepEqual([cs(s, 'proxy').started, cs(s, 'proxy').ready], [true, true]);
  assert.equal(cond(s, 'Initialized').status, 'True');
  assert.equal(cond(s, 'Ready').status, 'True');
  const unready = build(pod(spec), observed([c('proxy'), c('web')], { ready: { proxy: false, web: true } }));
  assert.equal(cond(unready, 'Ready').message, 'containers with unready status: [proxy]');
  // A sidecar started but not yet ... the pod waits for it before the app containers.
  const starting = build(pod(spec), observed([c('proxy')], { started: { proxy: false }, ready: {} }));
  assert.equal(starting.phase, 'Pending');
  assert.equal(cond(starting, 'Initialized').message, 'containers with incomplete status: [proxy]');
  // A Never job with a sidecar finishes when the main container exits 0, whatever the sidecar does.
  const job = build(pod({ ...spec, restartPolicy: 'Never' }), observed([exited('proxy', 0, 137, 'Error'), exited('web', 0, 0)]));
  assert.equal(job.phase, 'Succeeded');
});

test('waiting reasons for containers never created: ErrImagePull, then ImagePullBackOff', () => {
  const s = build(pod({ containers: [web] }), observed([], { waiting: { web: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox:nope"' } } }));
  assert.equal(s.phase, 'Pending');
  assert.deepEqual(cs(s, 'web').state, { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "busybox:nope"' } });
  assert.equal(cs(s, 'web').image, 'busybox:1.36', 'the spec image until the runtime reports one');
  const creating = build(pod({ containers: [web] }), observed([], { podIPs: [], sandboxReady: false, sandboxCreated: false }));
  assert.deepEqual(cs(creating, 'web').state, { waiting: { reason: 'ContainerCreating' } });
  assert.equal(cond(creating, 'PodReadyToStartContainers').status, 'False');
  assert.equal(creating.podIP, undefined);
});

test('conditions: lastTransitionTime kept while unchanged, PodScheduled and foreign conditions preserved', () => {
  const earlier = '2025-12-31T00:00:00Z';
  const old = {
    phase: 'Running',
    startTime: '2025-12-30T00:00:00Z',
    qosClass: 'Guaranteed',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: '2025-12-29T00:00:00Z' },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: earlier },
      { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: earlier },
      { type: 'DisruptionTarget', status: 'True', lastTransitionTime: earlier, reason: 'EvictionByEvictionAPI' },
    ],
  };
  const s = build(pod({ containers: [web] }, old), observed([c('web')], { ready: { web: false } }));
  assert.equal(cond(s, 'PodScheduled').lastTransitionTime, '2025-12-29T00:00:00Z');
  assert.equal(cond(s, 'Ready').lastTransitionTime, iso(NOW.getTime()), 'flipped to False now');
  assert.equal(cond(s, 'DisruptionTarget').reason, 'EvictionByEvictionAPI');
  assert.equal(s.conditions[0]!.type, 'DisruptionTarget', 'foreign conditions first, then kubelet order');
  assert.equal(s.startTime, '2025-12-30T00:00:00Z', 'startTime is set once');
  assert.equal(s.qosClass, 'Guaranteed', 'the qosClass the API server recorded');
  const same = build(pod({ containers: [web] }, old), observed([c('web')]));
  assert.equal(cond(same, 'Ready').lastTransitionTime, earlier);
});

test('terminal phases stick; reason/message stay while the phase does not change', () => {
  const s = build(pod({ containers: [web] }, { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }), observed([c('web')]));
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, 'Evicted');
  assert.equal(s.message, 'The node was low on resource: memory.');
  const running = build(pod({ containers: [web] }, { phase: 'Pending', reason: 'X' }), observed([c('web')]));
  assert.equal(running.reason, undefined, 'the phase changed: reason dropped');
});

test('terminating (deleted, containers stopped): Failed after a kill, Succeeded when all exited 0, unknown containers 137', () => {
  const meta = { deletionTimestamp: '2026-01-02T03:05:00Z' };
  const killed = build(pod({ containers: [web] }, { phase: 'Running' }, meta), observed([exited('web', 0, 137, 'Error')], { terminating: true, sandboxReady: false }));
  assert.equal(killed.phase, 'Failed');
  const clean = build(pod({ containers: [web] }, { phase: 'Running' }, meta), observed([exited('web', 0, 0, 'Completed')], { terminating: true }));
  assert.equal(clean.phase, 'Succeeded');
  const never = build(pod({ containers: [web, { name: 'db' }] }, { phase: 'Pending' }, meta), observed([exited('web', 0, 0)], { terminating: true, waiting: { db: { reason: 'ErrImagePull' } } }));
  assert.equal(never.phase, 'Failed');
  assert.deepEqual(cs(never, 'db').state, { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated' } });
  // Deleted during initialization: never-started init containers and app containers stay waiting; the pod fails.
  const initSpec = { initContainers: [{ name: 'init-a' }, { name: 'init-b' }, { name: 'init-c' }], containers: [web] };
  const midInit = build(pod(initSpec, { phase: 'Pending' }, meta), observed([exited('init-a', 0, 0), exited('init-b', 0, 137, 'Error')], { terminating: true }));
  assert.equal(midInit.phase, 'Failed');
  assert.equal(cs(midInit, 'init-b').state.terminated?.exitCode, 137);
  assert.deepEqual(cs(midInit, 'init-c').state, { waiting: { reason: 'PodInitializing' } });
  assert.deepEqual(cs(midInit, 'web').state, { waiting: { reason: 'PodInitializing' } });
  // Deleted but not yet stopped: no restart reasons are shown.
  const stopping = build(pod({ containers: [web] }, { phase: 'Running' }, meta), observed([exited('web', 0, 1, 'Error')], { waiting: { web: { reason: 'CrashLoopBackOff' } } }));
  assert.equal(cs(stopping, 'web').state.terminated?.exitCode, 1);
});

test('hostNetwork pods take the host IP as pod IP; readiness gates hold Ready', () => {
  const s = build(pod({ containers: [web], hostNetwork: true }), observed([c('web')], { podIPs: [] }));
  assert.equal(s.podIP, '192.168.1.10');
  assert.equal(cond(s, 'PodReadyToStartContainers').status, 'True');
  const gated = build(pod({ containers: [web], readinessGates: [{ conditionType: 'example.com/lb' }] }), observed([c('web')]));
  assert.deepEqual([cond(gated, 'Ready').status, cond(gated, 'Ready').reason, cond(gated, 'Ready').message], ['False', 'ReadinessGatesNotReady', 'corresponding condition of pod readiness gate "example.com/lb" does not exist.']);
  assert.equal(cond(gated, 'ContainersReady').status, 'True');
});
