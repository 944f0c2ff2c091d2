import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../../machinery/errors.js';
import { kinds, podDisruptionBudget } from './index.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

test('PodDisruptionBudget: valid budgets, no defaults', () => {
  const obj = { metadata: { name: 'web' }, spec: { minAvailable: '50%', selector: { matchLabels: { app: 'web' } } } };
  const before = structuredClone(obj);
  podDisruptionBudget.defaults?.(obj);
  assert.deepEqual(obj, before);
  assert.deepEqual(podDisruptionBudget.validate?.(obj), []);
  assert.deepEqual(podDisruptionBudget.validate?.({ spec: { maxUnavailable: 1, unhealthyPodEvictionPolicy: 'AlwaysAllow' } }), []);
});

test('PodDisruptionBudget validation messages', () => {
  const spec = { minAvailable: -1, maxUnavailable: '120%', selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, unhealthyPodEvictionPolicy: 'Never' };
  assert.deepEqual(messages(podDisruptionBudget.validate?.({ spec }) ?? []), [
    `spec: Invalid value: ${JSON.stringify(spec)}: minAvailable and maxUnavailable cannot be both set`,
    'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0',
    'spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
    "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
  ]);
  assert.deepEqual(messages(podDisruptionBudget.validateStatus?.({ status: { disruptionsAllowed: -1, currentHealthy: 1 } }, {}) ?? []), [
    'status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0',
  ]);
  assert.deepEqual(kinds[0]?.resource.shortNames, ['pdb']);
  assert.deepEqual(kinds[0]?.resource.subresources, ['status']);
});
