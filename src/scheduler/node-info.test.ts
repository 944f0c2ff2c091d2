import assert from 'node:assert/strict';
import { it } from 'node:test';
import { podInfo } from './node-info.js';
import { makeNode, makePod, nodeInfo } from './test-fixtures.js';

it('keeps podCount and the allocatable fields in step with the pods and the node object', () => {
  const info = nodeInfo(makeNode('n', { cpu: '4', memory: '8Gi', pods: '10' }), [makePod('a', { cpu: '1' }), makePod('b', { cpu: '500m' })]);
  assert.equal(info.podCount, 2);
  info.refreshIfStale();
  assert.deepEqual([info.allocCpu, info.allocMemory, info.allocPods], [4000, 8 * 2 ** 30, 10]);
  assert.equal(info.requestedCpu, 1500);
  info.addPod(podInfo({ ...makePod('a', { cpu: '2' }), spec: { ...makePod('a', { cpu: '2' }).spec, nodeName: 'n' } }, 0)); // replaces a
  assert.equal(info.podCount, 2);
  assert.equal(info.requestedCpu, 2500);
  info.removePod('default/b');
  assert.equal(info.podCount, info.pods.size);
  assert.equal(info.podCount, 1);
  // A new Node object (an update from the watch) is re-read on the next refresh.
  info.node = makeNode('n', { cpu: '16', memory: '1Gi', pods: '3' });
  info.refreshIfStale();
  assert.deepEqual([info.allocCpu, info.allocMemory, info.allocPods], [16000, 2 ** 30, 3]);
  assert.deepEqual(info.allocatableHot, { cpu: 16000, memory: 2 ** 30, pods: 3 });
  const copy = info.clone();
  copy.refreshIfStale();
  assert.deepEqual([copy.podCount, copy.allocCpu], [1, 16000]);
});
