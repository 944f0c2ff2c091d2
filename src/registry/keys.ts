/**
 * Storage keys for API objects: `/registry/<group or core>/<plural>/[<namespace>/]<name>`.
 * Prefixes end in `/` so that a prefix never matches a longer sibling name.
 */
import type { ResourceInfo } from '../api/types.js';

export function resourcePrefix(r: Pick<ResourceInfo, 'group' | 'plural'>): string {
  return `/registry/${r.group || 'core'}/${r.plural}/`;
}

/** Prefix of every object of the resource, or of one namespace's objects. */
export function listPrefix(r: ResourceInfo, namespace: string | undefined): string {
  return r.namespaced && namespace ? `${resourcePrefix(r)}${namespace}/` : resourcePrefix(r);
}

export function objectKey(r: ResourceInfo, namespace: string | undefined, name: string): string {
  return r.namespaced ? `${resourcePrefix(r)}${namespace}/${name}` : `${resourcePrefix(r)}${name}`;
}
