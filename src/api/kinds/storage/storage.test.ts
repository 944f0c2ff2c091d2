import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { storageClass } from './index.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

test('StorageClass defaults: reclaimPolicy Delete, volumeBindingMode Immediate', () => {
  const obj: KubeObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path' };
  storageClass.defaults?.(obj);
  assert.deepEqual(obj, { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' });
  assert.deepEqual(storageClass.validate?.(obj), []);
  const kept: KubeObject = { provisioner: 'x', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' };
  storageClass.defaults?.(kept);
  assert.equal(kept.reclaimPolicy, 'Retain');
  assert.equal(kept.volumeBindingMode, 'WaitForFirstConsumer');
  assert.equal(storageClass.resource.namespaced, false);
  assert.deepEqual(storageClass.resource.shortNames, ['sc']);
});

test('StorageClass validation and update rules', () => {
  assert.deepEqual(messages(storageClass.validate?.({ reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' }) ?? []), [
    'provisioner: Required value',
    'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
    'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
  ]);
  const old: KubeObject = { provisioner: 'a.io/x', parameters: { type: 'ssd' }, reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' };
  const now: KubeObject = { provisioner: 'b.io/x', parameters: { type: 'hdd' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true };
  assert.deepEqual(messages(storageClass.validateUpdate?.(now, old) ?? []), [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
    'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
    'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable',
  ]);
  assert.deepEqual(storageClass.validateUpdate?.({ ...old, allowVolumeExpansion: true }, old), []);
});
