/**
 * Field sets of server-side apply: which fields an object sets, as upstream's structured-merge-diff
 * names them. A path is a list of elements: `f:<field>`, `k:<json object of the list-map keys>` (an
 * item of a `listType=map` list), `v:<json value>` (an item of a `listType=set` list). An object is
 * flattened into a map from path (JSON-encoded element list) to a comparable rendering of its value:
 * leaves (scalars, atomic lists, empty objects) and list items are members, as upstream's FieldsV1.
 *
 * Also the FieldsV1 encoding (`{"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{}}}}}`)
 * and the `.spec.containers[name="c"].image` rendering used in conflict messages.
 */
import type { Schema } from '../../api/schema.js';
import { fieldOf, itemSchema, rootSchema } from '../strategic/schema-context.js';

export type FieldPath = string[];

/**
 * Path keys are built incrementally as an open JSON array (`["f:spec","f:replicas"` + `]`), so a
 * leaf costs one string concatenation rather than a copy and a stringify of its whole path.
 */
type OpenKey = string;
const ROOT: OpenKey = '[';
const child = (at: OpenKey, el: string): OpenKey => (at === ROOT ? at : `${at},`) + JSON.stringify(el);
const close = (at: OpenKey): string => `${at}]`;
/** Path key (JSON of the elements) -> value rendering. */
export type FlatFields = Map<string, string>;

/** Values upstream's OpenAPI defaults for list-map key fields, so `{containerPort: 80}` matches the stored item. */
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** Top-level and metadata fields never tracked (identity, system-set, and status for the main resource). */
const IGNORED_TOP = new Set(['apiVersion', 'kind', 'status']);
const IGNORED_META = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink']);

type JsonMap = Record<string, unknown>;
const isMap = (v: unknown): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The `k:` identity of a list-map item: its key fields (defaults filled), keys sorted. */
export function itemKey(item: unknown, keys: string[]): string {
  const id: JsonMap = {};
  for (const k of [...keys].sort()) {
    const v = isMap(item) && item[k] !== undefined ? item[k] : KEY_DEFAULTS[k];
    if (v !== undefined) id[k] = v;
  }
  return `k:${JSON.stringify(id)}`;
}

export function listMapKeys(field: ReturnType<typeof fieldOf>): string[] {
  return field.meta?.listMapKeys ?? (field.meta?.mergeKey ? [field.meta.mergeKey] : []);
}

export function listTypeOf(field: ReturnType<typeof fieldOf>): 'atomic' | 'set' | 'map' {
  const t = field.meta?.listType ?? 'atomic';
  return t === 'map' && listMapKeys(field).length === 0 ? 'atomic' : t;
}

/** Flattens an object of kind `model` into its tracked fields. */
export function flatten(obj: unknown, model: string): FlatFields {
  const out: FlatFields = new Map();
  if (!isMap(obj)) return out;
  const root = rootSchema(model);
  for (const [k, v] of Object.entries(obj)) {
    if (IGNORED_TOP.has(k) || v === null || v === undefined) continue;
    if (k === 'metadata' && isMap(v)) {
      const meta = fieldOf(root, 'metadata');
      for (const [mk, mv] of Object.entries(v)) {
        if (IGNORED_META.has(mk) || mv === null || mv === undefined) continue;
        walkField(mv, fieldOf(meta.schema, mk), child(child(ROOT, 'f:metadata'), `f:${mk}`), out);
      }
      continue;
    }
    walkField(v, fieldOf(root, k), child(ROOT, `f:${k}`), out);
  }
  return out;
}

function walkObject(obj: JsonMap, schema: Schema | undefined, at: OpenKey, out: FlatFields): void {
  for (const [k, v] of Object.entries(obj)) {
    if (v === null || v === undefined) continue;
    walkField(v, fieldOf(schema, k), child(at, `f:${k}`), out);
  }
}

function walkField(v: unknown, field: ReturnType<typeof fieldOf>, at: OpenKey, out: FlatFields): void {
  if (isMap(v)) {
    if (Object.keys(v).length === 0) out.set(close(at), '{}');
    else walkObject(v, field.schema, at, out);
    return;
  }
  if (!Array.isArray(v)) {
    out.set(close(at), typeof v === 'string' ? `"${v}` : String(v));
    return;
  }
  const type = listTypeOf(field);
  if (type === 'atomic' || v.length === 0) {
    out.set(close(at), JSON.stringify(v));
    return;
  }
  if (type === 'set') {
    for (const item of v) out.set(close(child(at, `v:${JSON.stringify(item)}`)), '.');
    return;
  }
  const keys = listMapKeys(field);
  const items = itemSchema(field.schema);
  for (const item of v) {
    const path = child(at, itemKey(item, keys));
    out.set(close(path), '.');
    if (isMap(item)) walkObject(item, items, path, out);
  }
}

/** FieldsV1 JSON of a set of path keys. */
export function toFieldsV1(paths: Iterable<string>): JsonMap {
  const root: JsonMap = {};
  const members: JsonMap[] = [];
  for (const key of paths) {
    let node = root;
    for (const el of JSON.parse(key) as string[]) {
      if (!isMap(node[el])) node[el] = {};
      node = node[el] as JsonMap;
    }
    members.push(node);
  }
  for (const node of members) if (Object.keys(node).some((k) => k !== '.')) node['.'] = {};
  return sortKeys(root);
}

function sortKeys(node: JsonMap): JsonMap {
  const out: JsonMap = {};
  for (const k of Object.keys(node).sort()) out[k] = isMap(node[k]) ? sortKeys(node[k] as JsonMap) : node[k];
  return out;
}

/** The path keys of a FieldsV1 JSON value (tolerates malformed input by skipping it). */
export function fromFieldsV1(fields: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, at: OpenKey): void => {
    if (!isMap(node)) return;
    for (const [k, sub] of Object.entries(node)) {
      if (k === '.') {
        if (at !== ROOT) out.add(close(at));
        continue;
      }
      if (!isMap(sub) || Object.keys(sub).length === 0) out.add(close(child(at, k)));
      else walk(sub, child(at, k));
    }
  };
  walk(fields, ROOT);
  return out;
}

/** `.spec.containers[name="c"].image`, as upstream prints a path. */
export function pathString(key: string): string {
  let s = '';
  for (const el of JSON.parse(key) as string[]) {
    const body = el.slice(2);
    if (el.startsWith('f:')) s += `.${body}`;
    else if (el.startsWith('k:')) {
      const id = JSON.parse(body) as JsonMap;
      s += `[${Object.entries(id).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    } else if (el.startsWith('v:')) s += `[=${body}]`;
    else s += `[${body}]`;
  }
  return s;
}
