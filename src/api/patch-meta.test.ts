import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allPatchMeta, patchExtensionsFor, patchMetaAt, patchMetaFor } from './patch-meta.js';
import { schemaFor } from './schema.js';

test('merge keys of the common lists', () => {
  assert.deepEqual(patchMetaAt('V1Pod', ['spec', 'containers']), { strategy: 'merge', mergeKey: 'name', listType: 'map', listMapKeys: ['name'] });
  assert.deepEqual(patchMetaAt('V1Deployment', ['spec', 'template', 'spec', 'containers', 'ports']), { strategy: 'merge', mergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] });
  assert.equal(patchMetaAt('V1Deployment', ['spec', 'template', 'spec', 'volumes'])?.strategy, 'merge,retainKeys');
  assert.equal(patchMetaAt('V1Service', ['spec', 'ports'])?.mergeKey, 'port');
  assert.deepEqual(patchMetaAt('V1Pod', ['metadata', 'finalizers']), { strategy: 'merge', listType: 'set' });
  assert.deepEqual(patchMetaAt('V1Deployment', ['spec', 'strategy']), { strategy: 'retainKeys' });
  assert.deepEqual(patchMetaAt('V1Pod', ['spec', 'tolerations']), { listType: 'atomic' });
  assert.equal(patchMetaAt('V1Pod', ['spec', 'nodeSelector']), undefined);
  assert.equal(patchMetaAt('V1Pod', ['spec', 'nope', 'deeper']), undefined);
});

test('OpenAPI extensions from the table', () => {
  assert.deepEqual(patchExtensionsFor('V1PodSpec', 'containers'), {
    'x-kubernetes-list-type': 'map',
    'x-kubernetes-list-map-keys': ['name'],
    'x-kubernetes-patch-merge-key': 'name',
    'x-kubernetes-patch-strategy': 'merge',
  });
  assert.deepEqual(patchExtensionsFor('V1PodSpec', 'hostname'), {});
});

test('every table entry names a real model field', () => {
  for (const [key, meta] of allPatchMeta()) {
    const [model, field] = key.split('.');
    const s = schemaFor(model).properties[field];
    assert.ok(s, `${key} exists`);
    if (meta.listType || meta.mergeKey) assert.equal(s.type, 'array', key);
    const items = s.type === 'array' ? s.items : undefined;
    for (const k of [...(meta.mergeKey ? [meta.mergeKey] : []), ...(meta.listMapKeys ?? [])]) {
      assert.ok(items?.type === 'object' && items.properties[k], `${key} items have ${k}`);
    }
    if (meta.listType === 'set') assert.ok(items && items.type !== 'object', `${key} is a set of scalars`);
  }
  assert.ok(patchMetaFor('V1EphemeralContainer', 'volumeDevices'));
});
