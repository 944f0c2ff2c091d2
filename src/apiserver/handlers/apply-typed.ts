/**
 * Server-side apply's first step upstream: converting the applied configuration to the kind's typed
 * schema. A field the schema does not declare fails that conversion, whatever fieldValidation says,
 * with a plain (reason-less) 500 whose text kubectl prints as `Error from server: failed to create
 * typed patch object (<ns>/<name>; <group>/<version>, Kind=<Kind>): .metadata.bogus: field not declared
 * in schema`. Paths are structured-merge-diff's: associative list items by key
 * (`.spec.template.spec.containers[name="c"].bogus`), other list items by index.
 * Input: the kind definition and the applied object; throws that StatusError or returns.
 * Kinds without a built-in model (custom resources) are left to their own schema handling.
 */
import { checkTypes } from '../../api/decode.js';
import { patchMetaFor } from '../../api/patch-meta.js';
import { hasModel, schemaFor, type Schema } from '../../api/schema.js';
import type { KindDefinition, KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';

export function assertApplyConfigurationTyped(def: KindDefinition, applied: KubeObject): void {
  if (def.checkTypes || !hasModel(def.model)) return;
  const { unknownFields } = checkTypes(def.model, structuredClone(applied), { strict: true });
  if (unknownFields.length === 0) return;
  const errors = unknownFields.map((f) => `${fieldPath(def.model, applied, f)}: field not declared in schema`);
  const text = errors.length === 1 ? errors[0]! : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n');
  const r = def.resource;
  const meta = applied.metadata ?? {};
  const err = new StatusError('InternalError', `failed to create typed patch object (${meta.namespace ?? ''}/${meta.name ?? ''}; ${r.group}/${r.version}, Kind=${r.kind}): ${text}`);
  // Upstream's error is not a Status: the apiserver answers code 500 without a reason.
  delete err.status.reason;
  throw err;
}

/** `spec.containers[0].bogus` -> `.spec.containers[name="c"].bogus`, walking the schema and the object. */
function fieldPath(model: string, obj: unknown, path: string): string {
  let schema: Schema | undefined = schemaFor(model);
  let value: unknown = obj;
  let keys: string[] | undefined;
  let out = '';
  for (const [, name, index] of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (name !== undefined) {
      const meta = schema?.type === 'object' ? patchMetaFor(schema.model, name) : undefined;
      keys = meta?.listMapKeys ?? (meta?.mergeKey ? [meta.mergeKey] : undefined);
      schema = schema?.type === 'object' ? schema.properties[name] : schema?.type === 'map' ? schema.values : undefined;
      value = isRecord(value) ? value[name] : undefined;
      out += `.${name}`;
    } else {
      const item: unknown = Array.isArray(value) ? value[Number(index)] : undefined;
      const itemRecord = isRecord(item) ? item : undefined;
      const present = keys && itemRecord ? [...keys].sort().filter((k) => itemRecord[k] !== undefined) : [];
      out += present.length ? `[${present.map((k) => `${k}=${JSON.stringify(itemRecord![k])}`).join(',')}]` : `[${index}]`;
      schema = schema?.type === 'array' ? schema.items : undefined;
      value = item;
      keys = undefined;
    }
  }
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
