/**
 * Descriptions and required flags of model fields, which only the .d.ts files of
 * @kubernetes/client-node carry (each field's doc comment, and no `?` when the field is required).
 *
 * Computed lazily at runtime from the .d.ts text and cached per model: no generated file to build or
 * commit. Input: a model name (`V1ContainerPort`). Output: `docsFor(name)` =
 * `{description, fields: {containerPort: {description, required: true}, ...}}` keyed by JSON name.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { schemaFor } from './schema.js';
import { fallbackDescription } from './schema-docs-fallback.js';

export interface FieldDoc {
  description?: string;
  required: boolean;
}
export interface ModelDoc {
  description?: string;
  fields: Record<string, FieldDoc>;
}

let modelsDir: string | undefined;
const cache = new Map<string, ModelDoc>();

function dir(): string {
  modelsDir ??= dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node/dist/gen/models/all.js'));
  return modelsDir;
}

/** Doc comment body -> one line of text, with the generator's escapes undone. */
function cleanComment(body: string): string {
  return body
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => l.length > 0)
    .join(' ')
    .replace(/\\(['"\\])/g, '$1');
}

/** The documentation of one model; fields without a doc comment still get their required flag. */
export function docsFor(model: string): ModelDoc {
  const hit = cache.get(model);
  if (hit) return hit;
  const doc: ModelDoc = { fields: {} };
  let text: string;
  try {
    text = readFileSync(join(dir(), `${model}.d.ts`), 'utf8');
  } catch {
    // Type declarations absent (a stripped install): no docs, but never a failure.
    cache.set(model, doc);
    return doc;
  }
  const classAt = text.indexOf('export declare class');
  const before = text.slice(0, classAt);
  const lastDoc = before.lastIndexOf('/**');
  const classDoc = lastDoc >= 0 ? /^\/\*\*([\s\S]*?)\*\/\s*$/.exec(before.slice(lastDoc)) : null;
  if (classDoc && !classDoc[1].includes('OpenAPI Generator')) doc.description = cleanComment(classDoc[1]);
  // TS names (`_default`) map to JSON names (`default`) through the attribute table.
  const jsonName = new Map<string, string>();
  const schema = schemaFor(model);
  for (const json of Object.keys(schema.properties)) jsonName.set(json, json);
  const attrs = (text.match(/'([^']+)'\??:/g) ?? []).map((m) => m.replace(/[?:']/g, ''));
  for (const a of attrs) if (!jsonName.has(a) && a.startsWith('_') && schema.properties[a.slice(1)]) jsonName.set(a, a.slice(1));
  const fieldRe = /(?:\/\*\*([\s\S]*?)\*\/\s*)?'([^']+)'(\?)?:/g;
  const body = text.slice(classAt);
  for (let m = fieldRe.exec(body); m; m = fieldRe.exec(body)) {
    const name = jsonName.get(m[2]);
    if (!name) continue;
    doc.fields[name] = { ...(m[1] ? { description: cleanComment(m[1]) } : {}), required: m[3] !== '?' };
  }
  // Fields typed by another model carry no description in client-node: take upstream's from kubernetes-types.
  const names = Object.keys(schema.properties);
  for (const name of names) {
    const f = doc.fields[name] ?? { required: false };
    if (!f.description) {
      const d = fallbackDescription(schema.goName, name, names);
      if (d) doc.fields[name] = { ...f, description: d };
    }
  }
  cache.set(model, doc);
  return doc;
}

/** The JSON names of the model's required fields. */
export function requiredFields(model: string): string[] {
  return Object.entries(docsFor(model).fields).filter(([, f]) => f.required).map(([n]) => n);
}
