import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from './errors.js';
import { age, formatGoDuration, formatMicroTime, formatTimestamp, humanDuration, parseGoDuration, parseTimestamp, shortHumanDuration } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

test('timestamps as metav1.Time and MicroTime print them', () => {
  const t = Date.UTC(2026, 10, 27, 21, 49, 26, 987);
  assert.equal(formatTimestamp(t), '2026-11-27T21:49:26Z');
  assert.equal(formatTimestamp(new Date(t)), '2026-11-27T21:49:26Z');
  assert.equal(formatMicroTime(t), '2026-11-27T21:49:26.987000Z');
  assert.equal(formatTimestamp(new Date('0005-01-02T03:04:05Z')), '0005-01-02T03:04:05Z', 'years below 1000 are zero-padded');
  assert.equal(formatTimestamp(parseTimestamp('0099-01-02T03:04:05Z')), '0099-01-02T03:04:05Z', 'two-digit years are not 19xx');
});

test('parseTimestamp reads RFC 3339 like Go', () => {
  const t = Date.UTC(2026, 10, 27, 21, 49, 26);
  assert.equal(parseTimestamp('2026-11-27T21:49:26Z'), t);
  assert.equal(parseTimestamp('2026-11-27T23:49:26+02:00'), t);
  assert.equal(parseTimestamp('2026-11-27T21:49:26.5Z'), t + 500);
  assert.equal(formatTimestamp(parseTimestamp('2026-11-27T21:49:26.999999999Z')), '2026-11-27T21:49:26Z');
  for (const bad of ['2026-11-27', '2026-11-27 21:49:26Z', '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-11-27T24:00:00Z', 'yesterday', '']) {
    assert.throws(() => parseTimestamp(bad), (e: unknown) => e instanceof StatusError && e.code === 400 && e.message.startsWith(`parsing time ${JSON.stringify(bad)}`), bad);
  }
});

test('humanDuration matches kubectl AGE', () => {
  const cases: [number, string][] = [
    [-5 * S, '<invalid>'], [-1 * S, '0s'], [-999, '0s'], [0, '0s'], [5 * S, '5s'], [119 * S, '119s'], [2 * M, '2m'],
    [3 * M + 2 * S, '3m2s'], [9 * M + 59 * S, '9m59s'], [10 * M + 30 * S, '10m'], [179 * M, '179m'], [3 * H, '3h'],
    [4 * H + 30 * M, '4h30m'], [8 * H + 30 * M, '8h'], [47 * H, '47h'], [2 * D + 5 * H, '2d5h'], [3 * D, '3d'],
    [7 * D + 23 * H, '7d23h'], [8 * D + 5 * H, '8d'], [120 * D, '120d'], [729 * D, '729d'], [730 * D, '2y'], [(3 * 365 + 45) * D, '3y45d'], [10 * 365 * D, '10y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
  assert.equal(shortHumanDuration(59 * S), '59s');
  assert.equal(shortHumanDuration(90 * M), '1h');
  assert.equal(shortHumanDuration(400 * D), '1y');
  const now = Date.UTC(2026, 10, 27, 22, 0, 0);
  assert.equal(age('2026-11-27T21:57:00Z', now), '3m');
  assert.equal(age(undefined, now), '<unknown>');
  assert.equal(age('garbage', now), '<unknown>');
});

test('Go durations parse and print like time.Duration', () => {
  assert.equal(parseGoDuration('1h30m'), 90 * M);
  assert.equal(parseGoDuration('1.5s'), 1500);
  assert.equal(parseGoDuration('-300ms'), -300);
  assert.equal(parseGoDuration('.5m'), 30 * S);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('1µs'), 0.001);
  assert.equal(formatGoDuration(90 * M), '1h30m0s');
  assert.equal(formatGoDuration(1500), '1.5s');
  assert.equal(formatGoDuration(300), '300ms');
  assert.equal(formatGoDuration(0), '0s');
  assert.equal(formatGoDuration(-61 * S), '-1m1s');
  assert.equal(formatGoDuration(0.0015), '1.5µs');
  assert.equal(formatGoDuration(1e-6), '1ns');
  const msg = (s: string): string => {
    try {
      parseGoDuration(s);
    } catch (e) {
      assert.ok(e instanceof StatusError);
      return e.message;
    }
    return '';
  };
  assert.equal(msg('1'), 'time: missing unit in duration "1"');
  assert.equal(msg('1x'), 'time: unknown unit "x" in duration "1x"');
  assert.equal(msg(''), 'time: invalid duration ""');
  assert.equal(msg('h'), 'time: invalid duration "h"');
  assert.equal(msg('9999999999h'), 'time: invalid duration "9999999999h"');
  for (const ms of [1, 999, 1000, 61000, 3600000, 3723004]) assert.equal(parseGoDuration(formatGoDuration(ms)), ms);
});
