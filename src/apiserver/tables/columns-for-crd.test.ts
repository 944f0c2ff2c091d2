import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KindDefinition, KubeObject } from '../../api/types.js';
import { crdPrinter, findJsonPath, parseJsonPath } from './columns-for-crd.js';
import { tableWithPrinter } from './index.js';

const NOW = Date.parse('2026-11-27T12:00:00Z');

const widget: KubeObject = {
  apiVersion: 'example.com/v1', kind: 'Widget',
  metadata: { name: 'w1', namespace: 'default', creationTimestamp: '2026-11-27T11:55:00Z', labels: { 'app.kubernetes.io/name': 'shop' } },
  spec: { replicas: 3, size: 'large', ratio: 0.75, enabled: true, tags: ['a', 'b'] },
  status: { conditions: [{ type: 'Synced', status: 'False' }, { type: 'Ready', status: 'True', lastTransitionTime: '2026-11-27T11:59:30Z' }] },
};

test('findJsonPath: fields, escaped dots, brackets, indexes, wildcards, filters', () => {
  assert.deepEqual(findJsonPath(widget, '.spec.replicas'), [3]);
  assert.deepEqual(findJsonPath(widget, '{.spec.size}'), ['large']);
  assert.deepEqual(findJsonPath(widget, '.metadata.labels.app\\.kubernetes\\.io/name'), ['shop']);
  assert.deepEqual(findJsonPath(widget, ".metadata.labels['app.kubernetes.io/name']"), ['shop']);
  assert.deepEqual(findJsonPath(widget, '.spec.tags[1]'), ['b']);
  assert.deepEqual(findJsonPath(widget, '.status.conditions[*].type'), ['Synced', 'Ready']);
  assert.deepEqual(findJsonPath(widget, '.status.conditions[?(@.type=="Ready")].status'), ['True']);
  assert.deepEqual(findJsonPath(widget, ".status.conditions[?(@.type!='Ready')].type"), ['Synced']);
  assert.deepEqual(findJsonPath(widget, '.spec.missing.deeper'), []);
  assert.throws(() => parseJsonPath('.spec[?(@.a > 1)]'), /unsupported JSONPath/);
});

test('crdPrinter: columns as upstream tableconvertor, typed cells, null for missing', () => {
  const printer = crdPrinter([
    { name: 'Replicas', type: 'integer', jsonPath: '.spec.replicas' },
    { name: 'Size', type: 'string', jsonPath: '.spec.size', description: 'How big' },
    { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
    { name: 'Ratio', type: 'number', jsonPath: '.spec.ratio', priority: 1 },
    { name: 'Enabled', type: 'boolean', jsonPath: '.spec.enabled' },
    { name: 'Tags', type: 'string', jsonPath: '.spec.tags' },
    { name: 'Missing', type: 'string', jsonPath: '.spec.nothing' },
    { name: 'Wrong', type: 'integer', jsonPath: '.spec.size' },
    { name: 'Since', type: 'date', jsonPath: '.status.conditions[?(@.type=="Ready")].lastTransitionTime' },
  ]);
  const def = { resource: { group: 'example.com', version: 'v1', kind: 'Widget' } } as KindDefinition;
  const table = tableWithPrinter(printer, def, [widget], { now: new Date(NOW) });
  assert.deepEqual(table.columnDefinitions.map((c) => [c.name, c.type, c.priority]), [
    ['Name', 'string', 0], ['Replicas', 'integer', 0], ['Size', 'string', 0], ['Ready', 'string', 0], ['Ratio', 'number', 1], ['Enabled', 'boolean', 0],
    ['Tags', 'string', 0], ['Missing', 'string', 0], ['Wrong', 'integer', 0], ['Since', 'date', 0],
  ]);
  assert.equal(table.columnDefinitions[1]!.description, 'Custom resource definition column (in JSONPath format): .spec.replicas');
  assert.equal(table.columnDefinitions[2]!.description, 'How big');
  assert.deepEqual(table.rows[0]!.cells, ['w1', 3, 'large', 'True', 0.75, true, '["a","b"]', null, null, '30s']);
});

test('crdPrinter without columns prints NAME and AGE', () => {
  const printer = crdPrinter([]);
  assert.deepEqual(printer.columns.map((c) => [c.name, c.type]), [['Name', 'string'], ['Age', 'date']]);
  assert.deepEqual(printer.cells(widget, NOW), ['w1', '5m']);
});
