/**
 * sigs.k8s.io/yaml Marshal, byte for byte: the value goes through JSON (json.Marshal) and is
 * re-emitted by go-yaml v2's block emitter — natural key order, indentless sequences in
 * mappings, 2-space indent, plain/'single'/"double"/|literal scalar selection, and line folding
 * of long scalars at column 80 (v2's default best_width).
 */
import { toJsonValue, type JsonValue } from './json.js';


/** yaml.Marshal(v) as helm's toYaml calls it (before helm trims the final newline). */
export function marshalYaml(v: unknown): string {
  return emitYaml(yamlize(toJsonValue(v)), { indentSequences: false, width: 80 });
}

export interface EmitOptions { /** go-yaml v3 indents sequences under mapping keys; v2 does not. */ indentSequences: boolean; width: number }
let BEST_WIDTH = 80;
let INDENT_SEQ = false;

/** Emit an already-normalised YAML node tree (see yamlize / rawYamlNode). */
export function emitYaml(node: YNode, opts: EmitOptions): string {
  BEST_WIDTH = opts.width;
  INDENT_SEQ = opts.indentSequences;
  const out = new Out();
  emitNode(out, node, -1, 'root');
  if (out.col > 0) out.s += '\n';
  return out.s;
}

/** After the JSON round trip, go-yaml reads integral numbers below 2^64 back as ints. */
export type YNode = null | boolean | { int: string } | number | string | YNode[] | Map<string, YNode>;
function yamlize(v: JsonValue): YNode {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return { int: v.toString() };
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e21) {
      const b = BigInt(v);
      if (b >= -(2n ** 63n) && b < 2n ** 64n) return { int: (Object.is(v, -0) ? 0n : b).toString() };
    }
    return v;
  }
  if (Array.isArray(v)) return v.map(yamlize);
  const keys = Object.keys(v).sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
  return new Map(keys.map((k) => [k, yamlize(v[k])]));
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && /\p{Nd}/u.test(c);

/** go-yaml v2 sorter: non-letters before letters, digit runs compared numerically. */
export function naturalLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) if (ar[j] !== '0') { an = 1; bn = 1; break; }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

class Out {
  s = '';
  col = 0;
  put(text: string) { this.s += text; this.col += [...text].length; }
  newline(indent: number) {
    if (!(this.col === 0 && this.s.endsWith('\n'))) this.s += '\n';
    this.s += ' '.repeat(Math.max(indent, 0));
    this.col = Math.max(indent, 0);
  }
}

type Ctx = 'root' | 'mapvalue' | 'seqitem';

/** Emit a node whose container has block indent `indent` (-1 at the root). The cursor is placed. */
function emitNode(out: Out, v: YNode, indent: number, ctx: Ctx) {
  if (v instanceof Map) {
    if (v.size === 0) { space(out, ctx); out.put('{}'); return; }
    const inner = indent < 0 ? 0 : indent + 2;
    let first = true;
    for (const [k, x] of v) {
      if (!(first && ctx === 'seqitem')) { if (ctx === 'root' && first) { /* at column 0 */ } else out.newline(inner); }
      first = false;
      writeScalar(out, k, inner, true);
      out.put(':');
      if (x instanceof Map && x.size > 0) emitNode(out, x, inner, 'mapvalue');
      else if (Array.isArray(x) && x.length > 0) emitSeq(out, x, inner, !INDENT_SEQ);
      else emitNode(out, x, inner, 'mapvalue');
    }
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) { space(out, ctx); out.put('[]'); return; }
    emitSeq(out, v, indent < 0 ? -2 : indent, false, ctx);
    return;
  }
  space(out, ctx);
  writeScalar(out, v, indent < 0 ? 2 : indent + 2, false);
}

function space(out: Out, ctx: Ctx) { if (ctx !== 'root') out.put(' '); }

/** Sequence items; `indentless` when the sequence is a mapping value (items at the key's indent). */
function emitSeq(out: Out, items: YNode[], indent: number, indentless: boolean, ctx: Ctx = 'mapvalue') {
  const itemIndent = indentless ? indent : indent + 2;
  items.forEach((x, i) => {
    if (!(i === 0 && (ctx === 'root' || ctx === 'seqitem'))) out.newline(itemIndent);
    else if (ctx === 'seqitem') out.put(' ');
    out.put('-');
    if (Array.isArray(x) && x.length > 0) emitSeq(out, x, itemIndent, false, 'seqitem');
    else if (x instanceof Map && x.size > 0) { out.put(' '); emitNode(out, x, itemIndent, 'seqitem'); }
    else emitNode(out, x, itemIndent, 'seqitem');
  });
}

function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  const [m, e] = f.toExponential().split('e');
  const x = Number(e);
  if (x < -4 || x >= 21 || x >= 6) return `${m}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  return String(f);
}

function writeScalar(out: Out, v: YNode, indent: number, isKey: boolean) {
  if (v === null) { out.put('null'); return; }
  if (typeof v === 'boolean') { out.put(String(v)); return; }
  if (typeof v === 'number') { out.put(formatGoFloat(v)); return; }
  if (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map)) { out.put(v.int); return; }
  writeString(out, v as string, indent, isKey);
}

// ---- go-yaml v2 string style selection ----

const isPrintable = (cp: number) => cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
const isBreak = (c: string | undefined) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isBlankz = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || isBreak(c) || c === '\0';

interface Analysis { multiline: boolean; plain: boolean; single: boolean; block: boolean }

function analyze(s: string): Analysis {
  if (s === '') return { multiline: false, plain: true, single: true, block: false };
  const ch = [...s];
  let blockInd = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false; let leadingBreak = false; let trailingSpace = false; let trailingBreak = false;
  let breakSpace = false; let spaceBreak = false; let prevSpace = false; let prevBreak = false;
  if (s.startsWith('---') || s.startsWith('...')) blockInd = true;
  let precededByWs = true;
  for (let i = 0; i < ch.length; i++) {
    const c = ch[i];
    const followedByWs = i + 1 >= ch.length || ch[i + 1] === ' ' || ch[i + 1] === '\t' || isBreak(ch[i + 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockInd = true;
      else if ((c === '?' || c === ':' || c === '-') && followedByWs) blockInd = true;
    } else if (c === ':' && followedByWs) blockInd = true;
    else if (c === '#' && precededByWs) blockInd = true;
    const cp = c.codePointAt(0)!;
    if (!isPrintable(cp)) special = true;
    if (c === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === ch.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true; prevBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === ch.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false; prevBreak = true;
    } else { prevSpace = false; prevBreak = false; }
    precededByWs = isBlankz(c);
  }
  const a: Analysis = { multiline: lineBreaks, plain: true, single: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.plain = false;
  if (trailingSpace) a.block = false;
  if (breakSpace) { a.plain = false; a.single = false; }
  if (spaceBreak || special) { a.plain = false; a.single = false; a.block = false; }
  if (lineBreaks) a.plain = false;
  if (blockInd) a.plain = false;
  return a;
}

const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const RESOLVE_MAP = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO',
  'false', 'False', 'FALSE', 'off', 'Off', 'OFF', '', '~', 'null', 'Null', 'NULL', '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF',
  '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<']);

/** Whether go-yaml v2 would read `s` unquoted as something other than a string. */
export function resolvesNonString(s: string): boolean {
  if (RESOLVE_MAP.has(s)) return true;
  const c = s[0];
  if (c === '.') return /^\.[0-9]/.test(s) && !Number.isNaN(goParseFloat(s));
  if (c === undefined || !/[-+0-9]/.test(c)) return false;
  if (isTimestamp(s)) return true;
  const plain = s.replace(/_/g, '');
  if (isGoInt(plain)) return true;
  if (YAML_FLOAT.test(plain)) return true;
  if (/^-?0b[01]+$/.test(plain)) return true;
  return false;
}

function goParseFloat(s: string): number {
  return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s) ? Number(s) : NaN;
}

function isGoInt(s: string): boolean {
  return /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/.test(s);
}

function isTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?(Z|[-+]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  const [, y, mo, d, sep, h, mi, se, , zone] = m;
  if (sep === ' ' && zone) return false;
  if ((sep === 'T' || sep === 't') && !zone) return false;
  const month = Number(mo);
  const day = Number(d);
  const dim = new Date(Date.UTC(Number(y), month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > dim) return false;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59)) return false;
  return true;
}

function writeString(out: Out, s: string, indent: number, isKey: boolean) {
  const canPlain = !resolvesNonString(s) && !BASE60.test(s);
  let style: 'plain' | 'single' | 'double' | 'literal' = s.includes('\n') ? 'literal' : canPlain ? 'plain' : 'double';
  const a = analyze(s);
  if (isKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.plain) style = 'single';
    if (s.length === 0 && isKey) style = 'single';
  }
  if (style === 'single' && !a.single) style = 'double';
  if (style === 'literal' && (!a.block || isKey)) style = 'double';
  const allowBreaks = !isKey;
  switch (style) {
    case 'plain': return writePlain(out, s, indent, allowBreaks);
    case 'single': return writeSingle(out, s, indent, allowBreaks);
    case 'double': return writeDouble(out, s, indent, allowBreaks);
    case 'literal': return writeLiteral(out, s, indent);
  }
}

function writePlain(out: Out, s: string, indent: number, allowBreaks: boolean) {
  const ch = [...s];
  let spaces = false;
  for (let i = 0; i < ch.length; i++) {
    if (ch[i] === ' ') {
      if (allowBreaks && !spaces && out.col > BEST_WIDTH && ch[i + 1] !== ' ') out.newline(indent);
      else out.put(' ');
      spaces = true;
    } else { out.put(ch[i]); spaces = false; }
  }
}

function writeSingle(out: Out, s: string, indent: number, allowBreaks: boolean) {
  out.put("'");
  const ch = [...s];
  let spaces = false;
  for (let i = 0; i < ch.length; i++) {
    if (ch[i] === ' ') {
      if (allowBreaks && !spaces && out.col > BEST_WIDTH && i > 0 && i < ch.length - 1 && ch[i + 1] !== ' ') out.newline(indent);
      else out.put(' ');
      spaces = true;
    } else { out.put(ch[i] === "'" ? "''" : ch[i]); spaces = false; }
  }
  out.put("'");
}

const DOUBLE_ESCAPES: Record<number, string> = { 0: '0', 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 0x1b: 'e', 0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P' };

function writeDouble(out: Out, s: string, indent: number, allowBreaks: boolean) {
  out.put('"');
  const ch = [...s];
  let spaces = false;
  for (let i = 0; i < ch.length; i++) {
    const c = ch[i];
    const cp = c.codePointAt(0)!;
    if (!isPrintable(cp) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
      let esc = DOUBLE_ESCAPES[cp];
      if (esc === undefined) {
        const [p, w] = cp <= 0xff ? ['x', 2] : cp <= 0xffff ? ['u', 4] : ['U', 8];
        esc = p + cp.toString(16).toUpperCase().padStart(w as number, '0');
      }
      out.put('\\' + esc);
      spaces = false;
    } else if (c === ' ') {
      if (allowBreaks && !spaces && out.col > BEST_WIDTH && i > 0 && i < ch.length - 1) {
        out.newline(indent);
        if (ch[i + 1] === ' ') out.put('\\');
      } else out.put(' ');
      spaces = true;
    } else { out.put(c); spaces = false; }
  }
  out.put('"');
}

function writeLiteral(out: Out, s: string, indent: number) {
  let hints = '';
  if (s[0] === ' ' || isBreak(s[0])) hints += '2';
  const last = s[s.length - 1];
  if (!isBreak(last)) hints += '-';
  else if (s.length === 1 || isBreak(s[s.length - 2])) hints += '+';
  out.put('|' + hints);
  const lines = s.split('\n');
  let breaks = true;
  out.s += '\n'; out.col = 0;
  for (let li = 0; li < lines.length; li++) {
    const line = lines[li];
    if (line.length > 0) {
      if (breaks) { out.s += ' '.repeat(indent); out.col = indent; }
      out.put(line);
      breaks = false;
    }
    if (li < lines.length - 1) { out.s += '\n'; out.col = 0; breaks = true; }
  }
}
