/**
 * Field descriptions that the client-node models leave out: openapi-generator drops the description of
 * every field whose type is another model (`spec`, `metadata`, `template`...). The `kubernetes-types`
 * package (generated from the same upstream OpenAPI) keeps them as doc comments, so they are read from
 * there, lazily, once. Interfaces are matched by name; where a name exists in several API groups
 * (`Event`, `Scale`...), the interface declaring all of the model's fields wins.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

type FieldDocs = Map<string, string>;
let index: Map<string, FieldDocs[]> | undefined;

function cleanComment(body: string): string {
  return body
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => l.length > 0)
    .join(' ');
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

function build(): Map<string, FieldDocs[]> {
  const map = new Map<string, FieldDocs[]>();
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));
  } catch {
    return map;
  }
  for (const file of filesUnder(root)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/export interface (\w+) \{([\s\S]*?)\n\}/g)) {
      const fields: FieldDocs = new Map();
      for (const f of m[2]!.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(?:readonly\s+)?['"]?([\w$-]+)['"]?\??:/g)) fields.set(f[2]!, cleanComment(f[1]!));
      const list = map.get(m[1]!) ?? [];
      list.push(fields);
      map.set(m[1]!, list);
    }
  }
  return map;
}

/** The upstream description of `field` in the Go type `goName`, given the model's field names. */
export function fallbackDescription(goName: string, field: string, modelFields: string[]): string | undefined {
  index ??= build();
  const candidates = index.get(goName);
  if (!candidates) return undefined;
  const best = candidates.find((c) => modelFields.every((f) => c.has(f) || !c.size)) ?? (candidates.length === 1 ? candidates[0] : undefined);
  return best?.get(field);
}
