import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tpl, tplError } from './test-helpers.js';
import { GoTime, formatTime, parseTime, durationString } from './dates.js';

test('semverCompare constraints', () => {
  const cases: [string, string, boolean][] = [
    ['>=1.19-0', 'v1.20.0', true], ['>=1.19-0', '1.18.5', false], ['>=1.19', '1.20.0-beta.1', false], ['>=1.19-0', '1.20.0-beta.1', true],
    ['^1.2.3', '1.9.0', true], ['^1.2.3', '2.0.0', false], ['^0.2.3', '0.2.9', true], ['^0.2.3', '0.3.0', false],
    ['~1.2.3', '1.2.9', true], ['~1.2.3', '1.3.0', false], ['1.2.x', '1.2.7', true], ['1.2.x', '1.3.0', false],
    ['>1.2', '1.2.5', false], ['>1.2', '1.3.0', true], ['<=1.2', '1.2.9', true], ['!=1.2.3', '1.2.3', false],
    ['>=1.0.0 <2.0.0', '1.5.0', true], ['>=1.0.0, <2.0.0', '2.5.0', false], ['<1.0.0 || >=3.0.0', '3.1.0', true],
    ['1.0.0 - 2.0.0', '1.5.0', true], ['*', '9.9.9', true], ['=1.2.3', '1.2.3+build', true],
  ];
  for (const [c, v, want] of cases) assert.equal(tpl(`{{ semverCompare "${c}" "${v}" }}`), String(want), `${c} vs ${v}`);
  assert.match(tplError('{{ semverCompare ">=1.0" "not-a-version" }}'), /error calling semverCompare: Invalid Semantic Version/);
  assert.match(tplError('{{ semverCompare "bogus!" "1.0.0" }}'), /improper constraint: bogus!/);
});

test('semver object fields and methods', () => {
  assert.equal(tpl('{{ $v := semver "1.2.3-beta.1+b5" }}{{ $v.Major }}.{{ $v.Minor }}.{{ $v.Patch }} {{ $v.Prerelease }} {{ $v.Metadata }}'), '1.2.3 beta.1 b5');
  assert.equal(tpl('{{ (semver "1.2.3").LessThan (semver "1.10.0") }} {{ (semver "1.0.0").Compare (semver "1.0.0-rc1") }}'), 'true 1');
});

test('dates: Go layouts, zones, parse, durations', () => {
  const t = new GoTime(Date.UTC(2024, 1, 3, 4, 5, 6, 789), 'UTC');
  assert.equal(formatTime(t, '2006-01-02T15:04:05Z07:00'), '2024-02-03T04:05:06Z');
  assert.equal(formatTime(t, 'Mon Jan _2 3:04PM .000 MST 2006'), 'Sat Feb  3 4:05AM .789 UTC 2024');
  assert.equal(formatTime(new GoTime(t.ms, 'Asia/Kolkata'), '15:04 -07:00'), '09:35 +05:30');
  assert.equal(tpl('{{ dateInZone "2006-01-02 15:04" .t "UTC" }} {{ htmlDateInZone .t "UTC" }}', { t }), '2024-02-03 04:05 2024-02-03');
  assert.equal(tpl('{{ date "2006" 0 }}').length, 4);
  assert.equal(parseTime('2006-01-02', '2020-05-06', 'UTC').ms, Date.UTC(2020, 4, 6));
  assert.equal(tpl('{{ (toDate "2006-01-02T15:04:05Z07:00" "2020-05-06T01:02:03+02:00").Unix }}'), String(Date.UTC(2020, 4, 5, 23, 2, 3) / 1000));
  assert.equal(durationString(90_000_000_000n), '1m30s');
  assert.equal(tpl('{{ duration 3700 }} {{ duration "0" }} {{ durationRound "2h10m" }}'), '1h1m40s 0s 2h');
  assert.equal(tpl('{{ unixEpoch .t }}', { t }), String(Math.floor(t.ms / 1000)));
  assert.equal(tpl('{{ .t.Year }} {{ .t.Month }} {{ .t.Day }} {{ .t.Weekday }} {{ .t.YearDay }}', { t }), '2024 February 3 Saturday 34');
});
