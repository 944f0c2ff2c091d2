import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkTypes, decodeError, strictDecodingText, typeErrorText, unknownFieldWarning } from './decode.js';

function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'p' }): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

test('a well-typed pod passes untouched', () => {
  const obj = pod({ containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m' } } }] });
  const before = structuredClone(obj);
  const r = checkTypes('V1Pod', obj);
  assert.deepEqual(r, { errors: [], unknownFields: [] });
  assert.deepEqual(obj, before);
});

test('type mismatches read like upstream decoder errors', () => {
  const obj = pod({ containers: [{ name: 'c', image: 'i', ports: [{ containerPort: '80' }] }], hostNetwork: 'yes' });
  const r = checkTypes('V1Pod', obj);
  assert.deepEqual(r.errors.map((e) => e.field), ['spec.containers[0].ports[0].containerPort', 'spec.hostNetwork']);
  assert.equal(typeErrorText(r), 'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
  assert.equal(r.errors[1].detail, 'json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool');
  const status = decodeError('Pod', 'v1', typeErrorText(r)!).status;
  assert.equal(status.code, 400);
  assert.equal(status.reason, 'BadRequest');
  assert.equal(status.message, 'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
});

test('structs, arrays and maps of the wrong JSON kind name the Go type', () => {
  assert.equal(checkTypes('V1Pod', pod({ containers: 'x' })).errors[0].detail, 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type []v1.Container');
  assert.equal(checkTypes('V1Pod', pod({ containers: ['x'] })).errors[0].detail, 'json: cannot unmarshal string into Go struct field PodSpec.spec.containers of type v1.Container');
  assert.equal(checkTypes('V1Pod', { spec: [] }).errors[0].detail, 'json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec');
  assert.equal(checkTypes('V1Pod', pod({}, { labels: { a: 1 } })).errors[0].detail, 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string');
  assert.equal(checkTypes('V1Pod', pod({}, { labels: [] })).errors[0].detail, 'json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string');
});

test('integers must be whole and in range for their format', () => {
  const frac = checkTypes('V1Pod', pod({ containers: [{ name: 'c', ports: [{ containerPort: 1.5 }] }] }));
  assert.equal(frac.errors[0].detail, 'json: cannot unmarshal number 1.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
  const big = checkTypes('V1Pod', pod({ containers: [{ name: 'c', ports: [{ containerPort: 2147483648 }] }] }));
  assert.equal(big.errors[0].detail, 'json: cannot unmarshal number 2147483648 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32');
  // int64 takes it.
  assert.deepEqual(checkTypes('V1Pod', pod({ terminationGracePeriodSeconds: 2147483648 })).errors, []);
});

test('unknown fields are collected with upstream paths and pruned', () => {
  const obj = pod({ containers: [{ name: 'c', image: 'i', imagePullPolcy: 'Always' }], foo: { bar: 1 } }, { name: 'p', nmae: 'x' });
  const r = checkTypes('V1Pod', obj, { strict: true });
  assert.deepEqual(r.errors, []);
  assert.deepEqual(r.unknownFields, ['metadata.nmae', 'spec.containers[0].imagePullPolcy', 'spec.foo']);
  assert.deepEqual(obj, pod({ containers: [{ name: 'c', image: 'i' }] }));
  assert.equal(unknownFieldWarning('spec.foo'), 'unknown field "spec.foo"');
  assert.equal(strictDecodingText(r.unknownFields), 'strict decoding error: unknown field "metadata.nmae", unknown field "spec.containers[0].imagePullPolcy", unknown field "spec.foo"');
});

test('raw JSON fields keep whatever they hold', () => {
  const rev = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r' }, revision: 1, data: { spec: { anything: [1, 'two'] } } };
  const r = checkTypes('V1ControllerRevision', rev);
  assert.deepEqual(r, { errors: [], unknownFields: [] });
  assert.deepEqual(rev.data, { spec: { anything: [1, 'two'] } });
});

test('quantities accept strings and numbers, come out canonical, reject junk', () => {
  const obj = pod({ containers: [{ name: 'c', resources: { limits: { cpu: 1, memory: ' 128Mi ' }, requests: { cpu: 0.5, memory: '1024Mi', 'ephemeral-storage': '0.0001' } } }] });
  assert.deepEqual(checkTypes('V1Pod', obj).errors, []);
  const res = ((obj.spec as { containers: { resources: unknown }[] }).containers[0]).resources;
  assert.deepEqual(res, { limits: { cpu: '1', memory: '128Mi' }, requests: { cpu: '500m', memory: '1Gi', 'ephemeral-storage': '1m' } });
  // A lone quantity (not a ResourceList) keeps nano precision.
  const vol = pod({ volumes: [{ name: 'v', emptyDir: { sizeLimit: '1500u' } }] });
  assert.deepEqual(checkTypes('V1Pod', vol).errors, []);
  assert.equal((vol.spec as { volumes: { emptyDir: { sizeLimit: string } }[] }).volumes[0].emptyDir.sizeLimit, '1500u');
  const bad = checkTypes('V1Pod', pod({ containers: [{ name: 'c', resources: { limits: { cpu: 'lots' } } }] }));
  assert.equal(bad.errors[0].field, 'spec.containers[0].resources.limits[cpu]');
  assert.equal(bad.errors[0].detail, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
});

test('int-or-string, base64 bytes and timestamps', () => {
  const svc = { spec: { ports: [{ port: 80, targetPort: 'http' }, { port: 81, targetPort: 8081 }, { port: 82, targetPort: true }] } };
  const r = checkTypes('V1Service', svc);
  assert.equal(r.errors.length, 1);
  assert.equal(r.errors[0].field, 'spec.ports[2].targetPort');
  assert.equal(r.errors[0].detail, 'json: cannot unmarshal bool into Go value of type int32');
  const secret = { data: { ok: 'aGVsbG8=', bad: 'not base64!' } };
  const s = checkTypes('V1Secret', secret);
  assert.deepEqual(s.errors.map((e) => [e.field, e.detail]), [['data[bad]', 'illegal base64 data at input byte 3']]);
  assert.deepEqual(checkTypes('V1Pod', { metadata: { creationTimestamp: '2024-01-02T03:04:05Z' } }).errors, []);
  assert.equal(checkTypes('V1Pod', { metadata: { creationTimestamp: 'yesterday' } }).errors[0].field, 'metadata.creationTimestamp');
});

test('nulls are dropped like Go zero values', () => {
  const obj = pod({ containers: [{ name: 'c', image: 'i', args: null }], volumes: null }, { name: 'p', labels: null });
  assert.deepEqual(checkTypes('V1Pod', obj).errors, []);
  assert.deepEqual(obj, pod({ containers: [{ name: 'c', image: 'i' }] }));
});
