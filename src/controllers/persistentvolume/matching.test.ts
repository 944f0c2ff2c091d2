import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from '../../scheduler/types.js';
import { findBestMatch, isVolumeBoundToClaim } from './matching.js';
import type { PersistentVolume, PersistentVolumeClaim } from './types.js';

type PVSpec = NonNullable<PersistentVolume['spec']>;
const pv = (name: string, size: string, spec: Partial<PVSpec> = {}, labels?: Record<string, string>, phase = 'Available'): PersistentVolume => ({
  metadata: { name, labels },
  spec: { capacity: { storage: size }, accessModes: ['ReadWriteOnce'], ...spec },
  status: { phase },
});
const claim = (size: string, spec: NonNullable<PersistentVolumeClaim['spec']> = {}): PersistentVolumeClaim => ({
  metadata: { name: 'data', namespace: 'default', uid: 'claim-uid' },
  spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } }, ...spec },
});
const names = (v: PersistentVolume | undefined): string | undefined => v?.metadata?.name;
const node = (name: string): Node => ({ metadata: { name, labels: { 'kubernetes.io/hostname': name } } });
const pinned = (host: string): Partial<PVSpec> => ({ nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [host] }] }] } } });

describe('findBestMatch', () => {
  it('picks the smallest volume that is big enough', () => {
    const vols = [pv('big', '10Gi'), pv('small', '500Mi'), pv('fit', '2Gi'), pv('exact', '1Gi')];
    assert.equal(names(findBestMatch(claim('1Gi'), vols)), 'exact');
    assert.equal(names(findBestMatch(claim('1500Mi'), vols)), 'fit');
    assert.equal(findBestMatch(claim('20Gi'), vols), undefined);
  });

  it('requires every requested access mode', () => {
    const vols = [pv('rwo', '1Gi'), pv('rwx', '5Gi', { accessModes: ['ReadWriteOnce', 'ReadWriteMany'] })];
    assert.equal(names(findBestMatch(claim('1Gi', { accessModes: ['ReadWriteMany'] }), vols)), 'rwx');
    assert.equal(names(findBestMatch(claim('1Gi', { accessModes: ['ReadOnlyMany'] }), vols)), undefined);
  });

  it('matches storageClassName exactly, "" and unset both meaning no class', () => {
    const vols = [pv('classless', '1Gi'), pv('fast', '1Gi', { storageClassName: 'fast' })];
    assert.equal(names(findBestMatch(claim('1Gi', { storageClassName: 'fast' }), vols)), 'fast');
    assert.equal(names(findBestMatch(claim('1Gi', { storageClassName: '' }), vols)), 'classless');
    assert.equal(names(findBestMatch(claim('1Gi'), vols)), 'classless');
    assert.equal(findBestMatch(claim('1Gi', { storageClassName: 'slow' }), vols), undefined);
  });

  it('matches volumeMode, Filesystem by default', () => {
    const vols = [pv('block', '1Gi', { volumeMode: 'Block' }), pv('fs', '5Gi')];
    assert.equal(names(findBestMatch(claim('1Gi'), vols)), 'fs');
    assert.equal(names(findBestMatch(claim('1Gi', { volumeMode: 'Block' }), vols)), 'block');
  });

  it('applies the claim label selector', () => {
    const vols = [pv('ssd', '5Gi', {}, { disk: 'ssd' }), pv('hdd', '1Gi', {}, { disk: 'hdd' })];
    assert.equal(names(findBestMatch(claim('1Gi', { selector: { matchLabels: { disk: 'ssd' } } }), vols)), 'ssd');
    assert.equal(names(findBestMatch(claim('1Gi', { selector: { matchExpressions: [{ key: 'disk', operator: 'NotIn', values: ['ssd'] }] } }), vols)), 'hdd');
  });

  it('skips volumes claimed by others, not Available, or being deleted', () => {
    const vols = [
      pv('other', '1Gi', { claimRef: { namespace: 'default', name: 'other' } }),
      pv('released', '1Gi', {}, undefined, 'Released'),
      { ...pv('going', '1Gi'), metadata: { name: 'going', deletionTimestamp: '2026-01-01T00:00:00Z' } },
      pv('free', '3Gi'),
    ];
    assert.equal(names(findBestMatch(claim('1Gi'), vols)), 'free');
  });

  it('prefers a volume pre-bound to the claim over a smaller free one, and ignores a stale uid', () => {
    const pre = pv('pre', '10Gi', { claimRef: { namespace: 'default', name: 'data' } }, undefined, 'Pending');
    const vols = [pv('free', '1Gi'), pre];
    assert.equal(names(findBestMatch(claim('1Gi'), vols)), 'pre');
    const stale = pv('stale', '10Gi', { claimRef: { namespace: 'default', name: 'data', uid: 'old-uid' } });
    assert.equal(isVolumeBoundToClaim(stale, claim('1Gi')), false);
    assert.equal(names(findBestMatch(claim('1Gi'), [stale, pv('free', '1Gi')])), 'free');
    assert.equal(names(findBestMatch(claim('20Gi'), vols)), undefined, 'a too-small pre-bound volume does not match');
  });

  it('delayed binding: only pre-bound volumes without a node, node affinity with one', () => {
    const vols = [pv('n1', '1Gi', pinned('n1')), pv('n2', '1Gi', pinned('n2'))];
    assert.equal(findBestMatch(claim('1Gi'), vols, { delayBinding: true }), undefined);
    assert.equal(names(findBestMatch(claim('1Gi'), vols, { delayBinding: true, node: node('n2') })), 'n2');
    assert.equal(findBestMatch(claim('1Gi'), vols, { delayBinding: true, node: node('n3') }), undefined);
    const pre = pv('pre', '1Gi', { ...pinned('n1'), claimRef: { namespace: 'default', name: 'data', uid: 'claim-uid' } }, undefined, 'Pending');
    assert.equal(names(findBestMatch(claim('1Gi'), [pre], { delayBinding: true })), 'pre');
  });
});
