/**
 * go-yaml v2 scalar styles for strings: whether a string would resolve to another type when
 * unquoted (bools like yes/on/y, ints, floats, timestamps, base-60), the emitter's analysis
 * (indicators, leading/trailing space, breaks, non-printables) and the plain, 'single',
 * "double" and |literal writers with v2's line folding at the best width.
 */
import type { Out } from './yaml-emit.js';


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

/** Write `s` in the style go-yaml v2 picks; `indent` is where folded/literal lines start. */
export function writeString(out: Out, s: string, indent: number, isKey: boolean, width: number) {
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
    case 'plain': return writePlain(out, s, indent, allowBreaks, width);
    case 'single': return writeSingle(out, s, indent, allowBreaks, width);
    case 'double': return writeDouble(out, s, indent, allowBreaks, width);
    case 'literal': return writeLiteral(out, s, indent);
  }
}

function writePlain(out: Out, s: string, indent: number, allowBreaks: boolean, BEST_WIDTH: number) {
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

function writeSingle(out: Out, s: string, indent: number, allowBreaks: boolean, BEST_WIDTH: number) {
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

function writeDouble(out: Out, s: string, indent: number, allowBreaks: boolean, BEST_WIDTH: number) {
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
