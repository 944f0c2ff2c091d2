/**
 * Test support only: a protobuf writer (varint, length-delimited fields) and
 * `encodeK8sProtobuf(obj, model)`, the inverse of decodeK8sProtobuf built from the same field table
 * and schema, so tests can round-trip whole objects. Not used by the server.
 */
import { schemaFor, type ObjectSchema, type Schema } from '../../api/schema.js';
import { parseTimestamp } from '../duration.js';
import { protoFields, schemaModelOf } from './fields.js';
import { PROTOBUF_MAGIC } from './decode.js';

export function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Buffer.from(out);
}

/** A varint field: tag then value. */
export function varintField(field: number, value: number | bigint | boolean): Buffer {
  return Buffer.concat([varint(field * 8), varint(typeof value === 'boolean' ? Number(value) : value)]);
}

/** A length-delimited field: tag, length, payload (string payloads are UTF-8). */
export function bytesField(field: number, payload: Buffer | string): Buffer {
  const b = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([varint(field * 8 + 2), varint(b.length), b]);
}

/** The full body: magic, then runtime.Unknown{typeMeta, raw}. */
export function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([bytesField(1, apiVersion), bytesField(2, kind)]);
  return Buffer.concat([PROTOBUF_MAGIC, bytesField(1, typeMeta), bytesField(2, raw)]);
}

type Obj = Record<string, unknown>;

export function encodeK8sProtobuf(obj: Obj, model: string): Buffer {
  return envelope(String(obj.apiVersion), String(obj.kind), encodeMessage(obj, model, schemaFor(model)));
}

export function encodeMessage(obj: Obj, key: string, schema: ObjectSchema): Buffer {
  const fields = protoFields(key);
  if (!fields) throw new Error(`no field table for ${key}`);
  const parts: Buffer[] = [];
  for (const spec of fields.values()) {
    if (spec.inline) {
      parts.push(bytesField(spec.number, encodeMessage(obj, spec.inline, schemaFor(schemaModelOf(spec.inline)))));
      continue;
    }
    const value = obj[spec.json];
    const prop = schema.properties[spec.json];
    if (value === undefined || value === null || !prop) continue;
    const opts = { bytes: spec.bytes };
    if (prop.type === 'array') {
      for (const item of value as unknown[]) parts.push(encodeValue(spec.number, item, prop.items, opts));
    } else if (prop.type === 'map') {
      for (const [k, v] of Object.entries(value as Obj)) {
        parts.push(bytesField(spec.number, Buffer.concat([bytesField(1, k), encodeValue(2, v, prop.values, opts)])));
      }
    } else parts.push(encodeValue(spec.number, value, prop, opts));
  }
  return Buffer.concat(parts);
}

function encodeValue(n: number, v: unknown, s: Schema, opts: { bytes: boolean }): Buffer {
  switch (s.type) {
    case 'object':
      return bytesField(n, encodeMessage(v as Obj, s.model, s));
    case 'integer':
      return varintField(n, v as number);
    case 'boolean':
      return varintField(n, v as boolean);
    case 'number': {
      const b = Buffer.alloc(8);
      b.writeDoubleLE(v as number);
      return Buffer.concat([varint(n * 8 + 1), b]);
    }
    case 'string': {
      if (s.format === 'date-time' || s.format === 'date-time-micro') {
        const ms = parseTimestamp(String(v));
        const frac = /\.(\d+)Z$/.exec(String(v))?.[1] ?? '';
        const nanos = Number(frac.padEnd(9, '0').slice(0, 9));
        return bytesField(n, Buffer.concat([varintField(1, Math.floor(ms / 1000)), varintField(2, nanos)]));
      }
      return bytesField(n, opts.bytes || s.format === 'byte' ? Buffer.from(String(v), 'base64') : String(v));
    }
    case 'int-or-string':
      return bytesField(n, typeof v === 'string' ? Buffer.concat([varintField(1, 1), varintField(2, 0), bytesField(3, v)]) : Buffer.concat([varintField(1, 0), varintField(2, v as number), bytesField(3, '')]));
    case 'quantity':
      return bytesField(n, bytesField(1, String(v)));
    case 'any':
      return bytesField(n, bytesField(1, JSON.stringify(v)));
    default:
      throw new Error(`cannot encode ${s.type}`);
  }
}
