/**
 * JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) over plain decoded JSON values.
 *
 * `applyJsonPatch(doc, patch)` and `applyMergePatch(doc, patch)` return a NEW value (inputs are never
 * mutated) and throw only StatusError, as the API server reports them:
 * - a patch that is not a list of operation objects: 400 BadRequest;
 * - more than 10,000 operations: 413 RequestEntityTooLarge (upstream's maxJSONPatchOperations);
 * - an operation that does not apply (missing path, failed test, bad index): 422 Invalid with
 *   upstream's generic message, the precise reason in details.causes.
 * Keys such as `__proto__` are ordinary data here (objects are written with defineProperty), copies
 * are capped in total size, and nothing recurses, so 100,000-deep documents are fine.
 */
import { StatusError, badRequest } from './errors.js';

export const MAX_JSON_PATCH_OPERATIONS = 10000;
/** Bytes that `copy` operations may add in total; stops a patch from doubling a document 10,000 times. */
export const MAX_ACCUMULATED_COPY_BYTES = 16 * 1024 * 1024;

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function setKey(o: JsonObject, k: string, v: Json): void {
  Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
}

/** A deep copy that keeps `__proto__` keys as data. Iterative, so depth cannot exhaust the stack. */
function clone(v: unknown): Json {
  if (typeof v !== 'object' || v === null) return v === undefined ? null : (v as Json);
  const root: Json = Array.isArray(v) ? [] : {};
  const stack: [unknown, Json][] = [[v, root]];
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    const entries: [string, unknown][] = Array.isArray(src) ? src.map((x, i) => [String(i), x]) : Object.entries(src as object);
    for (const [k, x] of entries) {
      let copy: Json;
      if (typeof x === 'object' && x !== null) {
        copy = Array.isArray(x) ? [] : {};
        stack.push([x, copy]);
      } else {
        copy = x === undefined ? null : (x as Json);
      }
      if (Array.isArray(dst)) dst.push(copy);
      else setKey(dst as JsonObject, k, copy);
    }
  }
  return root;
}

/** Structural equality for `test` (object key order does not matter). Iterative. */
function deepEqual(a: unknown, b: unknown): boolean {
  const stack: [unknown, unknown][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x) !== Array.isArray(y)) return false;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) return false;
      x.forEach((v, i) => stack.push([v, y[i]]));
      continue;
    }
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    for (const k of kx) {
      if (!hasOwn(y, k)) return false;
      stack.push([(x as JsonObject)[k], (y as JsonObject)[k]]);
    }
  }
  return true;
}

/** An operation that does not apply; becomes upstream's 422 (NewGenericServerResponse(422)). */
class PatchConflict extends Error {}
function notApplicable(reason: string): StatusError {
  return new StatusError('Invalid', 'the server rejected our request due to an error in our request', { causes: [{ message: reason }] });
}

/** RFC 6901 pointer -> unescaped reference tokens. */
function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchConflict(`JSON pointer must be empty or start with a "/": "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => {
      if (/~[^01]|~$/.test(t)) throw new PatchConflict(`invalid JSON pointer escape in "${pointer}"`);
      return t.replace(/~1/g, '/').replace(/~0/g, '~');
    });
}

/** An array index token; `-` means "after the last" (add only); negative counts from the end, as upstream's json-patch allows. */
function arrayIndex(token: string, length: number, forInsert: boolean, pointer: string): number {
  if (token === '-' && forInsert) return length;
  if (!/^(0|-?[1-9][0-9]*)$/.test(token)) throw new PatchConflict(`invalid array index "${token}" in "${pointer}"`);
  let i = Number(token);
  if (i < 0) i += length;
  const max = forInsert ? length : length - 1;
  if (i < 0 || i > max) throw new PatchConflict(`Unable to access invalid index: ${token} in "${pointer}"`);
  return i;
}

/** The container holding the pointer's last token, and that token. */
function parentOf(doc: Json, tokens: string[], pointer: string): { parent: Json; key: string } {
  let cur: Json = doc;
  for (const t of tokens.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(t, cur.length, false, pointer)]!;
    else if (isObject(cur) && hasOwn(cur, t)) cur = cur[t]!;
    else throw new PatchConflict(`doc is missing path: "${pointer}"`);
  }
  return { parent: cur, key: tokens[tokens.length - 1]! };
}

function getAt(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return doc;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) return parent[arrayIndex(key, parent.length, false, pointer)]!;
  if (isObject(parent) && hasOwn(parent, key)) return parent[key]!;
  throw new PatchConflict(`doc is missing key: ${pointer}`);
}

/** True when the pointer's parent object exists but lacks the final key. */
function isAbsentKey(doc: Json, pointer: string): boolean {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return false;
  const { parent, key } = parentOf(doc, tokens, pointer);
  return isObject(parent) && !hasOwn(parent, key);
}

/** Returns the new document (only a root replacement changes identity). */
function addAt(doc: Json, pointer: string, value: Json, replace = false): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    if (replace) parent[arrayIndex(key, parent.length, false, pointer)] = value;
    else parent.splice(arrayIndex(key, parent.length, true, pointer), 0, value);
  } else if (isObject(parent)) {
    if (replace && !hasOwn(parent, key)) throw new PatchConflict(`replace operation does not apply: doc is missing key: ${pointer}`);
    setKey(parent, key, value);
  } else {
    throw new PatchConflict(`doc is missing path: "${pointer}"`);
  }
  return doc;
}

function removeAt(doc: Json, pointer: string): Json {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) throw new PatchConflict('remove operation does not apply: cannot remove the whole document');
  const { parent, key } = parentOf(doc, tokens, pointer);
  if (Array.isArray(parent)) {
    const [removed] = parent.splice(arrayIndex(key, parent.length, false, pointer), 1);
    return removed!;
  }
  if (isObject(parent) && hasOwn(parent, key)) {
    const removed = parent[key]!;
    delete parent[key];
    return removed;
  }
  throw new PatchConflict(`remove operation does not apply: doc is missing path: "${pointer}"`);
}

function stringField(op: JsonObject, name: string, index: number): string {
  const v = op[name];
  if (typeof v !== 'string') throw new PatchConflict(`operation ${index}: missing or invalid "${name}" field`);
  return v;
}

function applyOperation(doc: Json, op: JsonObject, index: number, budget: { copied: number }): Json {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  const path = (): string => stringField(op, 'path', index);
  const value = (): Json => {
    if (!hasOwn(op, 'value')) throw new PatchConflict(`operation ${index}: "${kind}" requires a "value"`);
    return clone(op.value);
  };
  switch (kind) {
    case 'add':
      return addAt(doc, path(), value());
    case 'replace':
      return addAt(doc, path(), value(), true);
    case 'remove':
      removeAt(doc, path());
      return doc;
    case 'test': {
      const expected = hasOwn(op, 'value') ? op.value : null;
      // Upstream's json-patch lets `null` match a key that is absent from an existing parent.
      const actual = expected === null && isAbsentKey(doc, path()) ? null : getAt(doc, path());
      if (!deepEqual(actual, expected)) throw new PatchConflict(`testing value ${path()} failed: test failed`);
      return doc;
    }
    case 'move': {
      const from = stringField(op, 'from', index);
      const to = path();
      if (to !== from && to.startsWith(`${from}/`)) throw new PatchConflict(`move operation does not apply: "${to}" is a child of "${from}"`);
      const moved = removeAt(doc, from);
      return addAt(doc, to, moved);
    }
    case 'copy': {
      const copied = clone(getAt(doc, stringField(op, 'from', index)));
      budget.copied += JSON.stringify(copied)?.length ?? 0;
      if (budget.copied > MAX_ACCUMULATED_COPY_BYTES) {
        throw new PatchConflict(`Unable to complete the copy, the accumulated size increase of copy is ${budget.copied}, exceeding the limit ${MAX_ACCUMULATED_COPY_BYTES}`);
      }
      return addAt(doc, path(), copied);
    }
    default:
      throw new PatchConflict(`Unexpected kind: ${kind}`);
  }
}

/** Go's name for a JSON value's type in unmarshal errors. */
function jsonKind(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

/** RFC 6902 JSON Patch. `patch` is the decoded request body. */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of patch) {
    if (!isObject(op)) throw badRequest(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
  }
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) {
    throw new StatusError('RequestEntityTooLarge', `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${patch.length}`);
  }
  try {
    let result = clone(doc);
    const budget = { copied: 0 };
    patch.forEach((op: JsonObject, i) => {
      result = applyOperation(result, op, i, budget);
    });
    return result;
  } catch (e) {
    if (e instanceof StatusError) throw e;
    if (e instanceof PatchConflict) throw notApplicable(e.message);
    throw badRequest(`unable to apply patch: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** RFC 7386 merge: objects merge key by key, `null` deletes, anything else replaces. Iterative. */
function merge(target: unknown, patch: JsonObject): Json {
  const root: JsonObject = isObject(target) ? (clone(target) as JsonObject) : {};
  const stack: [JsonObject, JsonObject][] = [[root, patch]];
  while (stack.length > 0) {
    const [dst, src] = stack.pop()!;
    for (const [k, v] of Object.entries(src)) {
      if (v === null) {
        delete dst[k];
      } else if (isObject(v)) {
        const existing = hasOwn(dst, k) ? dst[k] : undefined;
        const child: JsonObject = isObject(existing) ? existing : {};
        setKey(dst, k, child);
        stack.push([child, v]);
      } else {
        setKey(dst, k, clone(v));
      }
    }
  }
  return root;
}

/**
 * RFC 7386 JSON Merge Patch for an object. A patch that is not an object is rejected with upstream's
 * json-patch message (upstream's MergePatch refuses null and scalars; an array could never decode
 * into an object either).
 */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isObject(patch)) throw badRequest('Invalid JSON Patch');
  try {
    return merge(doc, patch);
  } catch (e) {
    if (e instanceof StatusError) throw e;
    throw badRequest(`unable to apply patch: ${e instanceof Error ? e.message : String(e)}`);
  }
}
