import assert from 'node:assert/strict';
import { it } from 'node:test';
import { makeNode, makePod, nodeInfo } from '../../test-fixtures.js';
import { balancedAllocationScore } from './index.js';

it('scores (1 - std of cpu/memory fractions) x 100', () => {
  const node = nodeInfo(makeNode('n', { cpu: '4', memory: '8Gi' }));
  // cpu 2/4 = 0.5, memory 2/8 = 0.25 -> std 0.125 -> 87.
  assert.equal(balancedAllocationScore(makePod('p', { cpu: '2', memory: '2Gi' }), node), 87);
  assert.equal(balancedAllocationScore(makePod('q', { cpu: '2', memory: '4Gi' }), node), 100);
  const three = nodeInfo(makeNode('m', { cpu: '4', memory: '8Gi', extra: { 'example.com/x': '4' } }));
  assert.equal(balancedAllocationScore(makePod('r', { cpu: '4', memory: '4Gi' }), three, ['cpu', 'memory', 'example.com/x']), 59);
});
