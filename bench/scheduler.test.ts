import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placementStats, workloadPod } from './scheduler.js';

test('workloadPod: app label and the workload constraint on the same app', () => {
  const plain = workloadPod('plain', 205, 100);
  assert.equal(plain.metadata?.labels?.app, 'app-5');
  assert.equal(plain.spec?.affinity, undefined);
  assert.equal(plain.spec?.topologySpreadConstraints, undefined);

  const anti = workloadPod('anti-affinity', 7, 100);
  const term = anti.spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0];
  assert.equal(term?.weight, 100);
  assert.equal(term?.podAffinityTerm.topologyKey, 'kubernetes.io/hostname');
  assert.deepEqual(term?.podAffinityTerm.labelSelector, { matchLabels: { app: 'app-7' } });

  const spread = workloadPod('spread', 3, 100).spec?.topologySpreadConstraints?.[0];
  assert.deepEqual(spread, { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'app-3' } } });
});

test('placementStats: most pods of an app on one node and largest zone skew (zone = node index % 3)', () => {
  const placed = (app: string, node: string) => ({ metadata: { name: `${app}-${node}`, labels: { app } }, spec: { containers: [], nodeName: node } });
  const pods = [placed('a', 'node-0'), placed('a', 'node-0'), placed('a', 'node-3'), placed('a', 'node-1'), placed('b', 'node-2'), { metadata: { name: 'pending', labels: { app: 'b' } }, spec: { containers: [] } }];
  // app a: zone-0 has 3 (node-0 twice, node-3), zone-1 1, zone-2 0 -> skew 3; app b: 0,0,1 -> 1.
  assert.deepEqual(placementStats(pods), { maxPerNode: 2, maxZoneSkew: 3 });
});
