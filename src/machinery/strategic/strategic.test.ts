import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../errors.js';
import { applyStrategicMergePatch } from './index.js';

type Obj = Record<string, unknown>;
const pod = (spec: Obj, metadata: Obj = { name: 'p' }): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata, spec });
const smp = (original: Obj, patch: unknown, model = 'V1Pod'): Obj => applyStrategicMergePatch(original, patch, model) as Obj;
const specOf = (o: Obj): Obj => o.spec as Obj;

test('containers merge by name instead of being replaced (design doc background)', () => {
  const out = smp(pod({ containers: [{ name: 'nginx', image: 'nginx-1.0' }] }), { spec: { containers: [{ name: 'log-tailer', image: 'log-tailer-1.0' }] } });
  // Upstream's mergeSortedSlice puts patch items not in the live list before the server-only ones.
  assert.deepEqual(specOf(out).containers, [{ name: 'log-tailer', image: 'log-tailer-1.0' }, { name: 'nginx', image: 'nginx-1.0' }]);
});

test('a matching item merges field by field, nested lists by their own keys', () => {
  const original = pod({ containers: [{ name: 'c', image: 'a:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] }] });
  const out = smp(original, { spec: { containers: [{ name: 'c', image: 'a:2', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } });
  assert.deepEqual(specOf(out).containers, [{ name: 'c', image: 'a:2', env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }], ports: [{ containerPort: 80 }] }]);
  assert.deepEqual(original.spec, { containers: [{ name: 'c', image: 'a:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80 }] }] }, 'input untouched');
});

test('$patch: replace on a map and on a list of maps', () => {
  const original = pod({ containers: [{ name: 'nginx', image: 'nginx-1.0' }, { name: 'x', image: 'x' }], nodeSelector: { a: '1' } });
  const replacedList = smp(original, { spec: { containers: [{ name: 'nginx', image: 'nginx-1.0' }, { $patch: 'replace' }] } });
  assert.deepEqual(specOf(replacedList).containers, [{ name: 'nginx', image: 'nginx-1.0' }]);
  const replacedMap = smp(original, { spec: { $patch: 'replace', containers: [{ name: 'nginx', image: 'nginx-2.0' }] } });
  assert.deepEqual(replacedMap.spec, { containers: [{ name: 'nginx', image: 'nginx-2.0' }] });
});

test('$patch: delete on a list item (all matching entries) and on a map', () => {
  const original = pod({ containers: [{ name: 'nginx', image: 'nginx-1.0' }, { name: 'log-tailer', image: 'l' }] });
  const out = smp(original, { spec: { containers: [{ name: 'nginx', image: 'nginx-1.0' }, { $patch: 'delete', name: 'log-tailer' }] } });
  assert.deepEqual(specOf(out).containers, [{ name: 'nginx', image: 'nginx-1.0' }]);
  const dep = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
  const byDirective = smp(dep, { spec: { strategy: { rollingUpdate: { $patch: 'delete' } } } }, 'V1Deployment');
  const byNull = smp(dep, { spec: { strategy: { rollingUpdate: null } } }, 'V1Deployment');
  assert.deepEqual(byDirective, { spec: { strategy: { type: 'RollingUpdate' } } });
  assert.deepEqual(byNull, byDirective);
});

test('$deleteFromPrimitiveList and merged primitive sets (finalizers)', () => {
  const original = pod({}, { name: 'p', finalizers: ['a', 'b', 'c'] });
  assert.deepEqual((smp(original, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b', 'c'] } }).metadata as Obj).finalizers, ['a']);
  // A union without duplicates; new items lead, the live order is kept where both lists know the items.
  assert.deepEqual((smp(original, { metadata: { finalizers: ['d'] } }).metadata as Obj).finalizers, ['d', 'a', 'b', 'c']);
  assert.deepEqual((smp(original, { metadata: { finalizers: ['c', 'a'] } }).metadata as Obj).finalizers, ['b', 'c', 'a']);
});

test('$setElementOrder reorders primitive lists and lists of maps', () => {
  const fin = pod({}, { name: 'p', finalizers: ['a', 'b', 'c'] });
  assert.deepEqual((smp(fin, { metadata: { '$setElementOrder/finalizers': ['b', 'c', 'a'] } }).metadata as Obj).finalizers, ['b', 'c', 'a']);
  const cs = pod({ containers: [{ name: 'a', image: '1' }, { name: 'b', image: '2' }, { name: 'c', image: '3' }] });
  const out = smp(cs, { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'c' }, { name: 'a' }] } });
  assert.deepEqual((specOf(out).containers as Obj[]).map((c) => c.name), ['b', 'c', 'a']);
  // With a patch list: items merged and placed as ordered; the live-only item keeps its place.
  const env = pod({ containers: [{ name: 'c', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '3' }] }] });
  const reordered = smp(env, { spec: { containers: [{ name: 'c', '$setElementOrder/env': [{ name: 'C' }, { name: 'D' }, { name: 'A' }], env: [{ name: 'D', value: '4' }] }] } });
  const names = ((specOf(reordered).containers as Obj[])[0].env as Obj[]).map((e) => e.name);
  assert.deepEqual(names.filter((n) => n !== 'B'), ['C', 'D', 'A']);
  assert.ok(names.includes('B'), '$setElementOrder never deletes');
});

test('$retainKeys clears the fields not listed (Deployment strategy, volumes)', () => {
  const dep = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
  const out = smp(dep, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } }, 'V1Deployment');
  assert.deepEqual(out, { spec: { strategy: { type: 'Recreate' } } });
  const vols = pod({ volumes: [{ name: 'v', emptyDir: {} }] });
  const swapped = smp(vols, { spec: { volumes: [{ name: 'v', $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' } }] } });
  assert.deepEqual(specOf(swapped).volumes, [{ name: 'v', configMap: { name: 'cm' } }]);
  assert.throws(() => smp(dep, { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, 'V1Deployment'), (e: unknown) => e instanceof StatusError && e.code === 422);
  assert.throws(() => smp(dep, { spec: { strategy: { $retainKeys: 'type' } } }, 'V1Deployment'), (e: unknown) => e instanceof StatusError && e.code === 400 && /retainKeys/.test(e.message));
});

test('lists without a strategy are replaced; maps merge; null deletes; new keys are added', () => {
  const original = pod({ tolerations: [{ key: 'a' }], nodeSelector: { a: '1', b: '2' }, containers: [{ name: 'c', args: ['x', 'y'] }] });
  const out = smp(original, { spec: { tolerations: [{ key: 'b' }], nodeSelector: { a: null, c: '3' }, containers: [{ name: 'c', args: ['z'] }], hostname: 'h' } });
  assert.deepEqual(out.spec, { tolerations: [{ key: 'b' }], nodeSelector: { b: '2', c: '3' }, containers: [{ name: 'c', args: ['z'] }], hostname: 'h' });
});

test('rollout restart: an annotation set deep under a template that has none', () => {
  const dep = { metadata: { name: 'd' }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } };
  const out = smp(dep, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } }, 'V1Deployment');
  assert.deepEqual(((out.spec as Obj).template as Obj).metadata, { labels: { app: 'x' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } });
});

test('directives in values the original lacks are applied, not stored', () => {
  const out = smp(pod({}), { spec: { containers: [{ name: 'a', image: 'i', env: [{ name: 'X', value: '1' }, { $patch: 'delete', name: 'Y' }] }], nodeSelector: { a: null, b: '1' } } });
  assert.deepEqual(out.spec, { containers: [{ name: 'a', image: 'i', env: [{ name: 'X', value: '1' }] }], nodeSelector: { b: '1' } });
});

test('errors as upstream reports them', () => {
  const original = pod({ containers: [{ name: 'c' }] });
  assert.throws(() => smp(original, { spec: { containers: [{ image: 'nginx' }] } }), (e: unknown) => e instanceof StatusError && e.code === 500 && e.message === 'map: map[image:nginx] does not contain declared merge key: name');
  assert.throws(() => smp(original, { spec: { containers: [{ $patch: 'merge' }] } }), /merging lists cannot yet be specified/);
  assert.throws(() => smp(original, { spec: { $patch: 'bogus' } }), /unknown patch type: bogus in map/);
  assert.throws(() => smp(original, ['x']), (e: unknown) => e instanceof StatusError && e.code === 400);
  assert.throws(() => smp(original, { spec: { '$setElementOrder/containers': 'x' } }), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message === 'invalid patch format of setElementOrder list');
});

test('a __proto__ key stays data', () => {
  const out = smp(pod({ nodeSelector: {} }), JSON.parse('{"spec":{"nodeSelector":{"__proto__":{"polluted":"yes"}}}}'));
  assert.equal(({} as Obj).polluted, undefined);
  assert.ok(Object.hasOwn(specOf(out).nodeSelector as Obj, '__proto__'));
});
