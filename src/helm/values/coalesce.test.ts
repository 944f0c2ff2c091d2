import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coalesceValues, mergeValues, type ValuesChart } from './coalesce.js';

function chart(name: string, values: Record<string, unknown>, deps: ValuesChart[] = []): ValuesChart {
  return { name, values: values as never, dependencies: deps };
}

test('user values win, maps merge, null deletes a default (coalesce) or is kept (merge)', () => {
  const c = chart('top', { a: 1, b: { x: 1, y: 2 }, c: 'keep', d: 'gone' });
  const user = { a: 2, b: { y: 3 }, d: null };
  assert.deepEqual(coalesceValues(c as never, user as never), { a: 2, b: { x: 1, y: 3 }, c: 'keep' });
  assert.deepEqual(mergeValues(c as never, user as never), { a: 2, b: { x: 1, y: 3 }, c: 'keep', d: null });
  assert.deepEqual(user, { a: 2, b: { y: 3 }, d: null }, 'input not mutated');
});

test('subchart values are scoped under the subchart name and globals flow down', () => {
  const sub = chart('sub', { port: 80, global: { g1: 'sub-default' } });
  const top = chart('top', { global: { g1: 'top', g2: { k: 1 } }, sub: { port: 8080 } }, [sub]);
  const v = coalesceValues(top as never, { global: { g2: { j: 2 } } } as never);
  assert.deepEqual(v.sub, { port: 8080, global: { g1: 'top', g2: { k: 1, j: 2 } } });
  assert.deepEqual(v.global, { g1: 'top', g2: { k: 1, j: 2 } });
});

test('a non-map value for a subchart is a type mismatch', () => {
  const top = chart('top', {}, [chart('sub', {})]);
  assert.throws(() => coalesceValues(top as never, { sub: 'x' } as never), /type mismatch on sub/);
});
