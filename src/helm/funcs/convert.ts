/**
 * Value conversions Sprig relies on: strval (fmt %v or the string itself), spf13/cast's
 * ToInt64/ToFloat64 (errors become 0), Sprig's `empty` and mergo's emptiness test.
 */
import { formatValue, kindOf, lengthOf } from './engine.js';

export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString();
  if (v instanceof Error) return v.message;
  return formatValue(v);
}

/** cast.ToInt64 (ints, floats truncated, bools, numeric strings with base prefixes; else 0). */
export function toInt64(v: unknown): bigint {
  switch (kindOf(v)) {
    case 'int': return v as bigint;
    case 'float': { const f = v as number; return Number.isFinite(f) ? BigInt(Math.trunc(f)) : 0n; }
    case 'bool': return v ? 1n : 0n;
    case 'string': {
      let s = (v as string).trim();
      if (/\.0*$/.test(s) && s.includes('.')) s = s.replace(/\.0*$/, '');
      const m = /^([+-]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[1-9][0-9_]*|0)$/.exec(s);
      if (!m) return 0n;
      let body = m[2].replace(/_/g, '');
      if (/^0[0-7]+$/.test(body)) body = '0o' + body.slice(1);
      try { return (m[1] === '-' ? -1n : 1n) * BigInt(body); } catch { return 0n; }
    }
    default: return 0n;
  }
}

/** Wrap to Go int64 overflow semantics. */
export function int64(b: bigint): bigint { return BigInt.asIntN(64, b); }

export function toFloat64(v: unknown): number {
  switch (kindOf(v)) {
    case 'int': return Number(v as bigint);
    case 'float': return v as number;
    case 'bool': return v ? 1 : 0;
    case 'string': {
      const s = v as string;
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) || /^[+-]?(inf|infinity|nan)$/i.test(s)) {
        const low = s.toLowerCase().replace(/^\+/, '');
        if (low.endsWith('inf') || low.endsWith('infinity')) return low.startsWith('-') ? -Infinity : Infinity;
        if (low === 'nan') return NaN;
        return Number(s);
      }
      return 0;
    }
    default: return 0;
  }
}

/** Sprig's `empty`: nil, zero numbers, false, and zero-length strings/slices/maps. */
export function isEmpty(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return true;
    case 'bool': return v === false;
    case 'int': return v === 0n;
    case 'float': return v === 0;
    case 'string': case 'slice': case 'bytes': case 'map': return lengthOf(v) === 0;
    default: return false;
  }
}

export function asList(v: unknown, what: string): unknown[] {
  const k = kindOf(v);
  if (k === 'slice') return v as unknown[];
  if (k === 'bytes') return Array.from(v as Uint8Array, (b) => BigInt(b));
  throw new Error(`Cannot ${what} on type ${k === 'nil' || k === 'invalid' ? '<nil>' : goKindName(v)}`);
}

export function goKindName(v: unknown): string {
  switch (kindOf(v)) {
    case 'int': return 'int';
    case 'float': return 'float64';
    case 'string': return 'string';
    case 'bool': return 'bool';
    case 'map': return 'map';
    case 'slice': case 'bytes': return 'slice';
    case 'func': return 'func';
    case 'struct': return 'ptr';
    default: return 'invalid';
  }
}
