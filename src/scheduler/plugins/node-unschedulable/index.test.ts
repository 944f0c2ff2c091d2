import assert from 'node:assert/strict';
import { it } from 'node:test';
import { makeNode, makePod, nodeInfo, snapshotOf } from '../../test-fixtures.js';
import { ERR_REASON, nodeUnschedulable } from './index.js';

const ctx = { snapshot: snapshotOf([]), state: new Map() };

it('rejects cordoned nodes unless the pod tolerates the unschedulable taint', () => {
  const cordoned = nodeInfo(makeNode('a', { unschedulable: true }));
  assert.equal(nodeUnschedulable.filter!(ctx, makePod('p'), nodeInfo(makeNode('b'))), undefined);
  assert.deepEqual(nodeUnschedulable.filter!(ctx, makePod('p'), cordoned)?.reasons, [ERR_REASON]);
  const tolerant = makePod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
  assert.equal(nodeUnschedulable.filter!(ctx, tolerant, cordoned), undefined);
});
