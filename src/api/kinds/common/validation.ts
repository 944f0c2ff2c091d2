/**
 * Validation building blocks shared by the non-core kinds (apps, batch, networking, policy, ...):
 * upstream's apimachinery/pkg/api/validation and util/validation checks that every kind's
 * Validate<Kind> leans on. Each returns FieldError[] (empty when valid) with the field path given.
 *
 * Inputs are plain JSON values (already type-checked against the schema by the decoder); outputs
 * carry upstream's exact messages so API clients see the same text as from kube-apiserver.
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { FieldPath } from '../../../machinery/errors.js';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../../machinery/names.js';

export const STANDARD_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Name checks come from machinery/names.ts (upstream util/validation), re-exported under the names used here. */
export const dns1123LabelErrors = isDNS1123Label;
export const dns1123SubdomainErrors = isDNS1123Subdomain;
export const qualifiedNameErrors = isQualifiedName;
export const labelValueErrors = isValidLabelValue;

/** Each message as an Invalid error at fld with value v. */
export function invalidEach(fld: FieldPath, v: unknown, msgs: string[]): FieldError[] {
  return msgs.map((detail) => ({ type: 'Invalid', field: fld.text, value: v, detail }));
}

/** upstream ValidateLabels (metav1validation): keys qualified names, values label values. */
export function validateLabels(labels: Record<string, string> | undefined, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...invalidEach(fld, k, qualifiedNameErrors(k)));
    errs.push(...invalidEach(fld, v, labelValueErrors(v)));
  }
  return errs;
}

/** upstream ValidateNonnegativeField. */
export function nonNegative(v: number | undefined | null, fld: FieldPath): FieldError[] {
  if (typeof v === 'number' && v < 0) return [{ type: 'Invalid', field: fld.text, value: v, detail: 'must be greater than or equal to 0' }];
  return [];
}

/** upstream ValidatePositiveField (strictly > 0). */
export function positive(v: number | undefined | null, fld: FieldPath): FieldError[] {
  if (typeof v === 'number' && v <= 0) return [{ type: 'Invalid', field: fld.text, value: v, detail: 'must be greater than zero' }];
  return [];
}

export function required(fld: FieldPath, detail = ''): FieldError {
  return { type: 'Required', field: fld.text, ...(detail ? { detail } : {}) };
}

export function notSupported(fld: FieldPath, value: unknown, supported: string[]): FieldError {
  return { type: 'NotSupported', field: fld.text, value, detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` };
}

export function invalidValue(fld: FieldPath, value: unknown, detail: string): FieldError {
  return { type: 'Invalid', field: fld.text, value, detail };
}

export function forbidden(fld: FieldPath, detail: string): FieldError {
  return { type: 'Forbidden', field: fld.text, detail };
}

/** Structural equality of JSON values (upstream apiequality.Semantic.DeepEqual for plain data). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra).filter((k) => ra[k] !== undefined);
  const kb = Object.keys(rb).filter((k) => rb[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => deepEqual(ra[k], rb[k]));
}

/** upstream ValidateImmutableField: `field is immutable` when the value changed. */
export function immutable(now: unknown, old: unknown, fld: FieldPath): FieldError[] {
  return deepEqual(now, old) ? [] : [{ type: 'Invalid', field: fld.text, value: now, detail: 'field is immutable' }];
}

const PERCENT = /^[0-9]+%$/;

/** upstream ValidatePositiveIntOrPercent: a non-negative integer or a `N%` string. */
export function positiveIntOrPercent(v: number | string | undefined, fld: FieldPath): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') {
    if (PERCENT.test(v)) return [];
    return [invalidValue(fld, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  }
  return nonNegative(v, fld);
}

/** The number an int-or-percent holds (upstream getIntOrPercentValue): 25 for both 25 and "25%". */
export function intOrPercentValue(v: number | string | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && PERCENT.test(v)) return Number(v.slice(0, -1));
  return 0;
}

/** upstream IsNotMoreThan100Percent. */
export function notMoreThan100Percent(v: number | string | undefined, fld: FieldPath): FieldError[] {
  if (typeof v !== 'string' || !PERCENT.test(v)) return [];
  return intOrPercentValue(v) > 100 ? [invalidValue(fld, v, 'must not be greater than 100%')] : [];
}
