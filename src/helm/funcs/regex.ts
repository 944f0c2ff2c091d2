/**
 * Sprig regex functions over Go RE2 syntax translated to JavaScript RegExp: named groups
 * (?P<n>...), leading inline flags (?i)(?s)(?m), \A and \z, Go's `$1`/`${name}` expansion in
 * regexReplaceAll, and Regexp.Split / FindAll counting rules. Invalid patterns give Go's
 * "error parsing regexp" text from the must* variants and empty results otherwise.
 */
import type { FuncMap } from './engine.js';

export function compileGoRegex(pattern: string): RegExp {
  let flags = '';
  let src = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) { flags += lead[1].replace(/U/g, ''); src = src.slice(lead[0].length); }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])');
  try {
    return new RegExp(src, flags + 'gu');
  } catch {
    try { return new RegExp(src, flags + 'g'); } catch (e) {
      throw new Error(`error parsing regexp: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
  }
}

function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  if (n === 0) return out;
  re.lastIndex = 0;
  let prevEnd = -1;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    if (m[0] === '') {
      re.lastIndex = m.index + (s.codePointAt(m.index)! > 0xffff ? 2 : 1);
      if (m.index === prevEnd) continue; // empty match abutting the previous match
    }
    out.push(m);
    prevEnd = m.index + m[0].length;
    if (n > 0 && out.length >= n) break;
    if (re.lastIndex > s.length) break;
  }
  return out;
}

/** Go's Regexp.Expand template: $1, ${1}, $name, ${name}, $$. */
function expand(template: string, m: RegExpExecArray): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (all, tok: string, braced?: string, bare?: string) => {
    if (tok === '$') return '$';
    const name = braced ?? bare ?? '';
    if (/^\d+$/.test(name)) return m[Number(name)] ?? '';
    return m.groups?.[name] ?? '';
  });
}

function replaceAll(re: RegExp, s: string, repl: (m: RegExpExecArray) => string): string {
  let out = '';
  let last = 0;
  for (const m of findAll(re, s, -1)) { out += s.slice(last, m.index) + repl(m); last = m.index + m[0].length; }
  return out + s.slice(last);
}

function split(re: RegExp, s: string, n: number): string[] {
  if (n === 0) return [];
  if (re.source !== '(?:)' && s === '') return [''];
  const out: string[] = [];
  let beg = 0;
  let end = 0;
  for (const m of findAll(re, s, n)) {
    if (n > 0 && out.length === n - 1) break;
    end = m.index;
    if (m.index + m[0].length !== 0) out.push(s.slice(beg, end));
    beg = m.index + m[0].length;
  }
  if (end !== s.length) out.push(s.slice(beg));
  return out;
}

const quoteMeta = (s: string) => s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');

const safe = <T>(f: () => T, d: T): T => { try { return f(); } catch { return d; } };
const S = 'string' as const;

const impl = {
  match: (r: string, s: string) => { const re = compileGoRegex(r); re.lastIndex = 0; return re.test(s); },
  findAll: (r: string, s: string, n: bigint) => findAll(compileGoRegex(r), s, Number(n)).map((m) => m[0]),
  find: (r: string, s: string) => findAll(compileGoRegex(r), s, 1).map((m) => m[0])[0] ?? '',
  replaceAll: (r: string, s: string, repl: string) => replaceAll(compileGoRegex(r), s, (m) => expand(repl, m)),
  replaceAllLiteral: (r: string, s: string, repl: string) => replaceAll(compileGoRegex(r), s, () => repl),
  split: (r: string, s: string, n: bigint) => split(compileGoRegex(r), s, Number(n)),
};

export const regexFuncs: FuncMap = {
  regexMatch: { fn: (r, s) => safe(() => impl.match(r as string, s as string), false), params: [S, S] },
  mustRegexMatch: { fn: (r, s) => impl.match(r as string, s as string), params: [S, S] },
  regexFindAll: { fn: (r, s, n) => safe(() => impl.findAll(r as string, s as string, n as bigint), []), params: [S, S, 'int'] },
  mustRegexFindAll: { fn: (r, s, n) => impl.findAll(r as string, s as string, n as bigint), params: [S, S, 'int'] },
  regexFind: { fn: (r, s) => safe(() => impl.find(r as string, s as string), ''), params: [S, S] },
  mustRegexFind: { fn: (r, s) => impl.find(r as string, s as string), params: [S, S] },
  regexReplaceAll: { fn: (r, s, x) => safe(() => impl.replaceAll(r as string, s as string, x as string), ''), params: [S, S, S] },
  mustRegexReplaceAll: { fn: (r, s, x) => impl.replaceAll(r as string, s as string, x as string), params: [S, S, S] },
  regexReplaceAllLiteral: { fn: (r, s, x) => safe(() => impl.replaceAllLiteral(r as string, s as string, x as string), ''), params: [S, S, S] },
  mustRegexReplaceAllLiteral: { fn: (r, s, x) => impl.replaceAllLiteral(r as string, s as string, x as string), params: [S, S, S] },
  regexSplit: { fn: (r, s, n) => safe(() => impl.split(r as string, s as string, n as bigint), []), params: [S, S, 'int'] },
  mustRegexSplit: { fn: (r, s, n) => impl.split(r as string, s as string, n as bigint), params: [S, S, 'int'] },
  regexQuoteMeta: { fn: (s) => quoteMeta(s as string), params: [S] },
};
