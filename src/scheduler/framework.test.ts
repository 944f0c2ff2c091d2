import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildProfiles, parseSchedulerConfig } from './config.js';
import { fitErrorMessage, unresolvable, unschedulable, type Status } from './framework.js';
import { numFeasibleNodesToFind } from './scheduler.js';

it('formats FitError as upstream 1.32, preemption suffix included', () => {
  const statuses = new Map<string, Status>([['gpu', unresolvable('node(s) had untolerated taint {dedicated: gpu}')]]);
  for (let i = 0; i < 5; i++) statuses.set(`n${i}`, unresolvable("node(s) didn't match Pod's node affinity/selector"));
  const preemption = fitErrorMessage(6, { nodeStatuses: new Map([...statuses.keys()].map((k) => [k, unresolvable('Preemption is not helpful for scheduling')])) });
  assert.equal(
    fitErrorMessage(6, { nodeStatuses: statuses, postFilterMsg: `preemption: ${preemption}` }),
    "0/6 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 5 node(s) didn't match Pod's node affinity/selector. preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling..",
  );
  const multi = new Map([['a', unschedulable('Insufficient cpu', 'Insufficient memory')], ['b', unschedulable('Insufficient cpu')]]);
  assert.equal(fitErrorMessage(2, { nodeStatuses: multi }), '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.');
  assert.equal(fitErrorMessage(3, { nodeStatuses: new Map(), preFilterMsg: 'persistentvolumeclaim "x" not found' }), '0/3 nodes are available: persistentvolumeclaim "x" not found.');
});

it('adaptive percentageOfNodesToScore as upstream', () => {
  assert.equal(numFeasibleNodesToFind(50), 50);
  assert.equal(numFeasibleNodesToFind(1000), 420);
  assert.equal(numFeasibleNodesToFind(5000), 500);
  assert.equal(numFeasibleNodesToFind(10_000), 500);
  assert.equal(numFeasibleNodesToFind(150), 100);
  assert.equal(numFeasibleNodesToFind(1000, 20), 200);
  assert.equal(numFeasibleNodesToFind(1000, 100), 1000);
});

it('builds profiles from a KubeSchedulerConfiguration file', () => {
  const cfg = parseSchedulerConfig(`
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
percentageOfNodesToScore: 30
profiles:
  - schedulerName: default-scheduler
  - schedulerName: packer
    plugins:
      filter:
        disabled: [{name: NodePorts}]
      score:
        disabled: [{name: '*'}]
        enabled: [{name: NodeAffinity, weight: 5}]
`);
  const [def, packer] = buildProfiles(cfg);
  assert.equal(def!.schedulerName, 'default-scheduler');
  assert.deepEqual(def!.scorers.map((s) => `${s.plugin.name}:${s.weight}`), ['TaintToleration:3', 'NodeAffinity:2', 'NodeResourcesFit:1', 'PodTopologySpread:2', 'InterPodAffinity:2', 'NodeResourcesBalancedAllocation:1']);
  assert.equal(packer!.percentageOfNodesToScore, 30);
  assert.ok(!packer!.filters.some((p) => p.name === 'NodePorts'));
  assert.ok(packer!.filters.some((p) => p.name === 'NodeResourcesFit'));
  assert.deepEqual(packer!.scorers.map((s) => `${s.plugin.name}:${s.weight}`), ['NodeAffinity:5']);
  assert.throws(() => parseSchedulerConfig('profiles: [{plugins: {filter: {enabled: [{name: Nope}]}}}]'), /unknown plugin "Nope"/);
  assert.throws(() => buildProfiles({ profiles: [{}, {}] }), /duplicate profile default-scheduler/);
});
