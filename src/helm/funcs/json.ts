/**
 * Go encoding/json for template values: `marshalJson` matches json.Marshal byte for byte
 * (sorted keys, HTML-safe escapes, float formatting), `toJsonValue` gives the value as it looks
 * after a JSON round trip (what sigs.k8s.io/yaml and helm see), `parseJson` decodes like
 * json.Unmarshal into interface{} (numbers become float64).
 */
import { isPlainObject, kindOf, mapEntries, structFields, typeName } from '../engine/index.js';

/** A JSON-normalised value: bigint for integers written without fraction, number otherwise. */
export type JsonValue = null | boolean | bigint | number | string | JsonValue[] | { [k: string]: JsonValue };

export class JsonMarshalError extends Error {}

/** Value -> JSON tree as json.Marshal sees it (struct via toJSON() or its fields). */
export function toJsonValue(v: unknown): JsonValue {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return null;
    case 'bool': case 'string': case 'int': return v as JsonValue;
    case 'float': {
      const f = v as number;
      if (!Number.isFinite(f)) throw new JsonMarshalError(`json: unsupported value: ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
      return f;
    }
    case 'slice': return (v as unknown[]).map(toJsonValue);
    case 'bytes': return Buffer.from(v as Uint8Array).toString('base64');
    case 'map': {
      const out: { [k: string]: JsonValue } = {};
      for (const [k, x] of mapEntries(v)) out[k] = toJsonValue(x);
      return out;
    }
    case 'func': throw new JsonMarshalError(`json: unsupported type: ${typeName(v)}`);
    case 'struct': {
      const s = v as { toJSON?: () => unknown };
      if (typeof s.toJSON === 'function') return toJsonValue(s.toJSON());
      const out: { [k: string]: JsonValue } = {};
      for (const [k, x] of structFields(v as object)) out[k] = toJsonValue(x);
      return out;
    }
  }
}

/** Go's float64 JSON text: shortest repr, exponent form below 1e-6 or from 1e21. */
export function jsonFloat(f: number): string {
  return JSON.stringify(f); // ECMAScript Number::toString uses the same thresholds and shortest digits
}

export function jsonString(s: string): string {
  return JSON.stringify(s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'))
    .replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

const byteOrder = (a: string, b: string) => { const x = Buffer.from(a); const y = Buffer.from(b); return Buffer.compare(x, y); };

function write(v: JsonValue, indent: string, prefix: string): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean': return String(v);
    case 'bigint': return v.toString();
    case 'number': return jsonFloat(v);
    case 'string': return jsonString(v);
  }
  const nl = indent ? '\n' : '';
  const inner = prefix + indent;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + nl + v.map((x) => inner + write(x, indent, inner)).join(',' + nl) + nl + prefix + ']';
  }
  const keys = Object.keys(v).sort(byteOrder);
  if (keys.length === 0) return '{}';
  const sep = indent ? ': ' : ':';
  return '{' + nl + keys.map((k) => inner + jsonString(k) + sep + write(v[k], indent, inner)).join(',' + nl) + nl + prefix + '}';
}

/** json.Marshal (indent '' ) or json.MarshalIndent(v, "", indent). Throws JsonMarshalError. */
export function marshalJson(v: unknown, indent = ''): string {
  return write(toJsonValue(v), indent, '');
}

/** json.Unmarshal into interface{}: objects -> plain objects, numbers -> float64 (number). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(goJsonSyntaxError(text, e as Error));
  }
}

function goJsonSyntaxError(text: string, e: Error): string {
  if (text.trim() === '') return 'unexpected end of JSON input';
  const m = /position (\d+)/.exec(e.message);
  if (m) return `invalid character '${text[Number(m[1])]}' looking for beginning of value`;
  if (/end of JSON|Unexpected end/i.test(e.message)) return 'unexpected end of JSON input';
  return e.message;
}

export { isPlainObject };
