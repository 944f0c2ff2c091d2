/**
 * The `.Files` object templates see (helm pkg/engine/files.go): a chart's non-template files with
 * Get, GetBytes, Glob (gobwas/glob with `/` separator: `*` stays within a path segment, `**`
 * crosses them), Lines, AsConfig and AsSecrets. Methods use helm's Go names because templates
 * call them as `.Files.Get "name"`.
 */
import { marshalYaml } from '../values/marshal.js';
import type { ChartFile } from './types.js';

export class Files {
  static goTypeName = 'engine.files';
  private readonly entries: Map<string, Buffer>;

  constructor(from: ChartFile[] | Map<string, Buffer> = []) {
    this.entries = from instanceof Map ? new Map(from) : new Map(from.map((f) => [f.name, f.data]));
  }

  names(): string[] { return [...this.entries.keys()]; }

  GetBytes = (name: string): Uint8Array => new Uint8Array(this.entries.get(name) ?? Buffer.alloc(0));

  Get = (name: string): string => (this.entries.get(name) ?? Buffer.alloc(0)).toString('utf8');

  Glob = (pattern: string): Files => {
    let re: RegExp;
    try { re = globToRegExp(pattern); } catch { re = /^.*$/s; }
    const out = new Map<string, Buffer>();
    for (const [name, data] of this.entries) if (re.test(name)) out.set(name, data);
    return new Files(out);
  };

  Lines = (path: string): string[] => {
    const data = this.entries.get(path);
    if (!data || data.length === 0) return [];
    let s = data.toString('utf8');
    if (s.endsWith('\n')) s = s.slice(0, -1);
    return s.split('\n');
  };

  AsConfig = (): string => {
    const m: Record<string, string> = {};
    for (const [k, v] of this.entries) m[k.slice(k.lastIndexOf('/') + 1)] = v.toString('utf8');
    return toYamlTrimmed(m);
  };

  AsSecrets = (): string => {
    const m: Record<string, string> = {};
    for (const [k, v] of this.entries) m[k.slice(k.lastIndexOf('/') + 1)] = v.toString('base64');
    return toYamlTrimmed(m);
  };
}

/** helm's toYAML: sigs.k8s.io/yaml output with the trailing newline removed. */
function toYamlTrimmed(m: Record<string, string>): string {
  return marshalYaml(m).replace(/\n$/, '');
}

/** gobwas/glob with separator '/': `*` and `?` never match '/', `**` matches anything,
 *  `[...]`/`[!...]` classes, `{a,b}` alternatives, `\` escapes. */
export function globToRegExp(pattern: string): RegExp {
  let re = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; if (i >= pattern.length) throw new Error('bad escape'); re += escapeRe(pattern[i]); }
    else if (c === '*') {
      if (pattern[i + 1] === '*') { re += '.*'; i++; } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) throw new Error('unclosed class');
      let body = pattern.slice(i + 1, end);
      const neg = body.startsWith('!');
      if (neg) body = body.slice(1);
      re += `[${neg ? '^' : ''}${body.replace(/[\\\]^]/g, (x) => '\\' + x)}]`;
      i = end;
    } else if (c === '{') { depth++; re += '(?:'; }
    else if (c === '}' && depth > 0) { depth--; re += ')'; }
    else if (c === ',' && depth > 0) re += '|';
    else re += escapeRe(c);
  }
  if (depth !== 0) throw new Error('unclosed alternatives');
  return new RegExp(`^${re}$`, 's');
}

function escapeRe(c: string): string { return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'); }
