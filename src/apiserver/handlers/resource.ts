/**
 * REST handlers for API resources: create, get, list, watch, update, patch, delete, deletecollection,
 * and the status, scale, binding, eviction and finalize subresources. Everything is dispatched to the
 * registry's generic store for the addressed kind.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../../api/types.js';
import { StatusError, notFound } from '../../machinery/errors.js';
import { applyJsonPatch, applyMergePatch } from '../../machinery/patch.js';
import { applyStrategicMergePatch } from '../../machinery/strategic/index.js';
import { applyPatch as serverSideApply, defaultFieldManager, trackUpdate } from '../../machinery/apply/index.js';
import { hasModel } from '../../api/schema.js';
import { encodeServed } from '../../registry/codec.js';
import type { Registry } from '../../registry/index.js';
import { bindPod } from '../../registry/kinds/pod.js';
import { evictPod } from '../../registry/kinds/eviction.js';
import { serveEphemeralContainers } from './ephemeral-containers.js';
import { listObjects } from '../../registry/store-read.js';
import type { GenericStore } from '../../registry/store.js';
import { decodeBody as decodeObjectBody, nowRfc3339 } from '../../registry/strategy.js';
import { decodeBody, readBody, sendJson, sendRawJson, warningHeader } from '../http.js';
import { respondWithTable, tableWatchEncoder } from '../tables/respond.js';
import type { ResourceRequest } from '../request-info.js';
import { deleteOptions, isWatch, listOptions, watchOptions, writeOptions } from './params.js';
import { fromScale, toScale } from './scale.js';
import { serveWatch } from './watch-stream.js';
import { answerReview } from './reviews.js';
import { assertApplyConfigurationTyped } from './apply-typed.js';
import { reviewPlurals } from '../../api/kinds/authorization/index.js';

export interface HandledRequest {
  verb: string;
  code: number;
  /** Set for watches: the stream is still open when the handler returns. */
  streaming?: boolean;
}

const SMP = 'application/strategic-merge-patch+json';
const APPLY = 'application/apply-patch+yaml';
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', SMP, APPLY];

/** The manager recorded in managedFields: `?fieldManager=`, else upstream's User-Agent prefix. */
function fieldManagerOf(req: IncomingMessage, query: URLSearchParams): string {
  return query.get('fieldManager') || defaultFieldManager(req.headers['user-agent']);
}

/** Records an Update by the request's manager in `next.metadata.managedFields` (create when `old` is undefined). */
function recordUpdate(store: GenericStore, req: IncomingMessage, query: URLSearchParams, old: KubeObject | undefined, next: unknown, subresource?: string): void {
  if (next === null || typeof next !== 'object' || Array.isArray(next)) return;
  const obj = next as KubeObject;
  obj.metadata = { ...(obj.metadata ?? {}), managedFields: trackUpdate(old, obj, fieldManagerOf(req, query), 'Update', store.def.model, nowRfc3339(), subresource) };
}

function apiVersion(store: GenericStore): string {
  const r = store.def.resource;
  return r.group ? `${r.group}/${r.version}` : r.version;
}

function methodNotAllowed(method: string, what: string): StatusError {
  return new StatusError('MethodNotAllowed', `the server does not allow this method on the requested resource (${method} ${what})`);
}

export class ResourceHandler {
  constructor(
    private readonly registry: Registry,
    private readonly hooks: {
      watchOpened(resource: string): void;
      watchClosed(resource: string): void;
      /** serviceaccounts/{name}/token: answers the TokenRequest (see registry/kinds/serviceaccount-token.ts). */
      createToken?(namespace: string, name: string, body: unknown): Promise<KubeObject>;
      /** pods/{log,exec,attach,portforward} without an upgrade (see apiserver/streaming/pod-streaming.ts). */
      podStreaming?: {
        serve(req: IncomingMessage, res: ServerResponse, namespace: string, name: string, sub: string, query: URLSearchParams): Promise<number>;
        /** nodes/{name}/proxy/{path...} forwarded to the kubelet. */
        serveNodeProxy(req: IncomingMessage, res: ServerResponse, node: string, rest: string[], query: URLSearchParams): Promise<number>;
      };
    },
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams): Promise<HandledRequest> {
    const store = this.registry.storeFor(info.group, info.version, info.resource);
    if (!store) throw new StatusError('NotFound', 'the server could not find the requested resource', { causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }] });
    const r = store.def.resource;
    if (!r.namespaced && info.namespace) throw new StatusError('NotFound', 'the server could not find the requested resource');
    const ns = r.namespaced ? info.namespace : undefined;
    const method = req.method ?? 'GET';
    if (info.subresource === 'proxy' && info.resource === 'nodes' && !info.group && info.name && this.hooks.podStreaming) {
      return { verb: method, code: await this.hooks.podStreaming.serveNodeProxy(req, res, info.name, info.rest, query) };
    }
    if (info.rest.length > 0) throw new StatusError('NotFound', 'the server could not find the requested resource');
    if (r.group === 'authorization.k8s.io' && reviewPlurals.has(r.plural)) {
      if (method !== 'POST' || info.name) throw methodNotAllowed(method, r.plural);
      const body = decodeBody(await readBody(req), req.headers['content-type']);
      sendJson(res, 201, answerReview(r.plural, body.value));
      return { verb: 'CREATE', code: 201 };
    }
    if (info.subresource) return this.subresource(req, res, store, ns, info, query, method);
    if (!info.name) {
      switch (method) {
        case 'GET':
          if (isWatch(query)) {
            const opts = watchOptions(query);
            this.hooks.watchOpened(r.plural);
            await serveWatch(req, res, store, ns, opts, () => this.hooks.watchClosed(r.plural), tableWatchEncoder(req, store.def, query));
            return { verb: 'WATCH', code: 200, streaming: true };
          }
          return { verb: 'LIST', code: await this.list(req, res, store, ns, query) };
        case 'POST': {
          const body = decodeBody(await readBody(req), req.headers['content-type']);
          recordUpdate(store, req, query, undefined, body.value);
          const result = await store.create(ns, body.value, writeOptions(query), body.duplicates);
          sendJson(res, 201, result.object, warningHeader(result.warnings));
          return { verb: 'CREATE', code: 201 };
        }
        case 'DELETE':
          return { verb: 'DELETECOLLECTION', code: await this.deleteCollection(req, res, store, ns, query) };
        default:
          throw methodNotAllowed(method, r.plural);
      }
    }
    const name = info.name;
    switch (method) {
      case 'GET': {
        const kv = await store.getKV(ns, name);
        const text = encodeServed(kv);
        const one = (): KubeObject[] => [JSON.parse(text) as KubeObject];
        if (!respondWithTable(req, res, store.def, query, one, { resourceVersion: one()[0]!.metadata?.resourceVersion })) sendRawJson(res, 200, text);
        return { verb: 'GET', code: 200 };
      }
      case 'PUT': {
        const body = decodeBody(await readBody(req), req.headers['content-type']);
        recordUpdate(store, req, query, await store.get(ns, name).catch(() => undefined), body.value);
        const result = await store.update(ns, name, body.value, writeOptions(query), body.duplicates);
        sendJson(res, 200, result.object, warningHeader(result.warnings));
        return { verb: 'UPDATE', code: 200 };
      }
      case 'PATCH': {
        const { object, created } = await this.patch(req, store, ns, name, query);
        sendJson(res, created ? 201 : 200, object);
        return { verb: 'PATCH', code: created ? 201 : 200 };
      }
      case 'DELETE': {
        const raw = await readBody(req);
        const body = raw.length > 0 ? decodeBody(raw, req.headers['content-type']).value : undefined;
        const result = await store.delete(ns, name, deleteOptions(query, body));
        if (result.deleted && !['pods', 'services', 'namespaces'].includes(r.plural)) {
          sendJson(res, 200, {
            kind: 'Status',
            apiVersion: 'v1',
            metadata: {},
            status: 'Success',
            details: { name, ...(r.group ? { group: r.group } : {}), kind: r.plural, uid: result.object.metadata?.uid },
          });
        } else {
          sendJson(res, 200, result.object);
        }
        return { verb: 'DELETE', code: 200 };
      }
      default:
        throw methodNotAllowed(method, r.plural);
    }
  }

  private async list(req: IncomingMessage, res: ServerResponse, store: GenericStore, ns: string | undefined, query: URLSearchParams): Promise<number> {
    const page = await listObjects(store, ns, listOptions(query));
    const r = store.def.resource;
    const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = { resourceVersion: page.resourceVersion };
    if (page.continue) meta.continue = page.continue;
    if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
    if (respondWithTable(req, res, store.def, query, () => page.items.map((kv) => JSON.parse(encodeServed(kv)) as KubeObject), meta)) return 200;
    const items = page.items.map(encodeServed).join(',');
    sendRawJson(res, 200, `{"kind":"${r.listKind}","apiVersion":"${apiVersion(store)}","metadata":${JSON.stringify(meta)},"items":[${items}]}`);
    return 200;
  }

  private async deleteCollection(req: IncomingMessage, res: ServerResponse, store: GenericStore, ns: string | undefined, query: URLSearchParams): Promise<number> {
    const raw = await readBody(req);
    const body = raw.length > 0 ? decodeBody(raw, req.headers['content-type']).value : undefined;
    const opts = deleteOptions(query, body);
    const page = await listObjects(store, ns, { ...listOptions(query), limit: undefined, continue: undefined });
    const deleted: KubeObject[] = [];
    for (const kv of page.items) {
      const obj = JSON.parse(encodeServed(kv)) as KubeObject;
      try {
        const result = await store.delete(obj.metadata?.namespace, obj.metadata!.name!, opts);
        deleted.push(result.object);
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
      }
    }
    const r = store.def.resource;
    sendJson(res, 200, { kind: r.listKind, apiVersion: apiVersion(store), metadata: {}, items: deleted });
    return 200;
  }

  private async readPatch(req: IncomingMessage, store: GenericStore, allowApply = true): Promise<{ type: string; patch: unknown }> {
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    // Strategic merge needs the kind's Go types: custom resources get 415 as upstream. Apply only on the resource itself here.
    const supported = PATCH_TYPES.filter((t) => (t !== SMP || hasModel(store.def.model)) && (t !== APPLY || allowApply));
    if (!supported.includes(type)) {
      throw new StatusError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${supported.join(', ')}`);
    }
    const body = decodeBody(await readBody(req), type);
    return { type, patch: body.value };
  }

  private applyPatch(type: string, doc: KubeObject, patch: unknown, model: string): unknown {
    if (type === SMP) return applyStrategicMergePatch(doc, patch, model);
    return type === 'application/json-patch+json' ? applyJsonPatch(doc, patch) : applyMergePatch(doc, patch);
  }

  private async patch(req: IncomingMessage, store: GenericStore, ns: string | undefined, name: string, query: URLSearchParams, subresource?: 'status'): Promise<{ object: KubeObject; created?: boolean }> {
    const { type, patch } = await this.readPatch(req, store, !subresource);
    if (type === APPLY) return this.apply(store, ns, name, patch, query);
    const opts = { ...writeOptions(query), subresource };
    const object = await store.updateWith(
      ns,
      name,
      (current) => {
        const currentRV = current.metadata?.resourceVersion;
        const next = this.applyPatch(type, current, patch, store.def.model);
        recordUpdate(store, req, query, current, next, subresource);
        const { obj } = decodeForPatch(store, next, opts.fieldValidation ?? 'Ignore');
        // A patch that does not mention resourceVersion applies to whatever is current.
        if (obj.metadata && obj.metadata.resourceVersion === currentRV) delete obj.metadata.resourceVersion;
        if (obj.metadata?.name !== name) throw new StatusError('BadRequest', `the name of the object (${obj.metadata?.name ?? ''}) does not match the name on the URL (${name})`);
        return obj;
      },
      opts,
    );
    return { object };
  }

  /** Server-side apply: merge into the live object with field ownership, or create it when missing. */
  private async apply(store: GenericStore, ns: string | undefined, name: string, patch: unknown, query: URLSearchParams): Promise<{ object: KubeObject; created?: boolean }> {
    const manager = query.get('fieldManager');
    if (!manager) throw new StatusError('BadRequest', 'fieldManager is required for apply requests');
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new StatusError('BadRequest', 'error decoding YAML: the applied configuration must be an object');
    const applied = patch as KubeObject;
    assertApplyConfigurationTyped(store.def, applied);
    const force = query.get('force') === 'true';
    const opts = writeOptions(query);
    const applyOpts = { manager, force, model: store.def.model, now: nowRfc3339() };
    try {
      const object = await store.updateWith(
        ns,
        name,
        (current) => {
          const currentRV = current.metadata?.resourceVersion;
          const { obj } = decodeForPatch(store, serverSideApply(current, applied, applyOpts).object, opts.fieldValidation ?? 'Ignore');
          if (obj.metadata && obj.metadata.resourceVersion === currentRV) delete obj.metadata.resourceVersion;
          if (obj.metadata?.name !== name) throw new StatusError('BadRequest', `the name of the object (${obj.metadata?.name ?? ''}) does not match the name on the URL (${name})`);
          return obj;
        },
        opts,
      );
      return { object };
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
    }
    const { object: fresh } = serverSideApply(undefined, applied, applyOpts);
    if ((fresh.metadata?.name ?? name) !== name) throw new StatusError('BadRequest', `the name of the object (${fresh.metadata?.name ?? ''}) does not match the name on the URL (${name})`);
    fresh.metadata = { ...(fresh.metadata ?? {}), name };
    const result = await store.create(ns, fresh, opts);
    return { object: result.object, created: true };
  }

  private async subresource(req: IncomingMessage, res: ServerResponse, store: GenericStore, ns: string | undefined, info: ResourceRequest, query: URLSearchParams, method: string): Promise<HandledRequest> {
    const r = store.def.resource;
    const name = info.name!;
    const sub = info.subresource!;
    if (r.plural === 'pods' && !r.group && this.hooks.podStreaming && ['log', 'exec', 'attach', 'portforward'].includes(sub)) {
      return { verb: sub === 'log' ? 'GET' : 'CONNECT', code: await this.hooks.podStreaming.serve(req, res, ns!, name, sub, query) };
    }
    if (!(r.subresources as string[]).includes(sub) && !(r.plural === 'namespaces' && sub === 'finalize')) {
      throw new StatusError('NotFound', 'the server could not find the requested resource');
    }
    if (sub === 'status') {
      if (method === 'GET') {
        sendRawJson(res, 200, encodeServed(await store.getKV(ns, name)));
        return { verb: 'GET', code: 200 };
      }
      if (method === 'PUT') {
        const body = decodeBody(await readBody(req), req.headers['content-type']);
        const result = await store.update(ns, name, body.value, { ...writeOptions(query), subresource: 'status' }, body.duplicates);
        sendJson(res, 200, result.object, warningHeader(result.warnings));
        return { verb: 'UPDATE', code: 200 };
      }
      if (method === 'PATCH') {
        sendJson(res, 200, (await this.patch(req, store, ns, name, query, 'status')).object);
        return { verb: 'PATCH', code: 200 };
      }
      throw methodNotAllowed(method, `${r.plural}/status`);
    }
    if (sub === 'scale' && store.def.scale) {
      if (method === 'GET') {
        sendJson(res, 200, toScale(store, await store.get(ns, name)));
        return { verb: 'GET', code: 200 };
      }
      if (method === 'PUT' || method === 'PATCH') {
        const opts = writeOptions(query);
        const bodyOrPatch = method === 'PUT' ? { type: 'put', patch: decodeBody(await readBody(req), req.headers['content-type']).value } : await this.readPatch(req, store, false);
        const updated = await store.updateWith(
          ns,
          name,
          (current) => {
            const scale = toScale(store, current);
            const next = bodyOrPatch.type === 'put' ? bodyOrPatch.patch : this.applyPatch(bodyOrPatch.type, scale as KubeObject, bodyOrPatch.patch, 'V1Scale');
            const before = structuredClone(current); // fromScale edits its argument
            const scaled = fromScale(store, current, next, name);
            recordUpdate(store, req, query, before, scaled, 'scale');
            return scaled;
          },
          opts,
        );
        sendJson(res, 200, toScale(store, updated));
        return { verb: method === 'PUT' ? 'UPDATE' : 'PATCH', code: 200 };
      }
      throw methodNotAllowed(method, `${r.plural}/scale`);
    }
    if (sub === 'ephemeralcontainers' && r.plural === 'pods' && !r.group) return serveEphemeralContainers(req, res, store, ns!, name, query);
    if (sub === 'binding' && r.plural === 'pods' && method === 'POST') {
      const body = decodeBody(await readBody(req), req.headers['content-type']);
      await bindPod(store, ns!, name, body.value);
      sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
      return { verb: 'CREATE', code: 201 };
    }
    if (sub === 'eviction' && r.plural === 'pods' && method === 'POST') {
      const body = decodeBody(await readBody(req), req.headers['content-type']);
      await evictPod(this.registry, store, ns!, name, body.value);
      sendJson(res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
      return { verb: 'CREATE', code: 201 };
    }
    if (sub === 'token' && r.plural === 'serviceaccounts' && method === 'POST' && this.hooks.createToken) {
      const body = decodeBody(await readBody(req), req.headers['content-type']);
      sendJson(res, 201, await this.hooks.createToken(ns!, name, body.value));
      return { verb: 'CREATE', code: 201 };
    }
    if (sub === 'finalize' && r.plural === 'namespaces' && method === 'PUT') {
      const body = decodeBody(await readBody(req), req.headers['content-type']).value as KubeObject;
      const finalizers = ((body?.spec as { finalizers?: unknown } | undefined)?.finalizers ?? []) as unknown;
      if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) throw new StatusError('BadRequest', 'spec.finalizers must be a list of strings');
      const updated = await store.updateWith(ns, name, (current) => ({ ...current, spec: { ...(current.spec as object), finalizers } }), writeOptions(query));
      sendJson(res, 200, updated);
      return { verb: 'UPDATE', code: 200 };
    }
    if (!info.name) throw notFound(store.ref, '');
    throw methodNotAllowed(method, `${r.plural}/${sub}`);
  }
}

function decodeForPatch(store: GenericStore, value: unknown, fv: 'Strict' | 'Warn' | 'Ignore'): { obj: KubeObject; warnings: string[] } {
  return decodeObjectBody(store.def, value, fv);
}
