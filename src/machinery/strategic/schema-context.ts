/**
 * Where a strategic merge is in the schema: the schema of the value being merged, and for each of
 * its fields the field's schema and patch tags (from api/patch-meta). Values outside any known
 * schema (raw JSON, unknown fields) merge maps recursively and replace lists, as upstream does.
 */
import { patchMetaFor, type PatchMeta } from '../../api/patch-meta.js';
import { hasModel, schemaFor, type ObjectSchema, type Schema } from '../../api/schema.js';

export interface FieldContext {
  schema: Schema | undefined;
  meta: PatchMeta | undefined;
  /** For messages: `Model.field`. */
  name: string;
}

export function fieldOf(ctx: Schema | undefined, key: string): FieldContext {
  if (ctx?.type === 'object') return { schema: ctx.properties[key], meta: patchMetaFor(ctx.model, key), name: `${ctx.model}.${key}` };
  if (ctx?.type === 'map') return { schema: ctx.values, meta: undefined, name: key };
  return { schema: undefined, meta: undefined, name: key };
}

/** The schema of one list item. */
export function itemSchema(list: Schema | undefined): Schema | undefined {
  return list?.type === 'array' ? list.items : undefined;
}

export function strategies(meta: PatchMeta | undefined): { merge: boolean; replace: boolean; retainKeys: boolean } {
  const parts = (meta?.strategy ?? '').split(',');
  return { merge: parts.includes('merge'), replace: parts.includes('replace'), retainKeys: parts.includes('retainKeys') };
}

/**
 * The schema a merge starts from: the kind's model, or for kinds without one (custom resources) a
 * shell that knows only ObjectMeta, so everything else merges as untyped JSON (lists atomic).
 */
export function rootSchema(model: string): ObjectSchema {
  if (hasModel(model)) return schemaFor(model);
  return { type: 'object', model: '', goName: '', goPackage: '', properties: { metadata: schemaFor('V1ObjectMeta') } };
}
