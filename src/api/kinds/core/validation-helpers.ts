/**
 * Small validation building blocks shared by the core/v1 kinds, mirroring helpers of upstream's
 * pkg/apis/core/validation and apimachinery's util/validation: enum checks, number ranges, port
 * names, env var names, resource quantities. Each returns FieldErrors (never throws).
 */
import type { FieldError } from '../../../machinery/errors.js';
import { parseQuantity } from '../../quantity.js';
import {
  isConfigMapKey, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPortName, isValidPortNum,
} from '../../../machinery/names.js';

export type Obj = Record<string, unknown>;

export function asObj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}
export function asArray(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function asString(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function required(field: string, detail?: string): FieldError {
  return detail ? { type: 'Required', field, detail } : { type: 'Required', field };
}
export function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: 'Invalid', field, value, detail };
}
export function forbidden(field: string, detail: string): FieldError {
  return { type: 'Forbidden', field, detail };
}

/** field.NotSupported: `Unsupported value: "x": supported values: "A", "B"`. */
export function checkEnum(field: string, value: unknown, allowed: readonly string[]): FieldError[] {
  if (typeof value === 'string' && allowed.includes(value)) return [];
  return [{ type: 'NotSupported', field, value, detail: `supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}` }];
}

/** Runs a name check returning messages (apimachinery style) and turns each into an Invalid error. */
export function checkName(field: string, value: string, check: (v: string) => string[]): FieldError[] {
  return check(value).map((msg) => invalid(field, value, msg));
}
export const checkDNSLabel = (field: string, v: string): FieldError[] => checkName(field, v, isDNS1123Label);
export const checkDNSSubdomain = (field: string, v: string): FieldError[] => checkName(field, v, isDNS1123Subdomain);
export const checkQualifiedName = (field: string, v: string): FieldError[] => checkName(field, v, isQualifiedName);

/** ValidateNonnegativeField. */
export function checkNonNegative(field: string, value: unknown): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(field, value, 'must be greater than or equal to 0')] : [];
}

/** IsValidPortNum: 1..65535. */
export const portNumErrors = isValidPortNum;
export function checkPortNum(field: string, port: unknown): FieldError[] {
  return typeof port === 'number' ? portNumErrors(port).map((m) => invalid(field, port, m)) : [];
}

/** IsValidPortName (IANA_SVC_NAME). */
export const portNameErrors = isValidPortName;

/** Environment variable names (RelaxedEnvironmentVariableValidation, on by default since 1.32). */
export function envVarNameErrors(name: string): string[] {
  if (name.length === 0 || name.includes('=') || !/^[\x20-\x7e]+$/.test(name)) {
    return ["a valid environment variable name must consist only of printable ASCII characters other than '='"];
  }
  return [];
}

/** IsConfigMapKey: keys of ConfigMap/Secret data. */
export const configMapKeyErrors = isConfigMapKey;

const QUANTITY_MULTIPLIER: Record<string, number> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};
const SIMPLE_QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

/** The numeric value of a quantity (approximate: float, for comparisons), or undefined when it does not parse. */
export function quantityValue(q: unknown): number | undefined {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return undefined;
  const m = SIMPLE_QUANTITY.exec(q);
  if (m) return Number(m[1]) * QUANTITY_MULTIPLIER[m[2] ?? ''];
  const parsed = parseQuantity(q.trim()); // exponent forms and surrounding spaces
  return parsed ? Number(parsed.nanos) / 1e9 : undefined;
}

export const QUANTITY_PATTERN_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

/** ValidateResourceRequirements: names, non-negative values, requests <= limits. */
export function checkResourceRequirements(res: Obj | undefined, fld: string): FieldError[] {
  if (!res) return [];
  const errs: FieldError[] = [];
  const limits = asObj(res.limits) ?? {};
  const requests = asObj(res.requests) ?? {};
  for (const [kind, list] of [['limits', limits], ['requests', requests]] as const) {
    for (const [name, q] of Object.entries(list)) {
      const f = `${fld}.${kind}[${name}]`;
      if (!STANDARD_CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-') && !name.includes('/')) {
        errs.push(invalid(f, name, 'must be a standard resource type or fully qualified'));
        continue;
      }
      const v = quantityValue(q);
      if (v === undefined) errs.push(invalid(f, q, QUANTITY_PATTERN_MESSAGE));
      else if (v < 0) errs.push(invalid(f, q, 'must be greater than or equal to 0'));
    }
  }
  for (const [name, q] of Object.entries(requests)) {
    const lim = limits[name];
    if (lim === undefined) continue;
    const rv = quantityValue(q);
    const lv = quantityValue(lim);
    if (rv !== undefined && lv !== undefined && rv > lv) {
      errs.push(invalid(`${fld}.requests[${name}]`, String(q), `must be less than or equal to ${name} limit of ${String(lim)}`));
    }
  }
  return errs;
}

/** Validates a label map's keys (qualified names) and values, as ValidateLabels. */
export function checkLabelMap(labels: unknown, fld: string): FieldError[] {
  const m = asObj(labels);
  if (!m) return [];
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(m)) {
    errs.push(...checkQualifiedName(fld, k));
    const value = asString(v);
    for (const msg of isValidLabelValue(value)) errs.push(invalid(fld, value, msg));
  }
  return errs;
}
