import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allKinds, findKind, findKindByKind, registerKind } from './index.js';
import { hasModel, schemaFor } from './schema.js';

test('core kinds carry upstream names, short names, categories and subresources', () => {
  const expect: [string, string, string[], string[]][] = [
    ['pods', 'Pod', ['po'], ['all']],
    ['services', 'Service', ['svc'], ['all']],
    ['configmaps', 'ConfigMap', ['cm'], []],
    ['namespaces', 'Namespace', ['ns'], []],
    ['nodes', 'Node', ['no'], []],
    ['persistentvolumes', 'PersistentVolume', ['pv'], []],
    ['persistentvolumeclaims', 'PersistentVolumeClaim', ['pvc'], []],
    ['serviceaccounts', 'ServiceAccount', ['sa'], []],
    ['endpoints', 'Endpoints', ['ep'], []],
    ['events', 'Event', ['ev'], []],
    ['limitranges', 'LimitRange', ['limits'], []],
    ['resourcequotas', 'ResourceQuota', ['quota'], []],
    ['secrets', 'Secret', [], []],
  ];
  for (const [plural, kind, short, categories] of expect) {
    const def = findKind('', 'v1', plural);
    assert.ok(def, plural);
    assert.equal(def.resource.kind, kind);
    assert.equal(def.resource.listKind, `${kind}List`);
    assert.deepEqual(def.resource.shortNames, short, plural);
    assert.deepEqual(def.resource.categories, categories, plural);
    assert.equal(findKindByKind('', 'v1', kind), def);
  }
  assert.equal(findKind('', 'v1', 'endpoints')?.resource.singular, 'endpoints');
  assert.equal(findKind('', 'v1', 'nodes')?.resource.namespaced, false);
  assert.deepEqual(findKind('', 'v1', 'bindings')?.resource.verbs, ['create']);
  const pods = findKind('', 'v1', 'pods')!;
  for (const sub of ['status', 'binding', 'eviction', 'log', 'exec'] as const) assert.ok(pods.resource.subresources.includes(sub), sub);
  assert.equal(findKind('', 'v1', 'nope'), undefined);
});

test('every served kind names a client-node model whose schema builds', () => {
  const seen = new Set<string>();
  for (const def of allKinds()) {
    const r = def.resource;
    const key = `${r.group}/${r.version}/${r.plural}`;
    assert.ok(!seen.has(key), `duplicate ${key}`);
    seen.add(key);
    assert.ok(hasModel(def.model), `${key}: no model ${def.model}`);
    assert.equal(schemaFor(def.model).properties.metadata?.type, 'object', key);
  }
  assert.ok(seen.size >= 15);
});

test('registerKind adds or replaces a definition', () => {
  const base = findKind('', 'v1', 'configmaps')!;
  const extra = { ...base, resource: { ...base.resource, group: 'example.com', plural: 'widgets', kind: 'Widget', listKind: 'WidgetList' } };
  registerKind(extra);
  assert.equal(findKind('example.com', 'v1', 'widgets'), extra);
  assert.equal(findKindByKind('example.com', 'v1', 'Widget'), extra);
  assert.ok(allKinds().includes(extra));
});
