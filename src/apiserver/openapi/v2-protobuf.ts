/**
 * The OpenAPI v2 document as gnostic's `openapi.v2.Document` protobuf (google/gnostic-models
 * openapiv2/OpenAPIv2.proto), which is the only form kubectl accepts from `/openapi/v2`.
 *
 * Input: the Swagger 2.0 JSON document from v2.ts. Output: the encoded bytes. Covers the messages
 * kubectl's decoding reads: Document, Info, Paths/PathItem/Operation, parameters (body, query, path),
 * Responses, Definitions/Schema (type as TypeItem, items as ItemsItem, additionalProperties,
 * properties, `$ref`, enum/default/example as Any{yaml}) and vendor extensions (`x-*` as NamedAny
 * with the value as YAML; JSON text is valid YAML). Map-like JSON objects become repeated Named*
 * messages in the JSON key order.
 */
type Json = Record<string, unknown>;

/** Proto3 writer: only the wire types these messages use (varint, fixed64 double, length-delimited). */
class ProtoWriter {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
  }

  private varint(value: number | bigint): void {
    if (typeof value === 'number' && value >= 0 && value < 0x80000000) {
      // Tags, lengths and small integers: no BigInt on the hot path.
      const bytes: number[] = [];
      let n = value;
      while (n > 0x7f) {
        bytes.push((n & 0x7f) | 0x80);
        n >>>= 7;
      }
      bytes.push(n);
      this.push(Buffer.from(bytes));
      return;
    }
    let v = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    while (v > 0x7fn) {
      bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    bytes.push(Number(v));
    this.push(Buffer.from(bytes));
  }

  private tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  string(field: number, value: unknown): this {
    if (typeof value !== 'string' || value === '') return this;
    const bytes = Buffer.from(value, 'utf8');
    this.tag(field, 2);
    this.varint(bytes.length);
    this.push(bytes);
    return this;
  }

  strings(field: number, values: unknown): this {
    if (Array.isArray(values)) for (const v of values) if (typeof v === 'string') this.alwaysString(field, v);
    return this;
  }

  /** A repeated string element is written even when empty. */
  private alwaysString(field: number, value: string): void {
    const bytes = Buffer.from(value, 'utf8');
    this.tag(field, 2);
    this.varint(bytes.length);
    this.push(bytes);
  }

  bool(field: number, value: unknown): this {
    if (value !== true) return this;
    this.tag(field, 0);
    this.varint(1);
    return this;
  }

  /** A oneof member: written even when false, so the choice survives. */
  oneofBool(field: number, value: boolean): this {
    this.tag(field, 0);
    this.varint(value ? 1 : 0);
    return this;
  }

  int64(field: number, value: unknown): this {
    if (typeof value !== 'number' || !Number.isInteger(value) || value === 0) return this;
    this.tag(field, 0);
    this.varint(value);
    return this;
  }

  double(field: number, value: unknown): this {
    if (typeof value !== 'number' || value === 0) return this;
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    this.tag(field, 1);
    this.push(b);
    return this;
  }

  /** A sub-message, written even when empty (presence matters: `properties: {}` is not absent). */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const sub = new ProtoWriter();
    build(sub);
    const bytes = sub.finish();
    this.tag(field, 2);
    this.varint(bytes.length);
    this.push(bytes);
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const entries = (v: unknown): [string, unknown][] => (isObject(v) ? Object.entries(v) : []);

/** Any{yaml}: the value as JSON text, which YAML parsers (kubectl's goyaml v2) read as YAML. */
function any(w: ProtoWriter, field: number, value: unknown): void {
  w.message(field, (a) => a.string(2, JSON.stringify(value) ?? 'null'));
}

/** `x-*` keys of an object as repeated NamedAny. */
function vendorExtensions(w: ProtoWriter, field: number, obj: Json): void {
  for (const [name, value] of Object.entries(obj)) {
    if (name.startsWith('x-')) w.message(field, (n) => { n.string(1, name); any(n, 2, value); });
  }
}

function schema(w: ProtoWriter, s: Json): void {
  w.string(1, s.$ref).string(2, s.format).string(3, s.title).string(4, s.description);
  if (s.default !== undefined) any(w, 5, s.default);
  w.double(6, s.multipleOf).double(7, s.maximum).bool(8, s.exclusiveMaximum).double(9, s.minimum).bool(10, s.exclusiveMinimum);
  w.int64(11, s.maxLength).int64(12, s.minLength).string(13, s.pattern).int64(14, s.maxItems).int64(15, s.minItems).bool(16, s.uniqueItems);
  w.int64(17, s.maxProperties).int64(18, s.minProperties).strings(19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) any(w, 20, e);
  const ap = s.additionalProperties;
  if (isObject(ap)) w.message(21, (a) => a.message(1, (x) => schema(x, ap)));
  else if (typeof ap === 'boolean') w.message(21, (a) => a.oneofBool(2, ap));
  if (typeof s.type === 'string') w.message(22, (t) => t.strings(1, [s.type]));
  else if (Array.isArray(s.type)) w.message(22, (t) => t.strings(1, s.type));
  const items = s.items;
  if (isObject(items)) w.message(23, (i) => i.message(1, (x) => schema(x, items)));
  else if (Array.isArray(items)) w.message(23, (i) => { for (const it of items) if (isObject(it)) i.message(1, (x) => schema(x, it)); });
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) if (isObject(sub)) w.message(24, (x) => schema(x, sub));
  if (isObject(s.properties)) {
    const props = s.properties;
    w.message(25, (p) => {
      for (const [name, sub] of entries(props)) if (isObject(sub)) p.message(1, (n) => { n.string(1, name); n.message(2, (x) => schema(x, sub)); });
    });
  }
  w.string(26, s.discriminator).bool(27, s.readOnly);
  if (s.example !== undefined) any(w, 30, s.example);
  vendorExtensions(w, 31, s);
}

/** Query and path parameters share a layout up to `allow_empty_value`, which path parameters lack. */
function nonBodyParameter(w: ProtoWriter, p: Json): void {
  const query = p.in !== 'path' && p.in !== 'header';
  const sub = p.in === 'path' ? 4 : p.in === 'header' ? 1 : p.in === 'formData' ? 2 : 3;
  w.message(sub, (x) => {
    x.bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name);
    const shift = query ? 1 : 0; // query/formData have allow_empty_value at 5, shifting the rest by one
    if (query) x.bool(5, p.allowEmptyValue);
    x.string(5 + shift, p.type).string(6 + shift, p.format).bool(19 + shift, p.uniqueItems);
    vendorExtensions(x, 22 + shift, p);
  });
}

function parameters(w: ProtoWriter, field: number, list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const p of list) {
    if (!isObject(p)) continue;
    w.message(field, (item) => {
      if (typeof p.$ref === 'string') return void item.message(2, (r) => r.string(1, p.$ref).string(2, p.description));
      item.message(1, (param) => {
        if (p.in === 'body') {
          param.message(1, (b) => {
            b.string(1, p.description).string(2, p.name).string(3, p.in).bool(4, p.required);
            if (isObject(p.schema)) { const s = p.schema; b.message(5, (x) => schema(x, s)); }
            vendorExtensions(b, 6, p);
          });
        } else param.message(2, (nb) => nonBodyParameter(nb, p));
      });
    });
  }
}

function operation(w: ProtoWriter, op: Json): void {
  w.strings(1, op.tags).string(2, op.summary).string(3, op.description).string(5, op.operationId);
  w.strings(6, op.produces).strings(7, op.consumes);
  parameters(w, 8, op.parameters);
  if (isObject(op.responses)) {
    const responses = op.responses;
    w.message(9, (r) => {
      for (const [code, resp] of Object.entries(responses)) {
        if (!isObject(resp)) continue;
        r.message(1, (n) => {
          n.string(1, code);
          n.message(2, (v) => v.message(1, (x) => {
            x.string(1, resp.description);
            if (isObject(resp.schema)) { const s = resp.schema; x.message(2, (si) => si.message(1, (sx) => schema(sx, s))); }
            vendorExtensions(x, 5, resp);
          }));
        });
      }
      vendorExtensions(r, 2, responses);
    });
  }
  w.strings(10, op.schemes).bool(11, op.deprecated);
  vendorExtensions(w, 13, op);
}

const METHOD_FIELDS: [string, number][] = [['get', 2], ['put', 3], ['post', 4], ['delete', 5], ['options', 6], ['head', 7], ['patch', 8]];

function pathItem(w: ProtoWriter, item: Json): void {
  w.string(1, item.$ref);
  for (const [method, field] of METHOD_FIELDS) {
    const op = item[method];
    if (isObject(op)) w.message(field, (o) => operation(o, op));
  }
  parameters(w, 9, item.parameters);
  vendorExtensions(w, 10, item);
}

/** Encodes a Swagger 2.0 JSON document as `openapi.v2.Document`. */
export function encodeOpenApiV2Protobuf(doc: Json): Buffer {
  const w = new ProtoWriter();
  w.string(1, doc.swagger);
  if (isObject(doc.info)) {
    const info = doc.info;
    w.message(2, (i) => { i.string(1, info.title).string(2, info.version).string(3, info.description); vendorExtensions(i, 7, info); });
  }
  w.string(3, doc.host).string(4, doc.basePath).strings(5, doc.schemes).strings(6, doc.consumes).strings(7, doc.produces);
  if (isObject(doc.paths)) {
    const paths = doc.paths;
    w.message(8, (p) => {
      vendorExtensions(p, 1, paths);
      for (const [name, item] of Object.entries(paths)) {
        if (!name.startsWith('x-') && isObject(item)) p.message(2, (n) => { n.string(1, name); n.message(2, (x) => pathItem(x, item)); });
      }
    });
  }
  if (isObject(doc.definitions)) {
    const defs = doc.definitions;
    w.message(9, (d) => {
      for (const [name, s] of Object.entries(defs)) if (isObject(s)) d.message(1, (n) => { n.string(1, name); n.message(2, (x) => schema(x, s)); });
    });
  }
  vendorExtensions(w, 16, doc);
  return w.finish();
}
