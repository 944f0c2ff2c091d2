// Unit tests for the budget arithmetic: percentages rounded up, maxUnavailable vs minAvailable,
// disrupted pods expiring after 2 minutes, healthy counting, conditions and the fail-safe status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { DELETION_TIMEOUT_MS, budgetStatus, countHealthy, expectedAndDesired, failSafeStatus, liveDisruptions, scaledValue, setCondition } from './budget.js';
import { podsOfBudget } from './index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const pod = (name: string, ready: boolean, extra: Record<string, unknown> = {}): KubeObject =>
  ({ metadata: { name, namespace: 'ns', labels: { app: 'web' }, ...extra }, status: { conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] } }) as KubeObject;

describe('budget arithmetic', () => {
  it('scales percentages rounding up', () => {
    assert.equal(scaledValue('50%', 3), 2);
    assert.equal(scaledValue('10%', 1), 1);
    assert.equal(scaledValue(4, 10), 4);
    assert.throws(() => scaledValue('half', 3), /not a percentage/);
  });

  it('derives expected and desired pods as upstream', () => {
    assert.deepEqual(expectedAndDesired({ minAvailable: 2 }, 5, () => 99), { expected: 5, desired: 2 });
    assert.deepEqual(expectedAndDesired({ minAvailable: '50%' }, 2, () => 5), { expected: 5, desired: 3 });
    assert.deepEqual(expectedAndDesired({ maxUnavailable: 1 }, 2, () => 4), { expected: 4, desired: 3 });
    assert.deepEqual(expectedAndDesired({ maxUnavailable: '30%' }, 2, () => 4), { expected: 4, desired: 2 });
    assert.deepEqual(expectedAndDesired({ maxUnavailable: 7 }, 2, () => 4), { expected: 4, desired: 0 });
  });

  it('forgets disruptions after the deletion timeout and for deleting pods', () => {
    const pdb = { metadata: { name: 'b' }, status: { disruptedPods: { a: iso(T0), b: iso(T0 - DELETION_TIMEOUT_MS - 1000), c: iso(T0), gone: iso(T0) } } } as KubeObject;
    const pods = [pod('a', true), pod('b', true), pod('c', true, { deletionTimestamp: iso(T0) })];
    const { disrupted, recheckAt } = liveDisruptions(pdb, pods, T0 + 1000);
    assert.deepEqual(disrupted, { a: iso(T0) });
    assert.equal(recheckAt, T0 + DELETION_TIMEOUT_MS);
    assert.equal(countHealthy([...pods, pod('d', false), pod('e', true)], disrupted, T0 + 1000), 2);
  });

  it('allows disruptions only above desired with expected pods, with the condition', () => {
    const pdb = { metadata: { name: 'b', generation: 3 } } as KubeObject;
    const ok = budgetStatus(pdb, { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptedPods: {} }, T0);
    assert.equal(ok.disruptionsAllowed, 1);
    assert.equal(ok.observedGeneration, 3);
    assert.deepEqual(ok.conditions, [{ type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: 3, lastTransitionTime: iso(T0) }]);
    const none = budgetStatus(pdb, { currentHealthy: 3, desiredHealthy: 0, expectedPods: 0, disruptedPods: {} }, T0);
    assert.equal(none.disruptionsAllowed, 0);
    assert.equal(none.conditions?.[0]?.reason, 'InsufficientPods');
    const fail = failSafeStatus({ ...pdb, status: ok } as KubeObject, 'found no controllers for pod "x"', T0 + 5000);
    assert.equal(fail.disruptionsAllowed, 0);
    assert.deepEqual(fail.conditions?.map((c) => [c.status, c.reason, c.message, c.lastTransitionTime]), [['False', 'SyncFailed', 'found no controllers for pod "x"', iso(T0 + 5000)]]);
  });

  it('keeps lastTransitionTime while the status stays', () => {
    const first = setCondition(undefined, { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '' }, T0);
    const same = setCondition(first, { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '' }, T0 + 9000);
    assert.equal(same[0]!.lastTransitionTime, iso(T0));
  });

  it('selects pods: none without a selector, all of the namespace with an empty one', () => {
    const pods = [pod('a', true), { ...pod('x', true), metadata: { name: 'x', namespace: 'other', labels: { app: 'web' } } } as KubeObject];
    assert.equal(podsOfBudget({ metadata: { namespace: 'ns' }, spec: {} } as KubeObject, pods).length, 0);
    assert.equal(podsOfBudget({ metadata: { namespace: 'ns' }, spec: { selector: {} } } as KubeObject, pods).length, 1);
    assert.equal(podsOfBudget({ metadata: { namespace: 'ns' }, spec: { selector: { matchLabels: { app: 'db' } } } } as KubeObject, pods).length, 0);
  });
});
