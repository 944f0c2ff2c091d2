/**
 * Decoding request bodies: JSON (fast path) or YAML, into plain values. Reports duplicate fields (for
 * fieldValidation) and refuses bodies nested deeper than upstream's decoder allows, so hostile input
 * gets a 400 instead of exhausting the stack.
 */
import { parseDocument } from 'yaml';
import { StatusError } from './errors.js';

/** Upstream's JSON decoder limit on nesting depth. */
export const MAX_DEPTH = 10000;

export interface DecodeResult {
  value: unknown;
  /** Paths of fields that appeared twice in one object (`metadata.name`). */
  duplicates: string[];
}

/** Nesting depth of a JSON text, counted without recursion. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) max = depth;
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** Finds keys repeated within one JSON object (only called when the text mentions a key twice). */
function jsonDuplicates(text: string): string[] {
  const dupes: string[] = [];
  const stack: Array<{ keys: Set<string>; path: string; array: boolean; key?: string }> = [];
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const raw = text.slice(i, j + 1);
      i = j + 1;
      const top = stack[stack.length - 1];
      if (top && !top.array && expectKey) {
        let key: string;
        try {
          key = JSON.parse(raw) as string;
        } catch {
          key = raw;
        }
        if (top.keys.has(key)) dupes.push(top.path ? `${top.path}.${key}` : key);
        top.keys.add(key);
        top.key = key;
        expectKey = false;
      }
      continue;
    }
    if (c === '{' || c === '[') {
      const top = stack[stack.length - 1];
      const path = top ? (top.array ? top.path : top.path ? `${top.path}.${top.key ?? ''}` : (top.key ?? '')) : '';
      stack.push({ keys: new Set(), path, array: c === '[' });
      expectKey = c === '{';
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') expectKey = !(stack[stack.length - 1]?.array ?? true);
    i++;
  }
  return dupes;
}

export function decodeJsonOrYaml(text: string, opts: { yaml?: boolean } = {}): DecodeResult {
  const trimmed = text.trimStart();
  const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  if (!opts.yaml || looksJson) {
    if (jsonDepth(text) > MAX_DEPTH) throw new StatusError('BadRequest', `json: exceeded max depth of ${MAX_DEPTH}`);
    try {
      const value: unknown = JSON.parse(text);
      return { value, duplicates: looksJson ? jsonDuplicates(text) : [] };
    } catch (err) {
      if (!opts.yaml) {
        throw new StatusError('BadRequest', `error decoding request body: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new StatusError('BadRequest', `error converting YAML to JSON: yaml: ${doc.errors[0]!.message.split('\n')[0]}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new StatusError('BadRequest', `error converting YAML to JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (jsonDepth(JSON.stringify(value) ?? '') > MAX_DEPTH) throw new StatusError('BadRequest', `yaml: exceeded max depth of ${MAX_DEPTH}`);
  return { value, duplicates: [] };
}
