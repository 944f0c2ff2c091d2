/**
 * Upstream's descriptions with their line and paragraph breaks, from the `kubernetes-types` package
 * (its doc comments are upstream's OpenAPI descriptions, one comment line per line of text).
 *
 * client-node's doc comments, the descriptions' main source (api/schema-docs.ts), have every line
 * break flattened to spaces, so `kubectl explain` printed "in UTC.  Populated by the system." where
 * upstream prints a paragraph break. `withUpstreamBreaks` puts the breaks back when kubernetes-types
 * has the same text for that type or field (compared with whitespace collapsed), and otherwise keeps
 * the given text: kubernetes-types lags a few releases, so changed texts stay client-node's.
 *
 * Input: a Go type name (`ObjectMeta`), optionally a field, and the description in hand. Output: the
 * description with upstream's breaks, or the one in hand. The package is read once, lazily.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

interface TypeDocs {
  description?: string;
  fields: Map<string, string>;
}

let root: string | null | undefined;
let index: Map<string, TypeDocs[]> | undefined;

/** Where kubernetes-types is installed, or null when it is not. */
export function kubernetesTypesRoot(): string | null {
  if (root === undefined) {
    try {
      root = dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));
    } catch {
      root = null;
    }
  }
  return root;
}

/** The text of a doc comment body (between `/**` and `*\/`), its lines kept. */
export function commentText(body: string): string {
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, '').replace(/\s+$/, ''));
  while (lines.length && lines[0]!.trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines.join('\n').trim();
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

function build(): Map<string, TypeDocs[]> {
  const map = new Map<string, TypeDocs[]>();
  const dir = kubernetesTypesRoot();
  if (!dir) return map;
  for (const file of filesUnder(dir)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?export interface (\w+) \{([\s\S]*?)\n\}/g)) {
      const fields = new Map<string, string>();
      for (const f of m[3]!.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(?:readonly\s+)?['"]?([\w$-]+)['"]?\??:/g)) fields.set(f[2]!, commentText(f[1]!));
      const docs: TypeDocs = { ...(m[1] ? { description: commentText(m[1]) } : {}), fields };
      const list = map.get(m[2]!) ?? [];
      list.push(docs);
      map.set(m[2]!, list);
    }
  }
  return map;
}

const collapse = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** `description` with upstream's line breaks when kubernetes-types has the same text for it. */
export function withUpstreamBreaks(goName: string, field: string | undefined, description: string): string {
  index ??= build();
  const wanted = collapse(description);
  for (const docs of index.get(goName) ?? []) {
    const text = field === undefined ? docs.description : docs.fields.get(field);
    if (text !== undefined && text !== description && collapse(text) === wanted) return text;
  }
  return description;
}
