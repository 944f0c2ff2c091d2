import assert from 'node:assert/strict';
import { it } from 'node:test';
import { podRequests } from '../../resources.js';
import { makeNode, makePod, nodeInfo, snapshotOf } from '../../test-fixtures.js';
import type { Pod } from '../../types.js';
import { insufficientResources, leastAllocatedScore, nodeResourcesFit } from './index.js';

const ctx = { snapshot: snapshotOf([]), state: new Map() };

it('computes requests as upstream: max(sum of containers + sidecars, largest init step) + overhead', () => {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [{ resources: { requests: { cpu: '200m', memory: '100Mi' } } }, { resources: { requests: { cpu: '300m' } } }],
      initContainers: [
        { resources: { requests: { cpu: '100m' } }, restartPolicy: 'Always' },
        { resources: { requests: { cpu: '1', memory: '50Mi' } } },
      ],
      overhead: { cpu: '50m' },
    },
  };
  // app 500m + sidecar 100m = 600m; init step 1000m + sidecar 100m = 1100m; + overhead 50m.
  assert.deepEqual(podRequests(pod), { cpu: 1150, memory: 100 * 2 ** 20 });
});

it('lists every insufficient resource with upstream names, extended resources included', () => {
  const node = nodeInfo(makeNode('n', { cpu: '1', memory: '1Gi', pods: '2', extra: { 'example.com/gpu': '1' } }), [makePod('a', { cpu: '600m', memory: '512Mi' })]);
  assert.deepEqual(insufficientResources(makePod('fits', { cpu: '400m', memory: '512Mi' }), node), []);
  assert.deepEqual(insufficientResources(makePod('big', { cpu: '500m', memory: '600Mi' }), node), ['Insufficient cpu', 'Insufficient memory']);
  const gpu = makePod('gpu');
  const gpuPod: Pod = { ...gpu, spec: { containers: [{ resources: { requests: { 'example.com/gpu': '2', 'ephemeral-storage': '1Gi' } } }] } };
  assert.deepEqual(insufficientResources(gpuPod, node), ['Insufficient ephemeral-storage', 'Insufficient example.com/gpu']);
  const full = nodeInfo(makeNode('m', { pods: '1' }), [makePod('x')]);
  assert.deepEqual(nodeResourcesFit.filter!(ctx, makePod('y'), full), { code: 'Unschedulable', reasons: ['Too many pods'] });
});

it('LeastAllocated prefers emptier nodes and counts requestless containers as 100m/200Mi', () => {
  const empty = nodeInfo(makeNode('a', { cpu: '4', memory: '8Gi' }));
  const busy = nodeInfo(makeNode('b', { cpu: '4', memory: '8Gi' }), [makePod('x', { cpu: '2', memory: '4Gi' })]);
  const pod = makePod('p', { cpu: '1', memory: '2Gi' });
  // empty: cpu (4-1)/4 = 75, memory (8-2)/8 = 75; busy: (4-3)/4 = 25, (8-6)/8 = 25.
  assert.equal(leastAllocatedScore(pod, empty), 75);
  assert.equal(leastAllocatedScore(pod, busy), 25);
  // No requests: 100m of 4 cores -> 97, 200Mi of 8Gi -> 97.
  assert.equal(leastAllocatedScore(makePod('q'), empty), 97);
});
