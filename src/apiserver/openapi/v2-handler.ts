/**
 * `GET /openapi/v2`: content negotiation between gnostic protobuf (what kubectl asks for, and the only
 * form it decodes) and JSON (anything else), a strong ETag with `If-None-Match` -> 304, gzip when
 * accepted, and the encoded bytes cached until the served kinds change (CRDs come and go at runtime:
 * the cache remembers the exact kind definition objects it was built from, as v3.ts's hash cache does).
 *
 * Input: the request (Accept, If-None-Match) and the registry's live kind list. Output: the response,
 * and the status code for metrics.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindDefinition } from '../../api/types.js';
import { openApiV2Document } from './v2.js';
import { encodeOpenApiV2Protobuf } from './v2-protobuf.js';

/** What kubectl (client-go discovery) sends in Accept. */
const PROTOBUF_ACCEPT = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'];
/** What upstream answers with: unlike the Accept spelling it parses as a MIME type. */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

interface Encoded {
  body: Buffer;
  etag: string;
  /** The body gzipped, made on the first request that accepts gzip (Go clients always do). */
  gzipped?: Buffer;
}
interface Cache {
  kinds: KindDefinition[];
  json?: Encoded;
  protobuf?: Encoded;
}

const caches = new WeakMap<KindDefinition[], Cache>();

function sameKinds(a: KindDefinition[], b: KindDefinition[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function encoded(body: Buffer): Encoded {
  return { body, etag: `"${createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase()}"` };
}

/** The document in the asked-for form, rebuilt only when the kind list changed since the last call. */
export function openApiV2Bytes(kinds: KindDefinition[], form: 'json' | 'protobuf'): Encoded {
  let cache = caches.get(kinds);
  if (!cache || !sameKinds(cache.kinds, kinds)) {
    cache = { kinds: [...kinds] };
    caches.set(kinds, cache);
  }
  if (form === 'json') return (cache.json ??= encoded(Buffer.from(JSON.stringify(openApiV2Document(kinds)))));
  return (cache.protobuf ??= encoded(encodeOpenApiV2Protobuf(openApiV2Document(kinds))));
}

export function wantsProtobuf(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => PROTOBUF_ACCEPT.includes(part.split(';')[0]!.trim().toLowerCase()));
}

export function serveOpenApiV2(req: IncomingMessage, res: ServerResponse, kinds: KindDefinition[]): number {
  const protobuf = wantsProtobuf(req.headers.accept);
  const doc = openApiV2Bytes(kinds, protobuf ? 'protobuf' : 'json');
  const headers = {
    'Content-Type': protobuf ? OPENAPI_V2_PROTOBUF_CONTENT_TYPE : 'application/json',
    ETag: doc.etag,
    Vary: 'Accept',
    'Cache-Control': 'no-cache, private',
  };
  const match = req.headers['if-none-match'];
  if (match && match.split(',').some((t) => t.trim() === doc.etag)) {
    res.writeHead(304, headers);
    res.end();
    return 304;
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? (doc.gzipped ??= gzipSync(doc.body)) : doc.body;
  res.writeHead(200, { ...headers, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}), 'Content-Length': String(body.length) });
  res.end(req.method === 'HEAD' ? undefined : body);
  return 200;
}
