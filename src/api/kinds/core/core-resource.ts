/**
 * ResourceInfo for core/v1 (group '') resources as upstream's REST storage declares them, and small
 * helpers the core kind files share (immutable fields, field-selector values).
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KubeObject, ResourceInfo, Subresource } from '../../types.js';
import { deepEqual } from './pod-validation.js';

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export interface CoreResourceOptions {
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: Subresource[];
  verbs?: string[];
  group?: string;
  version?: string;
}

export function coreResource(kind: string, o: CoreResourceOptions): ResourceInfo {
  return {
    group: o.group ?? '',
    version: o.version ?? 'v1',
    kind,
    listKind: `${kind}List`,
    plural: o.plural,
    singular: kind.toLowerCase(),
    namespaced: o.namespaced,
    shortNames: o.shortNames ?? [],
    categories: o.categories ?? [],
    verbs: o.verbs ?? [...STANDARD_VERBS],
    subresources: o.subresources ?? [],
  };
}

/** ValidateImmutableField: `<fld>: Invalid value: <new>: field is immutable`. */
export function immutableField(newVal: unknown, oldVal: unknown, fld: string): FieldError[] {
  return deepEqual(newVal, oldVal) ? [] : [{ type: 'Invalid', field: fld, value: newVal ?? null, detail: 'field is immutable' }];
}

/** Reads a nested value by path segments. */
export function at(obj: KubeObject, ...segments: string[]): unknown {
  let cur: unknown = obj;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

/** A field-selector value: strings as they are, unset as '' (upstream's fields.Set holds "" for unset strings). */
export function selectable(obj: KubeObject, ...segments: string[]): string {
  const v = at(obj, ...segments);
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}
