import assert from 'node:assert/strict';
import { it } from 'node:test';
import { makeNode, makePod, nodeInfo, snapshotOf } from '../../test-fixtures.js';
import type { Pod } from '../../types.js';
import { ERR_REASON, nodePorts } from './index.js';

const ctx = { snapshot: snapshotOf([]), state: new Map() };
const withPort = (name: string, hostPort: number, protocol = 'TCP', hostIP?: string): Pod => {
  const p = makePod(name);
  return { ...p, spec: { ...p.spec, containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort, protocol, ...(hostIP ? { hostIP } : {}) }] }] } };
};

it('rejects a node where the same host port and protocol is taken on an overlapping IP', () => {
  const node = nodeInfo(makeNode('n'), [withPort('a', 8080)]);
  assert.deepEqual(nodePorts.filter!(ctx, withPort('b', 8080), node), { code: 'Unschedulable', reasons: [ERR_REASON] });
  assert.equal(nodePorts.filter!(ctx, withPort('c', 8081), node), undefined);
  assert.equal(nodePorts.filter!(ctx, withPort('d', 8080, 'UDP'), node), undefined);
  assert.ok(nodePorts.filter!(ctx, withPort('e', 8080, 'TCP', '10.0.0.1'), node), '0.0.0.0 overlaps every IP');
  const specific = nodeInfo(makeNode('m'), [withPort('a', 9000, 'TCP', '10.0.0.1')]);
  assert.equal(nodePorts.filter!(ctx, withPort('f', 9000, 'TCP', '10.0.0.2'), specific), undefined);
});

it('skips pods without host ports and frees ports when a pod leaves', () => {
  assert.equal(nodePorts.preFilter!(ctx, makePod('p')), 'skip');
  const node = nodeInfo(makeNode('n'), [withPort('a', 8080)]);
  node.removePod('default/a');
  assert.equal(nodePorts.filter!(ctx, withPort('b', 8080), node), undefined);
});
