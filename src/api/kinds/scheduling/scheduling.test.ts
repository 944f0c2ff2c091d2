import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { priorityClass } from './index.js';

const msgs = (obj: KubeObject): string[] => (priorityClass.validate?.(obj) ?? []).map(fieldErrorMessage);

test('PriorityClass defaults preemptionPolicy and validates values and reserved names', () => {
  const obj: KubeObject = { metadata: { name: 'high' }, value: 1000000 };
  priorityClass.defaults?.(obj);
  assert.equal(obj.preemptionPolicy, 'PreemptLowerPriority');
  assert.deepEqual(msgs(obj), []);
  assert.deepEqual(msgs({ metadata: { name: 'huge' }, value: 1000000001, preemptionPolicy: 'Always' }), [
    'value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
    'preemptionPolicy: Unsupported value: "Always": supported values: "PreemptLowerPriority", "Never"',
  ]);
  assert.deepEqual(msgs({ metadata: { name: 'system-node-critical' }, value: 2000001000, preemptionPolicy: 'PreemptLowerPriority' }), []);
  assert.deepEqual(msgs({ metadata: { name: 'system-mine' }, value: 1, preemptionPolicy: 'Never' }), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
  ]);
  assert.deepEqual(msgs({ metadata: { name: 'system-cluster-critical' }, value: 5, preemptionPolicy: 'Never' }), [
    "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-cluster-critical PriorityClass must be 2000000000",
  ]);
});

test('PriorityClass value and preemptionPolicy are immutable', () => {
  const old: KubeObject = { metadata: { name: 'a' }, value: 10, preemptionPolicy: 'PreemptLowerPriority' };
  assert.deepEqual(priorityClass.validateUpdate?.({ ...old, description: 'x', globalDefault: true }, old), []);
  assert.deepEqual((priorityClass.validateUpdate?.({ ...old, value: 11, preemptionPolicy: 'Never' }, old) ?? []).map(fieldErrorMessage), [
    'value: Forbidden: may not be changed in an update.',
    'preemptionPolicy: Invalid value: "Never": field is immutable',
  ]);
  assert.deepEqual(priorityClass.resource.shortNames, ['pc']);
});
