import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalQuantity, parseQuantity } from './quantity.js';

test('canonical forms as upstream prints them', () => {
  const cases: [string | number, string][] = [
    ['100m', '100m'], ['1000m', '1'], ['1500m', '1500m'], [0.5, '500m'], ['0.5', '500m'], [1, '1'], ['2000', '2k'],
    ['1024', '1024'], ['128Mi', '128Mi'], ['1024Mi', '1Gi'], ['1.5Gi', '1536Mi'], ['512Ki', '512Ki'], ['0.5Ki', '512'],
    ['1e3', '1e3'], ['1e4', '10e3'], ['1.5e3', '1500'], ['0', '0'], ['0Gi', '0'], ['-1', '-1'], ['+2', '2'],
    [' 64Mi ', '64Mi'], ['1n', '1n'], ['0.1n', '1n'], ['1Ei', '1Ei'], ['.5', '500m'], ['5.', '5'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, String(input));
});

test('resource lists round up to milli precision', () => {
  assert.equal(canonicalQuantity('0.0001', { milli: true }), '1m');
  assert.equal(canonicalQuantity('1500u', { milli: true }), '2m');
  assert.equal(canonicalQuantity('1500u'), '1500u');
});

test('junk is not a quantity', () => {
  for (const bad of ['', 'abc', '1.2.3', '12Q', '1 Gi', 'e3', '.', '--1', '1e999']) assert.equal(parseQuantity(bad), undefined, bad);
});
