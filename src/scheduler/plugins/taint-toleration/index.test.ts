import assert from 'node:assert/strict';
import { it } from 'node:test';
import { makeNode, makePod, nodeInfo, snapshotOf } from '../../test-fixtures.js';
import { taintToleration, toleratesTaint } from './index.js';

const ctx = { snapshot: snapshotOf([]), state: new Map() };
const gpu = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

it('matches tolerations as upstream ToleratesTaint', () => {
  assert.ok(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu' }, gpu));
  assert.ok(toleratesTaint({ operator: 'Exists' }, gpu));
  assert.ok(!toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'cpu' }, gpu));
  assert.ok(!toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, gpu));
  assert.ok(toleratesTaint({ key: 'k' }, { key: 'k', effect: 'NoSchedule' }), 'Equal with empty values');
});

it('filters NoSchedule and NoExecute taints with upstream wording, ignores PreferNoSchedule', () => {
  const node = nodeInfo(makeNode('n', { taints: [{ key: 'soft', value: 'x', effect: 'PreferNoSchedule' }, gpu] }));
  assert.deepEqual(taintToleration.filter!(ctx, makePod('p'), node), { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) had untolerated taint {dedicated: gpu}'] });
  const tolerant = makePod('p', { tolerations: [{ key: 'dedicated', operator: 'Exists' }] });
  assert.equal(taintToleration.filter!(ctx, tolerant, node), undefined);
  const noExec = nodeInfo(makeNode('m', { taints: [{ key: 'gone', effect: 'NoExecute' }] }));
  assert.deepEqual(taintToleration.filter!(ctx, tolerant, noExec)?.reasons, ['node(s) had untolerated taint {gone: }']);
});

it('scores fewer untolerated PreferNoSchedule taints higher', () => {
  const clean = nodeInfo(makeNode('a'));
  const one = nodeInfo(makeNode('b', { taints: [{ key: 's1', effect: 'PreferNoSchedule' }] }));
  const two = nodeInfo(makeNode('c', { taints: [{ key: 's1', effect: 'PreferNoSchedule' }, { key: 's2', effect: 'PreferNoSchedule' }] }));
  const pod = makePod('p');
  const scores = [clean, one, two].map((n) => taintToleration.score!(ctx, pod, n));
  assert.deepEqual(scores, [0, 1, 2]);
  taintToleration.normalizeScore!(ctx, pod, scores);
  assert.deepEqual(scores, [100, 50, 0]);
  const tolerant = makePod('p', { tolerations: [{ key: 's1', operator: 'Exists', effect: 'PreferNoSchedule' }] });
  assert.equal(taintToleration.score!(ctx, tolerant, two), 1);
});
