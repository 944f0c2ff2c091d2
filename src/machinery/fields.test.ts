import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from './errors.js';
import { escapeFieldValue, fieldSelectorToString, matchesFields, parseFieldSelector, requirementFields, requiresExactMatch, unescapeFieldValue } from './fields.js';

const err = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof StatusError, String(e));
    assert.equal(e.code, 400);
    return e.message;
  }
  return assert.fail('expected an error');
};

test('parses =, ==, != terms, sorted, with == meaning =', () => {
  const sel = parseFieldSelector('status.phase!=Running,metadata.name==web,spec.nodeName=');
  assert.deepEqual(sel.requirements, [
    { field: 'metadata.name', operator: '=', value: 'web' },
    { field: 'spec.nodeName', operator: '=', value: '' },
    { field: 'status.phase', operator: '!=', value: 'Running' },
  ]);
  assert.deepEqual(requirementFields(sel), ['metadata.name', 'spec.nodeName', 'status.phase']);
  assert.equal(requiresExactMatch(sel, 'metadata.name'), 'web');
  assert.equal(requiresExactMatch(sel, 'status.phase'), undefined);
  assert.equal(fieldSelectorToString(sel), 'metadata.name=web,spec.nodeName=,status.phase!=Running');
  assert.deepEqual(parseFieldSelector('').requirements, []);
  assert.deepEqual(parseFieldSelector(',,a=b,').requirements, [{ field: 'a', operator: '=', value: 'b' }]);
});

test('the first operator splits the term and escapes protect values', () => {
  assert.deepEqual(parseFieldSelector('a=b\\=c').requirements, [{ field: 'a', operator: '=', value: 'b=c' }]);
  assert.deepEqual(parseFieldSelector('a=x\\,y,b=z').requirements, [
    { field: 'a', operator: '=', value: 'x,y' },
    { field: 'b', operator: '=', value: 'z' },
  ]);
  assert.deepEqual(parseFieldSelector('a!=\\=b\\\\').requirements, [{ field: 'a', operator: '!=', value: '=b\\' }]);
  assert.equal(unescapeFieldValue(escapeFieldValue('a\\b,c=d')), 'a\\b,c=d');
});

test('bad selectors give upstream messages', () => {
  assert.equal(err(() => parseFieldSelector('abc')), "invalid selector: 'abc'; can't understand 'abc'");
  assert.equal(err(() => parseFieldSelector('x=1,abc')), "invalid selector: 'x=1,abc'; can't understand 'abc'");
  assert.equal(err(() => parseFieldSelector('a=b=c')), 'invalid field selector: unescaped character in value: 61');
  assert.equal(err(() => parseFieldSelector('a=b\\')), 'invalid field selector: invalid escape sequence: \\');
  assert.equal(err(() => parseFieldSelector('a=b\\n')), 'invalid field selector: invalid escape sequence: \\n');
  assert.equal(err(() => parseFieldSelector('a!==b')), 'invalid field selector: unescaped character in value: 61');
});

test('matchesFields', () => {
  const obj: Record<string, string> = { 'metadata.name': 'web', 'status.phase': 'Running' };
  const get = (f: string): string | undefined => obj[f];
  assert.equal(matchesFields(parseFieldSelector('metadata.name=web'), get), true);
  assert.equal(matchesFields(parseFieldSelector('metadata.name=db'), get), false);
  assert.equal(matchesFields(parseFieldSelector('status.phase!=Running'), get), false);
  assert.equal(matchesFields(parseFieldSelector('spec.nodeName='), get), true, 'unknown field reads as empty');
  assert.equal(matchesFields(parseFieldSelector(''), get), true);
});

test('fuzz: random strings only ever raise StatusError', () => {
  const alphabet = 'a=!,\\.x é';
  let seed = 7;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let i = 0; i < 5000; i++) {
    let s = '';
    for (let j = rnd(16); j > 0; j--) s += alphabet[rnd(alphabet.length)];
    try {
      const sel = parseFieldSelector(s);
      assert.deepEqual(parseFieldSelector(fieldSelectorToString(sel)), sel, s);
    } catch (e) {
      if (!(e instanceof StatusError)) assert.fail(`non-Status error for ${JSON.stringify(s)}: ${String(e)}`);
    }
  }
});
