/**
 * Validation of custom objects against a CRD version's openAPIV3Schema, with upstream's messages
 * (kube-openapi's validator as converted by apiextensions-apiserver's kubeOpenAPIResultToFieldErrors):
 *
 *   spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"
 *   spec.foo: Required value
 *   spec.mode: Unsupported value: "x": supported values: "a", "b"
 *
 * Input: the (already pruned and defaulted) object, the schema. Output: every problem as FieldErrors.
 * Also x-kubernetes-list-type set/map uniqueness and x-kubernetes-embedded-resource checks.
 */
import { isDeepStrictEqual } from 'node:util';
import type { FieldError } from '../../machinery/errors.js';
import { validateObjectMetaBasics } from '../../machinery/object-meta.js';
import { path as fieldPath } from '../../machinery/errors.js';
import { checkFormat } from './formats.js';
import type { JSONSchemaProps } from './types.js';

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The JSON type name kube-openapi reports for a value. */
export function jsonTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'boolean') return 'boolean';
  return typeof v;
}

function childPath(p: string, key: string): string {
  return p ? `${p}.${key}` : key;
}

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case 'object': return isDict(v);
    case 'array': return Array.isArray(v);
    case 'string': return typeof v === 'string';
    case 'integer': return typeof v === 'number' && Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    default: return true;
  }
}

function quoteValue(v: unknown): string {
  return JSON.stringify(typeof v === 'string' ? v : JSON.stringify(v));
}

/** Go's %v of a float64 bound: integers without a fraction. */
const num = (n: number): string => String(n);

/** Validates `value` at `p` (dotted path, `[i]` for items) against `schema`; appends to `errs`. */
export function validateAgainstSchema(schema: JSONSchemaProps, value: unknown, p: string, errs: FieldError[], root = true): void {
  const name = p || '.';
  if (value === null || value === undefined) {
    if (schema.nullable || (!schema.type && !schema['x-kubernetes-int-or-string'])) return;
    const type = schema['x-kubernetes-int-or-string'] ? 'integer,string' : schema.type!;
    errs.push({ type: 'TypeInvalid', field: p, value: 'null', detail: `${name} in body must be of type ${type}: "null"` });
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value)))) {
      errs.push({ type: 'TypeInvalid', field: p, value: jsonTypeName(value), detail: `${name} in body must be of type integer,string: ${JSON.stringify(jsonTypeName(value))}` });
      return;
    }
  } else if (schema.type && !typeMatches(schema.type, value)) {
    errs.push({ type: 'TypeInvalid', field: p, value: jsonTypeName(value), detail: `${name} in body must be of type ${schema.type}: ${JSON.stringify(jsonTypeName(value))}` });
    return;
  }
  if (schema.enum && !schema.enum.some((e) => isDeepStrictEqual(e, value))) {
    const values = schema.enum.map((e) => quoteValue(e)).join(', ');
    errs.push({ type: 'NotSupported', field: p, value, detail: `supported values: ${values}` });
  }
  if (typeof value === 'string') validateString(schema, value, p, name, errs);
  if (typeof value === 'number') validateNumber(schema, value, p, name, errs);
  if (Array.isArray(value)) validateArray(schema, value, p, name, errs);
  if (isDict(value)) validateObject(schema, value, p, name, errs, root);
  validateJunctors(schema, value, p, name, errs);
}

function validateString(s: JSONSchemaProps, v: string, p: string, name: string, errs: FieldError[]): void {
  const length = [...v].length;
  if (s.maxLength !== undefined && length > s.maxLength) {
    errs.push({ type: 'TooLong', field: p, value: v, detail: `may not be more than ${s.maxLength} bytes` });
  }
  if (s.minLength !== undefined && length < s.minLength) {
    errs.push({ type: 'Invalid', field: p, value: v, detail: `${name} in body should be at least ${s.minLength} chars long` });
  }
  if (s.pattern !== undefined && !patternMatches(s.pattern, v)) {
    errs.push({ type: 'Invalid', field: p, value: v, detail: `${name} in body should match '${s.pattern}'` });
  }
  if (s.format && !checkFormat(s.format, v)) {
    errs.push({ type: 'TypeInvalid', field: p, value: v, detail: `${name} in body must be of type ${s.format}: ${JSON.stringify(v)}` });
  }
}

const patterns = new Map<string, RegExp | null>();
function patternMatches(pattern: string, v: string): boolean {
  let re = patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    patterns.set(pattern, re);
  }
  return re ? re.test(v) : true;
}

function validateNumber(s: JSONSchemaProps, v: number, p: string, name: string, errs: FieldError[]): void {
  if (s.maximum !== undefined && (s.exclusiveMaximum ? v >= s.maximum : v > s.maximum)) {
    errs.push({ type: 'Invalid', field: p, value: v, detail: `${name} in body should be less than ${s.exclusiveMaximum ? '' : 'or equal to '}${num(s.maximum)}` });
  }
  if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum)) {
    errs.push({ type: 'Invalid', field: p, value: v, detail: `${name} in body should be greater than ${s.exclusiveMinimum ? '' : 'or equal to '}${num(s.minimum)}` });
  }
  if (s.multipleOf !== undefined && s.multipleOf > 0 && !Number.isInteger(v / s.multipleOf)) {
    errs.push({ type: 'Invalid', field: p, value: v, detail: `${name} in body should be a multiple of ${num(s.multipleOf)}` });
  }
  if (s.type === 'integer' && s.format === 'int32' && (v > 2147483647 || v < -2147483648)) {
    errs.push({ type: 'Invalid', field: p, value: v, detail: `${name} in body should be ${v > 0 ? 'less than or equal to 2147483647' : 'greater than or equal to -2147483648'}` });
  }
}

function validateArray(s: JSONSchemaProps, v: unknown[], p: string, name: string, errs: FieldError[]): void {
  if (s.maxItems !== undefined && v.length > s.maxItems) {
    errs.push({ type: 'TooMany', field: p, detail: `${v.length}: must have at most ${s.maxItems} items` });
  }
  if (s.minItems !== undefined && v.length < s.minItems) {
    errs.push({ type: 'Invalid', field: p, value: v.length, detail: `${name} in body should have at least ${s.minItems} items` });
  }
  if (s.uniqueItems && v.some((x, i) => v.findIndex((y) => isDeepStrictEqual(x, y)) !== i)) {
    errs.push({ type: 'Invalid', field: p, value: '', detail: `${name} in body shouldn't contain duplicates` });
  }
  const items = Array.isArray(s.items) ? undefined : s.items;
  if (items) v.forEach((item, i) => validateAgainstSchema(items, item, `${p}[${i}]`, errs, false));
  validateListType(s, v, p, errs);
}

/** x-kubernetes-list-type set: no duplicate items; map: no two items with the same keys. */
function validateListType(s: JSONSchemaProps, v: unknown[], p: string, errs: FieldError[]): void {
  const listType = s['x-kubernetes-list-type'];
  if (listType === 'set') {
    v.forEach((x, i) => {
      if (v.findIndex((y) => isDeepStrictEqual(x, y)) < i) errs.push({ type: 'Duplicate', field: `${p}[${i}]`, value: x });
    });
  } else if (listType === 'map') {
    const keys = s['x-kubernetes-list-map-keys'] ?? [];
    const seen: Dict[] = [];
    v.forEach((x, i) => {
      if (!isDict(x)) return;
      const key: Dict = {};
      for (const k of keys) if (x[k] !== undefined) key[k] = x[k];
      if (seen.some((k) => isDeepStrictEqual(k, key))) errs.push({ type: 'Duplicate', field: `${p}[${i}]`, value: key });
      seen.push(key);
    });
  }
}

function validateObject(s: JSONSchemaProps, v: Dict, p: string, name: string, errs: FieldError[], root: boolean): void {
  for (const req of s.required ?? []) {
    if (v[req] === undefined) errs.push({ type: 'Required', field: childPath(p, req) });
  }
  const count = Object.keys(v).length;
  if (s.maxProperties !== undefined && count > s.maxProperties) {
    errs.push({ type: 'TooMany', field: p, detail: `${count}: must have at most ${s.maxProperties} items` });
  }
  if (s.minProperties !== undefined && count < s.minProperties) {
    errs.push({ type: 'Invalid', field: p, value: count, detail: `${name} in body should have at least ${s.minProperties} properties` });
  }
  const props = s.properties ?? {};
  for (const [key, val] of Object.entries(v)) {
    if (root && key === 'metadata') {
      // The root schema may restrict metadata.name and metadata.generateName only.
      for (const f of ['name', 'generateName']) {
        const sub = props.metadata?.properties?.[f];
        if (sub && isDict(val) && val[f] !== undefined) validateAgainstSchema(sub, val[f], `metadata.${f}`, errs, false);
      }
      continue;
    }
    if (root && (key === 'apiVersion' || key === 'kind')) continue;
    const sub = props[key] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
    if (sub) validateAgainstSchema(sub, val, childPath(p, key), errs, false);
  }
  if (s['x-kubernetes-embedded-resource']) validateEmbedded(v, p, errs);
}

/** An embedded object must carry apiVersion and kind; its metadata is validated like ObjectMeta. */
function validateEmbedded(v: Dict, p: string, errs: FieldError[]): void {
  if (typeof v.apiVersion !== 'string' || !v.apiVersion) errs.push({ type: 'Required', field: childPath(p, 'apiVersion'), detail: 'must not be empty' });
  if (typeof v.kind !== 'string' || !v.kind) errs.push({ type: 'Required', field: childPath(p, 'kind'), detail: 'must not be empty' });
  if (v.metadata !== undefined) {
    const meta = isDict(v.metadata) ? { ...v.metadata } : v.metadata;
    // Embedded objects need no name (templates): validate what is there with a placeholder name.
    if (isDict(meta) && !meta.name && !meta.generateName) meta.name = 'placeholder';
    errs.push(...validateObjectMetaBasics(meta, { namespaced: true, customResource: true }, fieldPath(childPath(p, 'metadata'))).filter((e) => !e.field.endsWith('.namespace')));
  }
}

function validateJunctors(s: JSONSchemaProps, v: unknown, p: string, name: string, errs: FieldError[]): void {
  const intOrString = (alts: JSONSchemaProps[] | undefined): boolean => alts?.length === 2 && alts[0]?.type === 'integer' && alts[1]?.type === 'string';
  for (const sub of s.allOf ?? []) {
    if (intOrString(sub.anyOf)) continue;
    validateAgainstSchema(sub, v, p, errs, false);
  }
  const passes = (sub: JSONSchemaProps): boolean => {
    const e: FieldError[] = [];
    validateAgainstSchema(sub, v, p, e, false);
    return e.length === 0;
  };
  if (s.anyOf && !intOrString(s.anyOf) && !s.anyOf.some(passes)) {
    errs.push({ type: 'Invalid', field: p, value: '', detail: `${name} in body must validate at least one schema (anyOf)` });
  }
  if (s.oneOf && s.oneOf.filter(passes).length !== 1) {
    errs.push({ type: 'Invalid', field: p, value: '', detail: `${name} in body must validate one and only one schema (oneOf)` });
  }
  if (s.not && passes(s.not)) {
    errs.push({ type: 'Invalid', field: p, value: '', detail: `${name} in body must not validate the schema (not)` });
  }
}
