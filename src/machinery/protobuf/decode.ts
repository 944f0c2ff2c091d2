/**
 * Decodes a Kubernetes protobuf body (`Content-Type: application/vnd.kubernetes.protobuf`) into
 * the plain JSON object the rest of the API server works with.
 *
 * Input: the body bytes: magic `k8s\x00`, then a runtime.Unknown {typeMeta{apiVersion=1, kind=2}=1,
 * raw=2, contentEncoding=3, contentType=4} whose `raw` is the object's own encoding; and
 * `expectModel(apiVersion, kind)` naming the client-node model of that kind (or undefined when not
 * served). Field numbers come from src/api/proto-fields.ts, value types from the schema tree
 * (src/api/schema.ts). Output: the object as upstream's JSON encoder would print it: apiVersion and
 * kind first, zero values of omitempty fields left out, []byte as base64, times as RFC 3339.
 *
 * Every problem (bad envelope, unknown kind or field number, wrong wire type, truncation, nesting
 * deeper than MAX_DEPTH) raises StatusError BadRequest.
 */
import { schemaFor, type ObjectSchema, type Schema } from '../../api/schema.js';
import { formatGoDuration, formatTimestamp } from '../duration.js';
import { StatusError } from '../errors.js';
import { protoFields, schemaModelOf, type FieldSpec } from './fields.js';
import { WireReader, WireType, protobufError, type WireTypeNumber } from './wire.js';

export const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
export const MAX_DEPTH = 64;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export function decodeK8sProtobuf(buf: Buffer, expectModel: (apiVersion: string, kind: string) => string | undefined): unknown {
  if (buf.length < 4 || !buf.subarray(0, 4).equals(PROTOBUF_MAGIC)) throw protobufError('the body does not start with the Kubernetes protobuf prefix k8s\\x00');
  let apiVersion = '';
  let kind = '';
  let raw: Buffer = Buffer.alloc(0);
  let contentEncoding = '';
  const r = new WireReader(buf, 4);
  while (!r.done) {
    const t = r.tag();
    if (t.field === 1 && t.wireType === WireType.Bytes) {
      const tm = new WireReader(r.bytes());
      while (!tm.done) {
        const u = tm.tag();
        if (u.field === 1 && u.wireType === WireType.Bytes) apiVersion = tm.bytes().toString('utf8');
        else if (u.field === 2 && u.wireType === WireType.Bytes) kind = tm.bytes().toString('utf8');
        else tm.skip(u.wireType);
      }
    } else if (t.field === 2 && t.wireType === WireType.Bytes) raw = r.bytes();
    else if (t.field === 3 && t.wireType === WireType.Bytes) contentEncoding = r.bytes().toString('utf8');
    else r.skip(t.wireType);
  }
  if (contentEncoding) throw protobufError(`unsupported content encoding ${JSON.stringify(contentEncoding)}`);
  if (!kind || !apiVersion) throw new StatusError('BadRequest', 'Object \'Kind\' is missing in protobuf body');
  const model = expectModel(apiVersion, kind);
  if (!model || !protoFields(model)) throw new StatusError('BadRequest', `no kind "${kind}" is registered for version "${apiVersion}"`);
  const obj: JsonObject = { apiVersion, kind };
  decodeMessage(raw, model, schemaFor(model), 1, obj);
  return obj;
}

/** Decodes one message into `target` (a fresh object, or the parent for an inlined struct). */
function decodeMessage(buf: Buffer, key: string, schema: ObjectSchema, depth: number, target: JsonObject): void {
  if (depth > MAX_DEPTH) throw protobufError(`nesting deeper than ${MAX_DEPTH} levels`);
  const fields = protoFields(key);
  if (!fields) throw protobufError(`no protobuf field table for ${key}`);
  const r = new WireReader(buf);
  while (!r.done) {
    const t = r.tag();
    const spec = fields.get(t.field);
    if (!spec) throw new StatusError('BadRequest', `unknown protobuf field ${t.field} in ${key}`);
    if (spec.inline) {
      expectWire(t.wireType, WireType.Bytes, spec, key);
      decodeMessage(r.bytes(), spec.inline, schemaFor(schemaModelOf(spec.inline)), depth + 1, target);
      continue;
    }
    const prop = schema.properties[spec.json];
    if (!prop) throw protobufError(`protobuf field ${t.field} (${spec.json}) of ${key} has no schema`);
    readField(r, t.wireType, prop, spec, key, depth, target);
  }
}

function readField(r: WireReader, wire: WireTypeNumber, prop: Schema, spec: FieldSpec, key: string, depth: number, target: JsonObject): void {
  const name = spec.json;
  if (prop.type === 'array') {
    const list = (Object.prototype.hasOwnProperty.call(target, name) ? target[name] : undefined) as Json[] | undefined;
    const items = list ?? [];
    if (!list) target[name] = items;
    const packable = prop.items.type === 'integer' || prop.items.type === 'boolean' || prop.items.type === 'number';
    if (packable && wire === WireType.Bytes) {
      const packed = new WireReader(r.bytes());
      const itemWire = prop.items.type === 'number' ? WireType.Fixed64 : WireType.Varint;
      while (!packed.done) items.push(readValue(packed, itemWire, prop.items, spec, key, depth)!);
      return;
    }
    const v = readValue(r, wire, prop.items, spec, key, depth);
    items.push(v === undefined ? null : v);
    return;
  }
  if (prop.type === 'map') {
    expectWire(wire, WireType.Bytes, spec, key);
    const entry = new WireReader(r.bytes());
    let k = '';
    let v: Json | undefined;
    while (!entry.done) {
      const t = entry.tag();
      if (t.field === 1) {
        expectWire(t.wireType, WireType.Bytes, spec, key);
        k = entry.bytes().toString('utf8');
      } else if (t.field === 2) v = readValue(entry, t.wireType, prop.values, spec, key, depth);
      else throw new StatusError('BadRequest', `unknown protobuf field ${t.field} in a ${name} entry of ${key}`);
    }
    const map = (Object.prototype.hasOwnProperty.call(target, name) ? target[name] : undefined) as JsonObject | undefined;
    const entries = map ?? {};
    if (!map) target[name] = entries;
    Object.defineProperty(entries, k, { value: v ?? zeroOf(prop.values, spec), enumerable: true, writable: true, configurable: true });
    return;
  }
  const v = readValue(r, wire, prop, spec, key, depth);
  if (v === undefined || (!spec.keepZero && isZero(v))) {
    delete target[name];
    return;
  }
  target[name] = v;
}

function isZero(v: Json): boolean {
  return v === '' || v === 0 || v === false;
}

/** What an entry without a value field means: the zero value of the map's value type. */
function zeroOf(s: Schema, spec: FieldSpec): Json {
  if (s.type === 'integer' || s.type === 'number') return 0;
  if (s.type === 'boolean') return false;
  if (s.type === 'quantity') return '0';
  if (s.type === 'string' || s.type === 'int-or-string') return spec.duration ? '0s' : '';
  if (s.type === 'object') return {};
  if (s.type === 'array') return [];
  return null;
}

/** One value (a single occurrence of a field, or a map entry's value). undefined: absent. */
function readValue(r: WireReader, wire: WireTypeNumber, s: Schema, spec: FieldSpec, key: string, depth: number): Json | undefined {
  switch (s.type) {
    case 'object': {
      expectWire(wire, WireType.Bytes, spec, key);
      const obj: JsonObject = {};
      decodeMessage(r.bytes(), s.model, s, depth + 1, obj);
      return obj;
    }
    case 'integer': {
      expectWire(wire, WireType.Varint, spec, key);
      const v = r.varint();
      return Number(s.format === 'int32' ? BigInt.asIntN(32, v) : BigInt.asIntN(64, v));
    }
    case 'number':
      if (wire === WireType.Fixed32) return r.fixed32().readFloatLE(0);
      expectWire(wire, WireType.Fixed64, spec, key);
      return finite(r.fixed64().readDoubleLE(0), spec, key);
    case 'boolean':
      expectWire(wire, WireType.Varint, spec, key);
      return r.varint() !== 0n;
    case 'string': {
      expectWire(wire, WireType.Bytes, spec, key);
      const b = r.bytes();
      if (s.format === 'date-time' || s.format === 'date-time-micro') return readTime(b, s.format === 'date-time-micro', depth);
      if (spec.duration) return formatGoDuration(Number(BigInt.asIntN(64, scalarField(b, 1, depth) ?? 0n)) / 1e6);
      return spec.bytes || s.format === 'byte' ? b.toString('base64') : b.toString('utf8');
    }
    case 'int-or-string': {
      expectWire(wire, WireType.Bytes, spec, key);
      const m = new WireReader(r.bytes());
      let type = 0n;
      let intVal = 0;
      let strVal = '';
      while (!m.done) {
        const t = m.tag();
        if (t.field === 1 && t.wireType === WireType.Varint) type = m.varint();
        else if (t.field === 2 && t.wireType === WireType.Varint) intVal = Number(BigInt.asIntN(32, m.varint()));
        else if (t.field === 3 && t.wireType === WireType.Bytes) strVal = m.bytes().toString('utf8');
        else throw protobufError(`bad IntOrString field ${t.field} in ${key}.${spec.json}`);
      }
      return type === 1n ? strVal : intVal;
    }
    case 'quantity': {
      expectWire(wire, WireType.Bytes, spec, key);
      const b = bytesField(r.bytes(), 1, `Quantity in ${key}.${spec.json}`);
      return b === undefined || b.length === 0 ? '0' : b.toString('utf8');
    }
    case 'any': {
      expectWire(wire, WireType.Bytes, spec, key);
      const b = bytesField(r.bytes(), 1, `raw JSON in ${key}.${spec.json}`);
      if (b === undefined || b.length === 0) return undefined;
      try {
        return JSON.parse(b.toString('utf8')) as Json;
      } catch {
        throw protobufError(`${key}.${spec.json} holds raw bytes that are not JSON`);
      }
    }
    default:
      throw protobufError(`${key}.${spec.json} has a type protobuf bodies cannot carry`);
  }
}

function expectWire(got: WireTypeNumber, want: WireTypeNumber, spec: FieldSpec, key: string): void {
  if (got !== want) throw new StatusError('BadRequest', `protobuf field ${spec.number} (${spec.json || spec.inline}) in ${key} has wire type ${got}, expected ${want}`);
}

function finite(v: number, spec: FieldSpec, key: string): number {
  if (!Number.isFinite(v)) throw new StatusError('BadRequest', `protobuf field ${spec.number} (${spec.json}) in ${key} is not a finite number`);
  return v;
}

/** The single length-delimited field `n` of a small wrapper message (Quantity, RawExtension, FieldsV1). */
function bytesField(buf: Buffer, n: number, what: string): Buffer | undefined {
  const r = new WireReader(buf);
  let out: Buffer | undefined;
  while (!r.done) {
    const t = r.tag();
    if (t.field !== n || t.wireType !== WireType.Bytes) throw protobufError(`unexpected field ${t.field} in ${what}`);
    out = r.bytes();
  }
  return out;
}

/** A varint field of a small message (Duration, Timestamp); other fields are refused. */
function scalarField(buf: Buffer, n: number, depth: number): bigint | undefined {
  return varintFields(buf, depth).get(n);
}

function varintFields(buf: Buffer, depth: number): Map<number, bigint> {
  if (depth > MAX_DEPTH) throw protobufError(`nesting deeper than ${MAX_DEPTH} levels`);
  const r = new WireReader(buf);
  const out = new Map<number, bigint>();
  while (!r.done) {
    const t = r.tag();
    if (t.wireType !== WireType.Varint || t.field > 2) throw protobufError(`unexpected field ${t.field} in a time or duration`);
    out.set(t.field, r.varint());
  }
  return out;
}

const MIN_SECONDS = -62135596800; // 0001-01-01T00:00:00Z
const MAX_SECONDS = 253402300799; // 9999-12-31T23:59:59Z

/** metav1.Time / MicroTime {seconds=1, nanos=2}; an empty message is the zero time (absent). */
function readTime(buf: Buffer, micro: boolean, depth: number): string | undefined {
  if (buf.length === 0) return undefined;
  const f = varintFields(buf, depth);
  const seconds = Number(BigInt.asIntN(64, f.get(1) ?? 0n));
  const nanos = Number(BigInt.asIntN(32, f.get(2) ?? 0n));
  if (seconds === MIN_SECONDS && nanos === 0) return undefined;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS || nanos < 0 || nanos > 999999999) throw protobufError('timestamp out of range');
  const whole = formatTimestamp(seconds * 1000);
  return micro ? `${whole.slice(0, -1)}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : whole;
}
