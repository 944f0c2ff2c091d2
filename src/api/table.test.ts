import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findKind } from './index.js';
import { buildTable, formatLabels, humanDuration } from './table.js';
import type { KubeObject } from './types.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString();
const rows = (plural: string, items: KubeObject[]): (string | number | boolean)[][] => buildTable(findKind('', 'v1', plural)!, items, { now: NOW }).rows.map((r) => r.cells);

test('humanDuration matches upstream', () => {
  const cases: [number, string][] = [
    [-5, '<invalid>'], [-1, '0s'], [0, '0s'], [59, '59s'], [119, '119s'], [120, '2m'], [200, '3m20s'], [600, '10m'], [179 * 60, '179m'],
    [3 * 3600, '3h'], [5 * 3600 + 600, '5h10m'], [8 * 3600 + 600, '8h'], [47 * 3600, '47h'], [2 * 86400, '2d'], [3 * 86400 + 4 * 3600, '3d4h'],
    [8 * 86400 + 3600, '8d'], [400 * 86400, '400d'], [730 * 86400, '2y'], [760 * 86400, '2y30d'], [3000 * 86400, '8y'],
  ];
  for (const [s, want] of cases) assert.equal(humanDuration(s * 1000), want, String(s));
});

test('pod rows: ready, status, restarts, age and wide columns', () => {
  const running: KubeObject = {
    metadata: { name: 'web', creationTimestamp: ago(300) },
    spec: { nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }] },
    status: {
      phase: 'Running', podIPs: [{ ip: '10.244.0.5' }],
      containerStatuses: [
        { name: 'a', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { finishedAt: ago(90) } } },
        { name: 'b', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    },
  };
  const pending: KubeObject = { metadata: { name: 'new', creationTimestamp: ago(5) }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Pending' } };
  const init: KubeObject = {
    metadata: { name: 'init', creationTimestamp: ago(30) },
    spec: { initContainers: [{ name: 'i1' }, { name: 'i2' }], containers: [{ name: 'a' }] },
    status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 0 } } }, { name: 'i2', state: { running: {} } }] },
  };
  const deleting: KubeObject = { metadata: { name: 'old', creationTimestamp: ago(7200), deletionTimestamp: ago(1) }, spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running' } };
  assert.deepEqual(rows('pods', [running, pending, init, deleting]), [
    ['web', '1/2', 'CrashLoopBackOff', '2 (90s ago)', '5m', '10.244.0.5', 'n1', '<none>', '<none>'],
    ['new', '0/1', 'Pending', '0', '5s', '<none>', '<none>', '<none>', '<none>'],
    ['init', '0/1', 'Init:1/2', '0', '30s', '<none>', '<none>', '<none>', '<none>'],
    ['old', '0/1', 'Terminating', '0', '120m', '<none>', '<none>', '<none>', '<none>'],
  ]);
  const table = buildTable(findKind('', 'v1', 'pods')!, [pending], { now: NOW });
  assert.deepEqual(table.columnDefinitions.map((c) => [c.name, c.priority]), [
    ['Name', 0], ['Ready', 0], ['Status', 0], ['Restarts', 0], ['Age', 0], ['IP', 1], ['Node', 1], ['Nominated Node', 1], ['Readiness Gates', 1],
  ]);
  assert.equal(table.columnDefinitions[0].format, 'name');
  assert.match(table.columnDefinitions[0].description, /^Name must be unique within a namespace/);
  assert.deepEqual(table.rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: pending.metadata });
});

test('service, node, configmap and secret rows', () => {
  assert.deepEqual(rows('services', [
    { metadata: { name: 'web', creationTimestamp: ago(60) }, spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } } },
    { metadata: { name: 'np', creationTimestamp: ago(60) }, spec: { type: 'NodePort', clusterIPs: ['10.96.0.11'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } },
    { metadata: { name: 'lb', creationTimestamp: ago(60) }, spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.12'], ports: [] }, status: { loadBalancer: {} } },
    { metadata: { name: 'ext', creationTimestamp: ago(60) }, spec: { type: 'ExternalName', externalName: 'example.com' } },
  ]), [
    ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '60s', 'app=web'],
    ['np', 'NodePort', '10.96.0.11', '<none>', '80:30080/TCP,53/UDP', '60s', '<none>'],
    ['lb', 'LoadBalancer', '10.96.0.12', '<pending>', '<none>', '60s', '<none>'],
    ['ext', 'ExternalName', '<none>', 'example.com', '<none>', '60s', '<none>'],
  ]);
  assert.deepEqual(rows('nodes', [{
    metadata: { name: 'n1', creationTimestamp: ago(86400 * 3), labels: { 'node-role.kubernetes.io/control-plane': '' } },
    spec: { unschedulable: true },
    status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '192.168.1.10' }], nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'containerd://1.6' } },
  }]), [['n1', 'Ready,SchedulingDisabled', 'control-plane', '3d', 'v1.32.0', '192.168.1.10', '<none>', 'Debian', '6.1', 'containerd://1.6']]);
  assert.deepEqual(rows('configmaps', [{ metadata: { name: 'c', creationTimestamp: ago(10) }, data: { a: '1', b: '2' }, binaryData: { c: 'eA==' } }]), [['c', 3, '10s']]);
  assert.deepEqual(rows('secrets', [{ metadata: { name: 's', creationTimestamp: ago(10) }, type: 'Opaque', data: { a: 'eA==' } }]), [['s', 'Opaque', 1, '10s']]);
});

test('events, endpoints, claims and quotas', () => {
  assert.deepEqual(rows('events', [{
    metadata: { name: 'web.1' }, type: 'Normal', reason: 'Pulled', message: ' pulled \n', involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{a}' },
    source: { component: 'kubelet', host: 'n1' }, firstTimestamp: ago(600), lastTimestamp: ago(30), count: 4,
  }]), [['30s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{a}', 'kubelet, n1', 'pulled', '10m', 4, 'web.1']]);
  assert.deepEqual(rows('endpoints', [{ metadata: { name: 'e', creationTimestamp: ago(1) }, subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }, { ip: '10.0.0.3' }, { ip: '10.0.0.4' }], ports: [{ port: 80 }] }] }]), [
    ['e', '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 1 more...', '1s'],
  ]);
  assert.deepEqual(rows('persistentvolumeclaims', [{ metadata: { name: 'data', creationTimestamp: ago(1) }, spec: { volumeName: 'pv1', storageClassName: 'standard', volumeMode: 'Filesystem' }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } }]), [
    ['data', 'Bound', 'pv1', '1Gi', 'RWO', 'standard', '<unset>', '1s', 'Filesystem'],
  ]);
  assert.deepEqual(rows('resourcequotas', [{ metadata: { name: 'q', creationTimestamp: ago(1) }, status: { hard: { pods: '10', 'limits.cpu': '4', 'requests.cpu': '2' }, used: { pods: '3' } } }]), [
    ['q', '1s', 'pods: 3/10, requests.cpu: 0/2', 'limits.cpu: 0/4'],
  ]);
  assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
});

test('kinds without printers get Name and Created At', () => {
  const def = findKind('', 'v1', 'bindings')!;
  const t = buildTable(def, [{ metadata: { name: 'b', creationTimestamp: '2026-01-01T00:00:00Z' } }], { now: NOW, includeObject: 'None' });
  assert.deepEqual(t.columnDefinitions.map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
  assert.deepEqual(t.rows, [{ cells: ['b', '2026-01-01T00:00:00Z'] }]);
});
