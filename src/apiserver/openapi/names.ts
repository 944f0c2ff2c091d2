/**
 * Naming shared by the OpenAPI v2 and v3 documents: definition/component names shaped like upstream's
 * (`io.k8s.api.apps.v1.Deployment`, `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`, custom kinds as
 * `<reversed group>.<version>.<Kind>`), group-version path prefixes and the `metadata` description.
 */
import type { Schema } from '../../api/schema.js';
import type { KindDefinition } from '../../api/types.js';

/** Models of apimachinery's meta/v1, which upstream publishes as `io.k8s.apimachinery.pkg.apis.meta.v1.<Type>`. */
const META_V1 = new Set(['ObjectMeta', 'ListMeta', 'ManagedFieldsEntry', 'OwnerReference', 'LabelSelector', 'LabelSelectorRequirement', 'Condition', 'Status', 'StatusDetails', 'StatusCause', 'DeleteOptions', 'Preconditions']);

/**
 * Component name of a model, shaped like upstream's (`V1PodSpec` -> `io.k8s.api.core.v1.PodSpec`,
 * `V1ObjectMeta` -> `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`): `kubectl explain` prints the
 * last dot-separated segment as a field's type. The model's prefix (`Core`, `Events`...) keeps names
 * unique where two groups have a type of the same name.
 */
export function componentName(model: string): string {
  const m = /^([A-Z][a-z]+)?(V\d+(?:(?:alpha|beta)\d+)?)([A-Z].*)$/.exec(model);
  if (!m) return `io.k8s.api.${model}`;
  const [, prefix, version, type] = m;
  if (!prefix && version === 'V1' && META_V1.has(type!)) return `io.k8s.apimachinery.pkg.apis.meta.v1.${type}`;
  return `io.k8s.api.${(prefix ?? 'core').toLowerCase()}.${version!.toLowerCase()}.${type}`;
}

/** Upstream's description of every kind's `metadata` (client-node's declarations drop it). */
export const OBJECT_META_DESCRIPTION = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

/** `api/v1` for the core group, `apis/<group>/<version>` otherwise. */
export function gvPath(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

/** Component name of a kind: its model's, or for custom kinds upstream's `<reversed group>.<version>.<Kind>`. */
export function kindComponentName(kind: KindDefinition): string {
  if (!kind.openAPISchema) return componentName(kind.model);
  const r = kind.resource;
  return `${r.group.split('.').reverse().join('.')}.${r.version}.${r.kind}`;
}

/** The OpenAPI form of a scalar field (the same in v2 and v3), or undefined for other schemas. */
export function scalarSchema(schema: Schema): Record<string, unknown> | undefined {
  switch (schema.type) {
    case 'string':
      return { type: 'string', ...(schema.format ? { format: schema.format === 'date-time-micro' ? 'date-time' : schema.format } : {}) };
    case 'integer':
      return { type: 'integer', format: schema.format };
    case 'number':
      return { type: 'number', format: 'double' };
    case 'boolean':
      return { type: 'boolean' };
    default:
      return undefined;
  }
}
