import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isReady } from './ready.js';
import type { KubeClient, KubeObject, Resource } from './kube.js';

/** A stand-in for the cluster: only `list` (ReplicaSets for Deployments) is used by isReady. */
function fakeKube(replicaSets: KubeObject[] = []): KubeClient {
  return { list: async () => replicaSets, log: () => undefined } as unknown as KubeClient;
}
const res = (kind: string): Resource => ({ apiVersion: 'v1', kind, name: 'x', namespace: 'ns', collection: '', object: {} });

test('Services: cluster IP needed; LoadBalancer needs an ingress address; ExternalName always ready', async () => {
  const k = fakeKube();
  assert.equal((await isReady(k, res('Service'), { spec: { type: 'ClusterIP', clusterIP: '' } }, false)).ready, false);
  assert.equal((await isReady(k, res('Service'), { spec: { type: 'ClusterIP', clusterIP: '10.0.0.1' } }, false)).ready, true);
  assert.equal((await isReady(k, res('Service'), { spec: { type: 'LoadBalancer', clusterIP: '10.0.0.1' } }, false)).ready, false);
  assert.equal((await isReady(k, res('Service'), { spec: { type: 'LoadBalancer', clusterIP: '10.0.0.1' }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } }, false)).ready, true);
  assert.equal((await isReady(k, res('Service'), { spec: { type: 'ExternalName' } }, false)).ready, true);
});

test('PVCs, Pods, Jobs (only with --wait-for-jobs), CRDs', async () => {
  const k = fakeKube();
  assert.equal((await isReady(k, res('PersistentVolumeClaim'), { status: { phase: 'Pending' } }, false)).ready, false);
  assert.equal((await isReady(k, res('PersistentVolumeClaim'), { status: { phase: 'Bound' } }, false)).ready, true);
  assert.equal((await isReady(k, res('Pod'), { status: { conditions: [{ type: 'Ready', status: 'False' }] } }, false)).ready, false);
  assert.equal((await isReady(k, res('Pod'), { status: { conditions: [{ type: 'Ready', status: 'True' }] } }, false)).ready, true);
  assert.equal((await isReady(k, res('Job'), { spec: {}, status: {} }, false)).ready, true);
  assert.equal((await isReady(k, res('Job'), { spec: {}, status: {} }, true)).ready, false);
  assert.equal((await isReady(k, res('Job'), { spec: { completions: 2 }, status: { succeeded: 2 } }, true)).ready, true);
  await assert.rejects(isReady(k, res('Job'), { metadata: { name: 'j' }, spec: {}, status: { conditions: [{ type: 'Failed', status: 'True' }] } }, true), /job is failed: \/j/);
  assert.equal((await isReady(k, res('CustomResourceDefinition'), { status: { conditions: [{ type: 'Established', status: 'True' }] } }, false)).ready, true);
});

test('StatefulSets and DaemonSets must be rolled out', async () => {
  const k = fakeKube();
  const sts = (st: Record<string, unknown>) => ({ metadata: { generation: 2 }, spec: { replicas: 3 }, status: { observedGeneration: 2, ...st } });
  assert.equal((await isReady(k, res('StatefulSet'), sts({ updatedReplicas: 3, readyReplicas: 2, currentRevision: 'a', updateRevision: 'a' }), false)).ready, false);
  assert.equal((await isReady(k, res('StatefulSet'), sts({ updatedReplicas: 3, readyReplicas: 3, currentRevision: 'a', updateRevision: 'b' }), false)).ready, false);
  assert.equal((await isReady(k, res('StatefulSet'), sts({ updatedReplicas: 3, readyReplicas: 3, currentRevision: 'b', updateRevision: 'b' }), false)).ready, true);
  const ds = (st: Record<string, unknown>) => ({ metadata: { generation: 1 }, spec: { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } }, status: { observedGeneration: 1, desiredNumberScheduled: 3, ...st } });
  assert.equal((await isReady(k, res('DaemonSet'), ds({ updatedNumberScheduled: 2, numberReady: 3 }), false)).ready, false);
  assert.equal((await isReady(k, res('DaemonSet'), ds({ updatedNumberScheduled: 3, numberReady: 1 }), false)).ready, false);
  assert.equal((await isReady(k, res('DaemonSet'), ds({ updatedNumberScheduled: 3, numberReady: 2 }), false)).ready, true);
});

test('Deployments: the new ReplicaSet (same template, owned by it) must have replicas - maxUnavailable ready', async () => {
  const template = { metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i:2' }] } };
  const dep = { metadata: { uid: 'u1', generation: 3 }, spec: { replicas: 4, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%' } } }, status: { observedGeneration: 3 } };
  const rs = (image: string, ready: number) => ({
    metadata: { generation: 1, ownerReferences: [{ uid: 'u1', controller: true }] },
    spec: { template: { metadata: { labels: { app: 'a', 'pod-template-hash': 'h' } }, spec: { containers: [{ name: 'c', image }] } } },
    status: { observedGeneration: 1, readyReplicas: ready },
  });
  assert.equal((await isReady(fakeKube([rs('i:1', 4)]), res('Deployment'), dep, false)).ready, false, 'only an old ReplicaSet');
  assert.equal((await isReady(fakeKube([rs('i:1', 4), rs('i:2', 2)]), res('Deployment'), dep, false)).ready, false);
  assert.equal((await isReady(fakeKube([rs('i:1', 4), rs('i:2', 3)]), res('Deployment'), dep, false)).ready, true);
  assert.equal((await isReady(fakeKube([rs('i:2', 4)]), res('Deployment'), { ...dep, status: { observedGeneration: 2 } }, false)).ready, false, 'generation not observed');
  assert.equal((await isReady(fakeKube([]), res('Deployment'), { ...dep, spec: { ...dep.spec, paused: true } }, false)).ready, true);
});
