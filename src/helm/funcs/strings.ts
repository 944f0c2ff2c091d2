/**
 * Sprig string functions (trim*, case changes, substr/trunc/abbrev, wrap, quote, indent, replace,
 * split*, join, random strings, hashes...). Byte-based where Go slices strings by byte.
 */
import { randomBytes, randomInt, createHash } from 'node:crypto';
import type { FuncMap, TemplateFunc } from './engine.js';
import { goQuote } from './engine.js';
import { isEmpty, strval } from './convert.js';
import { camelCaseToLowerCase, toCamelCase } from './case-convert.js';

const bytes = (s: string) => Buffer.from(s);
const byteSlice = (s: string, a: number, b?: number) => bytes(s).subarray(a, b).toString();
const byteLen = (s: string) => Buffer.byteLength(s);

function trunc(c: bigint, s: string): string {
  const n = Number(c);
  const len = byteLen(s);
  if (n < 0 && len + n > 0) return byteSlice(s, len + n);
  if (n >= 0 && len > n) return byteSlice(s, 0, n);
  return s;
}

function substr(start: bigint, end: bigint, s: string): string {
  const a = Number(start);
  const b = Number(end);
  const len = byteLen(s);
  if (a < 0) return byteSlice(s, 0, b);
  if (b < 0 || b > len) return byteSlice(s, a);
  return byteSlice(s, a, b);
}

function abbreviateFull(s: string, offset: number, maxWidth: number): string {
  if (s === '') return '';
  if (maxWidth < 4) throw new Error('Minimum abbreviation width is 4');
  const len = s.length;
  if (len <= maxWidth) return s;
  if (offset > len) offset = len;
  if (len - offset < maxWidth - 3) offset = len - (maxWidth - 3);
  if (offset <= 4) return s.slice(0, maxWidth - 3) + '...';
  if (maxWidth < 7) throw new Error('Minimum abbreviation width with offset is 7');
  if (offset + maxWidth - 3 < len) return '...' + abbreviateFull(s.slice(offset), 0, maxWidth - 3);
  return '...' + s.slice(len - (maxWidth - 3));
}

function abbrev(width: bigint, s: string): string {
  if (width < 4n) return s;
  try { return abbreviateFull(s, 0, Number(width)); } catch { return s; }
}

function abbrevboth(left: bigint, right: bigint, s: string): string {
  if (right < 4n || (left > 0n && right < 7n)) return s;
  try { return abbreviateFull(s, Number(left), Number(right)); } catch { return s; }
}

const isSpace = (c: string) => /\s/u.test(c);

function initials(s: string): string {
  let out = '';
  let last = true;
  for (const c of s) {
    if (isSpace(c)) last = true;
    else if (last) { out += c; last = false; }
  }
  return out;
}

/** strings.Title: upper-case the first letter of each word. */
function title(s: string): string {
  let prev = ' ';
  let out = '';
  for (const c of s) {
    const sep = (() => {
      if (/[A-Za-z0-9_]/.test(prev)) return false;
      if (/[\p{L}\p{Nd}]/u.test(prev)) return false;
      if (prev.charCodeAt(0) < 0x80) return true;
      return isSpace(prev);
    })();
    out += sep ? c.toUpperCase() : c;
    prev = c;
  }
  return out;
}

function untitle(s: string): string {
  let out = '';
  let ws = true;
  for (const c of s) {
    if (isSpace(c)) { ws = true; out += c; } else if (ws) { out += c.toLowerCase(); ws = false; } else out += c;
  }
  return out;
}

function swapcase(s: string): string {
  let out = '';
  let ws = true;
  for (let c of s) {
    const up = c !== c.toLowerCase();
    const low = c !== c.toUpperCase();
    if (up) { c = c.toLowerCase(); ws = false; }
    else if (low) { c = c.toUpperCase(); ws = false; }
    else ws = isSpace(c);
    out += c;
  }
  return out;
}

const snakecase = (s: string) => camelCaseToLowerCase(s, '_');
const kebabcase = (s: string) => camelCaseToLowerCase(s, '-');
const camelcase = (s: string) => toCamelCase(s);

function shuffle(s: string): string {
  const a = [...s];
  for (let i = a.length - 1; i > 0; i--) { const j = randomInt(i + 1); [a[i], a[j]] = [a[j], a[i]]; }
  return a.join('');
}

/** goutils.WrapCustom (works on the whole string; existing newlines are not special). */
function wrapCustom(str: string, width: number, newLine: string, wrapLong: boolean): string {
  if (str === '') return '';
  if (newLine === '') newLine = '\n';
  if (width < 1) width = 1;
  const len = str.length;
  let offset = 0;
  let out = '';
  while (len - offset > width) {
    if (str[offset] === ' ') { offset++; continue; }
    const end = width + offset + 1;
    let spaceAt = str.slice(offset, end).lastIndexOf(' ') + offset;
    if (spaceAt >= offset) {
      out += str.slice(offset, spaceAt) + newLine;
      offset = spaceAt + 1;
    } else if (wrapLong) {
      out += str.slice(offset, width + offset) + newLine;
      offset += width;
    } else {
      const e2 = width + offset;
      const idx = str.slice(e2).indexOf(' ');
      if (idx === -1) { out += str.slice(offset); offset = len; } else {
        spaceAt = idx + e2;
        out += str.slice(offset, spaceAt) + newLine;
        offset = spaceAt + 1;
      }
    }
  }
  return out + str.slice(offset);
}

function randomFrom(count: bigint, alphabet: string): string {
  const n = Number(count);
  if (n < 0) throw new Error(`Requested random length ${n} is less than 0.`);
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}
const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NUM = '0123456789';
let ASCII = '';
for (let c = 32; c <= 126; c++) ASCII += String.fromCharCode(c);

function adler32(s: string): string {
  let a = 1;
  let b = 0;
  for (const byte of bytes(s)) { a = (a + byte) % 65521; b = (b + a) % 65521; }
  return String(((b << 16) | a) >>> 0);
}

function splitMap(parts: string[]): Record<string, unknown> {
  const m: Record<string, unknown> = {};
  parts.forEach((p, i) => { m['_' + i] = p; });
  return m;
}

/** strings.SplitN with Go's semantics (n < 0: all; n == 0: nil; empty sep splits UTF-8 chars). */
export function goSplitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const chars = [...s];
    if (n < 0 || n >= chars.length) return chars;
    return [...chars.slice(0, n - 1), chars.slice(n - 1).join('')];
  }
  const all = s.split(sep);
  if (n < 0 || all.length <= n) return all;
  return [...all.slice(0, n - 1), all.slice(n - 1).join(sep)];
}

/** strslice: []string from a list (nil elements dropped) or a one-element list. */
export function toStrings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null && x !== undefined).map(strval);
  if (v instanceof Uint8Array) return Array.from(v, (b) => String(b));
  if (v === null || v === undefined) return [];
  return [strval(v)];
}

const nonNil = (a: unknown[]) => a.filter((x) => x !== null && x !== undefined);
const S = 'string' as const;
const I = 'int' as const;

export const stringFuncs: FuncMap = {
  abbrev: { fn: (w, s) => abbrev(w as bigint, s as string), params: [I, S] },
  abbrevboth: { fn: (l, r, s) => abbrevboth(l as bigint, r as bigint, s as string), params: [I, I, S] },
  trunc: { fn: (c, s) => trunc(c as bigint, s as string), params: [I, S] },
  trim: { fn: (s) => (s as string).replace(/^[\s\u0085\u00a0]+|[\s\u0085\u00a0]+$/gu, ''), params: [S] },
  upper: { fn: (s) => (s as string).toUpperCase(), params: [S] },
  lower: { fn: (s) => (s as string).toLowerCase(), params: [S] },
  title: { fn: (s) => title(s as string), params: [S] },
  untitle: { fn: (s) => untitle(s as string), params: [S] },
  substr: { fn: (a, b, s) => substr(a as bigint, b as bigint, s as string), params: [I, I, S] },
  repeat: {
    fn: (c, s) => { if ((c as bigint) < 0n) throw new Error('strings: negative Repeat count'); return (s as string).repeat(Number(c)); },
    params: [I, S],
  },
  trimall: { fn: (a, b) => trimCutset(b as string, a as string), params: [S, S] },
  trimAll: { fn: (a, b) => trimCutset(b as string, a as string), params: [S, S] },
  trimSuffix: { fn: (a, b) => ((b as string).endsWith(a as string) && (a as string) !== '' ? (b as string).slice(0, -(a as string).length) : b), params: [S, S] },
  trimPrefix: { fn: (a, b) => ((b as string).startsWith(a as string) ? (b as string).slice((a as string).length) : b), params: [S, S] },
  nospace: { fn: (s) => (s as string).replace(/\s/gu, ''), params: [S] },
  initials: { fn: (s) => initials(s as string), params: [S] },
  randAlphaNum: { fn: (c) => randomFrom(c as bigint, ALPHA + NUM), params: [I] },
  randAlpha: { fn: (c) => randomFrom(c as bigint, ALPHA), params: [I] },
  randAscii: { fn: (c) => randomFrom(c as bigint, ASCII), params: [I] },
  randNumeric: { fn: (c) => randomFrom(c as bigint, NUM), params: [I] },
  swapcase: { fn: (s) => swapcase(s as string), params: [S] },
  shuffle: { fn: (s) => shuffle(s as string), params: [S] },
  snakecase: { fn: (s) => snakecase(s as string), params: [S] },
  camelcase: { fn: (s) => camelcase(s as string), params: [S] },
  kebabcase: { fn: (s) => kebabcase(s as string), params: [S] },
  wrap: { fn: (l, s) => wrapCustom(s as string, Number(l), '\n', false), params: [I, S] },
  wrapWith: { fn: (l, sep, s) => wrapCustom(s as string, Number(l), sep as string, true), params: [I, S, S] },
  contains: { fn: (sub, s) => (s as string).includes(sub as string), params: [S, S] },
  hasPrefix: { fn: (sub, s) => (s as string).startsWith(sub as string), params: [S, S] },
  hasSuffix: { fn: (sub, s) => (s as string).endsWith(sub as string), params: [S, S] },
  quote: (...a) => nonNil(a).map((x) => goQuote(strval(x))).join(' '),
  squote: (...a) => nonNil(a).map((x) => `'${strval(x)}'`).join(' '),
  cat: (...a) => nonNil(a).map((x) => strval(x)).join(' '),
  indent: { fn: (n, s) => indent(Number(n), s as string), params: [I, S] },
  nindent: { fn: (n, s) => '\n' + indent(Number(n), s as string), params: [I, S] },
  replace: { fn: (o, n, s) => (s as string).split(o as string).join(n as string), params: [S, S, S] },
  plural: { fn: (one, many, c) => (c === 1n ? one : many), params: [S, S, I] },
  sha1sum: { fn: (s) => createHash('sha1').update(s as string).digest('hex'), params: [S] },
  sha256sum: { fn: (s) => createHash('sha256').update(s as string).digest('hex'), params: [S] },
  sha512sum: { fn: (s) => createHash('sha512').update(s as string).digest('hex'), params: [S] },
  adler32sum: { fn: (s) => adler32(s as string), params: [S] },
  toString: ((v: unknown) => strval(v)) as TemplateFunc,
  split: { fn: (sep, s) => splitMap(goSplitN(s as string, sep as string, -1)), params: [S, S] },
  splitList: { fn: (sep, s) => goSplitN(s as string, sep as string, -1), params: [S, S] },
  splitn: { fn: (sep, n, s) => splitMap(goSplitN(s as string, sep as string, Number(n))), params: [S, I, S] },
  toStrings: (v) => toStrings(v),
  join: { fn: (sep, v) => toStrings(v).join(sep as string), params: [S, 'any'] },
  sortAlpha: (v) => {
    if (Array.isArray(v) || v instanceof Uint8Array) return toStrings(v).sort((a, b) => Buffer.compare(bytes(a), bytes(b)));
    return [strval(v)];
  },
  randBytes: { fn: (n) => randomBytes(Number(n)).toString('base64'), params: [I] },
  empty: (v: unknown) => isEmpty(v),
};

function indent(n: number, s: string): string {
  const pad = ' '.repeat(Math.max(n, 0));
  return pad + s.split('\n').join('\n' + pad);
}

function trimCutset(s: string, cutset: string): string {
  const set = new Set([...cutset]);
  const chars = [...s];
  let a = 0;
  let b = chars.length;
  while (a < b && set.has(chars[a])) a++;
  while (b > a && set.has(chars[b - 1])) b--;
  return chars.slice(a, b).join('');
}
