import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { revisionHash } from '../common/revisions.js';
import { claimOwners } from './claims.js';
import { newStatefulPod, ordinalOf } from './identity.js';
import { statefulSetStatus } from './sync.js';
import type { Pod, StatefulSet } from './types.js';

const set = (spec: Partial<StatefulSet['spec']> = {}): StatefulSet => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'set-uid', generation: 4 },
  spec: {
    replicas: 3,
    serviceName: 'svc',
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'c' } }] } },
    volumeClaimTemplates: [{ metadata: { name: 'data' } }],
    ...spec,
  },
});
const rev = (name: string) => ({ metadata: { name }, data: {}, revision: 1 });
const readyPod = (name: string, revision: string): Pod => ({ metadata: { name, labels: { 'controller-revision-hash': revision } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } });

describe('StatefulSet identity, claims and status', () => {
  it('parses ordinals only for the set\'s own names', () => {
    const s = set();
    assert.equal(ordinalOf(s, { metadata: { name: 'web-12' } }), 12);
    assert.equal(ordinalOf(s, { metadata: { name: 'web-012' } }), -1);
    assert.equal(ordinalOf(s, { metadata: { name: 'webx-1' } }), -1);
    assert.equal(ordinalOf(s, { metadata: { name: 'web-a' } }), -1);
  });
  it('builds a pod with identity labels, hostname, subdomain and claim volumes replacing template volumes', () => {
    const s = set();
    const pod = newStatefulPod(s, s.spec.template, 2, 'web-abc');
    assert.equal(pod.metadata.name, 'web-2');
    assert.deepEqual(pod.metadata.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2', 'controller-revision-hash': 'web-abc' });
    assert.equal(pod.spec?.hostname, 'web-2');
    assert.equal(pod.spec?.subdomain, 'svc');
    assert.deepEqual(pod.spec?.volumes, [{ name: 'cfg', configMap: { name: 'c' } }, { name: 'data', persistentVolumeClaim: { claimName: 'data-web-2' } }]);
    assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true }]);
  });
  it('gives claims owner references per retention policy', () => {
    const pod: Pod = { metadata: { name: 'web-5', uid: 'pod-uid' } };
    assert.deepEqual(claimOwners(set(), 5, 3, pod), []);
    assert.deepEqual(claimOwners(set({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Retain' } }), 5, 3, pod).map((r) => r.kind), ['StatefulSet']);
    const scaled = set({ persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Delete' } });
    assert.deepEqual(claimOwners(scaled, 5, 3, pod).map((r) => `${r.kind}/${r.uid}`), ['Pod/pod-uid']);
    assert.deepEqual(claimOwners(scaled, 1, 3, pod), [], 'in-range ordinals keep their claims');
  });
  it('computes status and completes the rollout only when every pod is updated and ready', () => {
    const s = set();
    const revs = { current: rev('web-old'), update: rev('web-new') };
    const mid = statefulSetStatus(s, [readyPod('web-0', 'web-old'), readyPod('web-1', 'web-new'), readyPod('web-2', 'web-new')], revs, 0, Date.now());
    assert.deepEqual(mid, { observedGeneration: 4, replicas: 3, readyReplicas: 3, currentReplicas: 1, updatedReplicas: 2, availableReplicas: 3, currentRevision: 'web-old', updateRevision: 'web-new', collisionCount: 0 });
    const done = statefulSetStatus(s, [readyPod('web-0', 'web-new'), readyPod('web-1', 'web-new'), readyPod('web-2', 'web-new')], revs, 0, Date.now());
    assert.equal(done.currentRevision, 'web-new');
    assert.equal(done.currentReplicas, 3);
  });
  it('hashes revisions stably, changing with the collision count', () => {
    const data = { spec: { template: { b: 1, a: 2 } } };
    assert.equal(revisionHash(data, 0), revisionHash({ spec: { template: { a: 2, b: 1 } } }, 0));
    assert.notEqual(revisionHash(data, 0), revisionHash(data, 1));
    assert.match(revisionHash(data, 0), /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });
});
