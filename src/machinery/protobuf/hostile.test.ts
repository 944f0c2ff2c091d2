import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeK8sProtobuf, PROTOBUF_MAGIC } from './decode.js';
import { modelForKind } from './models.js';
import { bytesField, encodeK8sProtobuf, envelope, varint, varintField } from './test-encoder.js';
import { StatusError } from '../errors.js';

const cat = (...parts: Buffer[]): Buffer => Buffer.concat(parts);
const decode = (buf: Buffer): unknown => decodeK8sProtobuf(buf, modelForKind);

function badRequest(buf: Buffer, pattern?: RegExp): void {
  assert.throws(
    () => decode(buf),
    (e: unknown) => e instanceof StatusError && e.status.code === 400 && (!pattern || pattern.test(e.status.message ?? '')),
  );
}

test('envelope problems: no magic, empty, missing kind, content encoding', () => {
  badRequest(Buffer.alloc(0), /k8s\\x00/);
  badRequest(Buffer.from('{"kind":"ConfigMap"}'), /k8s\\x00/);
  badRequest(PROTOBUF_MAGIC, /Kind' is missing/);
  const gz = cat(PROTOBUF_MAGIC, bytesField(1, cat(bytesField(1, 'v1'), bytesField(2, 'ConfigMap'))), bytesField(3, 'gzip'));
  badRequest(gz, /unsupported content encoding "gzip"/);
});

test('truncated and overlong varints, lengths past the end, bad tags and groups', () => {
  badRequest(cat(PROTOBUF_MAGIC, Buffer.from([0x0a, 0x80])), /truncated varint/);
  badRequest(cat(PROTOBUF_MAGIC, Buffer.from([0x08]), Buffer.alloc(11, 0xff)), /longer than 10 bytes/);
  badRequest(cat(PROTOBUF_MAGIC, Buffer.from([0x12, 0x05, 0x01])), /past the end/);
  badRequest(cat(PROTOBUF_MAGIC, Buffer.from([0x12]), varint(2n ** 62n)), /out of range|past the end/);
  badRequest(envelope('v1', 'ConfigMap', Buffer.from([0x00, 0x00])), /invalid field number 0/);
  badRequest(envelope('v1', 'ConfigMap', Buffer.from([0x0b])), /group wire types|wire type 3/);
  badRequest(envelope('v1', 'ConfigMap', Buffer.from([0x0e])), /invalid wire type 6/);
  // a nested message whose declared length runs past its parent
  badRequest(envelope('v1', 'ConfigMap', bytesField(1, Buffer.from([0x0a, 0x09, 0x61]))), /past the end/);
});

test('values that cannot be represented: bad time, non-JSON raw extension, bad IntOrString field', () => {
  const farFuture = bytesField(8, cat(varintField(1, 10n ** 15n), varintField(2, 0)));
  badRequest(envelope('v1', 'ConfigMap', bytesField(1, farFuture)), /timestamp out of range/);
  const rev = cat(bytesField(1, bytesField(1, 'r')), bytesField(2, bytesField(1, '{not json')));
  badRequest(envelope('apps/v1', 'ControllerRevision', rev), /not JSON/);
  const pdb = bytesField(2, bytesField(1, varintField(9, 1)));
  badRequest(envelope('policy/v1', 'PodDisruptionBudget', pdb), /IntOrString/);
});

test('map keys such as __proto__ stay plain data', () => {
  const meta = bytesField(11, cat(bytesField(1, '__proto__'), bytesField(2, 'polluted')));
  const out = decode(envelope('v1', 'ConfigMap', bytesField(1, meta))) as { metadata: { labels: Record<string, string> } };
  assert.equal(Object.getOwnPropertyDescriptor(out.metadata.labels, '__proto__')?.value, 'polluted');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(Object.getPrototypeOf(out.metadata.labels), Object.prototype);
});

test('fuzz: random mutations of a real body only ever decode or raise BadRequest', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, creationTimestamp: '2024-01-02T03:04:05Z' },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } } }] } },
    },
  };
  const good = encodeK8sProtobuf(deployment, 'V1Deployment');
  let seed = 12345;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let decoded = 0;
  for (let i = 0; i < 3000; i++) {
    const buf = Buffer.from(good);
    const kind = rand(3);
    if (kind === 0) buf[4 + rand(buf.length - 4)] = rand(256);
    else if (kind === 1) buf[4 + rand(buf.length - 4)] ^= 1 << rand(8);
    const body = kind === 2 ? buf.subarray(0, 4 + rand(buf.length - 4)) : buf;
    try {
      decode(body);
      decoded++;
    } catch (e) {
      assert.ok(e instanceof StatusError, `mutation ${i} threw ${String(e)}`);
      assert.equal(e.status.code, 400);
    }
  }
  assert.ok(decoded > 0, 'some mutations (e.g. in string bytes) still decode');
});

test('a 3 MiB body of nested length prefixes is refused quickly', () => {
  // metadata -> ownerReferences -> ... is bounded by the types; a deep chain of length prefixes
  // under an unknown number is refused at the first unknown field, not recursed into.
  let inner: Buffer = Buffer.alloc(0);
  for (let i = 0; i < 2000; i++) inner = bytesField(15, inner);
  const started = Date.now();
  badRequest(envelope('v1', 'ConfigMap', inner), /unknown protobuf field 15 in V1ConfigMap/);
  assert.ok(Date.now() - started < 1000);
});
