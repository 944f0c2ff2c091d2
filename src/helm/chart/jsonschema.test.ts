import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAgainstSchema } from './jsonschema.js';

const schema = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['name', 'port'],
  properties: {
    name: { type: 'string' },
    port: { type: 'integer', minimum: 1, maximum: 65535 },
    mode: { enum: ['a', 'b'] },
    tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
    nested: { type: 'object', properties: { x: { type: 'string' }, y: { type: 'number' } } },
    ref: { $ref: '#/definitions/pos' },
  },
  additionalProperties: false,
  definitions: { pos: { type: 'number', exclusiveMinimum: 0 } },
});

test('valid values pass, int64 from --set counts as integer', () => {
  assert.equal(validateAgainstSchema(schema, { name: 'x', port: 80n, mode: 'a', tags: ['t'], ref: 1 }), null);
});

test('errors are listed like santhosh-tekuri/jsonschema v6', () => {
  const out = validateAgainstSchema(schema, { port: 1.5, mode: 'c', tags: ['a', 1, 'c'], extra: 1, nested: { x: 1, y: 'no' }, ref: -1 });
  assert.equal(out, [
    "- at '': missing property 'name'",
    "- at '/port': got number, want integer",
    "- at '/mode': value must be one of 'a', 'b'",
    "- at '/tags': validation failed",
    '  - at \'/tags\': maxItems: got 3, want 2',
    "  - at '/tags/1': got number, want string",
    "- at '/nested': validation failed",
    "  - at '/nested/x': got number, want string",
    "  - at '/nested/y': got string, want number",
    "- at '/ref': exclusiveMinimum: got -1, want 0",
    "- at '': additional properties 'extra' not allowed",
    '',
  ].join('\n'));
});

test('helm conformance messages: minimum and missing property', () => {
  const s = JSON.stringify({ properties: { age: { minimum: 0, type: 'integer' } }, required: ['age'] });
  assert.equal(validateAgainstSchema(s, {}), "- at '': missing property 'age'\n");
  assert.equal(validateAgainstSchema(s, { age: -25n }), "- at '/age': minimum: got -25, want 0\n");
});

test('formats are asserted for draft-07 schemas, not for 2020-12', () => {
  const s7 = JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', properties: { ip: { format: 'ipv4' }, mail: { format: 'email' }, host: { format: 'hostname' } } });
  assert.equal(validateAgainstSchema(s7, { ip: '10.0.0.1', mail: 'a@b.io', host: 'a-b.example' }), null);
  assert.equal(validateAgainstSchema(s7, { ip: '10.0.01.1' }), "- at '/ip': '10.0.01.1' is not valid ipv4: leading zeros\n");
  assert.equal(validateAgainstSchema(s7, { mail: 'nobody' }), "- at '/mail': 'nobody' is not valid email: missing @\n");
  assert.equal(validateAgainstSchema(s7, { host: '-x' }), "- at '/host': '-x' is not valid hostname: label starts with hyphen\n");
  const s2020 = JSON.stringify({ properties: { ip: { format: 'ipv4' } } });
  assert.equal(validateAgainstSchema(s2020, { ip: 'nope' }), null);
});
