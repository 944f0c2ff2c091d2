// The /openapi/v2 protobuf read back with a tiny test-only decoder (field numbers from gnostic's
// OpenAPIv2.proto, written out here independently of the encoder), the Swagger document's shape
// constraints kubectl's parser enforces, the CRD schema reduction, and HTTP negotiation/ETag/caching.
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';
import { allKinds } from '../../api/index.js';
import type { KindDefinition } from '../../api/types.js';
import { openApiV2Document } from './v2.js';
import { crdSchemaToV2 } from './v2-crd-schema.js';
import { OPENAPI_V2_PROTOBUF_CONTENT_TYPE, openApiV2Bytes, serveOpenApiV2 } from './v2-handler.js';
import { encodeOpenApiV2Protobuf } from './v2-protobuf.js';

type Json = Record<string, any>;

/** A decoded message: field number -> raw values in order (bigint varints, Buffers otherwise). */
type Msg = Map<number, (bigint | Buffer)[]>;

function decode(buf: Buffer): Msg {
  const out: Msg = new Map();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
    }
  };
  while (pos < buf.length) {
    const tag = Number(varint());
    const field = tag >> 3;
    let value: bigint | Buffer;
    switch (tag & 7) {
      case 0: value = varint(); break;
      case 1: value = buf.subarray(pos, pos + 8); pos += 8; break;
      case 2: { const len = Number(varint()); value = buf.subarray(pos, pos + len); pos += len; break; }
      default: throw new Error(`unexpected wire type ${tag & 7}`);
    }
    out.set(field, [...(out.get(field) ?? []), value]);
  }
  return out;
}

const bytes = (m: Msg, f: number): Buffer[] => (m.get(f) ?? []) as Buffer[];
const sub = (m: Msg, f: number): Msg | undefined => { const b = bytes(m, f)[0]; return b ? decode(b) : undefined; };
const str = (m: Msg | undefined, f: number): string | undefined => (m ? bytes(m, f)[0]?.toString('utf8') : undefined);
const strs = (m: Msg | undefined, f: number): string[] => (m ? bytes(m, f).map((b) => b.toString('utf8')) : []);
/** Repeated Named* (name = 1, value = 2) as a map of name -> decoded value. */
function named(m: Msg | undefined, f: number): Map<string, Msg> {
  const out = new Map<string, Msg>();
  for (const b of m ? bytes(m, f) : []) { const n = decode(b); out.set(str(n, 1)!, sub(n, 2)!); }
  return out;
}
/** Any{yaml = 2}, parsed as YAML as kubectl does. */
const anyValue = (m: Msg | undefined): unknown => parseYaml(str(m, 2)!);
/** Schema.vendor_extension (31) as name -> parsed value. */
const extensions = (schema: Msg, field = 31): Map<string, unknown> => new Map([...named(schema, field)].map(([k, v]) => [k, anyValue(v)]));

describe('openapi.v2.Document protobuf', () => {
  const json = openApiV2Document(allKinds());
  const doc = decode(encodeOpenApiV2Protobuf(json));
  const definitions = named(sub(doc, 9), 1);
  const paths = named(sub(doc, 8), 2);
  const def = (name: string): Msg => { const d = definitions.get(name); assert.ok(d, `definition ${name}`); return d; };
  const prop = (schema: Msg, name: string): Msg => { const p = named(sub(schema, 25), 1).get(name); assert.ok(p, `property ${name}`); return p; };

  it('carries swagger and info', () => {
    assert.equal(str(doc, 1), '2.0');
    assert.equal(str(sub(doc, 2), 1), 'Kubernetes');
    assert.match(str(sub(doc, 2), 2)!, /^v1\./);
    assert.equal(definitions.size, Object.keys(json.definitions as Json).length);
  });

  it('encodes a kind definition with its GVK, type, $ref properties and required fields', () => {
    const deployment = def('io.k8s.api.apps.v1.Deployment');
    assert.deepEqual(strs(sub(deployment, 22), 1), ['object']);
    assert.deepEqual(extensions(deployment).get('x-kubernetes-group-version-kind'), [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    assert.equal(str(prop(deployment, 'spec'), 1), '#/definitions/io.k8s.api.apps.v1.DeploymentSpec');
    assert.equal(str(prop(deployment, 'metadata'), 1), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const spec = def('io.k8s.api.apps.v1.DeploymentSpec');
    assert.ok(strs(spec, 19).includes('selector') && strs(spec, 19).includes('template'), 'required');
    const replicas = prop(spec, 'replicas');
    assert.deepEqual(strs(sub(replicas, 22), 1), ['integer']);
    assert.equal(str(replicas, 2), 'int32');
    assert.match(str(replicas, 4)!, /Number of desired pods/);
    assert.equal(str(prop(spec, 'template'), 1), '#/definitions/io.k8s.api.core.v1.PodTemplateSpec');
  });

  it('encodes arrays as ItemsItem, maps as AdditionalPropertiesItem, and patch extensions', () => {
    const containers = prop(def('io.k8s.api.core.v1.PodSpec'), 'containers');
    assert.deepEqual(strs(sub(containers, 22), 1), ['array']);
    const items = sub(containers, 23)!;
    assert.equal(str(decode(bytes(items, 1)[0]!), 1), '#/definitions/io.k8s.api.core.v1.Container');
    const ext = extensions(containers);
    assert.equal(ext.get('x-kubernetes-patch-merge-key'), 'name');
    assert.equal(ext.get('x-kubernetes-patch-strategy'), 'merge');
    const labels = prop(def('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'), 'labels');
    assert.deepEqual(strs(sub(labels, 22), 1), ['object']);
    assert.deepEqual(strs(sub(sub(sub(labels, 21)!, 1)!, 22), 1), ['string']);
    const limits = prop(def('io.k8s.api.core.v1.ResourceRequirements'), 'limits');
    assert.equal(str(sub(sub(limits, 21)!, 1), 1), '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity');
  });

  it('encodes PATCH operations with the GVK, fieldValidation and the body parameter', () => {
    const item = paths.get('/apis/apps/v1/namespaces/{namespace}/deployments/{name}');
    assert.ok(item, 'deployment path');
    const patch = sub(item, 8)!;
    assert.deepEqual(extensions(patch, 13).get('x-kubernetes-group-version-kind'), { group: 'apps', kind: 'Deployment', version: 'v1' });
    assert.equal(extensions(patch, 13).get('x-kubernetes-action'), 'patch');
    assert.ok(strs(patch, 7).includes('application/strategic-merge-patch+json'));
    const params = bytes(patch, 8).map((b) => sub(decode(b), 1)!); // ParametersItem.parameter
    const query = params.map((p) => sub(sub(p, 2) ?? new Map(), 3)).filter((q): q is Msg => !!q);
    const fieldValidation = query.find((q) => str(q, 4) === 'fieldValidation');
    assert.ok(fieldValidation, 'fieldValidation query parameter');
    assert.equal(str(fieldValidation, 2), 'query');
    assert.equal(str(fieldValidation, 6), 'string');
    const body = params.map((p) => sub(p, 1)).find((b) => b && str(b, 2) === 'body')!;
    assert.equal(str(sub(body, 5), 1), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
    // Path parameters live on the path item (field 9) as PathParameterSubSchema (4).
    const pathParams = bytes(item, 9).map((b) => sub(sub(sub(decode(b), 1)!, 2)!, 4)).filter((p): p is Msg => !!p);
    assert.deepEqual(pathParams.map((p) => str(p, 4)).sort(), ['name', 'namespace']);
    assert.equal(bytes(pathParams[0]!, 1)[0], 1n, 'required');
    const ok = named(sub(sub(item, 2)!, 9), 1).get('200')!; // get -> responses -> "200"
    assert.equal(str(sub(sub(sub(ok, 1)!, 2)!, 1), 1), '#/definitions/io.k8s.api.apps.v1.Deployment');
  });

  it('encodes numbers, booleans, enums, defaults and a false additionalProperties', () => {
    const schema = { type: 'object', properties: { n: { type: 'number', minimum: -1.5, maxLength: 300, maxItems: 2 ** 40, enum: ['a', 'b'], default: { x: 1 }, uniqueItems: true } }, additionalProperties: false };
    const m = decode(encodeOpenApiV2Protobuf({ swagger: '2.0', definitions: { d: schema } }));
    const d = named(sub(m, 9), 1).get('d')!;
    const n = named(sub(d, 25), 1).get('n')!;
    assert.equal((bytes(n, 9)[0] as Buffer).readDoubleLE(0), -1.5);
    assert.equal(bytes(n, 11)[0], 300n);
    assert.equal(bytes(n, 14)[0], 2n ** 40n);
    assert.equal(bytes(n, 16)[0], 1n);
    assert.deepEqual(bytes(n, 20).map((b) => anyValue(decode(b))), ['a', 'b']);
    assert.deepEqual(anyValue(sub(n, 5)), { x: 1 });
    assert.deepEqual(sub(d, 21)!.get(2), [0n], 'additionalProperties: false is kept as the oneof choice');
  });
});

describe('OpenAPI v2 document shape (what kube-openapi accepts)', () => {
  it('has only resolvable refs without types, arrays with one items schema, known types', () => {
    const doc = openApiV2Document(allKinds());
    const defs = doc.definitions as Json;
    const problems: string[] = [];
    const walk = (s: Json, at: string): void => {
      if (typeof s.$ref === 'string') {
        const name = s.$ref.replace('#/definitions/', '');
        if (!s.$ref.startsWith('#/definitions/') || !defs[name]) problems.push(`${at}: dangling ${s.$ref}`);
        if (s.type || s.properties) problems.push(`${at}: $ref with type/properties`);
        return;
      }
      if (s.type !== undefined && !['object', 'array', 'string', 'integer', 'number', 'boolean'].includes(s.type)) problems.push(`${at}: type ${s.type}`);
      if (s.type === 'array' && (typeof s.items !== 'object' || Array.isArray(s.items))) problems.push(`${at}: array without one items schema`);
      if (s.items) walk(s.items, `${at}[]`);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${at}{}`);
      for (const [k, v] of Object.entries((s.properties ?? {}) as Json)) walk(v, `${at}.${k}`);
    };
    for (const [name, s] of Object.entries(defs)) walk(s as Json, name);
    for (const [path, item] of Object.entries(doc.paths as Json)) {
      for (const [verb, op] of Object.entries(item as Json)) {
        if (verb === 'parameters') continue;
        for (const p of (op as Json).parameters) if (p.schema) walk(p.schema, `${verb} ${path} body`);
        walk((op as Json).responses['200'].schema, `${verb} ${path} 200`);
      }
    }
    assert.deepEqual(problems, []);
  });
});

describe('crdSchemaToV2', () => {
  it('drops what kubectl v2 cannot parse or would wrongly reject', () => {
    const v2 = crdSchemaToV2({
      type: 'object',
      required: ['spec'],
      properties: {
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        maybe: { type: 'string', nullable: true, enum: ['a', null] },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { a: { type: 'string' } } },
        list: { type: 'array' },
        tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        size: { type: 'integer', minimum: 1, oneOf: [{ minimum: 2 }] },
      },
    });
    const p = v2.properties as Json;
    assert.deepEqual(v2.required, ['spec']);
    assert.deepEqual(p.port, { 'x-kubernetes-int-or-string': true });
    assert.deepEqual(p.maybe, {});
    assert.deepEqual(p.free, { 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(p.list, {});
    assert.deepEqual(p.tags, { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' });
    assert.deepEqual(p.labels, { type: 'object', additionalProperties: { type: 'string' } });
    assert.deepEqual(p.size, { type: 'integer', minimum: 1 });
  });
});

describe('serving /openapi/v2', () => {
  const kinds: KindDefinition[] = allKinds().slice(0, 3);
  let server: Server;
  let port: number;
  const get = (headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      request({ port, path: '/openapi/v2', headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject).end();
    });
  before(async () => {
    server = createServer((req, res) => void serveOpenApiV2(req, res, kinds));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('answers protobuf to kubectl, JSON otherwise, and 304 on a matching ETag', async () => {
    const pb = await get({ Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    assert.equal(pb.status, 200);
    assert.equal(pb.headers['content-type'], OPENAPI_V2_PROTOBUF_CONTENT_TYPE);
    assert.equal(str(decode(pb.body), 1), '2.0');
    const js = await get({});
    assert.equal(js.headers['content-type'], 'application/json');
    assert.equal(JSON.parse(js.body.toString()).swagger, '2.0');
    assert.notEqual(js.headers.etag, pb.headers.etag);
    const again = await get({ Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'If-None-Match': pb.headers.etag as string });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    const zipped = await get({ Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'Accept-Encoding': 'gzip' });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.ok(zipped.body.length < pb.body.length);
    assert.deepEqual(gunzipSync(zipped.body), pb.body);
  });

  it('reuses the encoded bytes until the kinds change', async () => {
    const first = openApiV2Bytes(kinds, 'protobuf');
    assert.equal(openApiV2Bytes(kinds, 'protobuf'), first);
    const widget: KindDefinition = {
      resource: { group: 'example.com', version: 'v1', kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget', namespaced: true, shortNames: [], categories: [], verbs: ['get', 'patch'], subresources: [] },
      model: 'ExampleComV1Widget',
      hasStatus: false,
      hasSpec: true,
      openAPISchema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'string' } } } } },
    };
    kinds.push(widget);
    const second = openApiV2Bytes(kinds, 'protobuf');
    assert.notEqual(second.etag, first.etag);
    const widgetDef = named(sub(decode(second.body), 9), 1).get('com.example.v1.Widget');
    assert.ok(widgetDef, 'the new kind is published');
    const res = await get({ 'If-None-Match': first.etag, Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    assert.equal(res.status, 200, 'the old ETag no longer matches');
    kinds.pop();
    assert.notEqual(openApiV2Bytes(kinds, 'protobuf').etag, second.etag);
  });
});
