import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import {
  configMapPrinter, endpointsPrinter, eventPrinter, namespacePrinter, nodePrinter, persistentVolumeClaimPrinter, persistentVolumePrinter, resourceQuotaPrinter, secretPrinter, serviceAccountPrinter, servicePrinter,
} from './core.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const meta = (name: string, seconds = 45) => ({ name, namespace: 'default', creationTimestamp: ago(seconds) });

test('service: TYPE CLUSTER-IP EXTERNAL-IP PORT(S) for each type', () => {
  const clusterIP: KubeObject = { metadata: meta('web'), spec: { type: 'ClusterIP', clusterIP: '10.43.0.10', clusterIPs: ['10.43.0.10'], ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { app: 'web' } } };
  assert.deepEqual(servicePrinter.cells(clusterIP, NOW), ['web', 'ClusterIP', '10.43.0.10', '<none>', '80/TCP,53/UDP', '45s', 'app=web']);
  const nodePort: KubeObject = { metadata: meta('np'), spec: { type: 'NodePort', clusterIPs: ['10.43.0.11'], externalIPs: ['1.2.3.4'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] } };
  assert.deepEqual(servicePrinter.cells(nodePort, NOW), ['np', 'NodePort', '10.43.0.11', '1.2.3.4', '80:30080/TCP', '45s', '<none>']);
  const lbPending: KubeObject = { metadata: meta('lb'), spec: { type: 'LoadBalancer', clusterIPs: ['10.43.0.12'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] } };
  assert.equal(servicePrinter.cells(lbPending, NOW)[3], '<pending>');
  const lb = { ...lbPending, status: { loadBalancer: { ingress: [{ ip: '192.168.1.20' }, { hostname: 'lb.example.com' }, { ip: '192.168.1.10' }] } } };
  assert.equal(servicePrinter.cells(lb, NOW)[3], '192.168.1.10,192.168.1.20,lb.example.com');
  const headless: KubeObject = { metadata: meta('db'), spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [] } };
  assert.deepEqual(servicePrinter.cells(headless, NOW).slice(2, 5), ['None', '<none>', '<none>']);
  const external: KubeObject = { metadata: meta('ext'), spec: { type: 'ExternalName', externalName: 'db.example.com' } };
  assert.deepEqual(servicePrinter.cells(external, NOW).slice(1, 5), ['ExternalName', '<none>', 'db.example.com', '<none>']);
});

test('endpoints: up to three ip:port then "+ N more..."', () => {
  const ep: KubeObject = {
    metadata: meta('web'),
    subsets: [{ addresses: [{ ip: '10.42.0.5' }, { ip: '10.42.0.6' }], ports: [{ port: 8080, name: 'http' }, { port: 9090, name: 'metrics' }] }],
  };
  assert.equal(endpointsPrinter.cells(ep, NOW)[1], '10.42.0.5:8080,10.42.0.6:8080,10.42.0.5:9090 + 1 more...');
  assert.equal(endpointsPrinter.cells({ metadata: meta('x') }, NOW)[1], '<none>');
  assert.equal(endpointsPrinter.cells({ metadata: meta('v6'), subsets: [{ addresses: [{ ip: 'fd00::1' }], ports: [{ port: 80 }] }] }, NOW)[1], '[fd00::1]:80');
  assert.equal(endpointsPrinter.cells({ metadata: meta('noports'), subsets: [{ addresses: [{ ip: '10.0.0.1' }] }] }, NOW)[1], '10.0.0.1');
});

test('configmap DATA counts data and binaryData; secret TYPE DATA; namespace STATUS; serviceaccount SECRETS', () => {
  assert.deepEqual(configMapPrinter.cells({ metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }, NOW), ['cfg', 3, '45s']);
  assert.deepEqual(configMapPrinter.cells({ metadata: meta('empty') }, NOW), ['empty', 0, '45s']);
  assert.deepEqual(secretPrinter.cells({ metadata: meta('tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }, NOW), ['tls', 'kubernetes.io/tls', 2, '45s']);
  assert.deepEqual(namespacePrinter.cells({ metadata: meta('kube-system', 86400 * 400), status: { phase: 'Active' } }, NOW), ['kube-system', 'Active', '400d']);
  assert.deepEqual(serviceAccountPrinter.cells({ metadata: meta('default'), secrets: [] }, NOW), ['default', 0, '45s']);
});

test('node: STATUS ROLES VERSION and wide addresses/system info', () => {
  const node: KubeObject = {
    metadata: { name: 'node-a', creationTimestamp: ago(86400 * 3 + 3600 * 4), labels: { 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '', 'kubernetes.io/role': 'worker' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '192.168.0.5' }, { type: 'Hostname', address: 'node-a' }],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.6.20' },
    },
  };
  assert.deepEqual(nodePrinter.cells(node, NOW), ['node-a', 'Ready,SchedulingDisabled', 'control-plane,master,worker', '3d4h', 'v1.32.0', '192.168.0.5', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.6.20']);
  const bare: KubeObject = { metadata: { name: 'n', creationTimestamp: ago(10) }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } };
  assert.deepEqual(nodePrinter.cells(bare, NOW), ['n', 'NotReady', '<none>', '10s', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  assert.equal(nodePrinter.cells({ metadata: { name: 'u' } }, NOW)[1], 'Unknown');
});

test('event: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE FIRST SEEN COUNT NAME', () => {
  const ev: KubeObject = {
    apiVersion: 'v1', kind: 'Event', metadata: meta('web-1.17a', 300),
    involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff', message: 'Back-off restarting failed container  \n', type: 'Warning', count: 12,
    firstTimestamp: ago(300), lastTimestamp: ago(20), source: { component: 'kubelet', host: 'node-a' },
  };
  assert.deepEqual(eventPrinter.cells(ev, NOW), ['20s', 'Warning', 'BackOff', 'pod/web-1', 'spec.containers{app}', 'kubelet, node-a', 'Back-off restarting failed container', '5m', 12, 'web-1.17a']);
  const newStyle: KubeObject = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta('sched.1', 90), eventTime: ago(90).replace('Z', '.000000Z'),
    regarding: { kind: 'Pod', name: 'web-2' }, note: 'Successfully assigned default/web-2 to node-a', reason: 'Scheduled', type: 'Normal',
    reportingController: 'default-scheduler', reportingInstance: '',
  };
  assert.deepEqual(eventPrinter.cells(newStyle, NOW), ['90s', 'Normal', 'Scheduled', 'pod/web-2', '', 'default-scheduler', 'Successfully assigned default/web-2 to node-a', '90s', 1, 'sched.1']);
  const series = { ...ev, series: { count: 40, lastObservedTime: ago(3).replace('Z', '.000001Z') } };
  assert.deepEqual([eventPrinter.cells(series, NOW)[0], eventPrinter.cells(series, NOW)[8]], ['3s', 40]);
});

test('pv and pvc: capacity, access modes, claim, class, Terminating', () => {
  const pv: KubeObject = {
    metadata: { name: 'pv-1', creationTimestamp: ago(600) },
    spec: { capacity: { storage: '10Gi' }, accessModes: ['ReadWriteMany', 'ReadWriteOnce'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'local-path', volumeMode: 'Filesystem' },
    status: { phase: 'Bound' },
  };
  assert.deepEqual(persistentVolumePrinter.cells(pv, NOW), ['pv-1', '10Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'local-path', '<unset>', '', '10m', 'Filesystem']);
  const pvc: KubeObject = {
    metadata: { ...meta('data', 600), annotations: { 'volume.beta.kubernetes.io/storage-class': 'legacy' } },
    spec: { volumeName: 'pv-1', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } }, storageClassName: 'local-path' },
    status: { phase: 'Bound', capacity: { storage: '10Gi' }, accessModes: ['ReadWriteOnce'] },
  };
  assert.deepEqual(persistentVolumeClaimPrinter.cells(pvc, NOW), ['data', 'Bound', 'pv-1', '10Gi', 'RWO', 'legacy', '<unset>', '10m', '<unset>']);
  const pending: KubeObject = { metadata: { ...meta('p', 5), deletionTimestamp: ago(1) }, spec: { resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Pending' } };
  assert.deepEqual(persistentVolumeClaimPrinter.cells(pending, NOW).slice(1, 6), ['Terminating', '', '', '', '']);
});

test('resourcequota: REQUEST and LIMIT columns sorted by resource', () => {
  const rq: KubeObject = {
    metadata: meta('compute', 120),
    status: { hard: { pods: '10', 'limits.memory': '2Gi', 'requests.cpu': '1', 'limits.cpu': '2' }, used: { pods: '3', 'requests.cpu': '250m', 'limits.cpu': '500m' } },
  };
  assert.deepEqual(resourceQuotaPrinter.cells(rq, NOW), ['compute', 'pods: 3/10, requests.cpu: 250m/1', 'limits.cpu: 500m/2, limits.memory: 0/2Gi', '2m']);
});
