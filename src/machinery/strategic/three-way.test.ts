import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyStrategicMergePatch, createThreeWayMergePatch } from './index.js';

type Obj = Record<string, any>;
const config = (image: string, env: [string, string][], extra: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image, ports: [{ containerPort: 80 }], env: env.map(([name, value]) => ({ name, value })) }] } },
    ...extra,
  },
});
/** The live object: the config plus server defaults and fields set by others. */
const live = (c: Obj): Obj => {
  const o = structuredClone(c);
  o.metadata.uid = 'u';
  o.spec.strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  const container = o.spec.template.spec.containers[0];
  container.imagePullPolicy = 'IfNotPresent';
  container.ports[0].protocol = 'TCP';
  o.spec.template.metadata.annotations = { 'kubectl.kubernetes.io/restartedAt': 'x' };
  return o;
};

test('the patch kubectl v1.32 sends for a changed image and a removed env var', () => {
  const original = config('nginx:1', [['A', '1'], ['B', '2']]);
  const modified = config('nginx:2', [['A', '1']]);
  const current = live(original);
  const patch = createThreeWayMergePatch(original, modified, current, 'V1Deployment');
  // Captured from `kubectl apply -v=8` against this server (metadata annotation left out of both configs).
  assert.deepEqual(patch, {
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'c' }],
          containers: [{ '$setElementOrder/env': [{ name: 'A' }], env: [{ $patch: 'delete', name: 'B' }], image: 'nginx:2', name: 'c' }],
        },
      },
    },
  });
  const result = applyStrategicMergePatch(current, patch, 'V1Deployment') as Obj;
  const c = result.spec.template.spec.containers[0];
  assert.deepEqual([c.image, c.env, c.imagePullPolicy], ['nginx:2', [{ name: 'A', value: '1' }], 'IfNotPresent']);
  assert.deepEqual(result.spec.template.metadata.annotations, { 'kubectl.kubernetes.io/restartedAt': 'x' }, 'fields set by others survive');
});

test('unchanged configuration: empty patch', () => {
  const c = config('nginx:1', [['A', '1']]);
  assert.deepEqual(createThreeWayMergePatch(c, c, live(c), 'V1Deployment'), {});
});

test('removed fields become null, added containers and reordering use $setElementOrder, strategy switch uses $retainKeys', () => {
  const original = config('nginx:1', [], { minReadySeconds: 5 });
  const modified = config('nginx:1', [], { strategy: { type: 'Recreate' } });
  modified.spec.template.spec.containers.unshift({ name: 'side', image: 'busybox' });
  const current = live(original);
  const patch = createThreeWayMergePatch(original, modified, current, 'V1Deployment') as Obj;
  assert.equal(patch.spec.minReadySeconds, null);
  assert.deepEqual(patch.spec.strategy, { $retainKeys: ['type'], type: 'Recreate' });
  assert.deepEqual(patch.spec.template.spec['$setElementOrder/containers'], [{ name: 'side' }, { name: 'c' }]);
  const result = applyStrategicMergePatch(current, patch, 'V1Deployment') as Obj;
  assert.equal(result.spec.minReadySeconds, undefined);
  assert.deepEqual(result.spec.strategy, { type: 'Recreate' });
  assert.deepEqual(result.spec.template.spec.containers.map((c: Obj) => c.name), ['side', 'c']);
});

test('merged primitive lists: $deleteFromPrimitiveList for removed finalizers, others kept', () => {
  const original = { metadata: { name: 'p', finalizers: ['a', 'b'] } };
  const modified = { metadata: { name: 'p', finalizers: ['a', 'c'] } };
  const current = { metadata: { name: 'p', finalizers: ['a', 'b', 'z'] } };
  const patch = createThreeWayMergePatch(original, modified, current, 'V1Pod') as Obj;
  assert.deepEqual(patch.metadata['$deleteFromPrimitiveList/finalizers'], ['b']);
  const result = applyStrategicMergePatch(current, patch, 'V1Pod') as Obj;
  assert.deepEqual([...result.metadata.finalizers].sort(), ['a', 'c', 'z']);
});
