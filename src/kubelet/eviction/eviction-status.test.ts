import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../../api/types.js';
import { disruptionTargetCondition, statusForEviction } from './eviction-status.js';

const NOW = '2026-11-28T04:00:00Z';
const EARLIER = '2026-11-28T03:00:00Z';
const MESSAGE = 'Usage of EmptyDir volume "scratch" exceeds the limit "1Mi". ';

function pod(conditions: unknown[]): KubeObject {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, status: { phase: 'Running', conditions } };
}

test('Failed / Evicted / message; conditions untouched without a decision condition', () => {
  const ready = { type: 'Ready', status: 'True', lastTransitionTime: EARLIER };
  const p = pod([ready]);
  const patch = statusForEviction(p, { reason: 'Evicted', message: MESSAGE }, NOW);
  assert.deepEqual(patch, { phase: 'Failed', reason: 'Evicted', message: MESSAGE, conditions: [ready] });
  patch.conditions[0]!.status = 'False';
  assert.equal((p.status as { conditions: Array<{ status: string }> }).conditions[0]!.status, 'True', 'the pod is not mutated');
});

test('DisruptionTarget added with now, after the existing conditions', () => {
  const patch = statusForEviction(pod([{ type: 'Ready', status: 'True', lastTransitionTime: EARLIER }]), { reason: 'Evicted', message: MESSAGE, condition: disruptionTargetCondition(MESSAGE) }, NOW);
  assert.equal(patch.conditions.length, 2);
  assert.deepEqual(patch.conditions[1], { type: 'DisruptionTarget', status: 'True', reason: 'TerminationByKubelet', message: MESSAGE, lastProbeTime: null, lastTransitionTime: NOW });
});

test('an existing DisruptionTarget is updated in place; its transition time kept when the status is the same', () => {
  const same = statusForEviction(pod([{ type: 'DisruptionTarget', status: 'True', reason: 'Other', lastTransitionTime: EARLIER }]), { reason: 'Evicted', message: MESSAGE, condition: disruptionTargetCondition(MESSAGE) }, NOW);
  assert.equal(same.conditions.length, 1);
  assert.equal(same.conditions[0]!.reason, 'TerminationByKubelet');
  assert.equal(same.conditions[0]!.lastTransitionTime, EARLIER);
  const flipped = statusForEviction(pod([{ type: 'DisruptionTarget', status: 'False', lastTransitionTime: EARLIER }]), { reason: 'Evicted', message: MESSAGE, condition: disruptionTargetCondition(MESSAGE) }, NOW);
  assert.equal(flipped.conditions[0]!.status, 'True');
  assert.equal(flipped.conditions[0]!.lastTransitionTime, NOW);
});
