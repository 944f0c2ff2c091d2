/**
 * Server-side apply's first step upstream: converting the applied configuration to the kind's typed
 * schema. A field the schema does not declare fails that conversion, whatever fieldValidation says,
 * with a plain (reason-less) 500 whose text kubectl prints as `Error from server: failed to create
 * typed patch object (<ns>/<name>; <group>/<version>, Kind=<Kind>): .metadata.bogus: field not declared
 * in schema`. Input: the kind definition and the applied object; throws that StatusError or returns.
 * Kinds without a built-in model (custom resources) are left to their own schema handling.
 */
import { checkTypes } from '../../api/decode.js';
import { hasModel } from '../../api/schema.js';
import type { KindDefinition, KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';

export function assertApplyConfigurationTyped(def: KindDefinition, applied: KubeObject): void {
  if (def.checkTypes || !hasModel(def.model)) return;
  const { unknownFields } = checkTypes(def.model, structuredClone(applied), { strict: true });
  if (unknownFields.length === 0) return;
  const errors = unknownFields.map((f) => `.${f}: field not declared in schema`);
  const text = errors.length === 1 ? errors[0]! : ['errors:', ...errors.map((e) => `  ${e}`)].join('\n');
  const r = def.resource;
  const meta = applied.metadata ?? {};
  const err = new StatusError('InternalError', `failed to create typed patch object (${meta.namespace ?? ''}/${meta.name ?? ''}; ${r.group}/${r.version}, Kind=${r.kind}): ${text}`);
  // Upstream's error is not a Status: the apiserver answers code 500 without a reason.
  delete err.status.reason;
  throw err;
}
