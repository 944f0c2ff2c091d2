import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allPatchMeta, patchMetaAt, patchMetaFor } from './patch-meta.js';
import { schemaFor } from './schema.js';

test('merge keys of the common lists', () => {
  assert.deepEqual(patchMetaAt('V1Pod', ['spec', 'containers']), { strategy: 'merge', mergeKey: 'name' });
  assert.deepEqual(patchMetaAt('V1Deployment', ['spec', 'template', 'spec', 'containers', 'ports']), { strategy: 'merge', mergeKey: 'containerPort' });
  assert.deepEqual(patchMetaAt('V1Deployment', ['spec', 'template', 'spec', 'volumes']), { strategy: 'merge,retainKeys', mergeKey: 'name' });
  assert.deepEqual(patchMetaAt('V1Service', ['spec', 'ports']), { strategy: 'merge', mergeKey: 'port' });
  assert.deepEqual(patchMetaAt('V1Pod', ['metadata', 'finalizers']), { strategy: 'merge' });
  assert.deepEqual(patchMetaAt('V1Deployment', ['spec', 'strategy']), { strategy: 'retainKeys' });
  // Untagged lists are atomic.
  assert.equal(patchMetaAt('V1Pod', ['spec', 'tolerations']), undefined);
  assert.equal(patchMetaAt('V1Pod', ['spec', 'nope', 'deeper']), undefined);
});

test('every table entry names a real model field', () => {
  for (const [model, field] of [
    ['V1PodSpec', 'volumes'], ['V1PodStatus', 'podIPs'], ['V1NodeStatus', 'addresses'], ['V2HorizontalPodAutoscalerStatus', 'conditions'],
    ['V1PodDisruptionBudgetStatus', 'conditions'], ['V1ServiceStatus', 'conditions'], ['V1EphemeralContainer', 'volumeDevices'],
  ] as const) {
    assert.ok(patchMetaFor(model, field), `${model}.${field} tagged`);
    assert.ok(schemaFor(model).properties[field], `${model}.${field} exists`);
  }
  for (const [key, meta] of allPatchMeta()) {
    const [model, field] = key.split('.');
    const s = schemaFor(model).properties[field];
    assert.ok(s, `${key} exists`);
    if (meta.mergeKey) {
      assert.equal(s.type, 'array', key);
      const items = s.type === 'array' ? s.items : undefined;
      assert.ok(items?.type === 'object' && items.properties[meta.mergeKey], `${key} items have ${meta.mergeKey}`);
    }
  }
});
