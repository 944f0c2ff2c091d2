// Custom object validation, pruning and defaulting against CRD schemas, with upstream's messages.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../machinery/errors.js';
import { customResourceKinds } from './custom-kind.js';
import { validateAgainstSchema } from './schema-validate.js';
import { applyDefaults, prune } from './structural.js';
import type { CustomResourceDefinition, JSONSchemaProps } from './types.js';

function messages(schema: JSONSchemaProps, obj: unknown): string[] {
  const errs: FieldError[] = [];
  validateAgainstSchema(schema, obj, '', errs, true);
  return errs.map(fieldErrorMessage);
}

const spec = (properties: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): JSONSchemaProps => ({
  type: 'object',
  properties: { spec: { type: 'object', properties, ...extra } },
});

describe('validateAgainstSchema', () => {
  it('reports type mismatches as upstream', () => {
    assert.deepEqual(messages(spec({ replicas: { type: 'integer' } }), { spec: { replicas: 'string' } }), [
      'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    ]);
    assert.deepEqual(messages(spec({ ratio: { type: 'integer' } }), { spec: { ratio: 1.5 } }), [
      'spec.ratio: Invalid value: "number": spec.ratio in body must be of type integer: "number"',
    ]);
    assert.deepEqual(messages(spec({ on: { type: 'boolean' } }), { spec: { on: 'yes' } }), ['spec.on: Invalid value: "string": spec.on in body must be of type boolean: "string"']);
  });

  it('reports required, enum, pattern and bounds', () => {
    const s = spec(
      {
        foo: { type: 'string' },
        mode: { type: 'string', enum: ['a', 'b'] },
        name: { type: 'string', pattern: '^[a-z]+$', minLength: 2, maxLength: 4 },
        n: { type: 'integer', minimum: 1, maximum: 5 },
        x: { type: 'number', minimum: 0, exclusiveMinimum: true },
      },
      { required: ['foo'] },
    );
    assert.deepEqual(messages(s, { spec: { mode: 'x', name: 'A1xyz', n: 0, x: 0 } }), [
      'spec.foo: Required value',
      'spec.mode: Unsupported value: "x": supported values: "a", "b"',
      'spec.name: Too long: may not be more than 4 bytes',
      "spec.name: Invalid value: \"A1xyz\": spec.name in body should match '^[a-z]+$'",
      'spec.n: Invalid value: 0: spec.n in body should be greater than or equal to 1',
      'spec.x: Invalid value: 0: spec.x in body should be greater than 0',
    ]);
    assert.deepEqual(messages(s, { spec: { foo: 'y', name: 'a', n: 9 } }), [
      'spec.name: Invalid value: "a": spec.name in body should be at least 2 chars long',
      'spec.n: Invalid value: 9: spec.n in body should be less than or equal to 5',
    ]);
  });

  it('checks arrays: minItems, maxItems, uniqueItems, list-type set and map', () => {
    const s = spec({
      tags: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 3 },
      set: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
      ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' }, port: { type: 'integer' } } } },
      uniq: { type: 'array', uniqueItems: true, items: { type: 'integer' } },
    });
    assert.deepEqual(messages(s, { spec: { tags: ['a'], set: ['x', 'y', 'x'], ports: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }], uniq: [1, 1] } }), [
      'spec.tags: Invalid value: 1: spec.tags in body should have at least 2 items',
      'spec.set[2]: Duplicate value: "x"',
      'spec.ports[1]: Duplicate value: {"name":"a"}',
      'spec.uniq: Invalid value: "": spec.uniq in body shouldn\'t contain duplicates',
    ]);
    assert.deepEqual(messages(s, { spec: { tags: ['a', 'b', 'c', 'd'] } }), ['spec.tags: Too many: 4: must have at most 3 items']);
    assert.deepEqual(messages(s, { spec: { tags: ['a', 7] } }), ['spec.tags[1]: Invalid value: "integer": spec.tags[1] in body must be of type string: "integer"']);
  });

  it('checks formats, int-or-string and nullable', () => {
    const s = spec({
      at: { type: 'string', format: 'date-time' },
      data: { type: 'string', format: 'byte' },
      id: { type: 'string', format: 'uuid' },
      port: { 'x-kubernetes-int-or-string': true },
      note: { type: 'string', nullable: true },
      count: { type: 'integer', format: 'int32' },
    });
    assert.deepEqual(messages(s, { spec: { at: '2024-01-02T03:04:05Z', data: 'aGk=', id: '123e4567-e89b-12d3-a456-426614174000', port: 'http', note: null, count: 3 } }), []);
    assert.deepEqual(messages(s, { spec: { port: 80 } }), []);
    assert.deepEqual(messages(s, { spec: { at: 'yesterday', data: '***', port: true, count: 2 ** 31 } }), [
      'spec.at: Invalid value: "yesterday": spec.at in body must be of type date-time: "yesterday"',
      'spec.data: Invalid value: "***": spec.data in body must be of type byte: "***"',
      'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
      'spec.count: Invalid value: 2147483648: spec.count in body should be less than or equal to 2147483647',
    ]);
  });

  it('applies root metadata.name restrictions', () => {
    const s: JSONSchemaProps = { type: 'object', properties: { metadata: { type: 'object', properties: { name: { type: 'string', maxLength: 5 } } } } };
    assert.deepEqual(messages(s, { metadata: { name: 'toolong', labels: { a: 'b' } } }), ['metadata.name: Too long: may not be more than 5 bytes']);
    assert.deepEqual(messages(s, { metadata: { name: 'ok' } }), []);
  });

  it('checks embedded resources', () => {
    const s = spec({ template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } });
    assert.deepEqual(messages(s, { spec: { template: { metadata: { name: 'Bad_Name' } } } }).slice(0, 2), [
      'spec.template.apiVersion: Required value: must not be empty',
      'spec.template.kind: Required value: must not be empty',
    ]);
    assert.match(messages(s, { spec: { template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Bad_Name' } } } })[0]!, /^spec\.template\.metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
  });
});

describe('prune and applyDefaults', () => {
  it('drops unknown fields (reporting their paths), keeps preserved ones and root metadata', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            a: { type: 'string' },
            items: { type: 'array', items: { type: 'object', properties: { n: { type: 'integer' } } } },
            free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            labels: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    };
    const obj = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n' }, spec: { a: 'ok', b: 1, items: [{ n: 1, m: 2 }], free: { any: { thing: 1 } }, labels: { k: 'v' } }, extra: true };
    assert.deepEqual(prune(s, obj), ['spec.b', 'spec.items[0].m', 'extra']);
    assert.deepEqual(obj, { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n' }, spec: { a: 'ok', items: [{ n: 1 }], free: { any: { thing: 1 } }, labels: { k: 'v' } } });
  });

  it('applies defaults in nested objects and array items; nulls take the default or go', () => {
    const s: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          default: {},
          properties: {
            replicas: { type: 'integer', default: 1 },
            nested: { type: 'object', default: {}, properties: { mode: { type: 'string', default: 'fast' } } },
            ports: { type: 'array', items: { type: 'object', properties: { protocol: { type: 'string', default: 'TCP' } } } },
            gone: { type: 'string' },
            kept: { type: 'string', nullable: true },
          },
        },
      },
    };
    const obj: Record<string, unknown> = { spec: { replicas: null, ports: [{}, { protocol: 'UDP' }], gone: null, kept: null } };
    applyDefaults(s, obj);
    assert.deepEqual(obj, { spec: { replicas: 1, ports: [{ protocol: 'TCP' }, { protocol: 'UDP' }], kept: null, nested: { mode: 'fast' } } });
    const empty: Record<string, unknown> = {};
    applyDefaults(s, empty);
    assert.deepEqual(empty, { spec: { replicas: 1, nested: { mode: 'fast' } } });
  });
});

describe('customResourceKinds', () => {
  const crd: CustomResourceDefinition = {
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget', shortNames: ['wd'] },
      versions: [
        { name: 'v1', served: true, storage: true, subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } }, schema: { openAPIV3Schema: spec({ replicas: { type: 'integer', default: 2 } }) } },
        { name: 'v1beta1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    },
  };
  it('builds one kind per served version with subresources, scale paths and decoding', () => {
    const kinds = customResourceKinds(crd);
    assert.equal(kinds.length, 1);
    const k = kinds[0]!;
    assert.deepEqual([k.resource.version, k.resource.listKind, k.resource.singular, k.resource.shortNames, k.resource.subresources], ['v1', 'WidgetList', 'widget', ['wd'], ['status', 'scale']]);
    assert.deepEqual(k.scale, { specReplicas: ['spec', 'replicas'], statusReplicas: ['status', 'replicas'] });
    const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'a', bogus: 1 }, spec: { other: 1 } };
    assert.deepEqual(k.checkTypes!(obj), { errors: [], unknownFields: ['metadata.bogus', 'spec.other'] });
    assert.deepEqual(obj.spec, { replicas: 2 });
    assert.deepEqual(k.validate!({ spec: { replicas: 'x' } }).map(fieldErrorMessage), ['spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"']);
  });
});
