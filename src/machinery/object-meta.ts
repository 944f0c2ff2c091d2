/**
 * ObjectMeta validation as upstream's k8s.io/apimachinery/pkg/api/validation/objectmeta.go does it.
 *
 * Inputs are untrusted decoded JSON (`unknown`), so each validator also reports wrong types as
 * TypeInvalid. Outputs are FieldErrors at paths under the given FieldPath (usually `metadata`),
 * all problems at once, in a deterministic order (map keys sorted, since Go's order is random).
 */
import type { FieldError, FieldPath } from './errors.js';
import {
  isQualifiedName,
  isValidLabelValue,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  nameIsPathSegment,
  type NameValidator,
} from './names.js';

export const TOTAL_ANNOTATION_SIZE_LIMIT_BYTES = 256 * 1024;
export const FIELD_IMMUTABLE_ERROR_MSG = 'field is immutable';
export const FINALIZER_ORPHAN_DEPENDENTS = 'orphan';
export const FINALIZER_DELETE_DEPENDENTS = 'foregroundDeletion';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A map of string to string, or errors saying why not. `undefined`/`null` count as empty. */
function stringMap(v: unknown, fld: FieldPath, errs: FieldError[]): Record<string, string> {
  if (v === undefined || v === null) return {};
  if (!isDict(v)) {
    errs.push({ type: 'TypeInvalid', field: fld.text, value: v, detail: 'must be a map of string to string' });
    return {};
  }
  const out: Record<string, string> = {};
  for (const k of Object.keys(v).sort()) {
    const val = v[k];
    if (typeof val === 'string') out[k] = val;
    else errs.push({ type: 'TypeInvalid', field: fld.key(k).text, value: val, detail: 'must be a string' });
  }
  return out;
}

/** Upstream metav1validation.ValidateLabels: qualified-name keys, label values. */
export function validateLabels(labels: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const map = stringMap(labels, fld, errs);
  for (const [k, v] of Object.entries(map)) {
    for (const m of isQualifiedName(k)) errs.push({ type: 'Invalid', field: fld.text, value: k, detail: m });
    for (const m of isValidLabelValue(v)) errs.push({ type: 'Invalid', field: fld.text, value: v, detail: m });
  }
  return errs;
}

/** Upstream ValidateAnnotations: keys are qualified names ignoring case; keys+values at most 256 KiB. */
export function validateAnnotations(annotations: unknown, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const map = stringMap(annotations, fld, errs);
  let total = 0;
  for (const [k, v] of Object.entries(map)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push({ type: 'Invalid', field: fld.text, value: k, detail: m });
    total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT_BYTES) {
    errs.push({ type: 'TooLong', field: fld.text, detail: `may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT_BYTES} bytes` });
  }
  return errs;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Upstream ValidateOwnerReferences: required fields, Event may not own, at most one controller. */
export function validateOwnerReferences(refs: unknown, fld: FieldPath): FieldError[] {
  if (refs === undefined || refs === null) return [];
  if (!Array.isArray(refs)) return [{ type: 'TypeInvalid', field: fld.text, value: refs, detail: 'must be a list' }];
  const errs: FieldError[] = [];
  let firstController = '';
  refs.forEach((ref: unknown, i) => {
    if (!isDict(ref)) {
      errs.push({ type: 'TypeInvalid', field: fld.index(i).text, value: ref, detail: 'must be an object' });
      return;
    }
    const apiVersion = str(ref.apiVersion);
    const kind = str(ref.kind);
    const slash = apiVersion.lastIndexOf('/');
    const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
    const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
    // Upstream validates each reference at the list's path, not an indexed one.
    if (!version) errs.push({ type: 'Invalid', field: fld.child('apiVersion').text, value: apiVersion, detail: 'version must not be empty' });
    if (!kind) errs.push({ type: 'Invalid', field: fld.child('kind').text, value: kind, detail: 'must not be empty' });
    if (!str(ref.name)) errs.push({ type: 'Invalid', field: fld.child('name').text, value: str(ref.name), detail: 'must not be empty' });
    if (!str(ref.uid)) errs.push({ type: 'Invalid', field: fld.child('uid').text, value: str(ref.uid), detail: 'must not be empty' });
    if (group === '' && version === 'v1' && kind === 'Event') {
      errs.push({ type: 'Invalid', field: fld.text, value: ref, detail: '/v1, Kind=Event is disallowed from being an owner' });
    }
    if (ref.controller === true) {
      const current = `${kind}/${str(ref.name)}`;
      if (firstController) {
        errs.push({
          type: 'Invalid',
          field: fld.text,
          value: refs,
          detail: `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
        });
      } else {
        firstController = current;
      }
    }
  });
  return errs;
}

function stringList(v: unknown, fld: FieldPath, errs: FieldError[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    errs.push({ type: 'TypeInvalid', field: fld.text, value: v, detail: 'must be a list of strings' });
    return [];
  }
  const out: string[] = [];
  v.forEach((s: unknown, i) => {
    if (typeof s === 'string') out.push(s);
    else errs.push({ type: 'TypeInvalid', field: fld.index(i).text, value: s, detail: 'must be a string' });
  });
  return out;
}

/** Unqualified finalizer names that built-in kinds accept (core's standardFinalizers). */
export const STANDARD_FINALIZERS: ReadonlySet<string> = new Set(['kubernetes', FINALIZER_ORPHAN_DEPENDENTS, FINALIZER_DELETE_DEPENDENTS]);

/**
 * Upstream ValidateFinalizers: qualified names, not both orphan and foregroundDeletion; for built-in
 * kinds (`strictNames`, core's validateKubeFinalizerName) an unqualified name must be a standard one.
 * Duplicates are accepted, as upstream accepts them (rejecting them broke existing controllers).
 */
export function validateFinalizers(finalizers: unknown, fld: FieldPath, strictNames = true): FieldError[] {
  const errs: FieldError[] = [];
  const list = stringList(finalizers, fld, errs);
  list.forEach((f, i) => {
    for (const m of isQualifiedName(f)) errs.push({ type: 'Invalid', field: fld.text, value: f, detail: m });
    if (strictNames && !f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push({ type: 'Invalid', field: fld.index(i).text, value: f, detail: 'name is neither a standard finalizer name nor is it fully qualified' });
    }
  });
  if (list.includes(FINALIZER_ORPHAN_DEPENDENTS) && list.includes(FINALIZER_DELETE_DEPENDENTS)) {
    errs.push({
      type: 'Invalid',
      field: fld.text,
      value: list,
      detail: `finalizer ${FINALIZER_ORPHAN_DEPENDENTS} and ${FINALIZER_DELETE_DEPENDENTS} cannot be both set`,
    });
  }
  return errs;
}

/**
 * The warnings custom resources get instead of the strict check (upstream's WarningsOnCreate/Update):
 * `metadata.finalizers: "x": prefer a domain-qualified finalizer name ...`. On update pass the old
 * list so only newly added names warn.
 */
export function finalizerWarnings(finalizers: unknown, oldFinalizers: unknown = []): string[] {
  const old = new Set(Array.isArray(oldFinalizers) ? oldFinalizers : []);
  const list = Array.isArray(finalizers) ? finalizers.filter((f): f is string => typeof f === 'string') : [];
  return list
    .filter((f) => !old.has(f) && !f.includes('/') && !STANDARD_FINALIZERS.has(f) && isQualifiedName(f).length === 0)
    .map((f) => `metadata.finalizers: ${JSON.stringify(f)}: prefer a domain-qualified finalizer name to avoid accidental conflicts with other finalizer writers`);
}

/** How a kind's names are checked and whether it lives in a namespace. */
export interface ObjectMetaRules {
  namespaced: boolean;
  nameRule?: 'subdomain' | 'label' | 'path-segment';
  /** Custom resources skip core's strict finalizer-name check (they get finalizerWarnings instead). */
  customResource?: boolean;
}

// A function, not a table: names.ts re-exports this module, so its values are not ready at load time.
function nameValidator(rule: ObjectMetaRules['nameRule']): NameValidator {
  if (rule === 'label') return nameIsDNSLabel;
  if (rule === 'path-segment') return nameIsPathSegment;
  return nameIsDNSSubdomain;
}

/** Upstream ValidateObjectMeta (create): names, namespace, generation, labels, annotations, owners, finalizers. */
export function validateObjectMetaBasics(meta: unknown, rules: ObjectMetaRules, fld: FieldPath): FieldError[] {
  if (!isDict(meta)) return [{ type: 'TypeInvalid', field: fld.text, value: meta, detail: 'must be an object' }];
  const errs: FieldError[] = [];
  const nameFn = nameValidator(rules.nameRule);
  for (const key of ['name', 'generateName', 'namespace'] as const) {
    const v = meta[key];
    if (v !== undefined && v !== null && typeof v !== 'string') {
      errs.push({ type: 'TypeInvalid', field: fld.child(key).text, value: v, detail: 'must be a string' });
    }
  }
  const name = str(meta.name);
  const generateName = str(meta.generateName);
  const namespace = str(meta.namespace);
  if (generateName) {
    for (const m of nameFn(generateName, true)) errs.push({ type: 'Invalid', field: fld.child('generateName').text, value: generateName, detail: m });
  }
  if (!name) {
    if (!generateName) errs.push({ type: 'Required', field: fld.child('name').text, detail: 'name or generateName is required' });
  } else {
    for (const m of nameFn(name, false)) errs.push({ type: 'Invalid', field: fld.child('name').text, value: name, detail: m });
  }
  if (rules.namespaced) {
    if (!namespace) errs.push({ type: 'Required', field: fld.child('namespace').text });
    else for (const m of nameIsDNSLabel(namespace, false)) errs.push({ type: 'Invalid', field: fld.child('namespace').text, value: namespace, detail: m });
  } else if (namespace) {
    errs.push({ type: 'Forbidden', field: fld.child('namespace').text, detail: 'not allowed on this type' });
  }
  const generation = meta.generation;
  if (generation !== undefined && generation !== null) {
    if (typeof generation !== 'number' || !Number.isInteger(generation)) {
      errs.push({ type: 'TypeInvalid', field: fld.child('generation').text, value: generation, detail: 'must be an integer' });
    } else if (generation < 0) {
      errs.push({ type: 'Invalid', field: fld.child('generation').text, value: generation, detail: 'must be greater than or equal to 0' });
    }
  }
  errs.push(...validateLabels(meta.labels, fld.child('labels')));
  errs.push(...validateAnnotations(meta.annotations, fld.child('annotations')));
  errs.push(...validateOwnerReferences(meta.ownerReferences, fld.child('ownerReferences')));
  errs.push(...validateFinalizers(meta.finalizers, fld.child('finalizers'), !rules.customResource));
  return errs;
}

function sameValue(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown => (v === null || v === '' ? undefined : v);
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/** Go's %#v of a []string, as upstream prints new finalizers: `[]string{"a", "b"}`. */
const goStringSlice = (xs: string[]): string => `[]string{${xs.map((x) => JSON.stringify(x)).join(', ')}}`;

const DELETION_FIELD_MSG = 'field is immutable; may only be changed via deletion';
const isSet = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

/**
 * Upstream ValidateObjectMetaUpdate (with rest.BeforeUpdate's copying): resourceVersion present,
 * generation not decremented, name/namespace/uid immutable, deletion fields only set by deletion,
 * no new finalizers while deleting, plus the label/annotation/owner/finalizer checks.
 *
 * Like upstream it MUTATES `newMeta` where it silently keeps old values: creationTimestamp always,
 * deletionTimestamp once set, deletionGracePeriodSeconds when the update drops it, uid when empty.
 */
export function validateObjectMetaUpdate(newMeta: unknown, oldMeta: unknown, fld: FieldPath, rules: { customResource?: boolean } = {}): FieldError[] {
  if (!isDict(newMeta)) return [{ type: 'TypeInvalid', field: fld.text, value: newMeta, detail: 'must be an object' }];
  const old = isDict(oldMeta) ? oldMeta : {};
  const errs: FieldError[] = [];
  const keep = (key: string): void => {
    if (isSet(old[key])) newMeta[key] = old[key];
    else delete newMeta[key];
  };
  keep('creationTimestamp');
  if (!isSet(newMeta.uid)) keep('uid');
  const newGrace = newMeta.deletionGracePeriodSeconds;
  if (isSet(newGrace) && (!isSet(old.deletionGracePeriodSeconds) || newGrace !== old.deletionGracePeriodSeconds)) {
    errs.push({ type: 'Invalid', field: fld.child('deletionGracePeriodSeconds').text, value: newGrace, detail: DELETION_FIELD_MSG });
  } else if (!isSet(newGrace) && isSet(old.deletionGracePeriodSeconds)) {
    keep('deletionGracePeriodSeconds');
  }
  if (isSet(old.deletionTimestamp)) keep('deletionTimestamp');
  else if (isSet(newMeta.deletionTimestamp)) {
    errs.push({ type: 'Invalid', field: fld.child('deletionTimestamp').text, value: newMeta.deletionTimestamp, detail: DELETION_FIELD_MSG });
  }
  if (isSet(old.deletionTimestamp)) {
    const oldSet = new Set(stringList(old.finalizers, fld.child('finalizers'), []));
    const added = [...new Set(stringList(newMeta.finalizers, fld.child('finalizers'), []))].filter((f) => !oldSet.has(f)).sort();
    if (added.length > 0) {
      errs.push({
        type: 'Forbidden',
        field: fld.child('finalizers').text,
        detail: `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice(added)}`,
      });
    }
  }
  if (!str(newMeta.resourceVersion)) {
    errs.push({ type: 'Invalid', field: fld.child('resourceVersion').text, value: str(newMeta.resourceVersion), detail: 'must be specified for an update' });
  }
  const newGen = typeof newMeta.generation === 'number' ? newMeta.generation : 0;
  const oldGen = typeof old.generation === 'number' ? old.generation : 0;
  if (newGen < oldGen) errs.push({ type: 'Invalid', field: fld.child('generation').text, value: newGen, detail: 'must not be decremented' });
  for (const key of ['name', 'namespace', 'uid']) {
    if (!sameValue(newMeta[key], old[key])) {
      errs.push({ type: 'Invalid', field: fld.child(key).text, value: newMeta[key] ?? '', detail: FIELD_IMMUTABLE_ERROR_MSG });
    }
  }
  errs.push(...validateLabels(newMeta.labels, fld.child('labels')));
  errs.push(...validateAnnotations(newMeta.annotations, fld.child('annotations')));
  errs.push(...validateOwnerReferences(newMeta.ownerReferences, fld.child('ownerReferences')));
  errs.push(...validateFinalizers(newMeta.finalizers, fld.child('finalizers'), !rules.customResource));
  return errs;
}
