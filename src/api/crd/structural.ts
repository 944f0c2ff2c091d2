/**
 * Structural pruning and defaulting of custom objects (apiextensions-apiserver's structural/pruning
 * and structural/defaulting), run while a request body is decoded:
 * - prune: drops every field the schema does not specify (unless x-kubernetes-preserve-unknown-fields),
 *   returning their paths (`spec.foo`, `spec.items[0].bar`) so fieldValidation Strict/Warn can report them;
 *   apiVersion/kind/metadata are kept at the root and in x-kubernetes-embedded-resource objects.
 * - applyDefaults: sets `default` values of absent fields, top-down, inside nested objects, array items
 *   and additionalProperties; a null in a non-nullable field takes the default or is dropped.
 * Both mutate the object in place.
 */
import type { JSONSchemaProps } from './types.js';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const RESOURCE_FIELDS = new Set(['apiVersion', 'kind', 'metadata']);

function childPath(p: string, key: string): string {
  return p ? `${p}.${key}` : key;
}

function itemSchema(s: JSONSchemaProps): JSONSchemaProps | undefined {
  return Array.isArray(s.items) ? undefined : s.items;
}

/** Removes unspecified fields under `value`; returns the removed fields' paths. */
export function prune(schema: JSONSchemaProps, value: unknown, isResource = true, p = '', unknown: string[] = []): string[] {
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    if (items) value.forEach((item, i) => prune(items, item, false, `${p}[${i}]`, unknown));
    else if (!schema['x-kubernetes-preserve-unknown-fields']) value.forEach((item, i) => pruneAll(item, `${p}[${i}]`, unknown));
    return unknown;
  }
  if (!isDict(value)) return unknown;
  const resource = isResource || !!schema['x-kubernetes-embedded-resource'];
  const props = schema.properties ?? {};
  const additional = schema.additionalProperties;
  for (const key of Object.keys(value)) {
    const fp = childPath(p, key);
    if (resource && RESOURCE_FIELDS.has(key)) continue; // ObjectMeta/TypeMeta are pruned by their Go types
    const sub = props[key] ?? (isDict(additional) ? (additional as JSONSchemaProps) : undefined);
    if (sub) {
      prune(sub, value[key], false, fp, unknown);
    } else if (additional === true || schema['x-kubernetes-preserve-unknown-fields']) {
      continue;
    } else {
      delete value[key];
      unknown.push(fp);
    }
  }
  return unknown;
}

/** Objects without a schema below an array that is pruned itself: nothing in them is known. */
function pruneAll(value: unknown, p: string, unknown: string[]): void {
  if (!isDict(value)) return;
  for (const key of Object.keys(value)) {
    delete value[key];
    unknown.push(childPath(p, key));
  }
}

/** Applies `default` values below `value` (which the caller has already defaulted itself). */
export function applyDefaults(schema: JSONSchemaProps, value: unknown): void {
  if (Array.isArray(value)) {
    const items = itemSchema(schema);
    if (!items) return;
    for (let i = 0; i < value.length; i++) {
      if (value[i] === null && !items.nullable && items.default !== undefined) value[i] = structuredClone(items.default);
      applyDefaults(items, value[i]);
    }
    return;
  }
  if (!isDict(value)) return;
  for (const [key, sub] of Object.entries(schema.properties ?? {})) {
    const current = value[key];
    if (current === undefined || (current === null && !sub.nullable)) {
      if (sub.default !== undefined) value[key] = structuredClone(sub.default);
      else if (current === null) delete value[key];
    }
    if (value[key] !== undefined) applyDefaults(sub, value[key]);
  }
  const additional = schema.additionalProperties;
  if (isDict(additional)) {
    const props = schema.properties ?? {};
    for (const key of Object.keys(value)) {
      if (props[key]) continue;
      applyDefaults(additional as JSONSchemaProps, value[key]);
    }
  }
}
