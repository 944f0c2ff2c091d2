import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import { podPrinter, podSummary } from './pod.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

const running = { running: { startedAt: ago(600) } };

function pod(extra: { spec?: object; status?: object; metadata?: object } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: ago(3 * 3600 + 5 * 60), ...extra.metadata },
    spec: { containers: [{ name: 'app', image: 'nginx' }, { name: 'sidecar', image: 'busybox' }], ...extra.spec },
    status: { phase: 'Running', ...extra.status },
  };
}

test('one of two containers ready, 3 restarts two minutes ago', () => {
  const p = pod({
    status: {
      phase: 'Running',
      podIP: '10.42.0.7',
      podIPs: [{ ip: '10.42.0.7' }],
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 0, state: running },
        { name: 'sidecar', ready: false, restartCount: 3, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(125) } } },
      ],
    },
    spec: { nodeName: 'node-a' },
  });
  const cells = podPrinter.cells(p, NOW);
  assert.deepEqual(cells, ['web-1', '1/2', 'Running', '3 (2m5s ago)', '3h5m', '10.42.0.7', 'node-a', '<none>', '<none>']);
});

test('CrashLoopBackOff waiting reason wins over phase', () => {
  const s = podSummary(pod({
    status: {
      containerStatuses: [
        { name: 'app', ready: true, restartCount: 0, state: running },
        { name: 'sidecar', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 2, finishedAt: ago(30) } } },
      ],
    },
  }), NOW);
  assert.deepEqual(s, { ready: '1/2', status: 'CrashLoopBackOff', restarts: '7 (30s ago)' });
});

test('init containers in progress print Init:i/n, failures Init:<reason>', () => {
  const spec = { initContainers: [{ name: 'migrate', image: 'm' }, { name: 'seed', image: 's' }] };
  const progressing = podSummary(pod({
    spec,
    status: {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'seed', ready: false, restartCount: 0, state: { running: {} } },
      ],
    },
  }), NOW);
  assert.equal(progressing.status, 'Init:1/2');
  assert.equal(progressing.ready, '0/2');
  const waiting = podSummary(pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } }] } }), NOW);
  assert.deepEqual(waiting, { ready: '0/2', status: 'Init:CrashLoopBackOff', restarts: '4 (90s ago)' });
  const failed = podSummary(pod({ spec, status: { phase: 'Failed', initContainerStatuses: [{ name: 'migrate', state: { terminated: { exitCode: 3 } } }] } }), NOW);
  assert.equal(failed.status, 'Init:ExitCode:3');
  const initWaiting = podSummary(pod({ spec, status: { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { waiting: { reason: 'PodInitializing' } } }] } }), NOW);
  assert.equal(initWaiting.status, 'Init:0/2');
});

test('Completed, terminated without reason, and Completed turned back to Running', () => {
  const done = podSummary(pod({ spec: { containers: [{ name: 'job', image: 'x' }] }, status: { phase: 'Succeeded', containerStatuses: [{ name: 'job', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } }), NOW);
  assert.deepEqual(done, { ready: '0/1', status: 'Completed', restarts: '0' });
  const signal = podSummary(pod({ spec: { containers: [{ name: 'job', image: 'x' }] }, status: { phase: 'Failed', containerStatuses: [{ name: 'job', state: { terminated: { exitCode: 137, signal: 9 } } }] } }), NOW);
  assert.equal(signal.status, 'Signal:9');
  const mixed = pod({
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [
        { name: 'app', ready: true, state: running },
        { name: 'sidecar', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      ],
    },
  });
  assert.equal(podSummary(mixed, NOW).status, 'Running');
  const notReady = { ...mixed, status: { ...(mixed.status as object), conditions: [] } };
  assert.equal(podSummary(notReady, NOW).status, 'NotReady');
});

test('Terminating, NodeLost, SchedulingGated, Pending reason', () => {
  assert.equal(podSummary(pod({ metadata: { deletionTimestamp: ago(5) } }), NOW).status, 'Terminating');
  assert.equal(podSummary(pod({ metadata: { deletionTimestamp: ago(5) }, status: { phase: 'Succeeded' } }), NOW).status, 'Succeeded');
  assert.equal(podSummary(pod({ metadata: { deletionTimestamp: ago(5) }, status: { phase: 'Running', reason: 'NodeLost' } }), NOW).status, 'Unknown');
  assert.equal(podSummary(pod({ status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] } }), NOW).status, 'SchedulingGated');
  assert.equal(podSummary(pod({ status: { phase: 'Failed', reason: 'Evicted' } }), NOW).status, 'Evicted');
  assert.deepEqual(podSummary(pod({ status: { phase: 'Pending' } }), NOW), { ready: '0/2', status: 'Pending', restarts: '0' });
});

test('restartable init containers (sidecars) count toward READY and RESTARTS', () => {
  const s = podSummary(pod({
    spec: { initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'x' }] },
    status: {
      conditions: [{ type: 'Initialized', status: 'True' }],
      initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 2, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(4 * 60) } } }],
      containerStatuses: [{ name: 'app', ready: true, restartCount: 1, state: running, lastState: { terminated: { exitCode: 1, finishedAt: ago(3 * 60) } } }],
    },
  }), NOW);
  assert.deepEqual(s, { ready: '2/2', status: 'Running', restarts: '3 (3m ago)' });
});

test('finished pods carry the Completed row condition', () => {
  assert.deepEqual(podPrinter.conditions!(pod({ status: { phase: 'Succeeded' } })), [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  assert.equal(podPrinter.conditions!(pod({ status: { phase: 'Failed' } }))![0]!.reason, 'Failed');
  assert.equal(podPrinter.conditions!(pod()), undefined);
});

test('readiness gates and nominated node in the wide cells', () => {
  const cells = podPrinter.cells(pod({
    spec: { readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
    status: { nominatedNodeName: 'node-b', conditions: [{ type: 'example.com/lb', status: 'True' }, { type: 'example.com/dns', status: 'False' }] },
  }), NOW);
  assert.deepEqual(cells.slice(5), ['<none>', '<none>', 'node-b', '1/2']);
  assert.equal(podPrinter.columns.length, cells.length);
});
