import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deletesBefore, sortPodsForDeletion } from './pod-ordering.js';
import { Expectations } from './expectations.js';
import { slowStartBatch, podFromTemplate } from './manage-replicas.js';
import { calculateReplicaSetStatus } from './replica-status.js';
import { isPodActive } from './pod-util.js';
import { nowRfc3339, type Pod, type ReplicaSet } from './types.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
let seq = 0;
function pod(o: { node?: string; phase?: string; readySince?: number; restarts?: number; created?: number; cost?: string; uid?: string } = {}): Pod {
  const conditions = o.readySince !== undefined ? [{ type: 'Ready', status: 'True' as const, lastTransitionTime: nowRfc3339(o.readySince) }] : [{ type: 'Ready', status: 'False' as const }];
  return {
    metadata: { name: `p${++seq}`, uid: o.uid ?? `uid-${seq}`, creationTimestamp: o.created !== undefined ? nowRfc3339(o.created) : undefined, annotations: o.cost ? { 'controller.kubernetes.io/pod-deletion-cost': o.cost } : undefined },
    spec: { nodeName: o.node },
    status: { phase: o.phase ?? 'Running', conditions, containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }] },
  };
}
const before = (a: Pod, b: Pod, ra = 0, rb = 0) => deletesBefore({ pod: a, rank: ra }, { pod: b, rank: rb }, NOW);

describe('pod deletion order (ActivePodsWithRanks)', () => {
  it('unscheduled before scheduled', () => {
    assert.equal(before(pod({ readySince: NOW - 1000 }), pod({ node: 'n1', phase: 'Pending' })), true);
    assert.equal(before(pod({ node: 'n1', phase: 'Pending' }), pod({ readySince: NOW - 1000 })), false);
  });
  it('Pending < Unknown < Running', () => {
    assert.equal(before(pod({ node: 'n', phase: 'Pending' }), pod({ node: 'n', phase: 'Unknown' })), true);
    assert.equal(before(pod({ node: 'n', phase: 'Unknown' }), pod({ node: 'n', phase: 'Running' })), true);
    assert.equal(before(pod({ node: 'n', phase: 'Running' }), pod({ node: 'n', phase: 'Pending' })), false);
  });
  it('not ready before ready', () => {
    assert.equal(before(pod({ node: 'n' }), pod({ node: 'n', readySince: NOW - 1000 })), true);
    assert.equal(before(pod({ node: 'n', readySince: NOW - 1000 }), pod({ node: 'n' })), false);
  });
  it('lower pod-deletion-cost first, then more colocated pods first', () => {
    assert.equal(before(pod({ node: 'n', cost: '-5' }), pod({ node: 'n', cost: '10' })), true);
    assert.equal(before(pod({ node: 'n' }), pod({ node: 'n' }), 3, 1), true);
    assert.equal(before(pod({ node: 'n' }), pod({ node: 'n' }), 1, 3), false);
  });
  it('ready for less time first (logarithmic buckets, ties by uid)', () => {
    assert.equal(before(pod({ node: 'n', readySince: NOW - 10_000 }), pod({ node: 'n', readySince: NOW - 3_600_000 })), true);
    assert.equal(before(pod({ node: 'n', readySince: NOW - 3_600_000 }), pod({ node: 'n', readySince: NOW - 10_000 })), false);
    // 1000s and 1001s ago fall in the same log2 bucket: the smaller uid first.
    assert.equal(before(pod({ node: 'n', readySince: NOW - 1_001_000, uid: 'b' }), pod({ node: 'n', readySince: NOW - 1_000_000, uid: 'a' })), false);
    assert.equal(before(pod({ node: 'n', readySince: NOW - 1_001_000, uid: 'a' }), pod({ node: 'n', readySince: NOW - 1_000_000, uid: 'b' })), true);
  });
  it('more restarts first, then newer first', () => {
    assert.equal(before(pod({ node: 'n', restarts: 5 }), pod({ node: 'n', restarts: 1 })), true);
    assert.equal(before(pod({ node: 'n', created: NOW - 60_000 }), pod({ node: 'n', created: NOW - 86_400_000 })), true);
    assert.equal(before(pod({ node: 'n', created: NOW - 86_400_000 }), pod({ node: 'n', created: NOW - 60_000 })), false);
  });
  it('sorts a mixed set, ranking by colocated related pods', () => {
    const ready = pod({ node: 'a', readySince: NOW - 3_600_000 });
    const crowdedReady = pod({ node: 'b', readySince: NOW - 3_600_000 });
    const pending = pod({ node: 'a', phase: 'Pending' });
    const unscheduled = pod({ phase: 'Pending' });
    const extra = [pod({ node: 'b' }), pod({ node: 'b' })];
    const sorted = sortPodsForDeletion([ready, crowdedReady, pending, unscheduled], [ready, crowdedReady, pending, unscheduled, ...extra], isPodActive, NOW);
    assert.deepEqual(sorted.map((p) => p.metadata.name), [unscheduled, pending, crowdedReady, ready].map((p) => p.metadata.name));
  });
});

describe('expectations', () => {
  it('blocks until creations and deletions are observed, or time out', () => {
    let now = 0;
    const e = new Expectations(1000, () => now);
    assert.equal(e.satisfied('ns/rs'), true);
    e.expectCreations('ns/rs', 2);
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), true);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    assert.equal(e.satisfied('ns/rs'), false);
    now = 1001;
    assert.equal(e.satisfied('ns/rs'), true, 'expired');
  });
});

describe('slow start', () => {
  it('creates in batches 1, 2, 4, ... and stops at the first failing batch', async () => {
    const batches: number[] = [];
    let calls = 0;
    const ok = await slowStartBatch(10, 1, async () => void calls++, (b) => batches.push(b));
    assert.deepEqual(batches, [1, 2, 4, 3]);
    assert.equal(ok.successes, 10);
    batches.length = 0;
    calls = 0;
    const failing = await slowStartBatch(10, 1, async () => {
      if (++calls > 3) throw new Error('quota exceeded');
    }, (b) => batches.push(b));
    assert.deepEqual(batches, [1, 2, 4]);
    assert.equal(failing.successes, 3);
    assert.equal(failing.error?.message, 'quota exceeded');
  });
});

describe('status and pod template', () => {
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web', namespace: 'ns', uid: 'u1', generation: 2 },
    spec: { replicas: 3, minReadySeconds: 10, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', v: '1' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  };
  it('counts fully labeled, ready and available (minReadySeconds) pods; ReplicaFailure on create errors', () => {
    const full = (p: Pod) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'web', v: '1' } } });
    const pods = [full(pod({ readySince: NOW - 60_000 })), full(pod({ readySince: NOW - 5_000 })), pod({})];
    const s = calculateReplicaSetStatus(rs, pods, new Error('forbidden'), NOW);
    assert.equal(s.replicas, 3);
    assert.equal(s.fullyLabeledReplicas, 2);
    assert.equal(s.readyReplicas, 2);
    assert.equal(s.availableReplicas, 1);
    assert.equal(s.conditions?.[0].reason, 'FailedDelete'); // 3 pods for 3 replicas: not a create failure
    const s2 = calculateReplicaSetStatus(rs, pods.slice(0, 1), new Error('forbidden'), NOW);
    assert.equal(s2.conditions?.[0].type, 'ReplicaFailure');
    assert.equal(s2.conditions?.[0].reason, 'FailedCreate');
    assert.equal(s2.conditions?.[0].message, 'forbidden');
    const cleared = calculateReplicaSetStatus({ ...rs, status: s2 }, pods, undefined, NOW);
    assert.equal(cleared.conditions, undefined);
  });
  it('builds pods from the template with generateName and a controller reference', () => {
    const p = podFromTemplate(rs);
    assert.equal(p.metadata.generateName, 'web-');
    assert.deepEqual(p.metadata.labels, { app: 'web', v: '1' });
    assert.deepEqual(p.metadata.annotations, { a: 'b' });
    assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true }]);
  });
});
