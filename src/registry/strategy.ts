/**
 * The generic strategy every resource runs through (upstream's rest.RESTCreateStrategy and
 * RESTUpdateStrategy, driven by the kind's definition): type checks and pruning, defaults,
 * create/update preparation (uid, timestamps, generation, status handling) and validation.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KindDefinition, KubeObject, ObjectMeta } from '../api/types.js';
import { checkTypes, decodeError, typeErrorText } from '../api/decode.js';
import { StatusError, invalid, path, type FieldError } from '../machinery/errors.js';
import { validateObjectMetaBasics, validateObjectMetaUpdate } from '../machinery/object-meta.js';
import type { FieldValidation } from './options.js';

export function nowRfc3339(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function apiVersionOf(def: KindDefinition): string {
  return def.resource.group ? `${def.resource.group}/${def.resource.version}` : def.resource.version;
}

/** Object fields other than metadata and status: what generation tracks. */
function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

/** Puts apiVersion, kind, metadata first, as upstream serialises. */
export function normalizeOrder(def: KindDefinition, obj: KubeObject): KubeObject {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = obj;
  return { apiVersion: apiVersionOf(def), kind: def.resource.kind, metadata, ...rest };
}

/**
 * Checks the body is an object of this kind, type-checks it against the schema (pruning unknown fields)
 * and returns the warnings fieldValidation=Warn asks for. Strict turns unknown fields into a 400.
 */
export function decodeBody(def: KindDefinition, body: unknown, fieldValidation: FieldValidation, duplicateFields: string[] = []): { obj: KubeObject; warnings: string[] } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new StatusError('BadRequest', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  const obj = body as KubeObject;
  const expected = apiVersionOf(def);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw new StatusError('BadRequest', `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${expected})`);
  }
  if (obj.kind !== undefined && obj.kind !== def.resource.kind) {
    throw new StatusError('BadRequest', `the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.resource.kind})`);
  }
  const { errors, unknownFields } = def.checkTypes ? def.checkTypes(obj) : checkTypes(def.model, obj, { strict: fieldValidation === 'Strict' });
  if (errors.length > 0) throw decodeError(def.resource.kind, expected, typeErrorText({ errors, unknownFields }) ?? 'invalid object');
  const problems = [...duplicateFields.map((f) => `duplicate field "${f}"`), ...unknownFields.map((f) => `unknown field "${f}"`)];
  if (fieldValidation === 'Strict' && problems.length > 0) {
    throw new StatusError('BadRequest', `strict decoding error: ${problems.join(', ')}`);
  }
  obj.apiVersion = expected;
  obj.kind = def.resource.kind;
  obj.metadata = (obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {}) as ObjectMeta;
  return { obj, warnings: fieldValidation === 'Warn' ? problems : [] };
}

function validationErrors(def: KindDefinition, obj: KubeObject): FieldError[] {
  const errs = validateObjectMetaBasics(obj.metadata ?? {}, { namespaced: def.resource.namespaced, nameRule: def.nameRule ?? 'subdomain', customResource: def.customResource }, path('metadata'));
  return errs.concat(def.validate?.(obj) ?? []);
}

export function throwIfInvalid(def: KindDefinition, obj: KubeObject, errs: FieldError[]): void {
  if (errs.length > 0) throw invalid(def.resource.kind, def.resource.group, obj.metadata?.name ?? obj.metadata?.generateName ?? '', errs);
}

/** PrepareForCreate + defaults + validation. `obj` is owned by the caller and mutated. */
export function prepareCreate(def: KindDefinition, obj: KubeObject): KubeObject {
  const meta = obj.metadata as ObjectMeta;
  meta.uid = randomUUID();
  meta.creationTimestamp = nowRfc3339();
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (def.hasSpec) meta.generation = 1;
  else delete meta.generation;
  if (def.hasStatus && !def.keepStatusOnCreate) delete obj.status;
  def.defaults?.(obj);
  throwIfInvalid(def, obj, validationErrors(def, obj));
  return normalizeOrder(def, obj);
}

/**
 * PrepareForUpdate + defaults + validation of an update through the main resource or the status
 * subresource. Returns the object to store.
 */
export function prepareUpdate(def: KindDefinition, obj: KubeObject, old: KubeObject, subresource?: 'status'): KubeObject {
  const meta = obj.metadata as ObjectMeta;
  const oldMeta = old.metadata ?? {};
  let next: KubeObject;
  if (subresource === 'status') {
    // Only status changes through /status (plus labels/annotations upstream ignores: keep old metadata).
    next = { ...structuredClone(old), status: obj.status };
    next.metadata = { ...structuredClone(oldMeta) };
  } else {
    next = obj;
    if (def.hasStatus) {
      if (old.status === undefined) delete next.status;
      else next.status = structuredClone(old.status);
    }
    // System-owned metadata never changes through an update.
    meta.uid = oldMeta.uid;
    meta.creationTimestamp = oldMeta.creationTimestamp;
    if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
    else delete meta.deletionTimestamp;
    if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
    else delete meta.deletionGracePeriodSeconds;
    delete meta.selfLink;
    if (def.hasSpec) {
      def.defaults?.(next);
      // Custom resources without a status subresource: status is content too (upstream's CR strategy).
      const content = def.customResource && !def.hasStatus ? (o: KubeObject) => ({ ...specPart(o), status: o.status }) : specPart;
      const changed = !isDeepStrictEqual(content(next), content(old));
      meta.generation = (oldMeta.generation ?? 1) + (changed ? 1 : 0);
    } else {
      def.defaults?.(next);
      delete meta.generation;
    }
  }
  const errs = validateObjectMetaUpdate(next.metadata ?? {}, oldMeta, path('metadata'), { customResource: def.customResource });
  if (subresource === 'status') {
    errs.push(...(def.validateStatus?.(next, old) ?? []));
  } else {
    // Upstream's ValidateObjectMetaUpdate already covers labels, annotations, owners and finalizers.
    errs.push(...(def.validate?.(next) ?? []));
    errs.push(...(def.validateUpdate?.(next, old) ?? []));
  }
  throwIfInvalid(def, next, errs);
  return normalizeOrder(def, next);
}
