import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SchedulerCache } from './cache.js';
import { buildProfiles } from './config.js';
import { unschedulable, unresolvable, type Status } from './framework.js';
import { NodeInfo, podInfo } from './node-info.js';
import { ERR_EXISTING_ANTI_AFFINITY } from './plugins/inter-pod-affinity/index.js';
import { MSG_NO_VICTIMS, MSG_NOT_HELPFUL, preempt } from './preemption.js';
import { makeNode, makePod, snapshotOf } from './test-fixtures.js';
import type { Pod, PodDisruptionBudget } from './types.js';

const profile = buildProfiles()[0]!;
const placed = (name: string, cpu: string, priority: number, labels: Record<string, string> = {}): Pod => makePod(name, { cpu, priority, labels });
function node(name: string, pods: Pod[]): NodeInfo {
  const info = new NodeInfo(makeNode(name, { cpu: '2' }));
  for (const p of pods) info.addPod(podInfo({ ...p, spec: { ...p.spec, nodeName: name } }, p.spec?.priority ?? 0));
  return info;
}
const insufficient = (names: string[]): Map<string, Status> => new Map(names.map((n) => [n, unschedulable('Insufficient cpu')]));

it('picks the node whose victims have the lowest highest priority, and keeps pods it can reprieve', () => {
  const a = node('a', [placed('a-mid', '1', 50), placed('a-low', '500m', 1)]);
  const b = node('b', [placed('b-low', '1', 10), placed('b-tiny', '500m', 5)]);
  const pod = makePod('hi', { cpu: '1', priority: 100 });
  const out = preempt(profile, snapshotOf([a, b]), pod, 100, insufficient(['a', 'b']), []);
  // a: a-mid (50) is given back, only a-low (1) goes; b: b-low (10) is given back, b-tiny (5) goes.
  assert.equal(out.nodeName, 'a');
  assert.deepEqual(out.victims.map((v) => v.pod.metadata?.name), ['a-low']);
  assert.equal(out.message, '');
});

it('prefers a node where no PodDisruptionBudget is violated', () => {
  const a = node('a', [placed('a-1', '2', 1, { app: 'guarded' })]);
  const b = node('b', [placed('b-1', '2', 5)]);
  const pdb: PodDisruptionBudget = { metadata: { name: 'g', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'guarded' } } }, status: { disruptionsAllowed: 0 } };
  const out = preempt(profile, snapshotOf([a, b]), makePod('hi', { cpu: '1' }), 100, insufficient(['a', 'b']), [pdb]);
  assert.equal(out.nodeName, 'b');
});

it('explains why preemption cannot help, in upstream words', () => {
  const a = node('a', [placed('same', '2', 100)]);
  const b = node('b', []);
  const statuses = new Map<string, Status>([['a', unschedulable('Insufficient cpu')], ['b', unresolvable('node(s) had untolerated taint {x: }')]]);
  const out = preempt(profile, snapshotOf([a, b]), makePod('hi', { cpu: '1' }), 100, statuses, []);
  assert.equal(out.nodeName, undefined);
  assert.equal(out.message, `0/2 nodes are available: 1 ${MSG_NO_VICTIMS}, 1 ${MSG_NOT_HELPFUL}.`);
  const never = preempt(profile, snapshotOf([a]), makePod('hi', { cpu: '1', preemptionPolicy: 'Never' }), 1000, insufficient(['a']), []);
  assert.equal(never.message, 'not eligible due to preemptionPolicy=Never.');
  const tooBig = preempt(profile, snapshotOf([node('c', [placed('low', '1', 0)])]), makePod('huge', { cpu: '3' }), 100, insufficient(['c']), []);
  assert.equal(tooBig.message, '0/1 nodes are available: 1 Insufficient cpu.');
});

it('what-if runs see the victims gone, also for inter-pod affinity counted by the cache index', () => {
  const cache = new SchedulerCache();
  cache.setNode(makeNode('a', { cpu: '2' }));
  cache.setNode(makeNode('b', { cpu: '2' }));
  const antiTerm = { labelSelector: { matchLabels: { app: 'web' } }, topologyKey: 'kubernetes.io/hostname' };
  const bound = (pod: Pod, nodeName: string): Pod => ({ ...pod, spec: { ...pod.spec, nodeName } });
  cache.setPod(bound(makePod('guard', { cpu: '100m', priority: 1, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [antiTerm] } } }), 'a'));
  cache.setPod(bound(placed('big', '2', 1000), 'b'));
  const pod = makePod('web', { cpu: '1', labels: { app: 'web' } });
  const statuses = new Map<string, Status>([['a', unschedulable(ERR_EXISTING_ANTI_AFFINITY)], ['b', unschedulable('Insufficient cpu')]]);
  const out = preempt(profile, cache, pod, 100, statuses, []);
  assert.equal(out.nodeName, 'a');
  assert.deepEqual(out.victims.map((v) => v.pod.metadata?.name), ['guard']);
});
