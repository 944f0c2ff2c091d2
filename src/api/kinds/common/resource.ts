/**
 * Builds a ResourceInfo the way upstream's REST storage declares one: list kind `<Kind>List`,
 * singular = lower-cased kind, the standard eight verbs unless told otherwise.
 */
import type { ResourceInfo, Subresource } from '../../types.js';
import { STANDARD_VERBS } from './validation.js';

export interface ResourceOptions {
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: Subresource[];
  verbs?: string[];
}

export function resourceInfo(group: string, version: string, kind: string, o: ResourceOptions): ResourceInfo {
  return {
    group,
    version,
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

/** Returns obj[key] as an object, creating it when absent (for defaulting nested fields). */
export function ensureObject<T extends object>(holder: Record<string, unknown>, key: string): T {
  const cur = holder[key];
  if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) return cur as T;
  const fresh = {} as T;
  holder[key] = fresh;
  return fresh;
}
