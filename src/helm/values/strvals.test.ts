import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSet, parseSetJSON, parseSetLiteral, parseSetString } from './strvals.js';

test('--set guesses types like helm: int64 (bigint), bool, null, strings with leading zeros', () => {
  assert.deepEqual(parseSet('long_int=1234567890,zero=0,b=TRUE,n=null,lz=00009,f=1.5,neg=-5'), {
    long_int: 1234567890n, zero: 0n, b: true, n: null, lz: '00009', f: '1.5', neg: -5n,
  });
});

test('--set-string never guesses', () => {
  assert.deepEqual(parseSetString('a=1,b=true,c=null'), { a: '1', b: 'true', c: 'null' });
});

test('nested keys, lists, escapes and {a,b} lists', () => {
  assert.deepEqual(parseSet('name1.name2[1].foo=bar,name1.name2[0].foo=baz'), {
    name1: { name2: [{ foo: 'baz' }, { foo: 'bar' }] },
  });
  assert.deepEqual(parseSet('list[0]=foo,list[3]=bar'), { list: ['foo', null, null, 'bar'] });
  assert.deepEqual(parseSet('nested[1][1]=1'), { nested: [null, [null, 1n]] });
  assert.deepEqual(parseSet('a\\.b=c\\,d'), { 'a.b': 'c,d' });
  assert.deepEqual(parseSet('x={a,b,1}'), { x: ['a', 'b', 1n] });
  assert.deepEqual(parseSet('noval[0]'), { noval: [] });
  assert.deepEqual(parseSet('name1=,name2=value2'), { name1: '', name2: 'value2' });
});

test('merges into existing values and overrides', () => {
  const dest = { a: { b: 1, c: 2 } };
  parseSet('a.b=3', dest as never);
  assert.deepEqual(dest, { a: { b: 3n, c: 2 } });
});

test('errors carry helm messages', () => {
  assert.throws(() => parseSet('name1,name2=value2'), /key "name1" has no value \(cannot end with ,\)/);
  assert.throws(() => parseSet('name1.name2'), /key "name2" has no value/);
  assert.throws(() => parseSet('list[0].foo=bar,list[-30].hello=world'), /negative -30 index not allowed/);
  assert.throws(() => parseSet('name1={1021,902'), /list must terminate with '}'/);
  assert.throws(() => parseSet('a[65537]=x'), /index of 65537 is greater than maximum supported index of 65536/);
  assert.throws(() => parseSet(`${Array.from({ length: 32 }, (_, i) => `k${i}`).join('.')}=v`), /nested level is greater than maximum supported nested level of 30/);
});

test('--set-json values are JSON documents; empty means null', () => {
  assert.deepEqual(parseSetJSON('a={"x":[1,2]},b="s",c=,d[0]=true'), { a: { x: [1, 2] }, b: 's', c: null, d: [true] });
});

test('--set-literal keeps the rest of the line verbatim', () => {
  assert.deepEqual(parseSetLiteral('a.b=x,y=z\\n'), { a: { b: 'x,y=z\\n' } });
});
