/**
 * The apimachinery and apiextensions types that upstream's OpenAPI documents publish as components
 * of their own (IntOrString, Quantity, Time, MicroTime, RawExtension, FieldsV1, JSON, JSONSchemaPropsOr*,
 * CustomResourceSubresourceStatus),
 * with the shapes upstream gives them, and which field of which model is of which of them.
 *
 * Why the shapes matter: `kubectl explain` (v1.32, openapi v3 plaintext template, `typeGuess`) prints
 * the last segment of a `$ref` as a field's type when the referenced component has no `type` or
 * `type: object`, and the component's `type` otherwise. So IntOrString (`oneOf` integer/string, no type)
 * prints `<IntOrString>`, Quantity (`oneOf` string/number) `<Quantity>`, RawExtension and FieldsV1
 * (`type: object`) `<RawExtension>` / `<FieldsV1>`, while Time (`type: string`) prints `<string>`.
 *
 * Input: a field's schema (and for untyped JSON fields, its model and field name). Output: the
 * component name, and the component's v3 schema (v2.ts keeps the descriptions and gives IntOrString and
 * Quantity a string type, as upstream's v2 does). Long upstream descriptions come from the
 * `kubernetes-types` package (generated from upstream's OpenAPI), read once, with short fallbacks.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Schema } from '../../api/schema.js';
import { commentText, kubernetesTypesRoot } from './upstream-docs.js';

type Json = Record<string, unknown>;

export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.Time';
export const MICRO_TIME = 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime';
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';
export const FIELDS_V1 = 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1';
const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
export const JSON_VALUE = `${APIEXTENSIONS}.JSON`;
export const JSON_SCHEMA_PROPS_OR_BOOL = `${APIEXTENSIONS}.JSONSchemaPropsOrBool`;
export const JSON_SCHEMA_PROPS_OR_ARRAY = `${APIEXTENSIONS}.JSONSchemaPropsOrArray`;
export const JSON_SCHEMA_PROPS_OR_STRING_ARRAY = `${APIEXTENSIONS}.JSONSchemaPropsOrStringArray`;
export const SUBRESOURCE_STATUS = `${APIEXTENSIONS}.CustomResourceSubresourceStatus`;

interface NamedType {
  /** Where kubernetes-types declares it (`api/resource`), to read upstream's full description. */
  typesFile?: string;
  /** Its description when kubernetes-types is absent (or does not declare it). */
  fallback: string;
  /** The component without its description. */
  shape: Json;
}

const NAMED: Record<string, NamedType> = {
  [INT_OR_STRING]: {
    fallback: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    shape: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  },
  [QUANTITY]: {
    typesFile: 'api/resource',
    fallback: 'Quantity is a fixed-point representation of a number. It provides convenient marshaling/unmarshaling in JSON and YAML, in addition to String() and AsInt64() accessors.',
    shape: { oneOf: [{ type: 'string' }, { type: 'number' }] },
  },
  [TIME]: {
    typesFile: 'meta/v1',
    fallback: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers.',
    shape: { type: 'string', format: 'date-time' },
  },
  [MICRO_TIME]: {
    typesFile: 'meta/v1',
    fallback: 'MicroTime is version of Time with microsecond level precision.',
    shape: { type: 'string', format: 'date-time' },
  },
  [RAW_EXTENSION]: {
    typesFile: 'runtime',
    fallback: 'RawExtension is used to hold extensions in external versions.',
    shape: { type: 'object' },
  },
  [FIELDS_V1]: {
    typesFile: 'meta/v1',
    fallback: 'FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.',
    shape: { type: 'object' },
  },
  [JSON_VALUE]: {
    typesFile: 'apiextensions/v1',
    fallback: 'JSON represents any valid JSON value. These types are supported: bool, int64, float64, string, []interface{}, map[string]interface{} and nil.',
    shape: {},
  },
  [JSON_SCHEMA_PROPS_OR_BOOL]: {
    typesFile: 'apiextensions/v1',
    fallback: 'JSONSchemaPropsOrBool represents JSONSchemaProps or a boolean value. Defaults to true for the boolean property.',
    shape: {},
  },
  [JSON_SCHEMA_PROPS_OR_ARRAY]: {
    typesFile: 'apiextensions/v1',
    fallback: 'JSONSchemaPropsOrArray represents a value that can either be a JSONSchemaProps or an array of JSONSchemaProps. Mainly here for serialization purposes.',
    shape: {},
  },
  [JSON_SCHEMA_PROPS_OR_STRING_ARRAY]: {
    typesFile: 'apiextensions/v1',
    fallback: 'JSONSchemaPropsOrStringArray represents a JSONSchemaProps or a string array.',
    shape: {},
  },
  [SUBRESOURCE_STATUS]: {
    typesFile: 'apiextensions/v1',
    fallback: 'CustomResourceSubresourceStatus defines how to serve the status subresource for CustomResources.',
    shape: { type: 'object' },
  },
};

/**
 * Fields the client-node models type as untyped JSON (`any`), by `Model.field`, with the upstream type
 * they have. Arrays and maps of them name their element type.
 */
const UNTYPED_FIELDS: Record<string, string> = {
  'V1ControllerRevision.data': RAW_EXTENSION,
  'V1ManagedFieldsEntry.fieldsV1': FIELDS_V1,
  'V1JSONSchemaProps.default': JSON_VALUE,
  'V1JSONSchemaProps.example': JSON_VALUE,
  'V1JSONSchemaProps.enum': JSON_VALUE,
  'V1JSONSchemaProps.additionalItems': JSON_SCHEMA_PROPS_OR_BOOL,
  'V1JSONSchemaProps.additionalProperties': JSON_SCHEMA_PROPS_OR_BOOL,
  'V1JSONSchemaProps.items': JSON_SCHEMA_PROPS_OR_ARRAY,
  'V1JSONSchemaProps.dependencies': JSON_SCHEMA_PROPS_OR_STRING_ARRAY,
  'V1CustomResourceSubresources.status': SUBRESOURCE_STATUS,
};

/** The named type of a field's untyped JSON values, if upstream gives them one. */
export function untypedFieldType(model: string, field: string): string | undefined {
  return UNTYPED_FIELDS[`${model}.${field}`];
}

/** The named type of a scalar schema (int-or-string, quantity, timestamps), or undefined. */
export function scalarTypeName(schema: Schema): string | undefined {
  switch (schema.type) {
    case 'int-or-string':
      return INT_OR_STRING;
    case 'quantity':
      return QUANTITY;
    case 'string':
      return schema.format === 'date-time' ? TIME : schema.format === 'date-time-micro' ? MICRO_TIME : undefined;
    default:
      return undefined;
  }
}

const descriptions = new Map<string, string>();

/** The text of the doc comment right before `export type|interface <name>`. */
function docComment(text: string, name: string): string | undefined {
  const at = text.search(new RegExp(`\\nexport (?:type|interface) ${name}\\b`));
  if (at < 0) return undefined;
  const before = text.slice(0, at).trimEnd();
  if (!before.endsWith('*/')) return undefined;
  const start = before.lastIndexOf('/**');
  return start < 0 ? undefined : commentText(before.slice(start + 3, -2)) || undefined;
}

function upstreamDescription(name: string, type: NamedType): string {
  const known = descriptions.get(name);
  if (known) return known;
  let found: string | undefined;
  const dir = kubernetesTypesRoot();
  if (type.typesFile && dir) {
    try {
      found = docComment(readFileSync(join(dir, `${type.typesFile}.d.ts`), 'utf8'), name.slice(name.lastIndexOf('.') + 1));
    } catch {
      found = undefined;
    }
  }
  const description = found ?? type.fallback;
  descriptions.set(name, description);
  return description;
}

/** The component of a named type, as upstream's v3 documents publish it. Throws for an unknown name. */
export function namedComponent(name: string): Json {
  const type = NAMED[name];
  if (!type) throw new Error(`no named OpenAPI type ${name}`);
  return { description: upstreamDescription(name, type), ...type.shape };
}

/**
 * Whether a field description is really its named type's description: client-node replaces the
 * description of IntOrString and MicroTime fields by their type's, which kubectl then prints twice
 * (once for the field, once for the referenced component).
 */
export function isTypeDescription(name: string, description: string): boolean {
  const type = NAMED[name];
  if (!type) return false;
  const short = name.slice(name.lastIndexOf('.') + 1);
  return description === type.fallback || description === upstreamDescription(name, type) || new RegExp(`^${short} (is|represents|stores) `).test(description);
}
