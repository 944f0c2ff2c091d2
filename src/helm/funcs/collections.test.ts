import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tpl, tplError } from './test-helpers.js';

test('list functions', () => {
  assert.equal(tpl('{{ list 1 "a" 2.5 }} {{ append (list 1) 2 }} {{ prepend (list 1) 0 }} {{ concat (list 1) (list 2 3) }}'), '[1 a 2.5] [1 2] [0 1] [1 2 3]');
  assert.equal(tpl('{{ first (list 1 2) }} {{ last (list 1 2) }} {{ rest (list 1 2 3) }} {{ initial (list 1 2 3) }} {{ first list }}'), '1 2 [2 3] [1 2] ');
  assert.equal(tpl('{{ reverse (list 1 2 3) }} {{ uniq (list 1 1 2 "a" "a") }} {{ without (list 1 2 3) 2 }} {{ has 2 (list 1 2) }} {{ has 2 .nil }}', { nil: null }), '[3 2 1] [1 2 a] [1 3] true false');
  assert.equal(tpl('{{ compact (list 1 "" 0 .missing "x" false) }} {{ slice (list 1 2 3 4) 1 3 }} {{ chunk 2 (list 1 2 3) }}'), '[1 x] [2 3] [[1 2] [3]]');
  assert.match(tplError('{{ append "str" 1 }}'), /error calling append: Cannot push on type string/);
  assert.match(tplError('{{ first 5 }}'), /Cannot find first on type int/);
});

test('dict functions', () => {
  assert.equal(tpl('{{ $d := dict "a" 1 "b" "x" }}{{ $d }} {{ get $d "a" }} {{ get $d "zz" }}|{{ hasKey $d "b" }}'), 'map[a:1 b:x] 1 |true');
  assert.equal(tpl('{{ $d := dict "a" 1 }}{{ $_ := set $d "b" 2 }}{{ $_ := unset $d "a" }}{{ $d }}'), 'map[b:2]');
  assert.equal(tpl('{{ keys (dict "b" 1 "a" 2) | sortAlpha }} {{ values (dict "b" 1 "a" 2) }} {{ pick (dict "a" 1 "b" 2) "a" }} {{ omit (dict "a" 1 "b" 2) "a" }}'), '[a b] [2 1] map[a:1] map[b:2]');
  assert.equal(tpl('{{ pluck "a" (dict "a" 1) (dict "a" 2) (dict "b" 3) }} {{ dig "a" "b" "def" (dict "a" (dict "b" "found")) }} {{ dig "a" "x" "def" (dict "a" (dict)) }}'), '[1 2] found def');
  assert.equal(tpl('{{ dict "odd" }}'), 'map[odd:]');
  assert.match(tplError('{{ get "x" "a" }}'), /can't handle "x" for arg of type map\[string\]interface \{\}/);
  assert.match(tplError('{{ get .s "a" }}', { s: 'x' }), /wrong type for value; expected map\[string\]interface \{\}; got string/);
});

test('merge keeps destination values unless empty; mergeOverwrite cannot set empties', () => {
  const data = { dst: { a: 1, b: { c: 'keep', e: '' }, f: false }, src: { a: 2, b: { c: 'new', d: 'add', e: 'fill' }, f: true } };
  assert.equal(tpl('{{ merge .dst .src }}', structuredClone(data)), 'map[a:1 b:map[c:keep d:add e:fill] f:true]');
  assert.equal(tpl('{{ mergeOverwrite .dst .src }}', structuredClone(data)), 'map[a:2 b:map[c:new d:add e:fill] f:true]');
  assert.equal(tpl('{{ mergeOverwrite (dict "a" true) (dict "a" false) }}'), 'map[a:true]');
  assert.equal(tpl('{{ $c := deepCopy .m }}{{ $_ := set $c "x" 1 }}{{ .m }}', { m: { a: [1n] } }), 'map[a:[1]]');
});

test('defaults: default, empty, coalesce, all, any, ternary', () => {
  assert.equal(tpl('{{ default "d" .missing }} {{ default "d" "" }} {{ default "d" 0 }} {{ default "d" "set" }} {{ .missing | default "p" }}'), 'd d d set p');
  assert.equal(tpl('{{ empty "" }} {{ empty 0 }} {{ empty (list) }} {{ empty (dict) }} {{ empty false }} {{ empty "x" }} {{ empty .missing }}'), 'true true true true true false true');
  assert.equal(tpl('{{ coalesce .missing "" "first" "second" }} {{ all 1 "a" }} {{ all 1 "" }} {{ any 0 "" "x" }}'), 'first true false true');
  assert.equal(tpl('{{ ternary "y" "n" true }} {{ true | ternary "y" "n" }} {{ ternary "y" "n" false }}'), 'y y n');
});

test('reflection: typeOf, kindOf, typeIs, kindIs, deepEqual', () => {
  assert.equal(tpl('{{ typeOf 1 }} {{ typeOf 1.5 }} {{ typeOf "s" }} {{ typeOf .m }} {{ typeOf .l }} {{ typeOf .missing }}', { m: {}, l: [] }), 'int float64 string map[string]interface {} []interface {} <nil>');
  assert.equal(tpl('{{ kindOf .m }} {{ kindOf .l }} {{ kindIs "string" "x" }} {{ typeIs "int" 3 }}', { m: {}, l: [] }), 'map slice true true');
  assert.equal(tpl('{{ deepEqual (list 1 (dict "a" 2)) (list 1 (dict "a" 2)) }} {{ deepEqual 1 1.0 }}'), 'true false');
});
