/**
 * HTTP handler of pods/{name}/ephemeralcontainers (what `kubectl debug` uses): GET answers the pod;
 * PUT takes a whole Pod; PATCH takes a JSON, merge or strategic-merge patch of the pod (kubectl 1.32
 * sends a strategic merge patch adding one entry to spec.ephemeralContainers). Only that list changes;
 * see registry/kinds/pod-ephemeral-containers.ts for the strategy and validation.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';
import { defaultFieldManager } from '../../machinery/apply/index.js';
import { applyJsonPatch, applyMergePatch } from '../../machinery/patch.js';
import { applyStrategicMergePatch } from '../../machinery/strategic/index.js';
import { encodeServed } from '../../registry/codec.js';
import { updateEphemeralContainers } from '../../registry/kinds/pod-ephemeral-containers.js';
import type { GenericStore } from '../../registry/store.js';
import { decodeBody as decodeObjectBody } from '../../registry/strategy.js';
import { decodeBody, readBody, sendJson, sendRawJson } from '../http.js';
import { writeOptions } from './params.js';

const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

function applyPatch(type: string, doc: KubeObject, patch: unknown): unknown {
  if (type === 'application/strategic-merge-patch+json') return applyStrategicMergePatch(doc, patch, 'V1Pod');
  return type === 'application/json-patch+json' ? applyJsonPatch(doc, patch) : applyMergePatch(doc, patch);
}

/** Serves one request on pods/{name}/ephemeralcontainers; returns the audit verb and HTTP code. */
export async function serveEphemeralContainers(
  req: IncomingMessage,
  res: ServerResponse,
  pods: GenericStore,
  namespace: string,
  name: string,
  query: URLSearchParams,
): Promise<{ verb: string; code: number }> {
  const method = req.method ?? 'GET';
  if (method === 'GET') {
    sendRawJson(res, 200, encodeServed(await pods.getKV(namespace, name)));
    return { verb: 'GET', code: 200 };
  }
  const opts = { ...writeOptions(query), manager: query.get('fieldManager') || defaultFieldManager(req.headers['user-agent']) };
  const fieldValidation = opts.fieldValidation ?? 'Ignore';
  if (method === 'PUT') {
    const body = decodeBody(await readBody(req), req.headers['content-type']);
    const { obj } = decodeObjectBody(pods.def, body.value, fieldValidation, body.duplicates);
    if (obj.metadata?.name !== name) {
      throw new StatusError('BadRequest', `the name of the object (${obj.metadata?.name ?? ''}) does not match the name on the URL (${name})`);
    }
    sendJson(res, 200, await updateEphemeralContainers(pods, namespace, name, () => obj, opts));
    return { verb: 'UPDATE', code: 200 };
  }
  if (method === 'PATCH') {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!PATCH_TYPES.includes(type)) {
      throw new StatusError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${PATCH_TYPES.join(', ')}`);
    }
    const patch = decodeBody(await readBody(req), type).value;
    const updated = await updateEphemeralContainers(pods, namespace, name, (current) => decodeObjectBody(pods.def, applyPatch(type, current, patch), fieldValidation).obj, opts);
    sendJson(res, 200, updated);
    return { verb: 'PATCH', code: 200 };
  }
  throw new StatusError('MethodNotAllowed', `the server does not allow this method on the requested resource (${method} pods/ephemeralcontainers)`);
}
