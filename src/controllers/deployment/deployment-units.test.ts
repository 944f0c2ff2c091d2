import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RestClient } from '../../client/rest.js';
import type { EventRecorder } from '../../runtime/index.js';
import { nowRfc3339, type Deployment, type ReplicaSet } from '../replicaset/types.js';
import { computeHash, fnv32a, safeEncodeString } from './hash.js';
import { rolloutStatus, requeueStuckAfter } from './progress.js';
import { scale, type SyncContext } from './sync.js';
import * as u from './util.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function deployment(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', uid: 'd-uid', generation: 1 },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } }, progressDeadlineSeconds: 600, ...extra },
    status: { observedGeneration: 1 },
  };
}
function rs(name: string, replicas: number, opts: { available?: number; created?: number; annotations?: Record<string, string>; image?: string } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'ns', uid: `${name}-uid`, creationTimestamp: nowRfc3339(opts.created ?? NOW), annotations: opts.annotations, resourceVersion: '1' },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image: opts.image ?? 'x' }] } } },
    status: { replicas, availableReplicas: opts.available ?? replicas, readyReplicas: opts.available ?? replicas },
  };
}

describe('pod-template-hash', () => {
  it('FNV-32a matches the reference vectors', () => {
    assert.equal(fnv32a(Buffer.from('')), 0x811c9dc5);
    assert.equal(fnv32a(Buffer.from('a')), 0xe40c292c);
    assert.equal(fnv32a(Buffer.from('foobar')), 0xbf9cf968);
  });
  it('SafeEncodeString maps bytes onto the 27-character safe alphabet', () => {
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
    assert.equal(safeEncodeString('abc'), 'vwx'); // 97 % 27 = 16 -> 'v'
  });
  it('is deterministic, key-order independent, and changes with the template and collisionCount', () => {
    const t1 = { metadata: { labels: { app: 'web', tier: 'a' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
    const t2 = { spec: { containers: [{ image: 'x', name: 'c' }] }, metadata: { labels: { tier: 'a', app: 'web' } } };
    assert.equal(computeHash(t1), computeHash(t2));
    assert.match(computeHash(t1), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.notEqual(computeHash(t1), computeHash({ ...t1, spec: { containers: [{ name: 'c', image: 'y' }] } }));
    assert.notEqual(computeHash(t1), computeHash(t1, 1));
    assert.notEqual(computeHash(t1, 1), computeHash(t1, 2));
  });
});

describe('rolling update math', () => {
  it('resolves maxSurge up and maxUnavailable down; both zero becomes one unavailable', () => {
    assert.deepEqual(u.resolveFenceposts('25%', '25%', 3), [1, 0]);
    assert.deepEqual(u.resolveFenceposts('25%', '25%', 10), [3, 2]);
    assert.deepEqual(u.resolveFenceposts(2, '50%', 5), [2, 2]);
    assert.deepEqual(u.resolveFenceposts(0, 0, 5), [0, 1]);
    assert.deepEqual(u.resolveFenceposts('0%', '10%', 5), [0, 1]);
    assert.throws(() => u.resolveFenceposts('3', 1, 5), /not a percentage/);
  });
  it('caps maxUnavailable at replicas, and is zero for Recreate', () => {
    assert.equal(u.maxUnavailable(deployment(2, 0, 5)), 2);
    assert.equal(u.maxUnavailable(deployment(4, 1, 1, { strategy: { type: 'Recreate' } })), 0);
  });
  it('scales the new ReplicaSet up to replicas + maxSurge in total', () => {
    const d = deployment(10, 3, 2);
    const old = rs('old', 10);
    const fresh = rs('new', 0);
    assert.equal(u.newRSNewReplicas(d, [old, fresh], fresh), 3);
    const fresh2 = rs('new', 3);
    assert.equal(u.newRSNewReplicas(d, [rs('old', 8), fresh2], fresh2), 5);
    assert.equal(u.newRSNewReplicas(d, [rs('old', 10), fresh2], fresh2), 3, 'no room above maxSurge');
  });
  it('finds the new ReplicaSet ignoring pod-template-hash, the oldest first', () => {
    const d = deployment(3);
    const a = rs('a', 1, { created: NOW - 1000 });
    const b = rs('b', 1, { created: NOW - 5000 });
    const c = rs('c', 1, { image: 'other' });
    assert.equal(u.findNewReplicaSet(d, [a, b, c])?.metadata.name, 'b');
    assert.equal(u.findNewReplicaSet(d, [c]), undefined);
  });
  it('keeps revision history within the character budget', () => {
    const d = deployment(3);
    const r = rs('a', 1, { annotations: { [u.REVISION]: '3', [u.REVISION_HISTORY]: '1' } });
    assert.equal(u.setNewReplicaSetAnnotations(d, r, 5, true), true);
    assert.equal(r.metadata.annotations?.[u.REVISION], '5');
    assert.equal(r.metadata.annotations?.[u.REVISION_HISTORY], '1,3');
  });
});

function fakeCtx(): { ctx: SyncContext; puts: ReplicaSet[]; events: string[] } {
  const puts: ReplicaSet[] = [];
  const events: string[] = [];
  const client = {
    put: async (_path: string, body: ReplicaSet) => {
      puts.push(body);
      return { status: 200, body, text: '', headers: {} };
    },
  } as unknown as RestClient;
  const recorder = { record: async (_o: unknown, _t: string, reason: string, msg: string) => void events.push(`${reason}: ${msg}`) } as unknown as EventRecorder;
  return { ctx: { client, recorder, enqueueAfter: () => {}, podsOf: () => [] }, puts, events };
}

describe('proportional scaling', () => {
  it('shares a scale-up mid-rollout in proportion (10 -> 15, maxSurge 3: old +3, new +2)', async () => {
    const d = deployment(15, 3, 2);
    d.status = { replicas: 13 };
    const ann = { [u.DESIRED_REPLICAS]: '10', [u.MAX_REPLICAS]: '13' };
    const old = rs('old', 8, { created: NOW - 10_000, annotations: ann });
    const fresh = rs('new', 5, { annotations: ann });
    const { ctx, puts, events } = fakeCtx();
    await scale(ctx, d, fresh, [old]);
    const sizes = Object.fromEntries(puts.map((p) => [p.metadata.name, p.spec.replicas]));
    assert.deepEqual(sizes, { old: 11, new: 7 });
    assert.equal(puts[0].metadata.annotations?.[u.DESIRED_REPLICAS], '15');
    assert.equal(puts[0].metadata.annotations?.[u.MAX_REPLICAS], '18');
    assert.deepEqual(events.sort(), ['ScalingReplicaSet: Scaled up replica set new from 5 to 7', 'ScalingReplicaSet: Scaled up replica set old from 8 to 11']);
  });
  it('gives the whole change to the only active ReplicaSet', async () => {
    const d = deployment(5);
    const { ctx, puts, events } = fakeCtx();
    await scale(ctx, d, rs('new', 3), [rs('old', 0)]);
    assert.equal(puts.length, 1);
    assert.equal(puts[0].spec.replicas, 5);
    assert.deepEqual(events, ['ScalingReplicaSet: Scaled up replica set new from 3 to 5']);
  });
});

describe('progress conditions', () => {
  it('NewReplicaSetAvailable when complete, ReplicaSetUpdated while progressing, ProgressDeadlineExceeded after the deadline', () => {
    const d = deployment(3);
    const done = rolloutStatus([rs('new', 3)], rs('new', 3), d, NOW);
    const p = done.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(p?.reason, 'NewReplicaSetAvailable');
    assert.equal(p?.message, 'ReplicaSet "new" has successfully progressed.');
    assert.equal(done.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasAvailable');

    const moving = { ...d, status: { observedGeneration: 1, replicas: 3, updatedReplicas: 0, availableReplicas: 3 } };
    const s = rolloutStatus([rs('old', 3), rs('new', 1, { available: 0 })], rs('new', 1, { available: 0 }), moving, NOW);
    assert.equal(s.conditions?.find((c) => c.type === 'Progressing')?.reason, 'ReplicaSetUpdated');

    const stale = nowRfc3339(NOW - 601_000);
    const stuck = { ...d, status: { observedGeneration: 1, replicas: 4, updatedReplicas: 1, availableReplicas: 3, readyReplicas: 3, conditions: [{ type: 'Progressing', status: 'True' as const, reason: 'ReplicaSetUpdated', lastUpdateTime: stale, lastTransitionTime: stale }] } };
    const t = rolloutStatus([rs('old', 3), rs('new', 1, { available: 0 })], rs('new', 1, { available: 0 }), stuck, NOW);
    const tc = t.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(tc?.reason, 'ProgressDeadlineExceeded');
    assert.equal(tc?.status, 'False');
    assert.equal(tc?.message, 'ReplicaSet "new" has timed out progressing.');
    // Not yet past the deadline: re-check when it passes.
    const recent = nowRfc3339(NOW - 100_000);
    const waiting = { ...stuck, status: { ...stuck.status, conditions: [{ ...stuck.status.conditions[0], lastUpdateTime: recent }] } };
    const after = requeueStuckAfter(waiting, waiting.status, NOW);
    assert.ok(after !== undefined && Math.abs(after - 500_000) < 1000, String(after));
  });
  it('Available=False below replicas - maxUnavailable', () => {
    const d = deployment(4, 1, 1);
    const s = rolloutStatus([rs('new', 4, { available: 2 })], rs('new', 4, { available: 2 }), d, NOW);
    assert.equal(s.conditions?.find((c) => c.type === 'Available')?.reason, 'MinimumReplicasUnavailable');
    assert.equal(s.unavailableReplicas, 2);
  });
});
