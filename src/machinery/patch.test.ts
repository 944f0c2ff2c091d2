import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from './errors.js';
import { applyJsonPatch, applyMergePatch } from './patch.js';

const status = (f: () => unknown): StatusError => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    return e;
  }
  return assert.fail('expected an error');
};

test('RFC 6902 operations', () => {
  const doc = { a: { b: [1, 2, 3] }, 'x/y': 1, 'm~n': 2 };
  const out = applyJsonPatch(doc, [
    { op: 'add', path: '/a/b/1', value: 9 },
    { op: 'add', path: '/a/b/-', value: 4 },
    { op: 'remove', path: '/a/b/0' },
    { op: 'replace', path: '/x~1y', value: 'slash' },
    { op: 'copy', from: '/m~0n', path: '/c' },
    { op: 'move', from: '/a/b', path: '/list' },
    { op: 'test', path: '/list', value: [9, 2, 3, 4] },
    { op: 'add', path: '/list/-1', value: 'before-last' },
  ]);
  assert.deepEqual(out, { a: {}, 'x/y': 'slash', 'm~n': 2, c: 2, list: [9, 2, 3, 'before-last', 4] });
  assert.deepEqual(doc, { a: { b: [1, 2, 3] }, 'x/y': 1, 'm~n': 2 }, 'input untouched');
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: [1] }]), [1], 'empty pointer is the whole document');
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'test', path: '/missing', value: null }]), { a: 1 }, 'null matches an absent key, as upstream');
  assert.deepEqual(applyJsonPatch({ a: null }, [{ op: 'test', path: '/a', value: null }]), { a: null });
  assert.deepEqual(applyJsonPatch({ a: { x: 1, y: [1, { z: 2 }] } }, [{ op: 'test', path: '/a', value: { y: [1, { z: 2 }], x: 1 } }]), { a: { x: 1, y: [1, { z: 2 }] } });
});

test('operations that do not apply are 422 with the reason as a cause', () => {
  const cases: [unknown, RegExp][] = [
    [[{ op: 'replace', path: '/missing', value: 1 }], /missing key/],
    [[{ op: 'remove', path: '/missing' }], /missing path/],
    [[{ op: 'add', path: '/no/such', value: 1 }], /missing path/],
    [[{ op: 'add', path: '/arr/5', value: 1 }], /invalid index/],
    [[{ op: 'add', path: '/arr/01', value: 1 }], /invalid array index/],
    [[{ op: 'test', path: '/a', value: 2 }], /test failed/],
    [[{ op: 'move', from: '/o', path: '/o/inner' }], /child/],
    [[{ op: 'frobnicate', path: '/a' }], /Unexpected kind: frobnicate/],
    [[{ path: '/a' }], /Unexpected kind: unknown/],
    [[{ op: 'add', path: 'a', value: 1 }], /must be empty or start/],
    [[{ op: 'add', path: '/a~2', value: 1 }], /escape/],
    [[{ op: 'add', path: '/a' }], /requires a "value"/],
    [[{ op: 'add', value: 1 }], /"path"/],
  ];
  for (const [patch, re] of cases) {
    const e = status(() => applyJsonPatch({ a: 1, arr: [0], o: {} }, patch));
    assert.equal(e.code, 422, JSON.stringify(patch));
    assert.equal(e.message, 'the server rejected our request due to an error in our request');
    assert.match(e.status.details?.causes?.[0]?.message ?? '', re, JSON.stringify(patch));
  }
});

test('malformed patches are 400, too many operations 413', () => {
  assert.equal(status(() => applyJsonPatch({}, { op: 'add' })).message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  assert.equal(status(() => applyJsonPatch({}, ['x'])).code, 400);
  const many = Array.from({ length: 10001 }, () => ({ op: 'test', path: '', value: {} }));
  const e = status(() => applyJsonPatch({}, many));
  assert.equal(e.code, 413);
  assert.equal(e.message, 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001');
});

test('hostile patches: prototype keys are data, exponential copies stop', () => {
  const out = applyJsonPatch({}, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]) as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(out), ['__proto__']);
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  const doubling = [{ op: 'add', path: '/a', value: ['x'.repeat(1000)] }];
  for (let i = 0; i < 40; i++) doubling.push({ op: 'copy', from: '/a', path: '/a/-' } as never);
  const e = status(() => applyJsonPatch({}, doubling));
  assert.equal(e.code, 422);
  assert.match(e.status.details?.causes?.[0]?.message ?? '', /accumulated size/);
  const merged = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}')) as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(merged), ['__proto__']);
});

test('RFC 7386 merge patch', () => {
  const doc = { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] };
  assert.deepEqual(applyMergePatch(doc, { a: 'z', c: { f: null, h: { i: null, j: 1 } }, list: [3] }), { a: 'z', c: { d: 'e', h: { j: 1 } }, list: [3] });
  assert.deepEqual(doc, { a: 'b', c: { d: 'e', f: 'g' }, list: [1, 2] }, 'input untouched');
  assert.deepEqual(applyMergePatch({ a: 1 }, {}), { a: 1 });
  assert.deepEqual(applyMergePatch({ a: { b: 1 } }, { a: 'scalar' }), { a: 'scalar' });
  assert.deepEqual(applyMergePatch('not an object', { a: 1 }), { a: 1 });
  for (const bad of [null, 1, 'x', [1]]) assert.equal(status(() => applyMergePatch({}, bad)).message, 'Invalid JSON Patch');
});

test('deeply nested documents do not blow the stack', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 100000; i++) deep = { a: deep };
  const patched = applyMergePatch(deep, { b: 1 }) as Record<string, unknown>;
  assert.equal(patched.b, 1);
  const viaJson = applyJsonPatch(deep, [{ op: 'add', path: '/b', value: 2 }]) as Record<string, unknown>;
  assert.equal(viaJson.b, 2);
});

test('fuzz: random operations only ever raise StatusError', () => {
  let seed = 3;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  const pick = <T>(xs: T[]): T => xs[rnd(xs.length)]!;
  const paths = ['', '/', '/a', '/a/0', '/a/-', '/b/c', '/~', '/~1', 'x', '/a/99', '/a/-5', '/__proto__', '/constructor/prototype'];
  const values = [null, 1, 'x', [], {}, { c: [1] }, [1, 2, 3]];
  for (let i = 0; i < 3000; i++) {
    const ops = Array.from({ length: rnd(5) }, () => ({ op: pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus']), path: pick([...paths, 7 as never]), from: pick(paths), value: pick(values) }));
    const doc = pick<unknown>([{ a: [1, 2], b: { c: 1 } }, [], null, 'str']);
    try {
      applyJsonPatch(doc, ops);
    } catch (e) {
      if (!(e instanceof StatusError)) assert.fail(`non-Status error for ${JSON.stringify(ops)}: ${String(e)}`);
    }
    try {
      applyMergePatch(doc, pick(values));
    } catch (e) {
      if (!(e instanceof StatusError)) assert.fail(String(e));
    }
  }
  assert.equal(({} as Record<string, unknown>).c, undefined, 'no prototype pollution');
});
