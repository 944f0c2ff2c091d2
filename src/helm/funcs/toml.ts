/**
 * helm's toToml (BurntSushi/toml encoder): plain keys first (sorted), then sub-tables as
 * `[a.b]` headers indented two spaces per level, arrays of tables as `[[a]]`.
 */
import { formatFloat, kindOf, mapEntries } from './engine.js';

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

function scalar(v: unknown): string {
  switch (kindOf(v)) {
    case 'string': return quoteToml(v as string);
    case 'bool': return String(v);
    case 'int': return String(v);
    case 'float': {
      const f = v as number;
      if (Number.isNaN(f)) return 'nan';
      if (!Number.isFinite(f)) return f > 0 ? 'inf' : '-inf';
      const s = formatFloat(f);
      return /[.eE]/.test(s) ? s : s + '.0';
    }
    case 'slice': return '[' + (v as unknown[]).map(scalar).join(', ') + ']';
    case 'map': return '{' + mapEntries(v).map(([k, x]) => `${bare(k)} = ${scalar(x)}`).join(', ') + '}';
    default: throw new Error(`toml: cannot encode a value of type ${kindOf(v)}`);
  }
}

const isTable = (v: unknown) => kindOf(v) === 'map';
const isTableArray = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every(isTable);

function table(path: string[], v: unknown, depth: number, out: string[]) {
  const pad = '  '.repeat(Math.max(depth - 1, 0));
  const entries = mapEntries(v).filter(([, x]) => x !== null && x !== undefined);
  for (const [k, x] of entries) if (!isTable(x) && !isTableArray(x)) out.push(`${pad}${bare(k)} = ${scalar(x)}`);
  for (const [k, x] of entries) {
    const p = [...path, bare(k)];
    const hpad = '  '.repeat(depth);
    if (isTable(x)) {
      if (out.length > 0) out.push('');
      out.push(`${hpad}[${p.join('.')}]`);
      table(p, x, depth + 1, out);
    } else if (isTableArray(x)) {
      for (const item of x as unknown[]) {
        if (out.length > 0) out.push('');
        out.push(`${hpad}[[${p.join('.')}]]`);
        table(p, item, depth + 1, out);
      }
    }
  }
}

export function toToml(v: unknown): string {
  if (!isTable(v)) throw new Error('toml: top-level values must be Go maps or structs');
  const out: string[] = [];
  table([], v, 0, out);
  return out.length ? out.join('\n') + '\n' : '';
}
