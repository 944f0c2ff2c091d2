/**
 * JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386) over plain JSON values. Hostile input only
 * ever raises a StatusError (400 BadRequest for a malformed patch, 422 Invalid for a failed `test` or
 * a path that does not exist), never anything else.
 */
import { StatusError, badRequest } from './errors.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function parsePointer(ptr: unknown): string[] {
  if (typeof ptr !== 'string') throw badRequest('json patch: path must be a string');
  if (ptr === '') return [];
  if (!ptr.startsWith('/')) throw badRequest(`json patch: invalid path "${ptr}": must start with "/"`);
  return ptr
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function unprocessable(msg: string): StatusError {
  return new StatusError('Invalid', msg);
}

function arrayIndex(arr: unknown[], seg: string, forAdd: boolean): number {
  if (seg === '-' && forAdd) return arr.length;
  if (!/^(0|[1-9]\d*)$/.test(seg)) throw unprocessable(`json patch: invalid array index "${seg}"`);
  const i = Number(seg);
  if (i > arr.length || (!forAdd && i === arr.length)) throw unprocessable(`json patch: array index ${i} out of bounds`);
  return i;
}

/** The container holding the last segment, walking from the document root. */
function parentOf(doc: unknown, segs: string[]): unknown {
  let cur = doc;
  for (const seg of segs.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[arrayIndex(cur, seg, false)];
    else if (isObject(cur) && Object.hasOwn(cur, seg)) cur = cur[seg];
    else throw unprocessable(`json patch: path /${segs.join('/')} does not exist`);
  }
  return cur;
}

function getAt(doc: unknown, segs: string[]): unknown {
  if (segs.length === 0) return doc;
  const parent = parentOf(doc, segs);
  const last = segs[segs.length - 1]!;
  if (Array.isArray(parent)) return parent[arrayIndex(parent, last, false)];
  if (isObject(parent) && Object.hasOwn(parent, last)) return parent[last];
  throw unprocessable(`json patch: path /${segs.join('/')} does not exist`);
}

function addAt(doc: unknown, segs: string[], value: unknown): unknown {
  if (segs.length === 0) return value;
  const parent = parentOf(doc, segs);
  const last = segs[segs.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, true), 0, value);
  else if (isObject(parent)) parent[last] = value;
  else throw unprocessable(`json patch: cannot add to a non-container at /${segs.join('/')}`);
  return doc;
}

function removeAt(doc: unknown, segs: string[]): unknown {
  if (segs.length === 0) throw unprocessable('json patch: cannot remove the whole document');
  const parent = parentOf(doc, segs);
  const last = segs[segs.length - 1]!;
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, last, false), 1);
  else if (isObject(parent) && Object.hasOwn(parent, last)) delete parent[last];
  else throw unprocessable(`json patch: path /${segs.join('/')} does not exist`);
  return doc;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  if (!Array.isArray(patch)) throw badRequest('json patch: the patch must be a JSON array of operations');
  if (patch.length > 10000) throw new StatusError('RequestEntityTooLarge', 'json patch: too many operations (limit 10000)');
  let cur: unknown = structuredClone(doc);
  for (const op of patch) {
    if (!isObject(op)) throw badRequest('json patch: each operation must be an object');
    const segs = parsePointer(op.path);
    switch (op.op) {
      case 'add':
        if (!Object.hasOwn(op, 'value')) throw badRequest('json patch: add operation needs a value');
        cur = addAt(cur, segs, structuredClone(op.value));
        break;
      case 'remove':
        cur = removeAt(cur, segs);
        break;
      case 'replace':
        if (!Object.hasOwn(op, 'value')) throw badRequest('json patch: replace operation needs a value');
        getAt(cur, segs);
        cur = segs.length === 0 ? structuredClone(op.value) : addAt(removeAt(cur, segs), segs, structuredClone(op.value));
        break;
      case 'move': {
        const from = parsePointer(op.from);
        const value = getAt(cur, from);
        cur = addAt(removeAt(cur, from), segs, value);
        break;
      }
      case 'copy':
        cur = addAt(cur, segs, structuredClone(getAt(cur, parsePointer(op.from))));
        break;
      case 'test':
        if (!deepEqual(getAt(cur, segs), op.value)) throw unprocessable(`json patch: test operation failed at ${String(op.path)}`);
        break;
      default:
        throw badRequest(`json patch: unknown operation ${JSON.stringify(op.op ?? null)}`);
    }
  }
  return cur;
}

/** RFC 7386: objects merge recursively, null deletes, anything else replaces. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch as Json);
  const out: Record<string, unknown> = isObject(doc) ? { ...doc } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}
