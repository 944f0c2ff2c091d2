/**
 * helm's toToml (BurntSushi/toml encoder): plain keys first (sorted), then sub-tables as
 * `[a.b]` headers indented two spaces per level, arrays of tables as `[[a]]`; and fromToml
 * (BurntSushi/toml Unmarshal into map[string]interface{}: integers int64, dates time.Time,
 * errors in m["Error"]).
 */
import { parse as parseTomlText } from 'smol-toml';
import { kindOf, mapEntries, type GoMap } from './engine.js';
import { GoTime, parseTime } from './dates.js';

const bare = (k: string) => (/^[A-Za-z0-9_-]+$/.test(k) ? k : quoteToml(k));

function quoteToml(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    const esc: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };
    if (esc[c]) out += esc[c];
    else if (cp < 0x20 || cp === 0x7f) out += '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
    else out += c;
  }
  return out + '"';
}

/** strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent. */
function fixedFloat(f: number): string {
  const s = String(f);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
  if (!m) return s;
  const digits = m[2] + (m[3] ?? '');
  const exp = Number(m[4]);
  if (exp >= 0) return m[1] + digits.padEnd(exp + 1, '0'); // JS only uses exponents from 1e21, beyond 17 digits
  return m[1] + '0.' + '0'.repeat(-exp - 1) + digits;
}

function scalar(v: unknown): string {
  switch (kindOf(v)) {
    case 'string': return quoteToml(v as string);
    case 'bool': return String(v);
    case 'int': return String(v);
    case 'float': {
      const f = v as number;
      if (Number.isNaN(f)) return 'nan';
      if (!Number.isFinite(f)) return f > 0 ? 'inf' : '-inf';
      const s = fixedFloat(f);
      return s.includes('.') ? s : s + '.0';
    }
    case 'slice': return '[' + (v as unknown[]).map(scalar).join(', ') + ']';
    case 'map': return '{' + mapEntries(v).map(([k, x]) => `${bare(k)} = ${scalar(x)}`).join(', ') + '}';
    default: throw new Error(`toml: cannot encode a value of type ${kindOf(v)}`);
  }
}

const isTable = (v: unknown) => kindOf(v) === 'map';
const isTableArray = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(isTable);

function table(path: string[], v: unknown, out: string[]) {
  const pad = '  '.repeat(path.length);
  const entries = mapEntries(v).filter(([, x]) => x !== null && x !== undefined);
  for (const [k, x] of entries) if (!isTable(x) && !isTableArray(x)) out.push(`${pad}${bare(k)} = ${scalar(x)}\n`);
  for (const [k, x] of entries) {
    const p = [...path, bare(k)];
    if (isTable(x)) {
      if (p.length === 1 && out.length > 0) out.push('\n');
      out.push(`${pad}[${p.join('.')}]\n`);
      table(p, x, out);
    } else if (isTableArray(x)) {
      for (const item of x as unknown[]) {
        if (out.length > 0) out.push('\n');
        out.push(`${pad}[[${p.join('.')}]]\n`);
        table(p, item, out);
      }
    }
  }
}

export function toToml(v: unknown): string {
  if (!isTable(v)) throw new Error('toml: top-level values must be Go maps or structs');
  const out: string[] = [];
  table([], v, out);
  return out.join('');
}

function fromTomlValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromTomlValue);
  if (v instanceof Date) {
    const iso = (v as Date & { toISOString(): string }).toISOString();
    try { return parseTime('2006-01-02T15:04:05.999999999Z07:00', iso, 'UTC'); } catch { return new GoTime(v.getTime(), 'UTC'); }
  }
  if (v !== null && typeof v === 'object') {
    const o: GoMap = {};
    for (const [k, x] of Object.entries(v)) o[k] = fromTomlValue(x);
    return o;
  }
  return v;
}

export function fromToml(text: string): GoMap {
  try {
    return fromTomlValue(parseTomlText(text, { integersAsBigInt: true })) as GoMap;
  } catch (e) {
    return { Error: `toml: ${(e as Error).message.split('\n')[0]}` };
  }
}
