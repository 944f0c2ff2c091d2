/**
 * The description a model's field carries in the OpenAPI documents (v2 and v3), as upstream's.
 *
 * client-node replaces the description of fields typed IntOrString, MicroTime (and a few other named
 * types) by the type's own description, so kubectl explain printed the type's text twice and never the
 * field's. Here such a field gets upstream's own field description from kubernetes-types, or none (the
 * referenced named component still supplies the type's). `metadata` fields get upstream's ObjectMeta
 * text, which client-node drops.
 *
 * Input: model name, field name, the field's schema. Output: the description, or undefined.
 */
import { schemaFor, type Schema } from '../../api/schema.js';
import { docsFor } from '../../api/schema-docs.js';
import { fallbackDescription } from '../../api/schema-docs-fallback.js';
import { OBJECT_META_DESCRIPTION } from './names.js';
import { isTypeDescription, scalarTypeName, untypedFieldType } from './named-types.js';

/** The named type a field's values are of (through arrays and maps), if any. */
export function namedTypeOf(model: string, field: string, schema: Schema): string | undefined {
  let s = schema;
  while (s.type === 'array' || s.type === 'map') s = s.type === 'array' ? s.items : s.values;
  return scalarTypeName(s) ?? (s.type === 'any' ? untypedFieldType(model, field) : undefined);
}

export function fieldDescription(model: string, field: string, schema: Schema): string | undefined {
  const own = docsFor(model).fields[field]?.description;
  if (own) {
    const named = namedTypeOf(model, field, schema);
    if (!named || !isTypeDescription(named, own)) return own;
    const model_ = schemaFor(model);
    return fallbackDescription(model_.goName, field, Object.keys(model_.properties));
  }
  return field === 'metadata' && schema.type === 'object' && schema.model === 'V1ObjectMeta' ? OBJECT_META_DESCRIPTION : undefined;
}
