import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseYaml, parseYamlMap } from './yaml.js';

test('YAML 1.1 scalars resolve like go-yaml v2, numbers become float64 (JS numbers)', () => {
  assert.deepEqual(parseYaml('a: yes\nb: Off\nc: 0755\nd: 0x1F\ne: 1_000\nf: 2001-12-14\ng: 1:20\nh: ~\ni: "1"\nj: 1e3\nk: 3.10\n'), {
    a: true, b: false, c: 493, d: 31, e: 1000, f: '2001-12-14', g: '1:20', h: null, i: '1', j: 1000, k: 3.1,
  });
});

test('anchors, merge keys, duplicate keys (last wins), non-string keys', () => {
  assert.deepEqual(parseYaml('base: &b {x: 1, z: 2}\nd:\n  <<: *b\n  z: 3\ndup: 1\ndup: 2\n1: one\ny: t\n'), {
    base: { x: 1, z: 2 }, d: { x: 1, z: 3 }, dup: 2, '1': 'one', true: 't',
  });
});

test('empty documents are {} for values files; non-maps are rejected', () => {
  assert.deepEqual(parseYamlMap('# only a comment\n'), {});
  assert.throws(() => parseYamlMap('- a\n'), /cannot unmarshal array into Go value of type map/);
});

test('syntax errors read like go-yaml', () => {
  assert.throws(() => parseYaml('a: 1\nb: 2\ninvalid'), { message: "yaml: line 4: could not find expected ':'" });
  assert.throws(() => parseYaml('a: b: c\n'), { message: 'yaml: line 1: mapping values are not allowed in this context' });
});
