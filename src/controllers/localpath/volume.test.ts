import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { pickDefaultClass } from '../../registry/admission/default-storage-class.js';
import { localPathStorageClass } from './storage-class.js';
import { buildVolume, ownedDirOf, volumeDirFor } from './volume.js';

const claim = { metadata: { name: 'data', namespace: 'ns', uid: 'u-1', resourceVersion: '7' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '3Gi' } } } };

it('builds a PV pinned to the node, sized as the request, claimed by the claim', () => {
  const dir = volumeDirFor('/data', claim);
  assert.equal(dir, '/data/local-path/u-1');
  const pv = buildVolume(claim, localPathStorageClass(), 'node-a', dir);
  assert.equal(pv.metadata?.name, 'pvc-u-1');
  assert.deepEqual(pv.spec?.capacity, { storage: '3Gi' });
  assert.equal(pv.spec?.persistentVolumeReclaimPolicy, 'Delete');
  assert.deepEqual(pv.spec?.claimRef, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: 'ns', name: 'data', uid: 'u-1', resourceVersion: '7' });
  assert.deepEqual(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms?.[0]?.matchExpressions?.[0]?.values, ['node-a']);
  assert.equal(ownedDirOf(pv, '/data'), '/data/local-path/u-1');
});

it('never claims a directory outside <dataDir>/local-path or of another provisioner', () => {
  const pv = buildVolume(claim, localPathStorageClass(), 'n', '/data/local-path/u-1');
  const at = (path: string) => ({ ...pv, spec: { ...pv.spec, hostPath: { path } } });
  assert.equal(ownedDirOf(at('/etc'), '/data'), undefined);
  assert.equal(ownedDirOf(at('/data/local-path/../x'), '/data'), undefined);
  assert.equal(ownedDirOf(at('/data/local-path'), '/data'), undefined);
  assert.equal(ownedDirOf(at('/data/local-path/a/b'), '/data'), undefined);
  assert.equal(ownedDirOf({ ...pv, metadata: { name: 'x' } }, '/data'), undefined);
});

it('the newest of several default classes wins; none without the annotation', () => {
  const cls = (name: string, ts: string, def: boolean): KubeObject => ({ metadata: { name, creationTimestamp: ts, annotations: def ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} } });
  assert.equal(pickDefaultClass([cls('a', '2026-01-01T00:00:00Z', true), cls('b', '2026-02-01T00:00:00Z', true), cls('c', '2026-03-01T00:00:00Z', false)])?.metadata?.name, 'b');
  assert.equal(pickDefaultClass([cls('c', '2026-03-01T00:00:00Z', false)]), undefined);
});
