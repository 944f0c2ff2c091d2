import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PluginContext } from '../../framework.js';
import { makeNode, makePod, nodeInfo, snapshotOf } from '../../test-fixtures.js';
import type { PersistentVolume, PersistentVolumeClaim, Pod, StorageClass } from '../../types.js';
import { ERR_NO_PV, ERR_NODE_CONFLICT, ERR_UNBOUND_IMMEDIATE, planBindings, volumeBinding } from './index.js';

const withClaim = (claim: string): Pod => makePod('p', { volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim } }] });
const pvc = (name: string, extra: PersistentVolumeClaim['spec'] = {}): PersistentVolumeClaim => ({ metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...extra } });
const localPV = (name: string, host: string, extra: PersistentVolume['spec'] = {}): PersistentVolume => ({
  metadata: { name },
  spec: { capacity: { storage: '5Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'local', nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [host] }] }] } }, ...extra },
});
const wffc: StorageClass = { metadata: { name: 'local' }, provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer' };
const dynamic: StorageClass = { metadata: { name: 'fast' }, provisioner: 'example.com/csi', volumeBindingMode: 'WaitForFirstConsumer' };
const immediate: StorageClass = { metadata: { name: 'std' }, provisioner: 'example.com/csi' };
const nodes = [nodeInfo(makeNode('n1')), nodeInfo(makeNode('n2'))];

function run(pod: Pod, extra: Parameters<typeof snapshotOf>[1]): { pre: unknown; reasons: Array<string | undefined>; ctx: PluginContext } {
  const ctx: PluginContext = { snapshot: snapshotOf(nodes, extra), state: new Map() };
  const pre = volumeBinding.preFilter!(ctx, pod);
  if (pre) return { pre, reasons: [], ctx };
  return { pre, reasons: nodes.map((n) => volumeBinding.filter!(ctx, pod, n)?.reasons[0]), ctx };
}

it('rejects pods whose claim is missing or unbound with an Immediate class', () => {
  assert.deepEqual(run(withClaim('nope'), {}).pre, { code: 'UnschedulableAndUnresolvable', reasons: ['persistentvolumeclaim "nope" not found'] });
  assert.deepEqual(run(withClaim('c'), { pvcs: [pvc('c', { storageClassName: 'std' })], classes: [immediate] }).pre, { code: 'UnschedulableAndUnresolvable', reasons: [ERR_UNBOUND_IMMEDIATE] });
  assert.equal(run(makePod('plain'), {}).pre, 'skip');
});

it('bound claims follow their PV node affinity', () => {
  const r = run(withClaim('c'), { pvcs: [pvc('c', { volumeName: 'pv1' })], pvs: [localPV('pv1', 'n2')] });
  assert.deepEqual(r.reasons, [ERR_NODE_CONFLICT, undefined]);
});

it('WaitForFirstConsumer claims need a matching available PV on the node, or a provisioner', () => {
  const claim = pvc('c', { storageClassName: 'local' });
  const r = run(withClaim('c'), { pvcs: [claim], pvs: [localPV('small', 'n1', { capacity: { storage: '500Mi' } }), localPV('pv2', 'n2'), localPV('taken', 'n1', { claimRef: { namespace: 'default', name: 'other' } })], classes: [wffc] });
  assert.deepEqual(r.reasons, [ERR_NO_PV, undefined]);
  const plan = planBindings(r.ctx.snapshot, { bound: [], delayed: [claim] }, nodes[1]!.node!);
  assert.equal(plan?.[0]?.pv?.metadata?.name, 'pv2');
  const dyn = run(withClaim('d'), { pvcs: [pvc('d', { storageClassName: 'fast' })], classes: [dynamic] });
  assert.deepEqual(dyn.reasons, [undefined, undefined]);
});
