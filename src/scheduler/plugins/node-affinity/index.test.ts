import assert from 'node:assert/strict';
import { it } from 'node:test';
import { makeNode, makePod, nodeInfo, snapshotOf } from '../../test-fixtures.js';
import { ERR_REASON, nodeAffinity } from './index.js';

const ctx = { snapshot: snapshotOf([]), state: new Map() };
const zoneA = nodeInfo(makeNode('a', { labels: { zone: 'a', gen: '5' } }));
const zoneB = nodeInfo(makeNode('b', { labels: { zone: 'b', gen: '3' } }));

it('requires nodeSelector labels', () => {
  const pod = makePod('p', { nodeSelector: { zone: 'a' } });
  assert.equal(nodeAffinity.filter!(ctx, pod, zoneA), undefined);
  assert.deepEqual(nodeAffinity.filter!(ctx, pod, zoneB), { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON] });
  assert.equal(nodeAffinity.preFilter!(ctx, makePod('q')), 'skip');
});

it('ORs required terms, ANDs expressions and fields, supports Gt/Lt/NotIn/DoesNotExist', () => {
  const req = (terms: object[]) => makePod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
  const gt4 = req([{ matchExpressions: [{ key: 'gen', operator: 'Gt', values: ['4'] }] }]);
  assert.equal(nodeAffinity.filter!(ctx, gt4, zoneA), undefined);
  assert.ok(nodeAffinity.filter!(ctx, gt4, zoneB));
  const either = req([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }, { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }]);
  assert.equal(nodeAffinity.filter!(ctx, either, zoneA), undefined);
  assert.equal(nodeAffinity.filter!(ctx, either, zoneB), undefined);
  const both = req([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['b'] }, { key: 'gpu', operator: 'DoesNotExist' }], matchFields: [{ key: 'metadata.name', operator: 'In', values: ['b'] }] }]);
  assert.ok(nodeAffinity.filter!(ctx, both, zoneA));
  assert.ok(nodeAffinity.filter!(ctx, both, zoneB));
  assert.ok(nodeAffinity.filter!(ctx, req([{}]), zoneA), 'an empty term matches nothing');
});

it('scores preferred terms by weight, normalised to 100', () => {
  const pod = makePod('p', { affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
    { weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
    { weight: 30, preference: { matchExpressions: [{ key: 'gen', operator: 'Exists' }] } },
  ] } } });
  const scores = [zoneA, zoneB, nodeInfo(makeNode('c'))].map((n) => nodeAffinity.score!(ctx, pod, n));
  assert.deepEqual(scores, [40, 30, 0]);
  nodeAffinity.normalizeScore!(ctx, pod, scores);
  assert.deepEqual(scores, [100, 75, 0]);
});
