import { test } from 'node:test';
import assert from 'node:assert/strict';
import { marshalYaml, naturalLess } from './yaml-emit.js';
import { marshalYamlPretty } from './yaml-pretty.js';
import { yamlToGo } from './helm.js';
import { tpl } from './test-helpers.js';

test('toYaml: sorted keys, indentless sequences, nested maps, empty collections', () => {
  const v = { b: 1n, a: ['x', { z: null, y: [] }], c: { d: {} }, list: [[1n, 2n], [3n]] };
  assert.equal(marshalYaml(v), 'a:\n- x\n- "y": []\n  z: null\nb: 1\nc:\n  d: {}\nlist:\n- - 1\n  - 2\n- - 3\n');
  assert.equal(marshalYaml('foo'), 'foo\n');
  assert.equal(marshalYaml([]), '[]\n');
  assert.equal(marshalYaml(null), 'null\n');
});

test('toYaml: numbers go through JSON (whole floats become ints)', () => {
  assert.equal(marshalYaml({ a: 1e6, b: 1.5, c: 0.00001, d: 1234567.5, e: 3n, f: 1e21 }), 'a: 1000000\nb: 1.5\nc: 1e-05\nd: 1.2345675e+06\ne: 3\nf: 1e+21\n');
  assert.equal(tpl('{{ toYaml .v }}', { v: NaN }), '');
});

test('toYaml: string quoting like go-yaml v2', () => {
  const cases: [string, string][] = [
    ['plain', 'plain'], ['true', '"true"'], ['yes', '"yes"'], ['on', '"on"'], ['y', '"y"'], ['null', '"null"'], ['~', '"~"'],
    ['', '""'], ['123', '"123"'], ['1.5', '"1.5"'], ['0x1F', '"0x1F"'], ['1e3', '"1e3"'], ['2020-01-01', '"2020-01-01"'],
    ['1:20', '"1:20"'], ['*star', "'*star'"], ['- dash', "'- dash'"], ['a: b', "'a: b'"], ['a #b', "'a #b'"], [' lead', "' lead'"],
    ['trail ', "'trail '"], ["it's", "it's"], ['tab\there', '"tab\\there"'], ['emoji 😀', '"emoji \\U0001F600"'], ['héllo', 'héllo'],
    ['a:b', 'a:b'], ['http://x.y/z', 'http://x.y/z'], ['-', "'-'"], ['.5', '".5"'], ['NaN', 'NaN'], ['@at', "'@at'"],
  ];
  for (const [input, want] of cases) assert.equal(marshalYaml({ k: input }), `k: ${want}\n`, input);
});

test('toYaml: multi-line strings use literal blocks with chomping indicators', () => {
  assert.equal(marshalYaml({ k: 'a\nb\n' }), 'k: |\n  a\n  b\n');
  assert.equal(marshalYaml({ k: 'a\nb' }), 'k: |-\n  a\n  b\n');
  assert.equal(marshalYaml({ k: 'a\n\n' }), 'k: |+\n  a\n\n');
  assert.equal(marshalYaml({ k: '  indented\nx' }), 'k: |2-\n    indented\n  x\n');
  assert.equal(marshalYaml({ k: 'trailing \nspace' }), 'k: "trailing \\nspace"\n');
  assert.equal(marshalYaml({ m: { k: 'a\n\nb' } }), 'm:\n  k: |-\n    a\n\n    b\n');
  assert.equal(marshalYaml(['x\ny']), '- |-\n  x\n  y\n');
});

test('toYaml: long plain scalars fold at column 80', () => {
  const words = Array.from({ length: 30 }, (_, i) => `word${i}`).join(' ');
  const out = marshalYaml({ key: words });
  const lines = out.trimEnd().split('\n');
  assert.ok(lines.length > 1);
  assert.ok(lines.slice(1).every((l) => l.startsWith('  ')));
  assert.equal(lines.map((l) => l.trim()).join(' '), `key: ${words}`);
  assert.ok(lines[0].length > 80 && !lines[0].slice(0, 80).includes('\n'));
});

test('toYaml: keys longer than 128 bytes or with newlines use the complex-key form', () => {
  const long = 'k'.repeat(129);
  assert.equal(marshalYaml({ [long]: 'v' }), `? ${long}\n: v\n`);
  assert.equal(marshalYaml({ m: { 'a\nb': 1n } }), 'm:\n  ? |-\n    a\n    b\n  : 1\n');
  assert.equal(marshalYaml({ ['k'.repeat(128)]: 'v' }), `${'k'.repeat(128)}: v\n`);
});

test('toYaml: keys sorted naturally (digit runs numerically)', () => {
  assert.equal(naturalLess('a9', 'a10'), true);
  assert.equal(naturalLess('b', 'a'), false);
  assert.equal(marshalYaml({ key10: 1n, key9: 2n, Key: 3n, _x: 4n }), '_x: 4\nKey: 3\nkey9: 2\nkey10: 1\n');
});

test('toYaml in templates trims the final newline; nindent composes', () => {
  assert.equal(tpl('x:{{ toYaml .v | nindent 2 }}', { v: { a: 1, b: ['c'] } }), 'x:\n  a: 1\n  b:\n  - c');
});

test('toYamlPretty indents sequences and keeps float64 formatting', () => {
  assert.equal(marshalYamlPretty({ a: [1n, 2n], b: 1e6 }), 'a:\n  - 1\n  - 2\nb: 1e+06\n');
});

test('fromYaml / fromYamlArray: YAML 1.1 scalars, float64 numbers, errors in .Error', () => {
  const v = yamlToGo('a: 1\nb: yes\nc: 1.5\nd: ~\ne: "x"\nf: [1, 2]\ng: 2020-01-01\n');
  assert.deepEqual(v, { a: 1, b: true, c: 1.5, d: null, e: 'x', f: [1, 2], g: '2020-01-01' });
  assert.equal(tpl('{{ (fromYaml "a: {b: 2}").a.b }}'), '2');
  assert.match(tpl('{{ (fromYaml "a: [").Error }}'), /^error converting YAML to JSON: yaml: /);
  assert.equal(tpl('{{ fromYamlArray "- 1\\n- x" }}'), '[1 x]');
  assert.equal(tpl('{{ typeOf (fromYaml "a: 1").a }}'), 'float64');
});

test('toToml and fromToml', () => {
  assert.equal(tpl('{{ toToml .v }}', { v: { name: 'x', port: 80n, ratio: 1.5, on: true, list: [1n, 2n], db: { host: 'h', opts: { a: 'b' } } } }),
    'list = [1, 2]\nname = "x"\non = true\nport = 80\nratio = 1.5\n\n[db]\n  host = "h"\n  [db.opts]\n    a = "b"\n');
  assert.equal(tpl('{{ toToml .v }}', { v: { f: 1e21, g: 1e-7, items: [{ a: 1n }, { a: 2n }] } }), 'f = 1000000000000000000000.0\ng = 0.0000001\n\n[[items]]\n  a = 1\n\n[[items]]\n  a = 2\n');
  assert.equal(tpl('{{ $t := fromToml "a = 1\\n[s]\\nb = \\"x\\"" }}{{ $t.a }} {{ typeOf $t.a }} {{ $t.s.b }}'), '1 int x');
  assert.match(tpl('{{ (fromToml "a = ").Error }}'), /^toml: /);
});

test('yamlToGo errors use go-yaml wording and line numbers', () => {
  const manifest = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "x"\nspec:\n  containers:\n  - name: waiter\n    image: "alpine:3.9"\n    command: ["/bin/sleep","9000"]\ninvalid\n';
  assert.throws(() => yamlToGo(manifest), { message: "error converting YAML to JSON: yaml: line 11: could not find expected ':'" });
  assert.throws(() => yamlToGo('a: b: c\n'), { message: 'error converting YAML to JSON: yaml: line 1: mapping values are not allowed in this context' });
  assert.deepEqual(yamlToGo('a: 1\n---\nb: 2\n'), { a: 1 });
  assert.equal(yamlToGo(''), null);
});

test('toYaml output reads back to the same strings (property test, seeded)', () => {
  const alphabet = ['a', 'b', ' ', ':', '#', '-', '?', "'", '"', '\n', '\t', '\\', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '%', '@', '`', '0', '1', '.', 'é', '😀', 'y', 'n', 'o', 'N', '~', '\r', 'x', 'e', '+', '_'];
  let seed = 42;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let i = 0; i < 3000; i++) {
    let s = '';
    for (let j = rand(12); j > 0; j--) s += alphabet[rand(alphabet.length)];
    if (rand(20) === 0) s = 'word '.repeat(30) + s;
    const v = { k: s, l: [s], m: { [s || 'empty']: s } };
    assert.deepEqual(yamlToGo(marshalYaml(v)), v, JSON.stringify(s));
  }
});
