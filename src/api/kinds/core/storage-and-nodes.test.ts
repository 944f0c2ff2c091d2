import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { endpoints } from './endpoints.js';
import { event } from './event.js';
import { limitRange, resourceQuota } from './limits-and-quotas.js';
import { node } from './node.js';
import { persistentVolume, persistentVolumeClaim } from './persistent-volume.js';
import { replicationController } from './replication-controller.js';
import { binding } from './subresource-bodies.js';

const msgs = (errs: Parameters<typeof fieldErrorMessage>[0][]): string[] => errs.map(fieldErrorMessage);

test('persistent volumes: defaults and required fields', () => {
  const pv: KubeObject = { metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } };
  persistentVolume.defaults!(pv);
  assert.equal((pv.spec as any).persistentVolumeReclaimPolicy, 'Retain');
  assert.equal((pv.spec as any).volumeMode, 'Filesystem');
  assert.equal((pv.spec as any).hostPath.type, '');
  assert.deepEqual(pv.status, { phase: 'Pending' });
  assert.deepEqual(persistentVolume.validate!(pv), []);
  assert.deepEqual(msgs(persistentVolume.validate!({ spec: { accessModes: ['ReadWriteSometimes'] } })), [
    'spec.accessModes: Unsupported value: "ReadWriteSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
    'spec.capacity: Required value',
    'spec: Required value: must specify a volume type',
  ]);
});

test('persistent volume claims: defaults, validation, immutable spec except requests', () => {
  const pvc: KubeObject = { metadata: { name: 'c' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
  persistentVolumeClaim.defaults!(pvc);
  assert.equal((pvc.spec as any).volumeMode, 'Filesystem');
  assert.deepEqual(pvc.status, { phase: 'Pending' });
  assert.deepEqual(persistentVolumeClaim.validate!(pvc), []);
  assert.deepEqual(msgs(persistentVolumeClaim.validate!({ spec: {} })), [
    'spec.accessModes: Required value: at least 1 access mode is required',
    'spec.resources[storage]: Required value',
  ]);
  const grown = structuredClone(pvc);
  (grown.spec as any).resources.requests.storage = '2Gi';
  (grown.spec as any).volumeName = 'pv1';
  assert.deepEqual(persistentVolumeClaim.validateUpdate!(grown, pvc), []);
  const changed = structuredClone(pvc);
  (changed.spec as any).accessModes = ['ReadWriteMany'];
  assert.deepEqual(msgs(persistentVolumeClaim.validateUpdate!(changed, pvc)), [
    'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
  ]);
});

test('nodes: allocatable defaults to capacity, taints validated, unschedulable selectable', () => {
  const n: KubeObject = { metadata: { name: 'n1' }, spec: { taints: [{ key: 'k', effect: 'Sometimes' }] }, status: { capacity: { cpu: '4', pods: '110' } } };
  node.defaults!(n);
  assert.deepEqual((n.status as any).allocatable, { cpu: '4', pods: '110' });
  assert.deepEqual(msgs(node.validate!(n)), ['spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']);
  assert.equal(node.fieldSelectors!['spec.unschedulable'](n), 'false');
  assert.equal(node.fieldSelectors!['spec.unschedulable']({ spec: { unschedulable: true } }), 'true');
});

test('endpoints: protocol default, IPs and ports checked', () => {
  const ep: KubeObject = { subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: 'nope' }], ports: [{ port: 80 }] }] };
  endpoints.defaults!(ep);
  assert.equal((ep.subsets as any)[0].ports[0].protocol, 'TCP');
  assert.deepEqual(msgs(endpoints.validate!(ep)), ['subsets[0].addresses[1].ip: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
});

test('limit ranges default container requests; quotas reject negative amounts', () => {
  const lr: KubeObject = { spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] } };
  limitRange.defaults!(lr);
  const item = (lr.spec as any).limits[0];
  assert.deepEqual(item.default, { cpu: '2' });
  assert.deepEqual(item.defaultRequest, { cpu: '2', memory: '64Mi' });
  assert.deepEqual(limitRange.validate!(lr), []);
  assert.deepEqual(msgs(limitRange.validate!({ spec: { limits: [{ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }] } })), [
    'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
  ]);
  assert.deepEqual(msgs(resourceQuota.validate!({ spec: { hard: { pods: '-1' } } })), ['spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0']);
});

test('events and bindings', () => {
  const ev: KubeObject = { metadata: { namespace: 'a' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'b' }, reason: 'Started', type: 'Normal', source: { component: 'kubelet' } };
  assert.deepEqual(msgs(event.validate!(ev)), ['involvedObject.namespace: Invalid value: "b": does not match event.namespace']);
  const f = event.fieldSelectors!;
  assert.equal(f['involvedObject.kind'](ev), 'Pod');
  assert.equal(f.source(ev), 'kubelet');
  assert.equal(f.reason(ev), 'Started');
  assert.deepEqual(msgs(binding.validate!({ target: { kind: 'Pod' } })), [
    'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
    'target.name: Required value',
  ]);
});

test('replication controllers default their selector from the template and must match it', () => {
  const rc: KubeObject = { metadata: { name: 'rc' }, spec: { template: { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
  replicationController.defaults!(rc);
  assert.deepEqual((rc.spec as any).selector, { app: 'a' });
  assert.deepEqual(rc.metadata?.labels, { app: 'a' });
  assert.equal((rc.spec as any).replicas, 1);
  assert.deepEqual(replicationController.validate!(rc), []);
  (rc.spec as any).selector = { app: 'b' };
  (rc.spec as any).template.spec.restartPolicy = 'Never';
  assert.deepEqual(msgs(replicationController.validate!(rc)), [
    'spec.template.metadata.labels: Invalid value: {"app":"a"}: `selector` does not match template `labels`',
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
  assert.equal(replicationController.fieldSelectors!['status.replicas'](rc), '0');
});
