import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from './errors.js';
import { formatLabels, formatLabelSelector, labelSelectorToString, matches, parseLabelSelector, selectorFromLabelSelector, selectorFromSet } from './labels.js';

function parseError(s: string): string {
  try {
    parseLabelSelector(s);
  } catch (e) {
    assert.ok(e instanceof StatusError, `expected StatusError for ${JSON.stringify(s)}, got ${String(e)}`);
    assert.equal(e.code, 400);
    return e.message;
  }
  assert.fail(`expected ${JSON.stringify(s)} to be rejected`);
}

test('parses every operator and prints the canonical form sorted by key', () => {
  const cases: [string, string][] = [
    ['x=a', 'x=a'],
    ['x==a', 'x==a'],
    ['x!=a', 'x!=a'],
    ['  x  in (b, a ,a) ', 'x in (a,b)'],
    ['x notin (a)', 'x notin (a)'],
    ['x', 'x'],
    ['!x', '!x'],
    ['z=1,a=2,!m', 'a=2,!m,z=1'],
    ['x>1,y<5', 'x>1,y<5'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['x=', 'x='],
    ['in in (in, notin)', 'in in (in,notin)'],
    ['example.com/app=web', 'example.com/app=web'],
    ['', ''],
    ['a=b\0garbage', 'a=b'],
  ];
  for (const [input, want] of cases) assert.equal(labelSelectorToString(parseLabelSelector(input)), want, input);
});

test('matches follows upstream semantics', () => {
  const labels = { app: 'web', tier: 'front', n: '10' };
  const m = (s: string): boolean => matches(parseLabelSelector(s), labels);
  assert.equal(m(''), true);
  assert.equal(m('app=web'), true);
  assert.equal(m('app=db'), false);
  assert.equal(m('app!=db'), true);
  assert.equal(m('missing!=x'), true, '!= matches an absent key');
  assert.equal(m('missing notin (x)'), true);
  assert.equal(m('missing in (x)'), false);
  assert.equal(m('app,tier'), true);
  assert.equal(m('!app'), false);
  assert.equal(m('!missing'), true);
  assert.equal(m('tier in (back,front)'), true);
  assert.equal(m('n>9'), true);
  assert.equal(m('n>10'), false);
  assert.equal(m('n<11'), true);
  assert.equal(m('app>1'), false, 'non-integer label never matches gt');
  assert.equal(m('missing='), false, 'x= requires the key with an empty value');
  assert.equal(matches(parseLabelSelector('x='), { x: '' }), true);
  assert.equal(matches(parseLabelSelector('toString'), {}), false, 'prototype keys are not labels');
});

test('grammar errors use upstream messages', () => {
  assert.equal(parseError('x=a b'), "found 'b', expected: ',' or 'end of string'");
  assert.equal(parseError('x=a,'), "found '', expected: identifier after ','");
  assert.equal(parseError('=a'), "found '=', expected: !, identifier, or 'end of string'");
  assert.equal(parseError('x in a'), "unable to parse requirement: found 'a' expected: '('");
  assert.equal(parseError('x in (a'), "unable to parse requirement: found '', expected: ',' or ')'");
  assert.equal(parseError('x in (a b)'), "unable to parse requirement: found 'b', expected: ',' or ')'");
  assert.equal(parseError('x in (=)'), "unable to parse requirement: found '=', expected: ',', ')' or identifier");
  assert.equal(parseError('x foo'), "unable to parse requirement: found 'foo', expected: in, notin, =, ==, !=, gt, lt");
  assert.equal(parseError('x=('), "unable to parse requirement: found '(', expected: identifier");
  assert.equal(parseError('!'), "unable to parse requirement: found '', expected: identifier");
  assert.equal(parseError('!x=a'), "found '=', expected: ',' or 'end of string'");
  assert.equal(parseError('x>a'), `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`);
});

test('keys and values are validated', () => {
  assert.match(parseError('-x=a'), /^unable to parse requirement: <nil>: Invalid value: "-x": name part must consist of alphanumeric characters/);
  assert.match(parseError('a/b/c'), /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name must consist/);
  assert.match(parseError('x=-a'), /^unable to parse requirement: values\[0\]\[x\]: Invalid value: "-a": a valid label must be an empty string/);
  assert.match(parseError(`x=-${'a'.repeat(63)}`), /must be no more than 63 characters; a valid label/);
});

test('selectorFromLabelSelector: LabelSelectorAsSelector', () => {
  assert.equal(matches(selectorFromLabelSelector(undefined), {}), false, 'nil selects nothing');
  assert.equal(matches(selectorFromLabelSelector({}), { a: 'b' }), true, 'empty selects everything');
  const sel = selectorFromLabelSelector({
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['front', 'edge'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'env', operator: 'NotIn', values: ['prod'] },
      { key: 'app', operator: 'Exists' },
    ],
  });
  assert.equal(labelSelectorToString(sel), 'app=web,app,!canary,env notin (prod),tier in (edge,front)');
  assert.equal(matches(sel, { app: 'web', tier: 'edge' }), true);
  assert.equal(matches(sel, { app: 'web', tier: 'edge', canary: '' }), false);
  assert.equal(matches(sel, { app: 'web', tier: 'edge', env: 'prod' }), false);
  const err = (ls: Parameters<typeof selectorFromLabelSelector>[0]): string => {
    try {
      selectorFromLabelSelector(ls);
    } catch (e) {
      assert.ok(e instanceof StatusError);
      return e.message;
    }
    return '';
  };
  assert.equal(err({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }), '"Gt" is not a valid label selector operator');
  assert.equal(err({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
  assert.equal(err({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }), 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist');
  assert.match(err({ matchLabels: { 'bad key': 'v' } }), /^key: Invalid value: "bad key": name part must consist/);
});

test('sets and kubectl formatting', () => {
  assert.equal(labelSelectorToString(selectorFromSet({ tier: 'web', app: 'shop' })), 'app=shop,tier=web');
  assert.equal(matches(selectorFromSet({ app: 'shop' }), { app: 'shop', x: 'y' }), true);
  assert.equal(matches(selectorFromSet({}), {}), true);
  assert.equal(formatLabels({}), '<none>');
  assert.equal(formatLabels({ b: '2', a: '1' }), 'a=1,b=2');
  assert.equal(formatLabelSelector({ matchLabels: { app: 'web' } }), 'app=web');
  assert.equal(formatLabelSelector({}), '<none>');
  assert.equal(formatLabelSelector(undefined), '<none>');
  assert.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Bogus' }] }), '<error>');
});

test('fuzz: random strings only ever raise StatusError', () => {
  const alphabet = 'ab=!(),<> in notin\t\\/.-_é\0x9';
  let seed = 42;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let i = 0; i < 5000; i++) {
    let s = '';
    const len = rnd(20);
    for (let j = 0; j < len; j++) s += alphabet[rnd(alphabet.length)];
    try {
      const sel = parseLabelSelector(s);
      // A valid selector round-trips through its canonical string.
      assert.equal(labelSelectorToString(parseLabelSelector(labelSelectorToString(sel))), labelSelectorToString(sel), s);
    } catch (e) {
      if (!(e instanceof StatusError)) assert.fail(`non-Status error for ${JSON.stringify(s)}: ${String(e)}`);
    }
  }
});
