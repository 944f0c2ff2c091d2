/**
 * The `.Files` object templates see (helm pkg/engine/files.go): a chart's non-template files with
 * Get, GetBytes, Glob (gobwas/glob with `/` separator: `*` stays within a path segment, `**`
 * crosses them), Lines, AsConfig and AsSecrets.
 *
 * In Go it is a named map type (map[string][]byte) with methods, so templates can both call
 * methods and treat it as a map: `range $path, $bytes := .Files.Glob "x"`, `if .Files.Glob "x"`
 * (true only when something matched), `len`. Here it is a Map of name -> bytes (what the engine
 * ranges over and counts) whose `get`/`has` also answer helm's method names, as Go resolves a
 * method before a map key: `.Files.Get "x"` receives the function and calls it with the
 * argument; the argument-less AsConfig/AsSecrets answer their result directly.
 */
import { marshalYaml } from '../values/marshal.js';
import type { ChartFile } from './types.js';

const METHODS = new Set(['Get', 'GetBytes', 'Glob', 'Lines', 'AsConfig', 'AsSecrets']);

export class Files extends Map<string, Uint8Array> {
  static goTypeName = 'engine.files';

  constructor(from: ChartFile[] | Map<string, Uint8Array> = []) {
    super(from instanceof Map ? [...from.entries()] : from.map((f) => [f.name, new Uint8Array(f.data)] as [string, Uint8Array]));
  }

  override get(key: string): Uint8Array | undefined {
    switch (key) {
      case 'Get': return this.Get as unknown as Uint8Array;
      case 'GetBytes': return this.GetBytes as unknown as Uint8Array;
      case 'Glob': return this.Glob as unknown as Uint8Array;
      case 'Lines': return this.Lines as unknown as Uint8Array;
      case 'AsConfig': return this.AsConfig() as unknown as Uint8Array;
      case 'AsSecrets': return this.AsSecrets() as unknown as Uint8Array;
      default: return super.get(key);
    }
  }

  override has(key: string): boolean { return METHODS.has(key) || super.has(key); }

  private data(name: string): Buffer {
    const v = super.get(name);
    return v ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.alloc(0);
  }

  names(): string[] { return [...this.keys()]; }

  GetBytes = (name: string): Uint8Array => new Uint8Array(this.data(name));

  Get = (name: string): string => this.data(name).toString('utf8');

  Glob = (pattern: string): Files => {
    let re: RegExp;
    try { re = globToRegExp(pattern); } catch { re = /^.*$/s; }
    const out = new Map<string, Uint8Array>();
    for (const [name, data] of this.entries()) if (re.test(name)) out.set(name, data);
    return new Files(out);
  };

  Lines = (path: string): string[] => {
    const data = this.data(path);
    if (data.length === 0) return [];
    let s = data.toString('utf8');
    if (s.endsWith('\n')) s = s.slice(0, -1);
    return s.split('\n');
  };

  AsConfig = (): string => {
    const m: Record<string, string> = {};
    for (const k of this.keys()) m[k.slice(k.lastIndexOf('/') + 1)] = this.data(k).toString('utf8');
    return toYamlTrimmed(m);
  };

  AsSecrets = (): string => {
    const m: Record<string, string> = {};
    for (const k of this.keys()) m[k.slice(k.lastIndexOf('/') + 1)] = this.data(k).toString('base64');
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
