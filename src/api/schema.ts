/**
 * Field schemas of every served kind, derived from the OpenAPI-generated models shipped in
 * @kubernetes/client-node (spec release-1.36). Nothing here is hand-typed per field: each model
 * class carries a static `attributeTypeMap` ([{name, baseName, type, format}]) and this module
 * turns it into a typed schema tree.
 *
 * Input: a model type name such as `V1Pod`. Output: `schemaFor(name)`, an ObjectSchema whose
 * properties are further schemas (objects, arrays, maps, integers with int32/int64 format, doubles,
 * booleans, strings with format byte/date-time, int-or-string, quantity, raw JSON). Schemas are built
 * once per model and shared (recursive models such as JSONSchemaProps are cyclic graphs).
 *
 * Quantities: client-node types them as plain strings (`{ [key: string]: string; }` for resource
 * lists), so the quantity-typed fields are listed here by model and field name (QUANTITY_FIELDS).
 * Descriptions and required flags (which only the .d.ts files carry) come from schema-docs.ts.
 */
import * as models from '@kubernetes/client-node/dist/gen/models/all.js';

export type IntFormat = 'int32' | 'int64';
export type StringFormat = '' | 'byte' | 'date-time' | 'date-time-micro';

export interface ObjectSchema {
  type: 'object';
  /** client-node model name, e.g. `V1ContainerPort`. */
  model: string;
  /** Go type name as upstream's decoder prints it, e.g. `ContainerPort`. */
  goName: string;
  /** Go package qualifier as printed in types (`v1.ContainerPort`). */
  goPackage: string;
  properties: Record<string, Schema>;
}
export interface ArraySchema { type: 'array'; items: Schema }
export interface MapSchema { type: 'map'; values: Schema }
export interface StringSchema { type: 'string'; format: StringFormat }
export interface IntegerSchema { type: 'integer'; format: IntFormat }
export interface NumberSchema { type: 'number'; format: 'double' }
export interface BooleanSchema { type: 'boolean' }
/** intstr.IntOrString: a JSON number (int32) or string. */
export interface IntOrStringSchema { type: 'int-or-string' }
/** resource.Quantity: a string (or JSON number) such as `500m`, `1Gi`. In a ResourceList (`resourceList`) it is rounded up to milli. */
export interface QuantitySchema { type: 'quantity'; resourceList?: boolean }
/** RawExtension / JSON / FieldsV1: any JSON value, never pruned. */
export interface AnySchema { type: 'any' }

export type Schema =
  | ObjectSchema
  | ArraySchema
  | MapSchema
  | StringSchema
  | IntegerSchema
  | NumberSchema
  | BooleanSchema
  | IntOrStringSchema
  | QuantitySchema
  | AnySchema;

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}
interface ModelClass {
  attributeTypeMap: Attribute[];
}

/**
 * Fields typed `resource.Quantity` (or maps of them) upstream, which the generated models type as
 * strings. Keyed `Model.field`.
 */
const QUANTITY_FIELDS = new Set<string>([
  'V1ResourceRequirements.limits',
  'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests',
  'V1NodeStatus.capacity',
  'V1NodeStatus.allocatable',
  'V1ResourceQuotaSpec.hard',
  'V1ResourceQuotaStatus.hard',
  'V1ResourceQuotaStatus.used',
  'V1LimitRangeItem.max',
  'V1LimitRangeItem.min',
  'V1LimitRangeItem._default',
  'V1LimitRangeItem.defaultRequest',
  'V1LimitRangeItem.maxLimitRequestRatio',
  'V1PersistentVolumeSpec.capacity',
  'V1PersistentVolumeClaimStatus.capacity',
  'V1PersistentVolumeClaimStatus.allocatedResources',
  'V1ContainerStatus.allocatedResources',
  'V1PodSpec.overhead',
  'V1Overhead.podFixed',
  'V1EmptyDirVolumeSource.sizeLimit',
  'V1ResourceFieldSelector.divisor',
  'V1CSIStorageCapacity.capacity',
  'V1CSIStorageCapacity.maximumVolumeSize',
  'V2MetricTarget.averageValue',
  'V2MetricTarget.value',
  'V2MetricValueStatus.averageValue',
  'V2MetricValueStatus.value',
]);

/** Lets other groups mark further quantity-typed fields before their schemas are first built. */
export function markQuantityField(model: string, field: string): void {
  QUANTITY_FIELDS.add(`${model}.${field}`);
}

const modelTable = models as unknown as Record<string, ModelClass | undefined>;
const cache = new Map<string, ObjectSchema>();

/** Whether client-node ships a model of that name. */
export function hasModel(typeName: string): boolean {
  return Array.isArray(modelTable[typeName]?.attributeTypeMap);
}

/** `V1ContainerPort` -> [`v1`, `ContainerPort`]; `CoreV1Event` -> [`v1`, `Event`]. */
export function goTypeName(model: string): { pkg: string; name: string } {
  const m = /^(?:[A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)(.+)$/.exec(model);
  return m ? { pkg: m[1].toLowerCase(), name: m[2] } : { pkg: 'v1', name: model };
}

/** The schema of a client-node model, built once and cached. Throws for an unknown model. */
export function schemaFor(typeName: string): ObjectSchema {
  const cached = cache.get(typeName);
  if (cached) return cached;
  const cls = modelTable[typeName];
  if (!cls || !Array.isArray(cls.attributeTypeMap)) throw new Error(`no client-node model named ${typeName}`);
  const go = goTypeName(typeName);
  const schema: ObjectSchema = { type: 'object', model: typeName, goName: go.name, goPackage: go.pkg, properties: {} };
  cache.set(typeName, schema); // before the fields: recursive models refer back to it
  for (const attr of cls.attributeTypeMap) {
    const quantity = QUANTITY_FIELDS.has(`${typeName}.${attr.name}`);
    schema.properties[attr.baseName] = fieldSchema(attr.type, attr.format, quantity);
  }
  return schema;
}

const MAP_PREFIX = '{ [key: string]: ';
const MAP_SUFFIX = '; }';

function fieldSchema(type: string, format: string, quantity: boolean): Schema {
  if (type.startsWith('Array<') && type.endsWith('>')) {
    return { type: 'array', items: fieldSchema(type.slice(6, -1), format, quantity) };
  }
  if (type.startsWith(MAP_PREFIX) && type.endsWith(MAP_SUFFIX)) {
    const values = fieldSchema(type.slice(MAP_PREFIX.length, -MAP_SUFFIX.length), format, quantity);
    if (values.type === 'quantity') values.resourceList = true;
    return { type: 'map', values };
  }
  if (quantity) return { type: 'quantity' };
  switch (type) {
    case 'string':
      return { type: 'string', format: format === 'byte' ? 'byte' : '' };
    case 'Date':
      return { type: 'string', format: format === 'date-time-micro' ? 'date-time-micro' : 'date-time' };
    case 'V1MicroTime': // metav1.MicroTime has no model class: an RFC 3339 string with microseconds
      return { type: 'string', format: 'date-time-micro' };
    case 'number':
      if (format === 'int32' || format === 'int64') return { type: 'integer', format };
      return { type: 'number', format: 'double' };
    case 'boolean':
      return { type: 'boolean' };
    case 'IntOrString':
      return { type: 'int-or-string' };
    case 'any':
    case 'object':
      return { type: 'any' };
    default:
      return schemaFor(type);
  }
}

/** Follows a property path (`['spec', 'containers']`, arrays and maps stepped through) to its schema. */
export function schemaAt(typeName: string, segments: string[]): Schema | undefined {
  let s: Schema | undefined = schemaFor(typeName);
  for (const seg of segments) {
    while (s && (s.type === 'array' || s.type === 'map')) s = s.type === 'array' ? s.items : s.values;
    if (!s || s.type !== 'object') return undefined;
    s = s.properties[seg];
  }
  return s;
}
