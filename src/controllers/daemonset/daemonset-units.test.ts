import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeShouldRunDaemonPod } from './placement.js';
import { planRollingUpdate, rollingBudget } from './rolling.js';
import { planDaemonSet } from './sync.js';
import type { DaemonSet, Node, Pod } from './types.js';

const ds = (rollingUpdate: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): DaemonSet => ({
  metadata: { name: 'd', namespace: 'ns', uid: 'u', generation: 2 },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [], ...podSpec } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate } },
});
const node = (name: string, taints: Array<{ key: string; effect: string }> = [], labels: Record<string, string> = {}): Node => ({ metadata: { name, labels }, spec: { taints } });
const T = new Date(Date.now() - 60_000).toISOString();
const pod = (name: string, nodeName: string, hash: string, ready = true): Pod => ({
  metadata: { name, labels: { 'controller-revision-hash': hash }, creationTimestamp: T },
  spec: { nodeName },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: T }] },
});

describe('DaemonSet placement and rolling plans', () => {
  it('decides shouldRun / shouldContinueRunning from taints, tolerations, selector', () => {
    const t = ds().spec.template;
    assert.deepEqual(nodeShouldRunDaemonPod(t, node('a')), { shouldRun: true, shouldContinueRunning: true });
    assert.deepEqual(nodeShouldRunDaemonPod(t, node('a', [{ key: 'x', effect: 'NoSchedule' }])), { shouldRun: false, shouldContinueRunning: true });
    assert.deepEqual(nodeShouldRunDaemonPod(t, node('a', [{ key: 'x', effect: 'NoExecute' }])), { shouldRun: false, shouldContinueRunning: false });
    assert.deepEqual(nodeShouldRunDaemonPod(t, node('a', [{ key: 'x', effect: 'PreferNoSchedule' }])), { shouldRun: true, shouldContinueRunning: true });
    // Automatic daemon tolerations.
    for (const key of ['not-ready', 'unreachable']) assert.equal(nodeShouldRunDaemonPod(t, node('a', [{ key: `node.kubernetes.io/${key}`, effect: 'NoExecute' }])).shouldRun, true);
    assert.equal(nodeShouldRunDaemonPod(t, node('a', [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }])).shouldRun, false);
    assert.equal(nodeShouldRunDaemonPod(ds({}, { hostNetwork: true }).spec.template, node('a', [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }])).shouldRun, true);
    const sel = ds({}, { nodeSelector: { disk: 'ssd' } }).spec.template;
    assert.equal(nodeShouldRunDaemonPod(sel, node('a', [], { disk: 'ssd' })).shouldRun, true);
    assert.equal(nodeShouldRunDaemonPod(sel, node('a')).shouldRun, false);
  });
  it('computes budgets: percentages round up, both zero means one unavailable', () => {
    assert.deepEqual(rollingBudget(ds({ maxUnavailable: '10%' }), 15), [0, 2]);
    assert.deepEqual(rollingBudget(ds({ maxUnavailable: 0, maxSurge: 0 }), 5), [0, 1]);
    assert.deepEqual(rollingBudget(ds({ maxUnavailable: 0, maxSurge: '50%' }), 3), [2, 0]);
  });
  it('maxUnavailable: deletes down pods first, then available ones within the budget', () => {
    const nodes = [['a', pod('p1', 'a', 'old')], ['b', pod('p2', 'b', 'old', false)], ['c', pod('p3', 'c', 'old')], ['d', pod('p4', 'd', 'new')]] as const;
    const plan = planRollingUpdate(ds({ maxUnavailable: 2 }), nodes.map(([n, p]) => ({ node: n, pods: [p] })), (p) => p.metadata.labels?.['controller-revision-hash'] === 'new', 4, Date.now());
    assert.deepEqual(plan.deletePods.map((p) => p.metadata.name), ['p2', 'p1']);
    assert.deepEqual(plan.createOn, []);
  });
  it('maxSurge: starts new pods beside old ones, removes old ones once the new are available', () => {
    const isNew = (p: Pod) => p.metadata.labels?.['controller-revision-hash'] === 'new';
    const nodes = [
      { node: 'a', pods: [pod('new-a', 'a', 'new'), pod('old-a', 'a', 'old')] },
      { node: 'b', pods: [pod('new-b', 'b', 'new', false), pod('old-b', 'b', 'old')] },
      { node: 'c', pods: [pod('old-c', 'c', 'old')] },
      { node: 'e', pods: [pod('old-e', 'e', 'old')] },
    ];
    const plan = planRollingUpdate(ds({ maxSurge: 2, maxUnavailable: 0 }), nodes, isNew, 4, Date.now());
    assert.deepEqual(plan.deletePods.map((p) => p.metadata.name), ['old-a']);
    assert.deepEqual(plan.createOn, ['c'], 'one surge slot left (b is surging)');
  });
  it('plans creations, misscheduled and failed pods, and status', () => {
    const pods = [pod('x', 'a', 'h'), { ...pod('f', 'b', 'h'), status: { phase: 'Failed' } }, pod('m', 'c', 'h')];
    const plan = planDaemonSet(ds(), [node('a'), node('b'), node('c', [{ key: 'k', effect: 'NoSchedule' }]), node('e')], pods, 'h', Date.now());
    assert.deepEqual(plan.createOn, ['b', 'e'], 'the failed pod on b is replaced');
    assert.deepEqual(plan.deletePods.map((p) => p.metadata.name), ['f']);
    assert.equal(plan.status.desiredNumberScheduled, 3);
    assert.equal(plan.status.currentNumberScheduled, 2);
    assert.equal(plan.status.numberMisscheduled, 1);
    assert.equal(plan.status.numberUnavailable, 2);
    assert.equal(plan.status.observedGeneration, 2);
  });
});
