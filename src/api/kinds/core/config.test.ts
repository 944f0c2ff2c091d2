import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldErrorMessage } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { configMap } from './configmap.js';
import { namespace } from './namespace.js';
import { secret } from './secret.js';

const msgs = (errs: { type: string; field: string }[]): string[] => errs.map((e) => fieldErrorMessage(e as never));

test('secret stringData is merged into data as base64 and type defaults to Opaque', () => {
  const obj: KubeObject = { metadata: { name: 's' }, data: { a: 'eA==', b: 'eQ==' }, stringData: { b: 'two', c: 'three' } };
  secret.defaults!(obj);
  assert.deepEqual(obj.data, { a: 'eA==', b: Buffer.from('two').toString('base64'), c: Buffer.from('three').toString('base64') });
  assert.equal(obj.stringData, undefined);
  assert.equal(obj.type, 'Opaque');
  assert.deepEqual(secret.validate!(obj), []);
});

test('secret validation: keys, per-type keys, size, immutability', () => {
  const badKey = msgs(secret.validate!({ type: 'Opaque', data: { 'bad key': 'eA==' } }));
  assert.equal(badKey.length, 1);
  assert.ok(badKey[0].startsWith("data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',"));
  assert.deepEqual(msgs(secret.validate!({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } })), ['data[tls.key]: Required value']);
  const big = Buffer.alloc(1024 * 1024 + 1).toString('base64');
  assert.deepEqual(msgs(secret.validate!({ type: 'Opaque', data: { big } })), ['data: Too long: must have at most 1048576 bytes']);
  const old: KubeObject = { type: 'Opaque', immutable: true, data: { a: 'eA==' } };
  assert.deepEqual(msgs(secret.validateUpdate!({ type: 'Opaque', immutable: true, data: { a: 'eQ==' } }, old)), [
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
  assert.deepEqual(msgs(secret.validateUpdate!({ type: 'kubernetes.io/tls', immutable: true, data: { a: 'eA==' } }, old)), [
    'type: Invalid value: "kubernetes.io/tls": field is immutable',
  ]);
  assert.equal(secret.fieldSelectors!.type({ type: 'Opaque' }), 'Opaque');
});

test('configmap validation: keys, duplicates with binaryData, 1 MiB total', () => {
  assert.deepEqual(configMap.validate!({ data: { 'app.conf': 'x' }, binaryData: { 'logo.png': 'iVBORw==' } }), []);
  assert.deepEqual(msgs(configMap.validate!({ data: { k: 'x' }, binaryData: { k: 'eA==' } })), ['data[k]: Invalid value: "k": duplicate of key present in binaryData']);
  assert.deepEqual(msgs(configMap.validate!({ data: { k: 'x'.repeat(1024 * 1024 + 1) } })), ['[]: Too long: must have at most 1048576 bytes']);
  assert.deepEqual(msgs(configMap.validate!({ data: { '..': 'x' } })), ['data[..]: Invalid value: "..": must not be \'..\'']);
  const old: KubeObject = { immutable: true, data: { a: 'x' } };
  assert.deepEqual(msgs(configMap.validateUpdate!({ data: { a: 'x' } }, old)), ['immutable: Forbidden: field is immutable when `immutable` is set']);
  assert.deepEqual(configMap.validateUpdate!({ immutable: true, data: { a: 'x' } }, old), []);
});

test('namespace defaults and finalizer validation', () => {
  const ns: KubeObject = { metadata: { name: 'team-a' } };
  namespace.defaults!(ns);
  assert.deepEqual(ns.metadata?.labels, { 'kubernetes.io/metadata.name': 'team-a' });
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });
  assert.deepEqual(namespace.validate!(ns), []);
  assert.equal(namespace.nameRule, 'label');
  assert.deepEqual(msgs(namespace.validate!({ spec: { finalizers: ['custom'] } })), [
    'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
  ]);
  assert.equal(namespace.fieldSelectors!['status.phase'](ns), 'Active');
});
