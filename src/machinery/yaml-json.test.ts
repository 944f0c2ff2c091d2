import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from './errors.js';
import { decodeJsonOrYaml, strictDecodingError } from './yaml-json.js';

const fails = (f: () => unknown): StatusError => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError, got ${String(e)}`);
    return e;
  }
  return assert.fail('expected an error');
};

test('JSON decodes with duplicate paths and upstream strict texts', () => {
  const r = decodeJsonOrYaml('{"metadata":{"name":"a","name":"b"},"spec":{"containers":[{"name":"x"},{"name":"y","name":"z","i\\u006Dage":1,"image":2}]}}');
  assert.deepEqual(r.value, { metadata: { name: 'b' }, spec: { containers: [{ name: 'x' }, { name: 'z', image: 2 }] } });
  assert.deepEqual(r.duplicates, ['metadata.name', 'spec.containers[1].name', 'spec.containers[1].image']);
  assert.deepEqual(r.strictErrors, ['duplicate field "metadata.name"', 'duplicate field "spec.containers[1].name"', 'duplicate field "spec.containers[1].image"']);
  assert.equal(strictDecodingError(r.strictErrors.slice(0, 1)).message, 'strict decoding error: duplicate field "metadata.name"');
  const plain = decodeJsonOrYaml('{"a":"{\\"a\\":1,\\"a\\":2}","b":[1,2]}');
  assert.deepEqual(plain.duplicates, [], 'keys inside strings are not keys');
});

test('JSON syntax errors are 400 with Go-like wording', () => {
  assert.equal(fails(() => decodeJsonOrYaml('{"a":')).message, "couldn't get version/kind; json parse error: unexpected end of JSON input");
  assert.equal(fails(() => decodeJsonOrYaml('{"a":}')).message, "couldn't get version/kind; json parse error: invalid character '}' looking for beginning of value");
  assert.equal(fails(() => decodeJsonOrYaml('[1,', { patch: true })).message, 'unexpected end of JSON input');
  const go = (t: string): string => fails(() => decodeJsonOrYaml(t, { patch: true })).message;
  assert.equal(go('{"a" 1}'), "invalid character '1' after object key");
  assert.equal(go('{"a":1,}'), "invalid character '}' looking for beginning of object key string");
  assert.equal(go('[1 2]'), "invalid character '2' after array element");
  assert.equal(go('{"a":1} x'), "invalid character 'x' after top-level value");
  assert.equal(go('{"a":1 "b":2}'), `invalid character '"' after object key:value pair`);
  assert.equal(go('"a\nb"'), "invalid character '\\n' in string literal");
  assert.equal(go("{'a':1}"), "invalid character '\\'' looking for beginning of object key string");
  assert.equal(go('{"a":"\\q"}'), "invalid character 'q' in string escape code");
  assert.equal(go('[1,]'), "invalid character ']' looking for beginning of value");
  assert.equal(fails(() => decodeJsonOrYaml('{"a":')).code, 400);
});

test('YAML: 1.1 scalars, duplicates with lines, aliases capped', () => {
  const r = decodeJsonOrYaml('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata:\n  on: yes\n  when: 2026-01-02\n  num: 010\n', { yaml: true });
  assert.deepEqual(r.value, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' }, data: { true: true, when: '2026-01-02', num: 8 } });
  assert.deepEqual(r.duplicates, ['metadata.name']);
  assert.deepEqual(r.strictErrors, ['error converting YAML to JSON: yaml: unmarshal errors:\n  line 5: key "name" already set in map']);
  const seq = decodeJsonOrYaml('items:\n- a: 1\n  a: 2\n', { yaml: true });
  assert.deepEqual(seq.duplicates, ['items[0].a']);
  const flow = decodeJsonOrYaml('{a: 1, b: [x, z]}', { yaml: true });
  assert.deepEqual(flow.value, { a: 1, b: ['x', 'z'] }, 'flow YAML that looks like JSON still decodes');
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) levels.push(`l${i}: &l${i} [${Array(9).fill(i === 1 ? '*a' : `*l${i - 1}`).join(',')}]`);
  const bomb = fails(() => decodeJsonOrYaml(levels.join('\n'), { yaml: true }));
  assert.equal(bomb.code, 400);
  assert.match(bomb.message, /resource exhaustion/);
  const manyAliases = decodeJsonOrYaml('base: &b {x: 1}\n' + Array.from({ length: 200 }, (_, i) => `k${i}: *b`).join('\n'), { yaml: true });
  assert.deepEqual((manyAliases.value as Record<string, unknown>).k199, { x: 1 }, 'ordinary aliases are fine');
  assert.match(fails(() => decodeJsonOrYaml('- '.repeat(20000) + 'x', { yaml: true })).message, /exceeded max depth/);
  const bad = fails(() => decodeJsonOrYaml('a: b\n c: d\n  - e', { yaml: true }));
  assert.match(bad.message, /^error converting YAML to JSON: yaml: line \d+: /);
});

test('size and depth limits', () => {
  const big = fails(() => decodeJsonOrYaml(`"${'x'.repeat(100)}"`, { maxBytes: 50 }));
  assert.equal(big.code, 413);
  assert.equal(big.message, 'Request entity too large: limit is 50');
  const deep = '['.repeat(10001) + ']'.repeat(10001);
  assert.equal(fails(() => decodeJsonOrYaml(deep)).code, 400);
  assert.ok(decodeJsonOrYaml('['.repeat(10000) + ']'.repeat(10000)).value);
  const deepObj = '{"a":'.repeat(20000) + '1' + '}'.repeat(20000);
  assert.match(fails(() => decodeJsonOrYaml(deepObj, { yaml: true })).message, /exceeded max depth/);
  const deepYaml = 'a: ' + '['.repeat(12000) + ']'.repeat(12000);
  assert.equal(fails(() => decodeJsonOrYaml(deepYaml, { yaml: true })).code, 400);
});

test('fuzz: random bodies only ever raise StatusError', () => {
  const alphabet = '{}[]:,"\'\\ab1 -\n&*!|>#%@`\t';
  let seed = 11;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let i = 0; i < 3000; i++) {
    let s = '';
    for (let j = rnd(30); j > 0; j--) s += alphabet[rnd(alphabet.length)];
    for (const yaml of [false, true]) {
      try {
        decodeJsonOrYaml(s, { yaml });
      } catch (e) {
        if (!(e instanceof StatusError)) assert.fail(`non-Status error for ${JSON.stringify(s)}: ${String(e)}`);
      }
    }
  }
});
