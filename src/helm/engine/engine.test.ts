import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TemplateSet, TemplateExecError, TemplateParseError, type FuncMap } from './index.js';

function run(src: string, data: unknown = {}, opts: { missingKey?: 'default' | 'zero' | 'error'; funcs?: FuncMap } = {}): string {
  const t = new TemplateSet({ missingKey: opts.missingKey ?? 'zero', funcs: opts.funcs });
  t.parse('t.yaml', src);
  return t.execute('t.yaml', data);
}
function execError(src: string, data: unknown = {}, opts: { missingKey?: 'default' | 'zero' | 'error'; funcs?: FuncMap } = {}): string {
  try { run(src, data, opts); } catch (e) { assert.ok(e instanceof TemplateExecError, String(e)); return e.message; }
  assert.fail('expected an execution error');
}
function parseError(src: string): string {
  try { run(src); } catch (e) { assert.ok(e instanceof TemplateParseError, String(e)); return e.message; }
  assert.fail('expected a parse error');
}

test('text, actions and trim markers', () => {
  assert.equal(run('a {{- " b " -}} c'), 'a b c');
  assert.equal(run('a  \n {{- 1 }}\n  x'), 'a1\n  x');
  assert.equal(run('{{ 3 -}}\n\n  y'), '3y');
  assert.equal(run('{{-3}}'), '-3');
});

test('comments, including trimmed ones', () => {
  assert.equal(run('a {{/* c */}} b'), 'a  b');
  assert.equal(run('a {{- /* c\nmulti */ -}} b'), 'ab');
  assert.match(parseError('{{/* x */ 1}}'), /comment ends before closing delimiter/);
});

test('printing follows fmt %v', () => {
  const data = { i: 3n, f: 1.5, big: 1e6, small: 0.0001, tiny: 0.00001, whole: 3, l: ['a', 2n, null], m: { b: 2n, a: 'x' }, n: null, t: true };
  assert.equal(run('{{.i}} {{.f}} {{.big}} {{.small}} {{.tiny}} {{.whole}}', data), '3 1.5 1e+06 0.0001 1e-05 3');
  assert.equal(run('{{.l}} {{.m}} {{.t}}', data), '[a 2 <nil>] map[a:x b:2] true');
  assert.equal(run('{{.n}}|{{.missing}}', data, { missingKey: 'default' }), '<no value>|<no value>');
  assert.equal(run('{{ 1.0 }} {{ 2 }} {{ 1e3 }} {{ 0x10 }} {{ \'a\' }}'), '1 2 1000 16 97');
  assert.equal(run('{{ 123456.0 }} {{ 1234567.0 }}'), '123456 1.234567e+06');
});

test('variables: declare, assign, scopes, $', () => {
  assert.equal(run('{{ $x := 1 }}{{ $x = 2 }}{{ $x }}'), '2');
  assert.equal(run('{{ $x := 1 }}{{ if true }}{{ $x = 5 }}{{ $y := 3 }}{{ end }}{{ $x }}'), '5');
  assert.equal(run('{{ range .l }}{{ $.name }}{{ . }}{{ end }}', { l: ['a', 'b'], name: 'n' }), 'nanb');
  assert.match(parseError('{{ $y }}'), /template: t.yaml:1: undefined variable "\$y"/);
  assert.match(parseError('{{ if true }}{{ $z := 1 }}{{ end }}{{ $z }}'), /undefined variable "\$z"/);
});

test('if / else if / else and truthiness', () => {
  const t = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}';
  assert.equal(run(t, { a: 1n }), 'A');
  assert.equal(run(t, { a: 0n, b: 'x' }), 'B');
  assert.equal(run(t, { a: [], b: {} }), 'C');
  assert.equal(run(t, { a: 0, b: '' }), 'C');
  assert.equal(run('{{ if .s }}y{{ end }}', { s: new (class S {})() }), 'y');
});

test('with / else with', () => {
  assert.equal(run('{{ with .a }}{{ .b }}{{ else with .c }}C{{ . }}{{ else }}none{{ end }}', { a: { b: 'B' } }), 'B');
  assert.equal(run('{{ with .a }}{{ .b }}{{ else with .c }}C{{ . }}{{ else }}none{{ end }}', { c: 7n }), 'C7');
  assert.equal(run('{{ with .a }}x{{ else }}none{{ end }}', {}), 'none');
});

test('range over slices, maps, ints; else, break, continue', () => {
  assert.equal(run('{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}', { l: ['a', 'b'] }), '0=a;1=b;');
  assert.equal(run('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', { m: { z: 1n, a: 2n } }), 'a=2;z=1;');
  assert.equal(run('{{ range $v := .m }}{{ $v }}{{ end }}', { m: { b: 1n, a: 2n } }), '21');
  assert.equal(run('{{ range 3 }}{{ . }}{{ end }}'), '012');
  assert.equal(run('{{ range .l }}x{{ else }}empty{{ end }}', { l: [] }), 'empty');
  assert.equal(run('{{ range .missing }}x{{ else }}empty{{ end }}', {}), 'empty');
  assert.equal(run('{{ range .l }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}', { l: [1n, 2n, 3n, 4n, 5n] }), '13');
  assert.match(execError('{{ range .s }}{{ end }}', { s: 'str' }), /range can't iterate over str/);
  assert.match(parseError('{{ break }}'), /\{\{break\}\} outside \{\{range\}\}/);
});

test('define, template, block', () => {
  assert.equal(run('{{ define "x" }}X{{ . }}{{ end }}{{ template "x" 5 }}'), 'X5');
  assert.equal(run('{{ block "b" . }}default{{ .v }}{{ end }}', { v: 1n }), 'default1');
  const t = new TemplateSet();
  t.parse('a', '{{ define "n" }}first{{ end }}');
  t.parse('b', '{{ define "n" }}second{{ end }}{{ template "n" }}');
  assert.equal(t.execute('b', null), 'second');
  assert.match(execError('{{ template "nope" }}'), /template "nope" not defined/);
  assert.throws(() => t.execute('zzz', null), /no template "zzz" associated with template "gotpl"/);
});

test('parenthesised pipelines, chains and pipes', () => {
  assert.equal(run('{{ (index .m "a").b }}', { m: { a: { b: 'deep' } } }), 'deep');
  assert.equal(run('{{ "x" | printf "%s-%s" "a" }}'), 'a-x');
  assert.equal(run('{{ .a.b.c }}', { a: { b: { c: 'C' } } }), 'C');
  assert.equal(run('{{ $m := .m }}{{ $m.k }}', { m: { k: 'v' } }), 'v');
});

test('missingkey modes and nil pointer errors', () => {
  assert.equal(run('[{{ .a.b }}]', { a: {} }), '[<no value>]');
  assert.equal(execError('\n  foo: {{ .Values.x.y }}', { Values: {} }),
    'template: t.yaml:2:17: executing "t.yaml" at <.Values.x.y>: nil pointer evaluating interface {}.y');
  assert.equal(run('{{ $x := .nope }}{{ $x.y }}', {}), '<no value>');
  assert.match(execError('{{ .a }}', {}, { missingKey: 'error' }), /map has no entry for key "a"/);
  class Meta { Name = 'n'; }
  assert.match(execError('{{ .m.Nope }}', { m: new Meta() }), /can't evaluate field Nope in type Meta/);
  assert.match(execError('{{ .s.x }}', { s: 'str' }), /can't evaluate field x in type interface \{\}/);
});

test('methods on data objects', () => {
  const data = { Caps: { APIVersions: { Has: (v: string) => v === 'apps/v1' } }, Files: { Get: (n: string) => `content of ${n}` } };
  assert.equal(run('{{ .Caps.APIVersions.Has "apps/v1" }} {{ .Caps.APIVersions.Has "x" }}', data), 'true false');
  assert.equal(run('{{ .Files.Get "a.txt" | printf "%s!" }}', data), 'content of a.txt!');
});

test('and/or short-circuit and return operands; not', () => {
  assert.equal(run('{{ and 1 0 2 }} {{ and 1 2 }} {{ or 0 "" "x" }} {{ or 0 "" }}'), '0 2 x ');
  assert.equal(run('{{ or .a (fail) }}', { a: 1n }, { funcs: { fail: () => { throw new Error('evaluated'); } } }), '1');
  assert.equal(run('{{ not 0 }} {{ not "x" }}'), 'true false');
});

test('comparisons with Go rules and errors', () => {
  assert.equal(run('{{ eq 1 1 }} {{ eq "a" "b" "a" }} {{ ne 1 2 }} {{ lt 1 2 }} {{ le 2 2 }} {{ gt "b" "a" }} {{ ge 1.5 1.5 }}'), 'true true true true true true true');
  assert.equal(run('{{ eq .missing "x" }}', {}), 'false');
  assert.equal(execError('{{ eq 1 .x }}', { x: 1 }), 'template: t.yaml:1:3: executing "t.yaml" at <eq 1 .x>: error calling eq: incompatible types for comparison');
  assert.match(execError('{{ lt true false }}'), /error calling lt: invalid type for comparison/);
  assert.match(execError('{{ eq .l .l }}', { l: [1n] }), /non-comparable type/);
});

test('len, index, slice', () => {
  assert.equal(run('{{ len .l }} {{ len "héllo" }} {{ len .m }}', { l: [1n, 2n], m: { a: 1n } }), '2 6 1');
  assert.equal(run('{{ index .l 1 }} {{ index .m "a" "b" }} {{ index .m "zz" }}', { l: ['x', 'y'], m: { a: { b: 'B' } } }), 'y B <no value>');
  assert.match(execError('{{ index .l 5 }}', { l: [1n] }), /error calling index: index out of range: 5/);
  assert.match(execError('{{ len .n }}', { n: null }), /error calling len: len of nil pointer/);
  assert.match(execError('{{ len 3 }}'), /len of type int/);
  assert.equal(run('{{ slice "hello" 1 3 }} {{ slice .l 1 }}', { l: [1n, 2n, 3n] }), 'el [2 3]');
});

test('print, printf, println, html, js, urlquery, call', () => {
  assert.equal(run('{{ print 1 2 "a" "b" 3 }}'), '1 2ab3');
  assert.equal(run('{{ println "a" 1 }}'), 'a 1\n');
  assert.equal(run('{{ printf "%d|%5.2f|%-3s|%q|%x|%v|%T" 42 3.14159 "ab" "q\\"" 255 .m 1.5 }}', { m: { a: 1n } }), '42| 3.14|ab |"q\\""|ff|map[a:1]|float64');
  assert.equal(run('{{ printf "%s %d" "a" }} {{ printf "%d" "x" }} {{ printf "x" 1 }}'), 'a %!d(MISSING) %!d(string=x) x%!(EXTRA int=1)');
  assert.equal(run('{{ html "<a href=\'x\'>&</a>" }}'), '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  assert.equal(run('{{ js "it\'s <b>" }}'), "it\\'s \\u003Cb\\u003E");
  assert.equal(run('{{ urlquery "a b&c" }}'), 'a+b%26c');
  assert.equal(run('{{ call .f 2 }}', { f: (x: bigint) => x * 2n }), '4');
});

test('typed function arguments give Go type errors', () => {
  const funcs: FuncMap = { up: { fn: (s) => (s as string).toUpperCase(), params: ['string'] }, rep: { fn: (n, s) => (s as string).repeat(Number(n)), params: ['int', 'string'] } };
  assert.equal(run('{{ "a" | up }} {{ rep 2 "x" }}', {}, { funcs }), 'A xx');
  assert.match(execError('{{ .n | up }}', { n: 1.5 }, { funcs }), /wrong type for value; expected string; got float64/);
  assert.match(execError('{{ rep 1.5 "x" }}', {}, { funcs }), /expected integer; found 1.5/);
  assert.match(execError('{{ rep 1 }}', {}, { funcs }), /wrong number of args for rep: want 2 got 1/);
  assert.match(execError('{{ up .missing }}', {}, { funcs }), /wrong type for value; expected string; got interface \{\}/);
  assert.match(execError('{{ thrower }}', {}, { funcs: { thrower: () => { throw new Error('boom'); } } }), /at <thrower>: error calling thrower: boom/);
});

test('parse errors read like Go', () => {
  assert.equal(parseError('a\n{{ nope }}'), 'template: t.yaml:2: function "nope" not defined');
  assert.match(parseError('{{ if true }}x'), /unexpected EOF/);
  assert.match(parseError('{{ end }}'), /unexpected \{\{end\}\}/);
  assert.match(parseError('{{ 1 '), /unclosed action/);
  assert.match(parseError('{{ ) }}'), /unexpected right paren/);
  assert.match(parseError('{{ . | 3 }}'), /non executable command in pipeline stage 2/);
});
