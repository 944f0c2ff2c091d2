// CustomResourceDefinition defaulting and validation, with upstream's messages and field paths.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMessage } from '../../machinery/errors.js';
import type { KubeObject } from '../types.js';
import { defaultCRD, validateCRD, validateCRDUpdate } from './validate-crd.js';
import type { CustomResourceDefinition, JSONSchemaProps } from './types.js';

function crd(mutate: (c: CustomResourceDefinition) => void = () => undefined): CustomResourceDefinition {
  const c: CustomResourceDefinition = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { plural: 'widgets', kind: 'Widget' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'string' } } } } } } }],
    },
  };
  mutate(c);
  defaultCRD(c);
  return c;
}

const problems = (c: KubeObject): string[] => validateCRD(c).map(fieldErrorMessage);
const withSchema = (s: JSONSchemaProps) => (c: CustomResourceDefinition): void => {
  c.spec!.versions![0]!.schema = { openAPIV3Schema: s };
};

describe('CRD defaults', () => {
  it('fills singular, listKind, conversion and storedVersions', () => {
    const c = crd();
    assert.deepEqual(c.spec!.names, { plural: 'widgets', kind: 'Widget', singular: 'widget', listKind: 'WidgetList' });
    assert.deepEqual(c.spec!.conversion, { strategy: 'None' });
    assert.deepEqual(c.status?.storedVersions, ['v1']);
    assert.deepEqual(problems(c), []);
  });
});

describe('CRD validation', () => {
  it('requires the name to be <plural>.<group> and a dotted group', () => {
    assert.deepEqual(problems(crd((c) => (c.metadata!.name = 'widget.example.com'))), ['metadata.name: Invalid value: "widget.example.com": must be spec.names.plural+"."+spec.group']);
    assert.deepEqual(
      problems(crd((c) => {
        c.spec!.group = 'example';
        c.metadata!.name = 'widgets.example';
      })),
      ['spec.group: Invalid value: "example": should be a domain with at least one dot'],
    );
  });

  it('checks scope and names', () => {
    assert.deepEqual(problems(crd((c) => (c.spec!.scope = 'Global'))), ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']);
    const msgs = problems(
      crd((c) => {
        c.spec!.names = { plural: 'Widgets', kind: 'Wid_get', listKind: 'Wid_get', shortNames: ['W'] };
        c.metadata!.name = 'Widgets.example.com';
      }),
    );
    assert.ok(msgs.includes('spec.names.plural: Invalid value: "Widgets": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')'), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.startsWith('spec.names.kind: Invalid value: "Wid_get": may have mixed case, but should otherwise match: a DNS-1035 label')), msgs.join('\n'));
    assert.ok(msgs.includes('spec.names.listKind: Invalid value: "Wid_get": kind and listKind may not be the same'));
    assert.ok(msgs.some((m) => m.startsWith('spec.names.shortNames[0]: Invalid value: "W"')));
    assert.deepEqual(problems(crd((c) => (c.spec!.names = { plural: 'widgets' }))), ['spec.names.singular: Required value', 'spec.names.kind: Required value', 'spec.names.listKind: Required value']);
  });

  it('checks versions: exactly one storage version, unique names, a schema each', () => {
    const two = crd((c) => c.spec!.versions!.push({ ...c.spec!.versions![0]! }));
    const msgs = problems(two);
    assert.ok(msgs.some((m) => m.startsWith('spec.versions: Invalid value: ') && m.endsWith(': must contain unique version names')), msgs.join('\n'));
    assert.ok(msgs.some((m) => m.endsWith(': must have exactly one version marked as storage version')));
    assert.deepEqual(problems(crd((c) => delete c.spec!.versions![0]!.schema)), ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required']);
    assert.ok(problems(crd((c) => (c.spec!.versions![0]!.name = 'V1')))[0]!.startsWith('spec.versions[0].name: Invalid value: "V1": a DNS-1035 label'));
  });

  it('enforces structural schemas', () => {
    const p = 'spec.versions[0].schema.openAPIV3Schema';
    assert.deepEqual(problems(crd(withSchema({ type: 'object', properties: { spec: { properties: { a: { type: 'string' } } } } }))), [`${p}.properties[spec].type: Required value: must not be empty for specified object fields`]);
    assert.deepEqual(problems(crd(withSchema({ properties: { spec: { type: 'object' } } }))), [`${p}.type: Required value: must not be empty at the root`]);
    assert.deepEqual(problems(crd(withSchema({ type: 'object', properties: { any: { 'x-kubernetes-preserve-unknown-fields': true }, port: { 'x-kubernetes-int-or-string': true } } }))), []);
    assert.deepEqual(problems(crd(withSchema({ type: 'object', properties: { m: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } } } }))), [
      `${p}.properties[m].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive`,
    ]);
    assert.deepEqual(problems(crd(withSchema({ type: 'object', properties: { l: { type: 'array' } } }))), [`${p}.properties[l].items: Required value: must be specified`]);
    assert.deepEqual(problems(crd(withSchema({ type: 'object', properties: { l: { type: 'array', uniqueItems: true, items: { type: 'string' } } } }))), [
      `${p}.properties[l].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic`,
    ]);
    assert.deepEqual(problems(crd(withSchema({ type: 'object', properties: { metadata: { type: 'object', properties: { labels: { type: 'object' } } } } }))), [
      `${p}.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified`,
    ]);
    assert.deepEqual(problems(crd(withSchema({ type: 'object', properties: { a: { type: 'string', $ref: '#/x' } } }))), [`${p}.properties[a].$ref: Forbidden: $ref is not supported`]);
    assert.deepEqual(problems(crd(withSchema({ type: 'object', properties: { a: { type: 'integer', default: 'x' } } }))), [
      `${p}.properties[a].default: Invalid value: "string": a in body must be of type integer: "string"`,
    ]);
    assert.deepEqual(problems(crd(withSchema({ type: 'object', properties: { a: { type: 'string' } }, anyOf: [{ type: 'object' }] }))), [`${p}.anyOf[0].type: Forbidden: must be empty to be structural`]);
  });

  it('checks subresources and printer columns', () => {
    const msgs = problems(
      crd((c) => {
        c.spec!.versions![0]!.subresources = { scale: { specReplicasPath: 'spec.replicas', statusReplicasPath: '.spec.replicas' } };
        c.spec!.versions![0]!.additionalPrinterColumns = [{ name: 'Size', type: 'text', jsonPath: '.spec.size' }, { name: '', type: 'string', jsonPath: '' }];
      }),
    );
    assert.deepEqual(msgs, [
      'spec.versions[0].subresources.scale.specReplicasPath: Invalid value: "spec.replicas": must be a simple json path starting with .',
      'spec.versions[0].subresources.scale.statusReplicasPath: Invalid value: ".spec.replicas": should be a json path under .status',
      'spec.versions[0].additionalPrinterColumns[0].type: Invalid value: "text": must be one of boolean,date,integer,number,string',
      'spec.versions[0].additionalPrinterColumns[1].name: Required value',
      'spec.versions[0].additionalPrinterColumns[1].JSONPath: Required value',
    ]);
  });

  it('keeps group and plural immutable, and kind/scope once established', () => {
    const old = crd();
    old.status!.conditions = [{ type: 'Established', status: 'True' }];
    const next = crd((c) => {
      c.spec!.group = 'other.com';
      c.spec!.scope = 'Cluster';
      c.spec!.names!.plural = 'gadgets';
    });
    assert.deepEqual(validateCRDUpdate(next, old).map(fieldErrorMessage), [
      'spec.scope: Invalid value: "Cluster": field is immutable',
      'spec.group: Invalid value: "other.com": field is immutable',
      'spec.names.plural: Invalid value: "gadgets": field is immutable',
    ]);
  });
});
