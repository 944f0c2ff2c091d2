/**
 * Sprig numeric functions: int/int64/float64/atoi/toDecimal conversions, int64 arithmetic
 * (add, sub, mul, div, mod, max, min with Go's truncating division and "integer divide by zero"),
 * float arithmetic (addf... via decimals), floor/ceil/round, seq/until/untilStep, randInt.
 */
import { randomInt } from 'node:crypto';
import type { FuncMap } from './engine.js';
import { formatValue } from './engine.js';
import { int64, toFloat64, toInt64 } from './convert.js';

function div(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return int64(a / b);
}
function mod(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new Error('runtime error: integer divide by zero');
  return a % b;
}

export function untilStep(start: number, stop: number, step: number): bigint[] {
  const v: bigint[] = [];
  if (stop < start) {
    if (step >= 0) return v;
    for (let i = start; i > stop; i += step) v.push(BigInt(i));
    return v;
  }
  if (step <= 0) return v;
  for (let i = start; i < stop; i += step) v.push(BigInt(i));
  return v;
}

function seq(...p: unknown[]): string {
  const n = p.map((x) => Number(x as bigint));
  const join = (l: bigint[]) => l.join(' ');
  switch (n.length) {
    case 1: { const inc = n[0] < 1 ? -1 : 1; return join(untilStep(1, n[0] + inc, inc)); }
    case 2: { const st = n[1] < n[0] ? -1 : 1; return join(untilStep(n[0], n[1] + st, st)); }
    case 3: {
      let inc = 1;
      if (n[2] < n[0]) { inc = -1; if (n[1] > 0) return ''; }
      return join(untilStep(n[0], n[2] + inc, n[1]));
    }
    default: return '';
  }
}

/** An exact decimal m * 10^-e, as shopspring/decimal holds values for the *f functions. */
interface Dec { m: bigint; e: number }

function decFromFloat(f: number): Dec {
  if (!Number.isFinite(f)) throw new Error(`Cannot create a Decimal from ${f}`);
  const [mant, expPart] = String(f).split('e');
  const exp = expPart ? Number(expPart) : 0;
  const [int, frac = ''] = mant.split('.');
  let m = BigInt(int + frac);
  let e = frac.length - exp;
  if (e < 0) { m *= 10n ** BigInt(-e); e = 0; }
  return { m, e };
}
const align = (a: Dec, b: Dec): [bigint, bigint, number] => {
  const e = Math.max(a.e, b.e);
  return [a.m * 10n ** BigInt(e - a.e), b.m * 10n ** BigInt(e - b.e), e];
};
const decToFloat = (d: Dec) => Number(`${d.m}e-${d.e}`);

const DIVISION_PRECISION = 16;
function decDiv(a: Dec, b: Dec): Dec {
  if (b.m === 0n) throw new Error('decimal division by 0');
  // a/b rounded half away from zero to 16 fractional digits (shopspring DivRound).
  const num = a.m * 10n ** BigInt(b.e + DIVISION_PRECISION + 1);
  const den = b.m * 10n ** BigInt(a.e);
  let q = num / den; // one extra digit, truncated toward zero
  const neg = q < 0n;
  if (neg) q = -q;
  q = (q + 5n) / 10n;
  return { m: neg ? -q : q, e: DIVISION_PRECISION };
}

type DecOp = 'add' | 'sub' | 'mul' | 'div';
function decimalOp(a: unknown, rest: unknown[], op: DecOp): number {
  let acc = decFromFloat(toFloat64(a));
  for (const r of rest) {
    const x = decFromFloat(toFloat64(r));
    if (op === 'mul') acc = { m: acc.m * x.m, e: acc.e + x.e };
    else if (op === 'div') acc = decDiv(acc, x);
    else { const [p, q, e] = align(acc, x); acc = { m: op === 'add' ? p + q : p - q, e }; }
  }
  return decToFloat(acc);
}

function round(a: unknown, placesArg: unknown, ...opt: unknown[]): number {
  const places = placesArg as bigint;
  const roundOn = opt.length > 0 ? (opt[0] as number) : 0.5;
  const val = toFloat64(a);
  const pow = Math.pow(10, Number(places));
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

export const numericFuncs: FuncMap = {
  atoi: { fn: (s) => (/^[+-]?\d+$/.test(s as string) ? int64(BigInt(s as string)) : 0n), params: ['string'] },
  int64: (v) => toInt64(v),
  int: (v) => toInt64(v),
  float64: (v) => toFloat64(v),
  toDecimal: (v) => { const s = formatValue(v); return /^[+-]?[0-7]+$/.test(s) ? BigInt('0o' + s.replace(/^[+-]/, '')) * (s.startsWith('-') ? -1n : 1n) : 0n; },
  seq: { fn: seq, params: [], variadic: 'int' },
  until: { fn: (c) => { const n = Number(c); return untilStep(0, n, n < 0 ? -1 : 1); }, params: ['int'] },
  untilStep: { fn: (a, b, c) => untilStep(Number(a), Number(b), Number(c)), params: ['int', 'int', 'int'] },
  add1: (i) => int64(toInt64(i) + 1n),
  add: (...v) => v.reduce<bigint>((acc, x) => int64(acc + toInt64(x)), 0n),
  sub: (a, b) => int64(toInt64(a) - toInt64(b)),
  div: (a, b) => div(toInt64(a), toInt64(b)),
  mod: (a, b) => mod(toInt64(a), toInt64(b)),
  mul: (a, ...v) => v.reduce<bigint>((acc, x) => int64(acc * toInt64(x)), toInt64(a)),
  randInt: { fn: (min, max) => BigInt(randomInt(Number(max as bigint) - Number(min as bigint))) + (min as bigint), params: ['int', 'int'] },
  add1f: (i) => decimalOp(i, [1], 'add'),
  addf: (...v) => decimalOp(0, v, 'add'),
  subf: (a, ...v) => decimalOp(a, v, 'sub'),
  divf: (a, ...v) => decimalOp(a, v, 'div'),
  mulf: (a, ...v) => decimalOp(a, v, 'mul'),
  biggest: (a, ...v) => v.reduce<bigint>((m, x) => { const b = toInt64(x); return b > m ? b : m; }, toInt64(a)),
  max: (a, ...v) => v.reduce<bigint>((m, x) => { const b = toInt64(x); return b > m ? b : m; }, toInt64(a)),
  min: (a, ...v) => v.reduce<bigint>((m, x) => { const b = toInt64(x); return b < m ? b : m; }, toInt64(a)),
  maxf: (a, ...v) => v.reduce<number>((m, x) => Math.max(m, toFloat64(x)), toFloat64(a)),
  minf: (a, ...v) => v.reduce<number>((m, x) => Math.min(m, toFloat64(x)), toFloat64(a)),
  floor: (a) => Math.floor(toFloat64(a)),
  ceil: (a) => Math.ceil(toFloat64(a)),
  round: { fn: round, params: ['any', 'int'], variadic: 'float64' },
};
