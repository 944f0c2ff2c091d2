import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Node } from './health.js';
import { unknownConditions } from './health.js';
import { TokenBucket } from './rate-limiter.js';
import { nextTaints } from './taints.js';
import { addDefaultTolerations, tolerationTimeMs, type Taint } from './tolerations.js';

const unreachable: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };

describe('addDefaultTolerations', () => {
  it('adds 300 s not-ready and unreachable NoExecute tolerations without touching the input', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [], tolerations: [{ key: 'dedicated', operator: 'Equal' as const, value: 'x', effect: 'NoSchedule' }] } };
    const out = addDefaultTolerations(pod);
    assert.deepEqual(out.spec.tolerations, [
      { key: 'dedicated', operator: 'Equal', value: 'x', effect: 'NoSchedule' },
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    assert.equal(pod.spec.tolerations.length, 1);
  });
  it('keeps tolerations the pod already has for those taints (or for everything)', () => {
    const own = { spec: { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' as const, effect: 'NoExecute', tolerationSeconds: 10 }] } };
    assert.deepEqual(addDefaultTolerations(own).spec.tolerations.map((t) => t.key), ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready']);
    const all = { spec: { tolerations: [{ operator: 'Exists' as const }] } };
    assert.equal(addDefaultTolerations(all), all);
  });
});

describe('tolerationTimeMs', () => {
  it('is 0 without a matching toleration, the shortest limit otherwise, Infinity without limits', () => {
    assert.equal(tolerationTimeMs([], [unreachable]), 0);
    assert.equal(tolerationTimeMs([{ key: unreachable.key, operator: 'Exists', tolerationSeconds: 30 }, { operator: 'Exists', tolerationSeconds: 5 }], [unreachable]), 5000);
    assert.equal(tolerationTimeMs([{ key: unreachable.key, operator: 'Exists' }], [unreachable]), Infinity);
    assert.equal(tolerationTimeMs([], [{ key: 'x', effect: 'NoSchedule' }]), Infinity);
  });
});

describe('node taints and conditions', () => {
  const node = (ready: 'True' | 'False' | 'Unknown', taints: Taint[] = []): Node => ({ metadata: { name: 'n' }, spec: { taints }, status: { conditions: [{ type: 'Ready', status: ready }] } });
  it('taints unreachable nodes (NoExecute only when allowed) and clears them when Ready', () => {
    assert.deepEqual(nextTaints(node('Unknown'), 'T', false), [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }]);
    const both = nextTaints(node('Unknown'), 'T', true)!;
    assert.deepEqual(both, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: 'T' }]);
    assert.deepEqual(nextTaints(node('False', both), 'T', true), [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/not-ready', effect: 'NoExecute', timeAdded: 'T' }]);
    assert.deepEqual(nextTaints(node('True', [...both, { key: 'user', effect: 'NoSchedule' }]), 'T', true), [{ key: 'user', effect: 'NoSchedule' }]);
    assert.equal(nextTaints(node('True', [{ key: 'user', effect: 'NoSchedule' }]), 'T', true), undefined);
  });
  it('marks monitored conditions Unknown once', () => {
    const out = unknownConditions(node('True'), 'T')!;
    const ready = out.find((c) => c.type === 'Ready')!;
    assert.deepEqual([ready.status, ready.reason, ready.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
    assert.equal(out.length, 4);
    assert.equal(unknownConditions({ ...node('True'), status: { conditions: out } }, 'T'), undefined);
  });
  it('rate-limits with a token bucket', () => {
    const b = new TokenBucket(0.1, 1, 0);
    assert.equal(b.tryAccept(0), true);
    assert.equal(b.tryAccept(5000), false);
    assert.equal(b.tryAccept(10_001), true);
  });
});
