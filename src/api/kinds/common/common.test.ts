import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { isStrictSubset, parseCidr } from './cidr.js';
import { selectorIsEmpty, selectorMatches, selectorToString } from './label-selector.js';
import { deepEqual, intOrPercentValue, notMoreThan100Percent, positiveIntOrPercent } from './validation.js';
import { path } from '../../../machinery/errors.js';

test('label selectors: matching, emptiness, string form', () => {
  const sel = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'canary', operator: 'DoesNotExist' }] };
  assert.equal(selectorMatches(sel, { app: 'web', tier: 'b' }), true);
  assert.equal(selectorMatches(sel, { app: 'web', tier: 'c' }), false);
  assert.equal(selectorMatches(sel, { app: 'web', tier: 'a', canary: '' }), false);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['1'] }] }, {}), true);
  assert.equal(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, { x: '' }), true);
  assert.equal(selectorIsEmpty({}), true);
  assert.equal(selectorIsEmpty({ matchLabels: {} }), true);
  assert.equal(selectorIsEmpty(sel), false);
  assert.equal(selectorToString(sel), 'app=web,!canary,tier in (a,b)');
  assert.equal(selectorToString({ matchExpressions: [{ key: 'z', operator: 'NotIn', values: ['2', '1'] }, { key: 'a', operator: 'Exists' }] }), 'a,z notin (1,2)');
});

test('CIDRs: parsing and strict subsets for IPv4 and IPv6', () => {
  assert.deepEqual(parseCidr('10.0.0.0/8'), { family: 4, address: 0x0a000000n, prefix: 8 });
  assert.equal(parseCidr('10.0.0.0'), undefined);
  assert.equal(parseCidr('10.0.0.0/33'), undefined);
  assert.equal(parseCidr('300.0.0.0/8'), undefined);
  assert.equal(parseCidr('2001:db8::/129'), undefined);
  const outer = parseCidr('10.0.0.0/16')!;
  assert.equal(isStrictSubset(parseCidr('10.0.5.0/24')!, outer), true);
  assert.equal(isStrictSubset(parseCidr('10.0.0.0/16')!, outer), false);
  assert.equal(isStrictSubset(parseCidr('10.1.0.0/24')!, outer), false);
  assert.equal(isStrictSubset(parseCidr('::ffff:10.0.0.0/120')!, outer), false, 'families differ');
  assert.equal(isStrictSubset(parseCidr('2001:db8:0:1::/64')!, parseCidr('2001:db8::/48')!), true);
  assert.equal(isStrictSubset(parseCidr('2001:db9::/64')!, parseCidr('2001:db8::/48')!), false);
});

test('int-or-percent helpers and deep equality', () => {
  assert.equal(intOrPercentValue('25%'), 25);
  assert.equal(intOrPercentValue(3), 3);
  assert.equal(intOrPercentValue('x'), 0);
  assert.deepEqual(positiveIntOrPercent('10%', path('f')), []);
  assert.equal(positiveIntOrPercent(-1, path('f'))[0]?.detail, 'must be greater than or equal to 0');
  assert.equal(notMoreThan100Percent('101%', path('f'))[0]?.detail, 'must not be greater than 100%');
  assert.equal(deepEqual({ a: [1, { b: 2 }], c: undefined }, { a: [1, { b: 2 }] }), true);
  assert.equal(deepEqual({ a: [1, 2] }, { a: [2, 1] }), false);
});
