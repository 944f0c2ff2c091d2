import assert from 'node:assert/strict';
import { it } from 'node:test';
import { makeNode, makePod, nodeInfo, snapshotOf } from '../../test-fixtures.js';
import { ERR_REASON, nodeName } from './index.js';

const ctx = { snapshot: snapshotOf([]), state: new Map() };

it('fits any node without spec.nodeName, only the named node with it', () => {
  const a = nodeInfo(makeNode('a'));
  const b = nodeInfo(makeNode('b'));
  assert.equal(nodeName.filter!(ctx, makePod('p'), a), undefined);
  const pinned = makePod('p', { nodeName: 'b' });
  assert.equal(nodeName.filter!(ctx, pinned, b), undefined);
  assert.deepEqual(nodeName.filter!(ctx, pinned, a), { code: 'UnschedulableAndUnresolvable', reasons: [ERR_REASON] });
});
