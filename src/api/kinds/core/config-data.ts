/**
 * Rules shared by ConfigMap and Secret data: valid keys, and the 1 MiB total size limit
 * (upstream MaxSecretSize / MaxConfigMapSize).
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { deepEqual } from './pod-validation.js';
import { asObj, configMapKeyErrors, forbidden, invalid } from './validation-helpers.js';

export const MAX_DATA_SIZE = 1024 * 1024;

/** Invalid keys of a data map, reported at `<fld>[key]`. */
export function checkDataKeys(data: unknown, fld: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of Object.keys(asObj(data) ?? {})) {
    for (const m of configMapKeyErrors(key)) errs.push(invalid(`${fld}[${key}]`, key, m));
  }
  return errs;
}

/** Bytes of a base64 value once decoded. */
export function decodedLength(b64: string): number {
  const clean = b64.replace(/[\r\n]/g, '');
  const pad = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.floor((clean.length * 3) / 4) - pad;
}

/** `immutable: true` freezes data (and the flag itself): ValidateConfigMapUpdate / ValidateSecretUpdate. */
export function checkImmutableData(obj: KubeObject, old: KubeObject, dataFields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (obj.immutable !== true) errs.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of dataFields) {
    if (!deepEqual(obj[f] ?? {}, old[f] ?? {})) errs.push(forbidden(f, 'field is immutable when `immutable` is set'));
  }
  return errs;
}
