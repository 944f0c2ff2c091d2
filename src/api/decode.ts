/**
 * Type checking of decoded JSON against a kind's schema, as upstream's decoder (encoding/json via
 * sigs.k8s.io/json) does when the API server reads a request body.
 *
 * Input: a model name (`V1Pod`) and the parsed JSON object. Output: `{errors, unknownFields}`:
 * - errors: JSON type mismatches, each with its field path and the decoder's text in `detail`
 *   (`json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32`);
 *   the API server turns the first into a 400 with `decodeError()`.
 * - unknownFields: every field the schema does not know, as upstream's strict decoder names them
 *   (`spec.containers[0].foo`). They are deleted from the object (upstream drops them unless
 *   fieldValidation=Strict rejects the request); `unknownFieldWarning()` gives the warning text.
 *
 * The object is normalised in place: nulls are removed (Go leaves them as zero values and omits them
 * when encoding), quantities become upstream's canonical strings (`0.5` -> `500m`, ResourceLists
 * rounded up to milli). Checkers are compiled once per
 * model and reused, so a typical pod takes a few microseconds.
 */
import { StatusError, type FieldError } from '../machinery/errors.js';
import { canonicalQuantity } from './quantity.js';
import { schemaFor, type ObjectSchema, type Schema } from './schema.js';

export interface TypeCheckResult {
  errors: FieldError[];
  unknownFields: string[];
}

interface Ctx {
  errors: FieldError[];
  unknown: string[];
}

/** Checks one value; returns the value to keep (possibly converted). */
type Checker = (v: unknown, ctx: Ctx, path: string, goPath: string, owner: string) => unknown;

const compiled = new Map<Schema, Checker>();
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const INT64_LIMIT = 9223372036854775807;

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string, number, object
}

/** The Go type upstream's decoder names in its errors. */
export function goTypeOf(s: Schema): string {
  switch (s.type) {
    case 'object': return `${s.goPackage}.${s.goName}`;
    case 'array': return `[]${goTypeOf(s.items)}`;
    case 'map': return `map[string]${goTypeOf(s.values)}`;
    case 'string': return s.format === 'byte' ? '[]uint8' : s.format === 'date-time-micro' ? 'v1.MicroTime' : s.format ? 'v1.Time' : 'string';
    case 'integer': return s.format;
    case 'number': return 'float64';
    case 'boolean': return 'bool';
    case 'int-or-string': return 'intstr.IntOrString';
    case 'quantity': return 'resource.Quantity';
    case 'any': return 'interface {}';
  }
}

function typeError(ctx: Ctx, path: string, goPath: string, owner: string, value: unknown, valueText: string, s: Schema): void {
  const detail = `json: cannot unmarshal ${valueText} into Go struct field ${owner}.${goPath} of type ${goTypeOf(s)}`;
  ctx.errors.push({ type: 'TypeInvalid', field: path, value, detail });
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function compile(s: Schema): Checker {
  const existing = compiled.get(s);
  if (existing) return existing;
  // Recursive schemas: register an indirection first, fill it after compiling.
  let impl: Checker | undefined;
  const lazy: Checker = (v, ctx, p, g, o) => impl!(v, ctx, p, g, o);
  compiled.set(s, lazy);
  impl = build(s);
  compiled.set(s, impl);
  return impl;
}

function zeroValue(s: Schema): unknown {
  switch (s.type) {
    case 'object': case 'map': return {};
    case 'array': return [];
    case 'string': case 'quantity': return '';
    case 'integer': case 'number': case 'int-or-string': return 0;
    case 'boolean': return false;
    case 'any': return null;
  }
}

function build(s: Schema): Checker {
  switch (s.type) {
    case 'object': return buildObject(s);
    case 'array': {
      const item = compile(s.items);
      const itemSchema = s.items;
      return (v, ctx, path, goPath, owner) => {
        if (!Array.isArray(v)) return typeError(ctx, path, goPath, owner, v, jsonKind(v), s), v;
        for (let i = 0; i < v.length; i++) {
          const el: unknown = v[i];
          if (el === null) { v[i] = zeroValue(itemSchema); continue; }
          const out = item(el, ctx, `${path}[${i}]`, goPath, owner);
          if (out !== el) v[i] = out;
        }
        return v;
      };
    }
    case 'map': {
      const val = compile(s.values);
      const valSchema = s.values;
      return (v, ctx, path, goPath, owner) => {
        if (typeof v !== 'object' || Array.isArray(v) || v === null) return typeError(ctx, path, goPath, owner, v, jsonKind(v), s), v;
        const m = v as Record<string, unknown>;
        for (const k in m) {
          const el = m[k];
          if (el === null) { m[k] = zeroValue(valSchema); continue; }
          const out = val(el, ctx, `${path}[${k}]`, goPath, owner);
          if (out !== el) m[k] = out;
        }
        return v;
      };
    }
    case 'string':
      if (s.format === 'byte') {
        return (v, ctx, path, goPath, owner) => {
          if (typeof v !== 'string') return typeError(ctx, path, goPath, owner, v, jsonKind(v), s), v;
          const bad = base64ErrorOffset(v);
          if (bad >= 0) ctx.errors.push({ type: 'TypeInvalid', field: path, value: v, detail: `illegal base64 data at input byte ${bad}` });
          return v;
        };
      }
      if (s.format) {
        return (v, ctx, path, goPath, owner) => {
          if (typeof v !== 'string') return typeError(ctx, path, goPath, owner, v, jsonKind(v), s), v;
          if (v !== '' && !RFC3339.test(v)) {
            ctx.errors.push({ type: 'TypeInvalid', field: path, value: v, detail: `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"` });
          }
          return v;
        };
      }
      return (v, ctx, path, goPath, owner) => (typeof v === 'string' ? v : (typeError(ctx, path, goPath, owner, v, jsonKind(v), s), v));
    case 'integer': {
      const [lo, hi] = s.format === 'int32' ? [INT32_MIN, INT32_MAX] : [-INT64_LIMIT, INT64_LIMIT];
      return (v, ctx, path, goPath, owner) => {
        if (typeof v !== 'number') return typeError(ctx, path, goPath, owner, v, jsonKind(v), s), v;
        if (!Number.isInteger(v) || v < lo || v > hi) typeError(ctx, path, goPath, owner, v, `number ${String(v)}`, s);
        return v;
      };
    }
    case 'number':
      return (v, ctx, path, goPath, owner) => (typeof v === 'number' ? v : (typeError(ctx, path, goPath, owner, v, jsonKind(v), s), v));
    case 'boolean':
      return (v, ctx, path, goPath, owner) => (typeof v === 'boolean' ? v : (typeError(ctx, path, goPath, owner, v, jsonKind(v), s), v));
    case 'int-or-string':
      return (v, ctx, path) => {
        if (typeof v === 'string') return v;
        if (typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX) return v;
        const text = typeof v === 'number' ? `number ${String(v)}` : jsonKind(v);
        ctx.errors.push({ type: 'TypeInvalid', field: path, value: v, detail: `json: cannot unmarshal ${text} into Go value of type int32` });
        return v;
      };
    case 'quantity': {
      const opts = { milli: s.resourceList === true };
      return (v, ctx, path) => {
        if (typeof v === 'string' && isCanonicalQuantity(v)) return v;
        const text = typeof v === 'number' || typeof v === 'string' ? canonicalQuantity(v, opts) : undefined;
        if (text === undefined) ctx.errors.push({ type: 'TypeInvalid', field: path, value: v, detail: QUANTITY_FORMAT_ERROR });
        return text ?? v;
      };
    }
    case 'any':
      return (v) => v;
  }
}

function buildObject(s: ObjectSchema): Checker {
  const props = new Map<string, { check: Checker; schema: Schema }>();
  for (const [name, sub] of Object.entries(s.properties)) props.set(name, { check: compile(sub), schema: sub });
  const goName = s.goName;
  return (v, ctx, path, goPath, owner) => {
    if (typeof v !== 'object' || Array.isArray(v) || v === null) return typeError(ctx, path, goPath, owner, v, jsonKind(v), s), v;
    const o = v as Record<string, unknown>;
    for (const k in o) {
      const prop = props.get(k);
      if (!prop) {
        ctx.unknown.push(join(path, k));
        delete o[k];
        continue;
      }
      const el = o[k];
      if (el === null && prop.schema.type !== 'any') { delete o[k]; continue; }
      const out = prop.check(el, ctx, join(path, k), join(goPath, k), goName);
      if (out !== el) o[k] = out;
    }
    return v;
  };
}

// Already-canonical quantities of the common shapes (`100m`, `128Mi`, `2`), which skip the exact parse.
const SIMPLE_QUANTITY = /^([1-9][0-9]{0,14})(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
function isCanonicalQuantity(s: string): boolean {
  const m = SIMPLE_QUANTITY.exec(s);
  if (!m) return s === '0';
  const n = Number(m[1]);
  return m[2]?.endsWith('i') ? n % 1024 !== 0 : n % 1000 !== 0;
}
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;
const B64 = /^[A-Za-z0-9+/\r\n]*={0,2}$/;

/** -1 when `s` is valid standard base64, else the offset Go's decoder reports. */
function base64ErrorOffset(s: string): number {
  if (B64.test(s)) {
    const clean = s.replace(/[\r\n]/g, '');
    if (clean.length % 4 === 0) return -1;
    return clean.length - (clean.length % 4);
  }
  for (let i = 0; i < s.length; i++) if (!/[A-Za-z0-9+/=\r\n]/.test(s[i])) return i;
  return s.indexOf('=');
}

export interface CheckOptions {
  /** fieldValidation=Strict: the caller rejects when unknownFields is non-empty; checking is the same. */
  strict?: boolean;
}

/** Type-checks `obj` against the model `typeName`, pruning unknown fields in place. */
export function checkTypes(typeName: string, obj: unknown, _opts: CheckOptions = {}): TypeCheckResult {
  const schema = schemaFor(typeName);
  const ctx: Ctx = { errors: [], unknown: [] };
  compile(schema)(obj, ctx, '', '', schema.goName);
  return { errors: ctx.errors, unknownFields: ctx.unknown };
}

/** The 400 upstream answers for an undecodable body: `Pod in version "v1" cannot be handled as a Pod: <why>`. */
export function decodeError(kind: string, apiVersion: string, why: string): StatusError {
  const version = apiVersion.includes('/') ? apiVersion.slice(apiVersion.indexOf('/') + 1) : apiVersion;
  return new StatusError('BadRequest', `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${kind}: ${why}`);
}

/** The first type error's decoder text, as upstream reports only the first. */
export function typeErrorText(result: TypeCheckResult): string | undefined {
  return result.errors[0]?.detail;
}

/** Strict decoding (fieldValidation=Strict): `strict decoding error: unknown field "spec.foo", unknown field "x"`. */
export function strictDecodingText(unknownFields: string[]): string {
  return `strict decoding error: ${unknownFields.map(unknownFieldWarning).join(', ')}`;
}

/** The Warning header text for one dropped field (fieldValidation=Warn, kubectl's default). */
export function unknownFieldWarning(field: string): string {
  return `unknown field ${JSON.stringify(field)}`;
}
