/**
 * helm's kube client (pkg/kube/client.go) over Skiff's RestClient: turns manifest text into
 * resources (kind -> resource through discovery of the group version, release namespace filled
 * in for namespaced kinds), and creates, reads, patches, replaces and deletes them.
 * Updates send the three-way patch helm sends: strategic merge for built-in kinds, JSON merge
 * patch for custom resources (see patch.ts).
 */
import { splitManifests } from '../manifests.js';
import { parseYaml } from '../values/yaml.js';
import type { RestClient } from '../../client/rest.js';
import { threeWayPatch } from './patch.js';

export type KubeObject = Record<string, unknown> & { metadata?: Record<string, unknown> };

export interface Resource {
  apiVersion: string;
  kind: string;
  name: string;
  /** "" for cluster-scoped kinds. */
  namespace: string;
  /** Collection URL, e.g. /apis/apps/v1/namespaces/ns/deployments. */
  collection: string;
  object: KubeObject;
}

interface ApiResource { name: string; kind: string; namespaced: boolean }

export class KubeError extends Error {
  constructor(message: string, readonly status: number) { super(message); }
}

export function objectMeta(o: KubeObject): Record<string, unknown> {
  if (!o.metadata || typeof o.metadata !== 'object') o.metadata = {};
  return o.metadata;
}

export function resourceId(r: Pick<Resource, 'kind' | 'name' | 'namespace'>): string {
  return r.namespace ? `${r.kind} "${r.name}" in namespace "${r.namespace}"` : `${r.kind} "${r.name}"`;
}

/** Same object (group, kind, namespace, name) — helm's resource list identity. */
export function sameResource(a: Resource, b: Resource): boolean {
  const group = (v: string) => (v.includes('/') ? v.slice(0, v.indexOf('/')) : '');
  return group(a.apiVersion) === group(b.apiVersion) && a.kind === b.kind && a.name === b.name && a.namespace === b.namespace;
}

function message(body: unknown, text: string): string {
  const m = (body as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' ? m : text.trim();
}

export class KubeClient {
  private readonly discovery = new Map<string, ApiResource[]>();

  constructor(readonly rest: RestClient, readonly namespace: string, readonly log: (m: string) => void = () => undefined) {}

  private async groupVersion(apiVersion: string, refresh: boolean): Promise<ApiResource[]> {
    const cached = this.discovery.get(apiVersion);
    if (cached && !refresh) return cached;
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const res = await this.rest.get<{ resources?: ApiResource[] }>(path);
    const list = res.status === 200 ? (res.body.resources ?? []).filter((r) => !r.name.includes('/')) : [];
    this.discovery.set(apiVersion, list);
    return list;
  }

  /** RESTMapping: the resource serving `kind` in `apiVersion` (rediscovered once on a miss, for new CRDs). */
  async mapping(apiVersion: string, kind: string): Promise<ApiResource> {
    let found = (await this.groupVersion(apiVersion, false)).find((r) => r.kind === kind);
    if (!found) found = (await this.groupVersion(apiVersion, true)).find((r) => r.kind === kind);
    if (!found) throw new KubeError(`no matches for kind "${kind}" in version "${apiVersion}"`, 404);
    return found;
  }

  /** Build: parse a manifest stream into resources. */
  async build(manifest: string): Promise<Resource[]> {
    const out: Resource[] = [];
    // Documents read as kubectl/helm read them (go-yaml v2 then JSON): YAML 1.1 booleans and
    // octals, timestamps left as strings.
    for (const doc of splitManifests(manifest)) {
      let o: unknown;
      try { o = parseYaml(doc); } catch (e) { throw new Error(`error converting YAML to JSON: ${(e as Error).message}`); }
      if (o === null || o === undefined) continue;
      if (typeof o !== 'object' || Array.isArray(o)) throw new Error('error validating data: manifest is not an object');
      out.push(await this.resourceFor(o as KubeObject));
    }
    return out;
  }

  async resourceFor(o: KubeObject): Promise<Resource> {
    const apiVersion = typeof o.apiVersion === 'string' ? o.apiVersion : '';
    const kind = typeof o.kind === 'string' ? o.kind : '';
    const meta = objectMeta(o);
    const name = typeof meta.name === 'string' ? meta.name : '';
    if (!apiVersion || !kind) throw new Error(`error validating data: ${!apiVersion ? 'apiVersion' : 'kind'} not set`);
    let m: ApiResource;
    try {
      m = await this.mapping(apiVersion, kind);
    } catch (e) {
      throw new Error(`resource mapping not found for name: "${name}" namespace: "${typeof meta.namespace === 'string' ? meta.namespace : ''}" from "": ${(e as Error).message}\nensure CRDs are installed first`);
    }
    let namespace = '';
    if (m.namespaced) {
      namespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : this.namespace;
      meta.namespace = namespace;
    }
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const collection = m.namespaced ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${m.name}` : `${prefix}/${m.name}`;
    return { apiVersion, kind, name, namespace, collection, object: o };
  }

  url(r: Resource, sub = ''): string {
    return `${r.collection}/${encodeURIComponent(r.name)}${sub ? `/${sub}` : ''}`;
  }

  async get(r: Resource): Promise<KubeObject | undefined> {
    const res = await this.rest.get<KubeObject>(this.url(r));
    if (res.status === 404) return undefined;
    if (res.status >= 300) throw new KubeError(message(res.body, res.text), res.status);
    return res.body;
  }

  async create(r: Resource): Promise<KubeObject> {
    const res = await this.rest.post<KubeObject>(r.collection, r.object);
    if (res.status >= 300) throw new KubeError(`failed to create resource: ${message(res.body, res.text)}`, res.status);
    return res.body;
  }

  /** updateResource: replace with --force, else the three-way patch (skipped when empty). */
  async update(original: KubeObject | undefined, target: Resource, current: KubeObject, force: boolean): Promise<void> {
    if (force) {
      // Replace with overwrite, as helm's --force does: the live resourceVersion makes the PUT unconditional.
      const body = structuredClone(target.object);
      objectMeta(body).resourceVersion = objectMeta(current).resourceVersion;
      const res = await this.rest.put(this.url(target), body);
      if (res.status >= 300) throw new KubeError(`failed to replace object: ${message(res.body, res.text)}`, res.status);
      return;
    }
    const { patch, type } = threeWayPatch(original ?? current, target, current);
    if (Object.keys(patch).length === 0) { this.log(`Looks like there are no changes for ${target.kind} "${target.name}"`); return; }
    const res = await this.rest.patch(this.url(target), patch, type);
    if (res.status >= 300) throw new KubeError(`cannot patch "${target.name}" with kind ${target.kind}: ${message(res.body, res.text)}`, res.status);
  }

  async delete(r: Resource, propagationPolicy: 'Background' | 'Foreground' | 'Orphan' = 'Background'): Promise<boolean> {
    const res = await this.rest.delete(this.url(r), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy });
    if (res.status === 404) return false;
    if (res.status >= 300) throw new KubeError(message(res.body, res.text), res.status);
    return true;
  }

  /** Lists objects of a kind in a namespace (label selector optional). */
  async list(apiVersion: string, kind: string, namespace: string, selector = ''): Promise<KubeObject[]> {
    const m = await this.mapping(apiVersion, kind);
    const prefix = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const path = m.namespaced ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${m.name}` : `${prefix}/${m.name}`;
    const res = await this.rest.get<{ items?: KubeObject[] }>(selector ? `${path}?labelSelector=${encodeURIComponent(selector)}` : path);
    if (res.status >= 300) throw new KubeError(message(res.body, res.text), res.status);
    return res.body.items ?? [];
  }
}
