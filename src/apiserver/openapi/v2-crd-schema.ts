/**
 * A custom resource's structural OpenAPI v3 schema reduced to what Swagger 2.0 and kubectl's v2 parser
 * (kube-openapi util/proto) accept, as upstream's CRD v2 publishing does: no anyOf/oneOf/allOf/not,
 * no `nullable`; int-or-string, nullable and preserve-unknown-fields nodes lose their type (kubectl then
 * treats them as arbitrary values instead of rejecting valid objects); an array without exactly one
 * items schema loses its type; unknown types are dropped. Input and output are plain JSON schemas.
 */
type Json = Record<string, unknown>;

const V2_TYPES = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
/** Keywords copied as they are (Swagger 2.0 Schema Object fields). */
const KEPT = ['format', 'title', 'description', 'default', 'multipleOf', 'maximum', 'exclusiveMaximum', 'minimum', 'exclusiveMinimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'maxProperties', 'minProperties', 'enum', 'example'];

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function crdSchemaToV2(schema: Json): Json {
  const out: Json = {};
  for (const key of KEPT) if (schema[key] !== undefined) out[key] = schema[key];
  for (const [key, value] of Object.entries(schema)) if (key.startsWith('x-')) out[key] = value;
  if (Array.isArray(schema.required) && schema.required.every((r) => typeof r === 'string') && schema.required.length) out.required = schema.required;

  const untyped = schema.nullable === true || schema['x-kubernetes-int-or-string'] === true || schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (untyped) {
    // kubectl would reject null, the other arm of int-or-string, or unlisted fields.
    delete out.format;
    delete out.enum;
    delete out.required;
    return out;
  }
  const type = typeof schema.type === 'string' && V2_TYPES.has(schema.type) ? schema.type : undefined;
  if (type === 'array') {
    if (!isObject(schema.items)) return out; // kube-openapi needs exactly one items schema
    out.type = 'array';
    out.items = crdSchemaToV2(schema.items);
    return out;
  }
  if (type) out.type = type;
  if (isObject(schema.properties)) {
    const properties: Json = {};
    for (const [name, sub] of Object.entries(schema.properties)) if (isObject(sub)) properties[name] = crdSchemaToV2(sub);
    out.properties = properties;
  }
  if (isObject(schema.additionalProperties)) out.additionalProperties = crdSchemaToV2(schema.additionalProperties);
  else if (typeof schema.additionalProperties === 'boolean') out.additionalProperties = schema.additionalProperties;
  if (!type && (out.properties || out.additionalProperties !== undefined)) out.type = 'object';
  return out;
}
