import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goTypeName, hasModel, schemaAt, schemaFor } from './schema.js';
import { docsFor, requiredFields } from './schema-docs.js';

test('schemaFor derives field types from the client-node models', () => {
  const port = schemaFor('V1ContainerPort');
  assert.equal(port.goName, 'ContainerPort');
  assert.deepEqual(port.properties.containerPort, { type: 'integer', format: 'int32' });
  assert.deepEqual(port.properties.protocol, { type: 'string', format: '' });
  const pod = schemaFor('V1Pod');
  assert.deepEqual(Object.keys(pod.properties).sort(), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
  assert.deepEqual(schemaAt('V1Pod', ['spec', 'terminationGracePeriodSeconds']), { type: 'integer', format: 'int64' });
  assert.deepEqual(schemaAt('V1Pod', ['spec', 'hostNetwork']), { type: 'boolean' });
  assert.deepEqual(schemaAt('V1Pod', ['metadata', 'creationTimestamp']), { type: 'string', format: 'date-time' });
  assert.deepEqual(schemaAt('V1Pod', ['metadata', 'labels']), { type: 'map', values: { type: 'string', format: '' } });
  const containers = schemaAt('V1Pod', ['spec', 'containers']);
  assert.equal(containers?.type, 'array');
  assert.equal(containers.type === 'array' && containers.items.type === 'object' ? containers.items.model : '', 'V1Container');
});

test('quantities, int-or-string, bytes and raw JSON get their own schema types', () => {
  assert.deepEqual(schemaAt('V1Pod', ['spec', 'containers', 'resources', 'limits']), { type: 'map', values: { type: 'quantity', resourceList: true } });
  assert.deepEqual(schemaAt('V1Node', ['status', 'capacity']), { type: 'map', values: { type: 'quantity', resourceList: true } });
  assert.deepEqual(schemaAt('V1ResourceQuota', ['spec', 'hard']), { type: 'map', values: { type: 'quantity', resourceList: true } });
  assert.deepEqual(schemaAt('V1LimitRange', ['spec', 'limits', 'default']), { type: 'map', values: { type: 'quantity', resourceList: true } });
  assert.deepEqual(schemaAt('V1Pod', ['spec', 'volumes', 'emptyDir', 'sizeLimit']), { type: 'quantity' });
  assert.deepEqual(schemaAt('V1Service', ['spec', 'ports', 'targetPort']), { type: 'int-or-string' });
  assert.deepEqual(schemaAt('V1Secret', ['data']), { type: 'map', values: { type: 'string', format: 'byte' } });
  assert.deepEqual(schemaAt('V1ControllerRevision', ['data']), { type: 'any' });
});

test('recursive models are cyclic graphs built once', () => {
  const props = schemaFor('V1JSONSchemaProps');
  const nested = props.properties.properties;
  assert.equal(nested.type, 'map');
  assert.equal(nested.type === 'map' ? nested.values : undefined, props);
  assert.equal(schemaFor('V1Pod'), schemaFor('V1Pod'));
});

test('model names map to Go type names; unknown models throw', () => {
  assert.deepEqual(goTypeName('CoreV1Event'), { pkg: 'v1', name: 'Event' });
  assert.deepEqual(goTypeName('V2HorizontalPodAutoscaler'), { pkg: 'v2', name: 'HorizontalPodAutoscaler' });
  assert.deepEqual(goTypeName('V1beta1Lease'), { pkg: 'v1beta1', name: 'Lease' });
  assert.equal(hasModel('V1Pod'), true);
  assert.equal(hasModel('V1Nope'), false);
  assert.throws(() => schemaFor('V1Nope'), /no client-node model named V1Nope/);
});

test('descriptions and required flags come from the .d.ts files', () => {
  const doc = docsFor('V1ContainerPort');
  assert.equal(doc.description, 'ContainerPort represents a network port in a single container.');
  assert.equal(doc.fields.containerPort.required, true);
  assert.equal(doc.fields.protocol.required, false);
  assert.match(doc.fields.protocol.description ?? '', /Defaults to "TCP"\.$/);
  assert.deepEqual(requiredFields('V1Container'), ['name']);
  // `_default` in TypeScript is `default` on the wire.
  assert.ok(docsFor('V1LimitRangeItem').fields.default);
  assert.deepEqual(requiredFields('V1ServicePort'), ['port']);
});

test('docs of a model without declarations are empty, not an error', () => {
  assert.deepEqual(docsFor('V1DoesNotExist'), { fields: {} });
});
