/**
 * Strategic-merge-patch failures, reported as upstream's API server reports them: the patch-format
 * errors are 400 BadRequest, lists of lists / retainKeys mismatches 422, and the remaining merge
 * errors (missing merge key, unknown directive) a 500 whose message is the bare Go error text.
 */
import { StatusError } from '../errors.js';

/** Go's `%v` rendering of a decoded JSON value (`map[image:nginx name:x]`, `[a b]`). */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, x]) => `${k}:${goFormat(x)}`).join(' ')}]`;
  }
  return String(v);
}

export function badPatch(message: string): StatusError {
  return new StatusError('BadRequest', message);
}

/** A merge failure upstream returns as a plain error: HTTP 500 with no reason, message as is. */
export function mergeFailure(message: string): StatusError {
  const err = new StatusError('InternalError', message);
  delete (err.status as { reason?: string }).reason;
  return err;
}

export const errors = {
  badRetainKeys: () => badPatch('invalid patch format of retainKeys'),
  badSetElementOrder: () => badPatch('invalid patch format of setElementOrder list'),
  badPrimitiveList: () => badPatch('invalid patch format of primitive list'),
  retainKeysMismatch: () => new StatusError('Invalid', 'patch content doesn\'t match retainKeys list', undefined, 422),
  listOfLists: () => new StatusError('Invalid', 'lists of lists are not supported', undefined, 422),
  noMergeKey: (item: unknown, key: string) => mergeFailure(`map: ${goFormat(item)} does not contain declared merge key: ${key}`),
  badPatchType: (type: unknown, where: unknown) => mergeFailure(`unknown patch type: ${goFormat(type)} in map: ${goFormat(where)}`),
  mergeListDirective: () => mergeFailure('merging lists cannot yet be specified in the patch'),
  noMergeKeyDeclared: (field: string) => mergeFailure(`cannot merge lists without merge key for ${field}`),
  notAnObject: (what: string) => badPatch(`json: cannot unmarshal ${what} into Go value of type map[string]interface {}`),
};
