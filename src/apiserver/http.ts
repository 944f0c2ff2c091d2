/**
 * HTTP plumbing for the API server: reading bodies (size limit 3 MiB, JSON, YAML or protobuf), writing JSON
 * and Status responses, content negotiation basics.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StatusError, internalError, type Status } from '../machinery/errors.js';
import { decodeJsonOrYaml } from '../machinery/yaml-json.js';
import { PROTOBUF_MEDIA_TYPE, decodeK8sProtobuf, modelForKind } from '../machinery/protobuf/index.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) {
    req.resume();
    throw new StatusError('RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      req.resume();
      throw new StatusError('RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface DecodedBody {
  value: unknown;
  /** Duplicate field paths seen while decoding (reported by fieldValidation Strict/Warn). */
  duplicates: string[];
}

/** Decodes a JSON, YAML or Kubernetes protobuf request body into a plain value. */
export function decodeBody(buf: Buffer, contentType: string | undefined): DecodedBody {
  const ct = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  if (ct === PROTOBUF_MEDIA_TYPE) return { value: decodeK8sProtobuf(buf, modelForKind), duplicates: [] };
  const allowed = ['application/json', 'application/yaml', 'application/merge-patch+json', 'application/json-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml', '*/*', ''];
  if (!allowed.includes(ct)) {
    throw new StatusError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  if (buf.length === 0) throw new StatusError('BadRequest', 'the body of the request was empty');
  const text = buf.toString('utf8');
  const yaml = ct === 'application/yaml' || ct === 'application/apply-patch+yaml';
  const res = decodeJsonOrYaml(text, { yaml });
  return { value: res.value, duplicates: res.duplicates };
}

export function sendJson(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  sendRawJson(res, code, typeof body === 'string' ? body : JSON.stringify(body), headers);
}

export function sendRawJson(res: ServerResponse, code: number, text: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', ...headers });
  res.end(text);
}

export function toStatus(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  const message = err instanceof Error ? err.message : String(err);
  return internalError(message).status;
}

export function sendError(res: ServerResponse, err: unknown): number {
  const status = toStatus(err);
  sendJson(res, status.code, status);
  return status.code;
}

export function warningHeader(warnings: string[]): Record<string, string> {
  if (warnings.length === 0) return {};
  return { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') };
}
