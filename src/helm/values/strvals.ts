/**
 * The `--set` family of value parsers (helm pkg/strvals): `a.b=c,d[0]=e`, `{x,y}` lists, `\`
 * escapes, nesting at most 30 levels, list indexes at most 65536.
 *  - parseSet: type guessing (true/false/null any case -> bool/null, integers without a leading
 *    0 -> int64 as bigint, everything else a string)
 *  - parseSetString: values are always strings
 *  - parseSetJSON: each value is a JSON document (empty -> null)
 *  - parseSetFile: the value is a path; `readFile` supplies the contents
 *  - parseSetLiteral: the whole rest after `=` is one literal string
 * Each merges into `dest` (mutating it) and throws Error with helm's message on bad input.
 */
import type { HelmMap, HelmValue } from './yaml.js';

export const MAX_INDEX = 65536;
export const MAX_NESTED_NAME_LEVEL = 30;

type ValueReader = (runes: string) => HelmValue;

class EOF extends Error { constructor() { super('EOF'); } }
class NotList extends Error { constructor() { super('not a list'); } }

/** A rune scanner over the input (code points, like Go's bytes.Buffer.ReadRune). */
class Scanner {
  private readonly runes: string[];
  pos = 0;
  constructor(s: string) { this.runes = Array.from(s); }
  read(): string | undefined { return this.pos < this.runes.length ? this.runes[this.pos++] : undefined; }
  unread(): void { this.pos--; }
  rest(): string { return this.runes.slice(this.pos).join(''); }
  skip(n: number): void { this.pos += n; }
}

interface Until { text: string; last: string | undefined; eof: boolean }

function runesUntil(sc: Scanner, stop: string, escapes: boolean): Until {
  let text = '';
  for (;;) {
    const r = sc.read();
    if (r === undefined) return { text, last: undefined, eof: true };
    if (stop.includes(r)) return { text, last: r, eof: false };
    if (escapes && r === '\\') {
      const next = sc.read();
      if (next === undefined) return { text, last: undefined, eof: true };
      text += next;
    } else {
      text += r;
    }
  }
}

function typedVal(v: string, forceString: boolean): HelmValue {
  if (forceString) return v;
  const lower = v.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (v === '0') return 0n;
  if (v.length > 0 && v[0] !== '0' && /^[-+]?[0-9]+$/.test(v)) {
    const n = BigInt(v);
    if (n <= 9223372036854775807n && n >= -9223372036854775808n) return n;
  }
  return v;
}

function goQuote(s: string): string { return JSON.stringify(s); }

function atoi(s: string): number {
  if (!/^[-+]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  return Number(s);
}

function setIndex(list: HelmValue[], index: number, val: HelmValue): HelmValue[] {
  if (index < 0) throw new Error(`negative ${index} index not allowed`);
  if (index > MAX_INDEX) throw new Error(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  while (list.length <= index) list.push(null);
  list[index] = val;
  return list;
}

function asMap(v: HelmValue | undefined): HelmMap {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as HelmMap;
  throw new Error('unable to parse key: interface conversion: interface {} is not map[string]interface {}');
}

function asList(v: HelmValue | undefined): HelmValue[] {
  if (Array.isArray(v)) return v;
  throw new Error('unable to parse key: interface conversion: interface {} is not []interface {}');
}

type Mode = 'typed' | 'string' | 'json' | 'file' | 'literal';

class StrvalsParser {
  private readonly sc: Scanner;
  constructor(input: string, private readonly mode: Mode, private readonly reader: ValueReader) {
    this.sc = new Scanner(input);
  }

  parse(data: HelmMap): void {
    for (;;) {
      try {
        this.key(data, 0);
      } catch (e) {
        if (e instanceof EOF) return;
        throw e;
      }
    }
  }

  private get literal(): boolean { return this.mode === 'literal'; }

  private key(data: HelmMap, nested: number): void {
    const stop = this.literal ? '=[.' : '=[,.';
    const { text: k, last, eof } = runesUntil(this.sc, stop, !this.literal);
    if (eof) {
      if (k.length === 0) throw new EOF();
      throw new Error(`key ${goQuote(k)} has no value`);
    }
    if (last === '[') {
      const i = this.keyIndex();
      const list = k in data ? asList(data[k]) : [];
      let result: HelmValue[] = list;
      try {
        result = this.listItem(list, i, nested);
      } finally {
        if (k.length > 0) data[k] = result;
      }
      return;
    }
    if (last === '=') {
      if (this.literal) {
        const { text } = runesUntil(this.sc, '', false);
        if (k.length > 0) data[k] = text;
        return;
      }
      if (this.mode === 'json') {
        if (this.emptyVal()) { if (k.length > 0) data[k] = null; return; }
        const v = this.jsonValue();
        if (k.length > 0) data[k] = v;
        this.emptyVal();
        return;
      }
      let list: HelmValue[];
      try {
        list = this.valList();
      } catch (e) {
        if (e instanceof EOF) { if (k.length > 0) data[k] = ''; throw e; }
        if (!(e instanceof NotList)) throw e;
        const { text } = runesUntil(this.sc, ',', true);
        if (k.length > 0) data[k] = this.reader(text);
        return;
      }
      if (k.length > 0) data[k] = list;
      return;
    }
    if (last === ',') {
      if (k.length > 0) data[k] = '';
      throw new Error(`key ${goQuote(k)} has no value (cannot end with ,)`);
    }
    // last === '.'
    nested++;
    if (nested > MAX_NESTED_NAME_LEVEL) {
      throw new Error(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
    }
    const inner: HelmMap = k in data ? asMap(data[k]) : {};
    let err: unknown;
    try { this.key(inner, nested); } catch (e) { err = e; }
    if (err === undefined && Object.keys(inner).length === 0) throw new Error(`key map ${goQuote(k)} has no value`);
    if (Object.keys(inner).length !== 0 && k.length > 0) data[k] = inner;
    if (err !== undefined) throw err;
  }

  private keyIndex(): number {
    const { text, eof } = runesUntil(this.sc, ']', !this.literal);
    if (eof) throw new EOF();
    try {
      return atoi(text);
    } catch (e) {
      throw new Error(`error parsing index: ${(e as Error).message}`);
    }
  }

  private listItem(list: HelmValue[], i: number, nested: number): HelmValue[] {
    if (i < 0) throw new Error(`negative ${i} index not allowed`);
    const { text: k, last, eof } = runesUntil(this.sc, '[.=', !this.literal);
    if (k.length > 0) throw new Error(`unexpected data at end of array index: ${goQuote(k)}`);
    if (eof) throw new EOF();
    if (last === '=') {
      if (this.literal) return setIndex(list, i, runesUntil(this.sc, '', false).text);
      if (this.mode === 'json') {
        if (this.emptyVal()) return setIndex(list, i, null);
        const out = setIndex(list, i, this.jsonValue());
        this.emptyVal();
        return out;
      }
      try {
        return setIndex(list, i, this.valList());
      } catch (e) {
        if (e instanceof EOF) return setIndex(list, i, '');
        if (!(e instanceof NotList)) throw e;
        const { text } = runesUntil(this.sc, ',', true);
        return setIndex(list, i, this.reader(text));
      }
    }
    if (last === '[') {
      const nextI = this.keyIndex();
      const existing = list.length > i && list[i] !== null ? asList(list[i]) : [];
      return setIndex(list, i, this.listItem(existing, nextI, nested));
    }
    // last === '.'
    let inner: HelmMap = {};
    if (list.length > i) {
      const cur = list[i];
      if (typeof cur === 'object' && cur !== null && !Array.isArray(cur)) inner = cur as HelmMap;
      else list[i] = inner;
    }
    this.key(inner, nested);
    return setIndex(list, i, inner);
  }

  /** Consume blanks up to a comma or the end: true when the value is empty. */
  private emptyVal(): boolean {
    for (;;) {
      const r = this.sc.read();
      if (r === undefined || r === ',') return true;
      if (!/\s/u.test(r)) { this.sc.unread(); return false; }
    }
  }

  /** Decode one JSON value from the rest of the input, like json.Decoder (stops after it). */
  private jsonValue(): HelmValue {
    const rest = this.sc.rest();
    const end = jsonValueEnd(rest);
    const text = rest.slice(0, end);
    let v: unknown;
    try { v = JSON.parse(text); } catch (e) { throw new Error(`invalid character in JSON value: ${(e as Error).message}`); }
    this.sc.skip(Array.from(text).length);
    return v as HelmValue;
  }

  private valList(): HelmValue[] {
    const r = this.sc.read();
    if (r === undefined) throw new EOF();
    if (r !== '{') { this.sc.unread(); throw new NotList(); }
    const list: HelmValue[] = [];
    for (;;) {
      const { text, last, eof } = runesUntil(this.sc, ',}', true);
      if (eof) throw new Error("list must terminate with '}'");
      if (last === '}') {
        const n = this.sc.read();
        if (n !== undefined && n !== ',') this.sc.unread();
        list.push(this.reader(text));
        return list;
      }
      list.push(this.reader(text));
    }
  }
}

/** Length of the first JSON value in `s` (after leading blanks), scanning brackets and strings. */
function jsonValueEnd(s: string): number {
  let i = 0;
  while (i < s.length && /\s/.test(s[i])) i++;
  let depth = 0;
  let inStr = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') { inStr = false; if (depth === 0) return i + 1; }
      continue;
    }
    if (c === '"') { inStr = true; continue; }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') { depth--; if (depth === 0) return i + 1; }
    else if (depth === 0 && (c === ',' || /\s/.test(c))) return i;
  }
  return s.length;
}

export function parseSet(s: string, dest: HelmMap = {}): HelmMap {
  new StrvalsParser(s, 'typed', (v) => typedVal(v, false)).parse(dest);
  return dest;
}

export function parseSetString(s: string, dest: HelmMap = {}): HelmMap {
  new StrvalsParser(s, 'string', (v) => typedVal(v, true)).parse(dest);
  return dest;
}

export function parseSetJSON(s: string, dest: HelmMap = {}): HelmMap {
  new StrvalsParser(s, 'json', (v) => v).parse(dest);
  return dest;
}

export function parseSetFile(s: string, dest: HelmMap, readFile: (path: string) => string): HelmMap {
  new StrvalsParser(s, 'file', (v) => readFile(v)).parse(dest);
  return dest;
}

export function parseSetLiteral(s: string, dest: HelmMap = {}): HelmMap {
  new StrvalsParser(s, 'literal', (v) => v).parse(dest);
  return dest;
}
