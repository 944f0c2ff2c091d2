/**
 * The OpenAPI v3 schema published for a custom kind (what `kubectl explain` reads): the version's
 * openAPIV3Schema with apiVersion and kind described as upstream's builder does, and the GVK
 * extension. metadata is left to the OpenAPI document builder, which points it at ObjectMeta.
 */
import type { JSONSchemaProps } from './types.js';

const API_VERSION_DOC =
  'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources';
const KIND_DOC =
  'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds';

/** Drops what OpenAPI consumers do not need (CEL rules) and normalises int-or-string. */
function publishable(s: JSONSchemaProps): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === 'x-kubernetes-validations') continue;
    if (k === 'properties' && v && typeof v === 'object') {
      out.properties = Object.fromEntries(Object.entries(v as Record<string, JSONSchemaProps>).map(([pk, pv]) => [pk, publishable(pv)]));
    } else if ((k === 'items' || k === 'additionalProperties' || k === 'not') && v && typeof v === 'object' && !Array.isArray(v)) {
      out[k] = publishable(v as JSONSchemaProps);
    } else if ((k === 'allOf' || k === 'anyOf' || k === 'oneOf') && Array.isArray(v)) {
      out[k] = (v as JSONSchemaProps[]).map(publishable);
    } else out[k] = v;
  }
  if (s['x-kubernetes-int-or-string'] && !s.anyOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  return out;
}

export function crdOpenAPISchema(schema: JSONSchemaProps, gvk: { group: string; version: string; kind: string }): Record<string, unknown> {
  const root = publishable(schema);
  const props = { ...((root.properties as Record<string, unknown> | undefined) ?? {}) };
  delete props.metadata;
  root.type = 'object';
  root.properties = {
    apiVersion: { description: API_VERSION_DOC, type: 'string' },
    kind: { description: KIND_DOC, type: 'string' },
    ...props,
  };
  root['x-kubernetes-group-version-kind'] = [gvk];
  return root;
}
