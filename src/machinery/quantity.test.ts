import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from './errors.js';
import {
  addQuantities,
  canonicalQuantity,
  compareQuantities,
  ERR_FORMAT_WRONG,
  ERR_SUFFIX,
  parseQuantity,
  parseQuantityValue,
  quantityParseError,
  quantityToString,
  quantityValue,
  subQuantities,
  toMilli,
  toNumber,
} from './quantity.js';

// [canonical, alternate spelling] pairs from upstream's TestQuantityString / TestQuantityParseEmit.
const CANONICAL: [string, string][] = [
  ['1Gi', '1024Mi'], ['300Mi', '307200Ki'], ['6Ki', ''], ['1001Gi', '1025024Mi'], ['1Ti', '1024Gi'], ['5', '5000m'],
  ['500m', '0.5'], ['1G', '1000M'], ['1G', '0.001T'], ['1m', '1000u'], ['80m', ''], ['1080m', '1.08'], ['1080m', '1080000000n'],
  ['300M', ''], ['1T', ''], ['1E', ''], ['1e21', '1000E'], ['5e21', '5000E'], ['1e24', '1000000E'], ['1234567M', ''], ['3k', ''],
  ['1025', ''], ['0', '00'], ['1e9', '.001e12'], ['1e-3', '0.001e0'], ['1e-9', '1000e-12'], ['80e-3', ''], ['300e6', ''],
  ['1n', ''], ['80n', ''], ['1080n', ''], ['1u', ''], ['1080u', ''], ['1024m', '.001Ki'], ['1024u', '.000001Ki'], ['2n', '.000000000001Ki'],
];

test('canonical strings are kept verbatim, other spellings canonicalised (upstream vectors)', () => {
  for (const [canonical, alternate] of CANONICAL) {
    const q = parseQuantity(canonical);
    assert.equal(quantityToString(q), canonical, canonical);
    if (!canonical.startsWith('2n') && !canonical.startsWith('1024')) assert.equal(q.original, canonical, `${canonical} keeps its string`);
    if (alternate) {
      assert.equal(canonicalQuantity(alternate), canonical, alternate);
      if (canonical !== '0') assert.equal(canonicalQuantity(`-${alternate}`), `-${canonical}`, `-${alternate}`);
    }
  }
});

test('parse values (upstream TestQuantityParse)', () => {
  const cases: [string, string][] = [
    ['1.5Gi', '1536Mi'], ['1000m', '1'], ['1000', '1k'], ['1.5', '1500m'], ['100.035k', '100.035k'], ['100.0350k', '100035'], ['0.0005k', '500m'],
    ['1.2e3', '1200'], ['1.3E+6', '1300e3'], ['3.001n', '4n'], ['1.1E-9', '2e-9'], ['0.0000000001', '1n'], ['0.00000012345', '124n'],
    ['9Ei', '9223372036854775807'], ['9223372036854775807Ki', '9223372036854775807'], ['12E', '12E'], ['100.035Ki', '102435840m'],
    ['0.5Mi', '512Ki'], ['0.05Gi', '53687091200m'], ['.0001k', '100m'], ['1.G', '1.G'], ['8Gi', '8Gi'], ['+1', '+1'], ['-0', '0'],
    ['1.', '1.'], ['-', '0'], ['Ki', '0'], ['0Mi', '0'],
  ];
  for (const [input, want] of cases) assert.equal(canonicalQuantity(input), want, input);
  assert.equal(parseQuantity('0.5Ki').format, 'BinarySI');
  assert.equal(parseQuantity('0.000000000001Ki').format, 'DecimalSI', 'below one, binary becomes decimal');
  assert.equal(parseQuantity('1e3').format, 'DecimalExponent');
});

test('invalid quantities give upstream messages', () => {
  for (const bad of ['1.1.M', '1+1.0M', 'aoeu', '0.1am', ' 1', '1 ', '']) {
    assert.equal(quantityParseError(bad), ERR_FORMAT_WRONG, bad);
  }
  for (const bad of ['0.1mi', '.5i', '1i', '-3.01i', '1e', '1Ki5', '1ee3', '-3.01e-']) {
    assert.equal(quantityParseError(bad), ERR_SUFFIX, bad);
  }
  assert.equal(ERR_FORMAT_WRONG, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  try {
    parseQuantity('x');
    assert.fail('expected error');
  } catch (e) {
    assert.ok(e instanceof StatusError);
    assert.equal(e.code, 400);
  }
});

test('compare, arithmetic, scaled values', () => {
  const q = parseQuantity;
  assert.equal(compareQuantities(q('100m'), q('50m')), 1);
  assert.equal(compareQuantities(q('50m'), q('100m')), -1);
  assert.equal(compareQuantities(q('10000T'), q('100Gi')), 1);
  assert.equal(compareQuantities(q('1Gi'), q('1024Mi')), 0);
  assert.equal(compareQuantities(q('-1'), q('0')), -1);
  assert.equal(compareQuantities(q('-2'), q('-1')), -1);
  assert.equal(compareQuantities(q('1e100000'), q('9e99999')), 1, 'huge exponents compare without expansion');
  assert.equal(quantityToString(addQuantities(q('100m'), q('0'))), '100m');
  assert.equal(quantityToString(addQuantities(q('0'), q('1Gi'))), '1Gi');
  assert.equal(quantityToString(addQuantities(q('1Gi'), q('512Mi'))), '1536Mi');
  assert.equal(quantityToString(subQuantities(q('0'), q('1Gi'))), '-1Gi');
  assert.equal(quantityToString(subQuantities(q('1'), q('250m'))), '750m');
  assert.equal(toMilli(q('250m')), 250);
  assert.equal(toMilli(q('1')), 1000);
  assert.equal(toMilli(q('1n')), 1, 'rounded up');
  assert.equal(toMilli(q('-1n')), -1, 'away from zero');
  assert.equal(quantityValue(q('1.5')), 2);
  assert.equal(quantityValue(q('1Gi')), 1073741824);
  assert.equal(toNumber(q('1.5Gi')), 1610612736);
  assert.equal(toNumber(q('250m')), 0.25);
  assert.equal(quantityValue(q('1e400')), Infinity);
});

test('JSON values as upstream unmarshals them', () => {
  assert.equal(quantityToString(parseQuantityValue(' 1')), '1');
  assert.equal(quantityToString(parseQuantityValue(1)), '1');
  assert.equal(quantityToString(parseQuantityValue(-1)), '-1');
  assert.equal(quantityToString(parseQuantityValue(0.5)), '500m');
  assert.equal(quantityToString(parseQuantityValue(null)), '0');
  assert.throws(() => parseQuantityValue({}), StatusError);
});

test('fuzz: random strings only ever raise StatusError and canonical forms re-parse to the same value', () => {
  const alphabet = '0123456789.+-eEinumkKMGTP x';
  let seed = 9;
  const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
  for (let i = 0; i < 20000; i++) {
    let s = '';
    for (let j = rnd(12); j > 0; j--) s += alphabet[rnd(alphabet.length)];
    try {
      const parsed = parseQuantity(s);
      const text = quantityToString(parsed);
      assert.equal(compareQuantities(parseQuantity(text), parsed), 0, `${s} -> ${text}`);
      assert.equal(quantityToString(parseQuantity(text)), text, `${text} is stable`);
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
    }
  }
  assert.throws(() => parseQuantity('1'.repeat(5000)), StatusError);
});
