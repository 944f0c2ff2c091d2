/**
 * The builtin functions of Go's text/template: and, or, not, len, index, slice, eq, ne, lt, le,
 * gt, ge, print, printf, println, html, js, urlquery, call — with Go's comparison rules and
 * error texts (the executor prefixes them with `error calling NAME: `).
 */
import type { FuncMap } from './exec.js';
import { sprint, sprintf, sprintln } from './fmt.js';
import { isTrue, kindOf, lengthOf, mapGet, typeName } from './values.js';

type BasicKind = 'invalid' | 'bool' | 'int' | 'float' | 'string' | 'other';
function basicKind(v: unknown): BasicKind {
  const k = kindOf(v);
  if (k === 'nil') return 'invalid';
  if (k === 'invalid' || k === 'bool' || k === 'int' || k === 'float' || k === 'string') return k;
  return 'other';
}
const isNil = (v: unknown) => v === null || v === undefined;

function eq(a: unknown, ...rest: unknown[]): boolean {
  if (rest.length === 0) throw new Error('missing argument for comparison');
  const k1 = basicKind(a);
  for (const b of rest) {
    const k2 = basicKind(b);
    let truth = false;
    if (k1 !== k2) {
      if (!isNil(a) && !isNil(b)) throw new Error('incompatible types for comparison');
    } else if (k1 === 'other') {
      const ka = kindOf(a);
      if (ka === 'slice' || ka === 'map' || ka === 'func' || ka === 'bytes') throw new Error(`non-comparable type ${String(a)}: ${typeName(a)}`);
      truth = a === b;
    } else if (k1 === 'invalid') truth = true;
    else truth = a === b;
    if (truth) return true;
  }
  return false;
}

function lt(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  if (k1 === 'invalid' || k1 === 'other') throw new Error('invalid type for comparison');
  const k2 = basicKind(b);
  if (k2 === 'invalid' || k2 === 'other') throw new Error('invalid type for comparison');
  if (k1 !== k2) throw new Error('incompatible types for comparison');
  if (k1 === 'bool') throw new Error('invalid type for comparison');
  return (a as number | bigint | string) < (b as number | bigint | string);
}

function toIndex(v: unknown, cap: number, what: string): number {
  if (isNil(v)) throw new Error(`cannot index ${what} with nil`);
  if (typeof v !== 'bigint') throw new Error(`cannot index ${what} with type ${typeName(v)}`);
  if (v < 0n || v >= BigInt(cap)) throw new Error(`index out of range: ${v}`);
  return Number(v);
}

function index(item: unknown, ...indexes: unknown[]): unknown {
  if (item === undefined || item === null) throw new Error('index of untyped nil');
  for (const ix of indexes) {
    if (item === null) throw new Error('index of nil pointer');
    switch (kindOf(item)) {
      case 'slice': { const a = item as unknown[]; item = a[toIndex(ix, a.length, 'slice/array')]; break; }
      case 'bytes': { const a = item as Uint8Array; item = BigInt(a[toIndex(ix, a.length, 'slice/array')]); break; }
      case 'string': { const b = Buffer.from(item as string); item = BigInt(b[toIndex(ix, b.length, 'slice/array')]); break; }
      case 'map': {
        if (isNil(ix)) throw new Error('value is nil; should be of type string');
        if (typeof ix !== 'string') throw new Error(`value has type ${typeName(ix)}; should be string`);
        const { found, value } = mapGet(item, ix);
        item = found && value !== undefined ? value : null;
        break;
      }
      default: throw new Error(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

function slice(item: unknown, ...idx: unknown[]): unknown {
  if (isNil(item)) throw new Error('slice of untyped nil');
  if (idx.length > 3) throw new Error(`too many slice indexes: ${idx.length}`);
  const k = kindOf(item);
  if (k !== 'string' && k !== 'slice' && k !== 'bytes') throw new Error(`can't slice item of type ${typeName(item)}`);
  if (k === 'string' && idx.length === 3) throw new Error('cannot 3-index slice a string');
  const len = k === 'string' ? Buffer.byteLength(item as string) : (item as ArrayLike<unknown>).length;
  const pos = [0, len];
  idx.forEach((x, i) => { if (i < 2) pos[i] = toIndex(x, len + 1, 'slice/array'); });
  if (pos[0] > pos[1]) throw new Error(`invalid slice index: ${pos[0]} > ${pos[1]}`);
  if (k === 'string') return Buffer.from(item as string).subarray(pos[0], pos[1]).toString();
  return (item as unknown[]).slice(pos[0], pos[1]);
}

function evalArgsString(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args);
}

/** text/template's HTMLEscapeString. */
export function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/** text/template's JSEscapeString. */
export function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '"': '\\"', '<': '\\u003C', '>': '\\u003E', '&': '\\u0026', '=': '\\u003D' };
    if (named[ch]) out += named[ch];
    else if (cp < 0x20) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
    else if (cp < 0x80 || /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) out += ch;
    else out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  }
  return out;
}

/** url.QueryEscape. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

export const builtinFuncs: FuncMap = {
  and: { fn: () => undefined, params: ['value'], variadic: 'value', lazy: 'and' },
  or: { fn: () => undefined, params: ['value'], variadic: 'value', lazy: 'or' },
  not: { fn: (v) => !isTrue(v), params: ['value'] },
  len: {
    fn: (v) => {
      if (v === null || v === undefined) throw new Error('len of nil pointer');
      const n = lengthOf(v);
      if (n === undefined) throw new Error(`len of type ${typeName(v)}`);
      return BigInt(n);
    },
    params: ['value'],
  },
  index: { fn: index, params: ['value'], variadic: 'value' },
  slice: { fn: slice, params: ['value'], variadic: 'value' },
  eq: { fn: eq, params: ['value'], variadic: 'value' },
  ne: { fn: (a, b) => !eq(a, b), params: ['value', 'value'] },
  lt: { fn: (a, b) => lt(a, b), params: ['value', 'value'] },
  le: { fn: (a, b) => lt(a, b) || eq(a, b), params: ['value', 'value'] },
  gt: { fn: (a, b) => !(lt(a, b) || eq(a, b)), params: ['value', 'value'] },
  ge: { fn: (a, b) => !lt(a, b), params: ['value', 'value'] },
  print: (...a) => sprint(a),
  printf: { fn: (f, ...a) => sprintf(f as string, a), params: ['string'], variadic: 'any' },
  println: (...a) => sprintln(a),
  html: (...a) => htmlEscape(evalArgsString(a)),
  js: (...a) => jsEscape(evalArgsString(a)),
  urlquery: (...a) => queryEscape(evalArgsString(a)),
  call: {
    fn: (f, ...a) => {
      if (typeof f !== 'function') throw new Error(`non-function of type ${typeName(f)}`);
      return (f as (...x: unknown[]) => unknown)(...a);
    },
    params: ['value'], variadic: 'any',
  },
};
