import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../api/types.js';
import {
  clusterRoleBindingPrinter, endpointSlicePrinter, ingressClassPrinter, ingressPrinter, leasePrinter, networkPolicyPrinter, podDisruptionBudgetPrinter, priorityClassPrinter, roleBindingPrinter, storageClassPrinter,
} from './cluster.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');
const ago = (seconds: number): string => new Date(NOW - seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const meta = (name: string, seconds = 30) => ({ name, namespace: 'default', creationTimestamp: ago(seconds) });

test('ingress: CLASS HOSTS ADDRESS PORTS', () => {
  const ing: KubeObject = {
    metadata: meta('web'),
    spec: { ingressClassName: 'skiff', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }, {}, { host: 'c.example.com' }, { host: 'd.example.com' }], tls: [{ hosts: ['a.example.com'] }] },
    status: { loadBalancer: { ingress: [{ ip: '127.0.0.1' }] } },
  };
  assert.deepEqual(ingressPrinter.cells(ing, NOW), ['web', 'skiff', 'a.example.com,b.example.com,c.example.com + 2 more...', '127.0.0.1', '80, 443', '30s']);
  assert.deepEqual(ingressPrinter.cells({ metadata: meta('bare'), spec: { defaultBackend: {} } }, NOW), ['bare', '<none>', '*', '', '80', '30s']);
});

test('ingressclass, networkpolicy, lease', () => {
  const ic: KubeObject = { metadata: { name: 'skiff', creationTimestamp: ago(30) }, spec: { controller: 'skiff.dev/ingress', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } };
  assert.deepEqual(ingressClassPrinter.cells(ic, NOW), ['skiff', 'skiff.dev/ingress', 'IngressParameters.k8s.example.com/external-lb', '30s']);
  assert.deepEqual(ingressClassPrinter.cells({ metadata: { name: 'n', creationTimestamp: ago(30) }, spec: { controller: 'c' } }, NOW)[2], '<none>');
  assert.deepEqual(networkPolicyPrinter.cells({ metadata: meta('deny'), spec: { podSelector: {} } }, NOW), ['deny', '<none>', '30s']);
  assert.deepEqual(networkPolicyPrinter.cells({ metadata: meta('web'), spec: { podSelector: { matchLabels: { app: 'web' } } } }, NOW)[1], 'app=web');
  assert.deepEqual(leasePrinter.cells({ metadata: meta('kube-scheduler'), spec: { holderIdentity: 'node-a_1234' } }, NOW), ['kube-scheduler', 'node-a_1234', '30s']);
  assert.deepEqual(leasePrinter.cells({ metadata: meta('free'), spec: {} }, NOW)[1], '');
});

test('pdb: MIN AVAILABLE / MAX UNAVAILABLE as IntOrString, N/A when unset', () => {
  assert.deepEqual(podDisruptionBudgetPrinter.cells({ metadata: meta('web'), spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } }, NOW), ['web', '2', 'N/A', 1, '30s']);
  assert.deepEqual(podDisruptionBudgetPrinter.cells({ metadata: meta('db'), spec: { maxUnavailable: '25%' }, status: {} }, NOW), ['db', 'N/A', '25%', 0, '30s']);
});

test('storageclass: (default) suffix and upstream defaults', () => {
  const sc: KubeObject = { metadata: { name: 'local-path', creationTimestamp: ago(30), annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer' };
  assert.deepEqual(storageClassPrinter.cells(sc, NOW), ['local-path (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '30s']);
  assert.deepEqual(storageClassPrinter.cells({ metadata: { name: 'fast', creationTimestamp: ago(30) }, provisioner: 'x', allowVolumeExpansion: true }, NOW), ['fast', 'x', 'Delete', 'Immediate', true, '30s']);
});

test('endpointslice: ADDRESSTYPE PORTS ENDPOINTS', () => {
  const es: KubeObject = {
    metadata: meta('web-abc'), addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'named' }, {}],
    endpoints: [{ addresses: ['10.42.0.5'] }, { addresses: ['10.42.0.6', '10.42.0.7'] }, { addresses: ['10.42.0.8'] }],
  };
  assert.deepEqual(endpointSlicePrinter.cells(es, NOW), ['web-abc', 'IPv4', '8080,named,*', '10.42.0.5,10.42.0.6,10.42.0.7 + 1 more...', '30s']);
  assert.deepEqual(endpointSlicePrinter.cells({ metadata: meta('empty'), addressType: 'IPv4', endpoints: [] }, NOW).slice(2, 4), ['<unset>', '<unset>']);
});

test('priorityclass and role bindings', () => {
  assert.deepEqual(priorityClassPrinter.cells({ metadata: { name: 'system-node-critical', creationTimestamp: ago(30) }, value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }, NOW), ['system-node-critical', 2000001000, false, '30s', 'PreemptLowerPriority']);
  const rb: KubeObject = {
    metadata: meta('read-pods'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'pod-reader' },
    subjects: [{ kind: 'User', name: 'jane' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', namespace: 'ci', name: 'runner' }],
  };
  assert.deepEqual(roleBindingPrinter.cells(rb, NOW), ['read-pods', 'Role/pod-reader', '30s', 'jane, bob', 'devs', 'ci/runner']);
  assert.deepEqual(clusterRoleBindingPrinter.cells({ metadata: { name: 'admin', creationTimestamp: ago(30) }, roleRef: { kind: 'ClusterRole', name: 'cluster-admin' } }, NOW), ['admin', 'ClusterRole/cluster-admin', '30s', '', '', '']);
  assert.equal(clusterRoleBindingPrinter.columns[3]!.description, 'Users in the clusterRoleBinding');
});
