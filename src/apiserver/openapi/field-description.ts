/**
 * The description a model's field carries in the OpenAPI documents (v2 and v3), as upstream's.
 *
 * client-node replaces the description of fields typed IntOrString, MicroTime (and a few other named
 * types) by the type's own description, so kubectl explain printed the type's text twice and never the
 * field's. Here such a field gets upstream's own field description from kubernetes-types, or none (the
 * referenced named component still supplies the type's). `metadata` fields get upstream's ObjectMeta
 * text, which client-node drops. Line and paragraph breaks are upstream's where kubernetes-types has
 * the same text (upstream-docs.ts).
 *
 * Input: model name, field name, the field's schema. Output: the description, or undefined.
 */
import { schemaFor, type Schema } from '../../api/schema.js';
import { docsFor } from '../../api/schema-docs.js';
import { fallbackDescription } from '../../api/schema-docs-fallback.js';
import { OBJECT_META_DESCRIPTION } from './names.js';
import { isTypeDescription, scalarTypeName, untypedFieldType } from './named-types.js';
import { withUpstreamBreaks } from './upstream-docs.js';

/** The named type a field's values are of (through arrays and maps), if any. */
export function namedTypeOf(model: string, field: string, schema: Schema): string | undefined {
  let s = schema;
  while (s.type === 'array' || s.type === 'map') s = s.type === 'array' ? s.items : s.values;
  return scalarTypeName(s) ?? (s.type === 'any' ? untypedFieldType(model, field) : undefined);
}

export function fieldDescription(model: string, field: string, schema: Schema): string | undefined {
  const own = docsFor(model).fields[field]?.description;
  if (!own) return field === 'metadata' && schema.type === 'object' && schema.model === 'V1ObjectMeta' ? OBJECT_META_DESCRIPTION : undefined;
  const { goName, properties } = schemaFor(model);
  const named = namedTypeOf(model, field, schema);
  const text = named && isTypeDescription(named, own) ? fallbackDescription(goName, field, Object.keys(properties)) : own;
  return text === undefined ? undefined : withUpstreamBreaks(goName, field, text);
}

/** A model's own description (its component's), with upstream's line breaks. */
export function modelDescription(model: string): string | undefined {
  const own = docsFor(model).description;
  return own === undefined ? undefined : withUpstreamBreaks(schemaFor(model).goName, undefined, own);
}
