import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tpl, tplError } from './test-helpers.js';

test('integer arithmetic converts with cast.ToInt64', () => {
  assert.equal(tpl('{{ add 1 2 3 }} {{ add1 .f }} {{ sub 5 7 }} {{ mul 2 3 4 }} {{ div 7 2 }} {{ div -7 2 }} {{ mod 7 3 }}', { f: 2.9 }), '6 3 -2 24 3 -3 1');
  assert.equal(tpl('{{ add "3" "0x10" "x" }} {{ max 1 5 3 }} {{ min 4 2 8 }} {{ biggest 1 9 }}'), '19 5 2 9');
  assert.equal(tpl('{{ typeOf (add 1 1) }} {{ typeOf (addf 1 1) }}'), 'int float64');
  assert.match(tplError('{{ div 1 0 }}'), /error calling div: runtime error: integer divide by zero/);
});

test('float arithmetic and rounding', () => {
  assert.equal(tpl('{{ addf 1.1 2.2 }} {{ subf 5 1.5 }} {{ mulf 1.1 3 }} {{ divf 1 4 }} {{ add1f 1.5 }}'), '3.3 3.5 3.3 0.25 2.5');
  assert.equal(tpl('{{ addf 0.1 1234567.123456789 }} {{ divf 10 3 }} {{ divf 2 3 }} {{ mulf 0.1 0.2 }} {{ subf 0.3 0.1 }} {{ addf 1e-7 1 }}'), '1.234567223456789e+06 3.3333333333333335 0.6666666666666667 0.02 0.2 1.0000001');
  assert.match(tplError('{{ divf 1 0 }}'), /decimal division by 0/);
  assert.equal(tpl('{{ maxf 1 2.5 }} {{ minf 1 2.5 }} {{ floor 1.7 }} {{ ceil 1.2 }} {{ round 1.2345 2 }} {{ round 1.5 0 }}'), '2.5 1 1 2 1.23 2');
});

test('conversions: int, int64, float64, atoi, toDecimal, toString', () => {
  assert.equal(tpl('{{ int "12" }} {{ int 3.9 }} {{ int64 true }} {{ float64 "1.5" }} {{ atoi "42" }} {{ atoi "x" }} {{ toDecimal "0777" }} {{ toString 1.5 }}'), '12 3 1 1.5 42 0 511 1.5');
});

test('sequences: until, untilStep, seq', () => {
  assert.equal(tpl('{{ until 3 }} {{ untilStep 0 10 3 }} {{ untilStep 5 0 -2 }} {{ until -2 }}'), '[0 1 2] [0 3 6 9] [5 3 1] [0 -1]');
  assert.equal(tpl('{{ seq 3 }}|{{ seq 2 5 }}|{{ seq 0 2 6 }}|{{ seq 3 1 }}|{{ seq }}'), '1 2 3|2 3 4 5|0 2 4 6|3 2 1|');
  assert.equal(tpl('{{ range $i := until 2 }}{{ $i }}{{ end }}'), '01');
});
