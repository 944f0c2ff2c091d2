import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../../machinery/errors.js';
import { lease } from './index.js';

test('Lease validation', () => {
  assert.deepEqual(lease.validate?.({ spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, leaseTransitions: 0 } }), []);
  assert.deepEqual((lease.validate?.({ spec: { leaseDurationSeconds: 0, leaseTransitions: -1, preferredHolder: 'b' } }) ?? []).map(fieldErrorMessage), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    'spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
  ]);
  assert.equal(lease.resource.group, 'coordination.k8s.io');
  assert.equal(lease.hasSpec, false);
});
