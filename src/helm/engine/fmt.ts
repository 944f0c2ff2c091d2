/**
 * Go fmt printing for template values: Sprint/Sprintln/Sprintf with %v rules (float64 as
 * strconv 'g' shortest, maps `map[k:v]` sorted, slices `[a b]`, nil `<nil>`), strconv.Quote,
 * and the `%!verb(type=value)` error forms.
 */
import { kindOf, mapEntries, structFields, typeName } from './values.js';

/**
 * strconv.FormatFloat(f, 'g', -1, 64), which is what %v prints for float64: shortest digits,
 * exponent form when the decimal exponent is < -4 or >= 6 ("shortest" uses precision 6 for
 * that decision), so 1e6 prints as 1e+06 and 123456.0 as 123456.
 */
export function formatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const e = f.toExponential();
  const x = Number(e.slice(e.indexOf('e') + 1));
  if (x < -4 || x >= 6) return goExp(e);
  return String(f); // JS prints plain decimals for exponents -7..20, covering -4..5
}

/** JS exponential "1.5e+6" to Go's "1.5e+06". */
export function goExp(s: string): string {
  const [m, e] = s.split('e');
  const sign = e.startsWith('-') ? '-' : '+';
  const digits = e.replace(/^[+-]/, '');
  return `${m}e${sign}${digits.padStart(2, '0')}`;
}

/** strconv.Quote. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (cp >= 0x20 && cp !== 0x7f && /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u.test(ch)) out += ch;
    else {
      const named: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
      if (named[ch]) out += named[ch];
      else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
      else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
      else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
      else out += '\\U' + cp.toString(16).padStart(8, '0');
    }
  }
  return out + '"';
}

/** %v formatting of one value (nested values in slices/maps too). */
export function formatValue(v: unknown, plusV = false): string {
  switch (kindOf(v)) {
    case 'invalid': return '<nil>';
    case 'nil': return '<nil>';
    case 'bool': case 'int': case 'string': return String(v);
    case 'float': return formatFloat(v as number);
    case 'slice': return '[' + (v as unknown[]).map((x) => formatValue(x, plusV)).join(' ') + ']';
    case 'bytes': return '[' + Array.from(v as Uint8Array).join(' ') + ']';
    case 'map': return 'map[' + mapEntries(v).map(([k, x]) => `${k}:${formatValue(x, plusV)}`).join(' ') + ']';
    case 'func': return '0xc000000000';
    case 'struct': {
      const s = v as { String?: () => string };
      if (typeof s.String === 'function') return s.String();
      return '{' + structFields(v as object).map(([k, x]) => (plusV ? `${k}:` : '') + formatValue(x, plusV)).join(' ') + '}';
    }
  }
}

const isStringArg = (v: unknown) => typeof v === 'string';

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: unknown[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && !isStringArg(a) && !isStringArg(args[i - 1])) out += ' ';
    out += formatValue(a);
  });
  return out;
}

export function sprintln(args: unknown[]): string {
  return args.map((a) => formatValue(a)).join(' ') + '\n';
}

interface Spec { minus: boolean; plus: boolean; sharp: boolean; zero: boolean; space: boolean; width?: number; prec?: number }

function pad(s: string, spec: Spec, numeric: boolean): string {
  if (spec.width === undefined || s.length >= spec.width) return s;
  if (spec.minus) return s.padEnd(spec.width, ' ');
  if (spec.zero && numeric) {
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(spec.width - sign.length, '0');
  }
  return s.padStart(spec.width, ' ');
}

function badVerb(verb: string, v: unknown): string {
  if (v === null || v === undefined) return `%!${verb}(<nil>)`;
  return `%!${verb}(${typeName(v)}=${formatValue(v)})`;
}

function fmtInt(v: bigint, verb: string, spec: Spec): string {
  const neg = v < 0n;
  const abs = neg ? -v : v;
  let s: string;
  switch (verb) {
    case 'd': case 'v': s = abs.toString(); break;
    case 'b': s = abs.toString(2); break;
    case 'o': s = abs.toString(8); if (spec.sharp) s = '0' + s; break;
    case 'O': s = '0o' + abs.toString(8); break;
    case 'x': s = abs.toString(16); if (spec.sharp) s = '0x' + s; break;
    case 'X': s = abs.toString(16).toUpperCase(); if (spec.sharp) s = '0X' + s; break;
    case 'c': return pad(String.fromCodePoint(Number(v)), spec, false);
    case 'q': return pad(`'${String.fromCodePoint(Number(v))}'`, spec, false);
    case 'U': return pad('U+' + abs.toString(16).toUpperCase().padStart(4, '0'), spec, false);
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': return badVerb(verb, v);
    default: return badVerb(verb, v);
  }
  if (spec.prec !== undefined) s = s.padStart(spec.prec, '0');
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + s, spec, spec.prec === undefined);
}

function fmtFloat(f: number, verb: string, spec: Spec): string {
  let s: string;
  const p = spec.prec;
  if (!Number.isFinite(f)) s = formatFloat(f);
  else switch (verb) {
    case 'v': case 'g': case 'G':
      if (p === undefined) s = formatFloat(f);
      else {
        const pp = p === 0 ? 1 : p;
        const [m, e] = f.toExponential(pp - 1).split('e');
        const x = Number(e);
        if (x < -4 || x >= pp) s = goExp(`${spec.sharp ? m : m.replace(/\.?0+$/, '')}e${e}`);
        else { s = f.toFixed(Math.max(pp - 1 - x, 0)); if (!spec.sharp && s.includes('.')) s = s.replace(/\.?0+$/, ''); }
      }
      if (verb === 'G') s = s.toUpperCase();
      break;
    case 'e': case 'E': s = goExp(f.toExponential(p ?? 6)); if (verb === 'E') s = s.toUpperCase(); break;
    case 'f': case 'F': s = f.toFixed(p ?? 6); break;
    default: return badVerb(verb, f);
  }
  if (spec.plus && !s.startsWith('-') && !s.startsWith('+')) s = '+' + s;
  else if (spec.space && !s.startsWith('-')) s = ' ' + s;
  return pad(s, spec, true);
}

function fmtArg(v: unknown, verb: string, spec: Spec): string {
  if (verb === 'T') return pad(typeName(v), spec, false);
  if (verb === 'v' && spec.sharp) return pad(formatValue(v, true), spec, false);
  switch (kindOf(v)) {
    case 'invalid': case 'nil':
      return verb === 'v' ? pad('<nil>', spec, false) : badVerb(verb, null);
    case 'bool':
      return verb === 'v' || verb === 't' ? pad(String(v), spec, false) : badVerb(verb, v);
    case 'int': return fmtInt(v as bigint, verb, spec);
    case 'float': return fmtFloat(v as number, verb, spec);
    case 'string': {
      let s = v as string;
      switch (verb) {
        case 'v': case 's': if (spec.prec !== undefined) s = [...s].slice(0, spec.prec).join(''); return pad(s, spec, false);
        case 'q': return pad(spec.sharp && !s.includes('`') ? '`' + s + '`' : goQuote(s), spec, false);
        case 'x': case 'X': {
          let h = Buffer.from(s).toString('hex');
          if (verb === 'X') h = h.toUpperCase();
          return pad(h, spec, false);
        }
        default: return badVerb(verb, v);
      }
    }
    case 'slice': return pad('[' + (v as unknown[]).map((x) => fmtArg(x, verb, { ...spec, width: undefined })).join(' ') + ']', spec, false);
    case 'bytes':
      if (verb === 's') return pad(Buffer.from(v as Uint8Array).toString(), spec, false);
      if (verb === 'x') return pad(Buffer.from(v as Uint8Array).toString('hex'), spec, false);
      return pad(formatValue(v), spec, false);
    case 'map':
      return pad('map[' + mapEntries(v).map(([k, x]) => `${fmtArg(k, verb, {} as Spec)}:${fmtArg(x, verb, { ...spec, width: undefined })}`).join(' ') + ']', spec, false);
    default: return pad(formatValue(v, spec.plus), spec, false);
  }
}

/** fmt.Sprintf with Go's verbs, flags, width/precision (including `*`) and error forms. */
export function sprintf(format: string, args: unknown[]): string {
  let out = '';
  let argi = 0;
  let i = 0;
  while (i < format.length) {
    const c = format[i];
    if (c !== '%') { out += c; i++; continue; }
    i++;
    if (i >= format.length) { out += '%!(NOVERB)'; break; }
    const spec: Spec = { minus: false, plus: false, sharp: false, zero: false, space: false };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') spec.minus = true; else if (f === '+') spec.plus = true; else if (f === '#') spec.sharp = true;
      else if (f === '0') spec.zero = true; else if (f === ' ') spec.space = true; else break;
    }
    const readNum = (): number | undefined => {
      if (format[i] === '*') { i++; const a = args[argi++]; return typeof a === 'bigint' ? Number(a) : undefined; }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = readNum();
    if (format[i] === '.') { i++; spec.prec = readNum() ?? 0; }
    const verb = format[i++];
    if (verb === undefined) { out += '%!(NOVERB)'; break; }
    if (verb === '%') { out += '%'; continue; }
    if (argi >= args.length) { out += `%!${verb}(MISSING)`; continue; }
    out += fmtArg(args[argi++], verb, spec);
  }
  if (argi < args.length) {
    out += '%!(EXTRA ' + args.slice(argi).map((a) => (a === null || a === undefined ? '<nil>' : `${typeName(a)}=${formatValue(a)}`)).join(', ') + ')';
  }
  return out;
}
