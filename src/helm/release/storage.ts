/**
 * Release storage in Secrets, as helm's secrets driver (pkg/storage/driver/secrets.go) and
 * storage layer (pkg/storage/storage.go) keep it: one Secret `sh.helm.release.v1.<name>.v<rev>`
 * per revision in the release namespace, type `helm.sh/release.v1`, labels name/owner=helm/
 * status/version plus createdAt (create) or modifiedAt (update), data.release = encodeRelease().
 *
 * Input: a RestClient for the cluster. Output: create/update/get/history/list/delete of Releases.
 */
import type { RestClient } from '../../client/rest.js';
import { decodeRelease, encodeRelease, SYSTEM_LABELS, type Release } from './release.js';

export class ReleaseNotFound extends Error {
  constructor() { super('release: not found'); }
}

interface SecretObject {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

export function secretName(name: string, version: number): string {
  return `sh.helm.release.v1.${name}.v${version}`;
}

/** A Secret's data may hold at most 1 MiB (the API server's limit). */
const MAX_SECRET_DATA = 1024 * 1024;

function secretBody(r: Release, extraLabel: [string, string]): Record<string, unknown> {
  const encoded = encodeRelease(r);
  if (encoded.length > MAX_SECRET_DATA) {
    throw new Error(`release ${r.name} v${r.version} is too large to store: its encoded size is ${encoded.length} bytes, ` +
      `over the ${MAX_SECRET_DATA}-byte limit of a Secret (large files in the chart, e.g. under files/ or crds/, count; list them in .helmignore)`);
  }
  return {
    apiVersion: 'v1', kind: 'Secret',
    metadata: {
      name: secretName(r.name, r.version), namespace: r.namespace,
      labels: { ...(r.labels ?? {}), [extraLabel[0]]: extraLabel[1], name: r.name, owner: 'helm', status: r.info.status, version: String(r.version) },
    },
    type: 'helm.sh/release.v1',
    data: { release: Buffer.from(encoded, 'utf8').toString('base64') },
  };
}

function statusMessage(body: unknown, fallback: string): string {
  const m = (body as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' ? m : fallback;
}

function decodeSecret(s: SecretObject): Release {
  const raw = s.data?.release;
  if (!raw) throw new Error(`secret ${s.metadata?.name ?? ''} has no release data`);
  const r = decodeRelease(Buffer.from(raw, 'base64').toString('utf8'));
  const custom = Object.entries(s.metadata?.labels ?? {}).filter(([k]) => !SYSTEM_LABELS.includes(k));
  if (custom.length > 0) r.labels = Object.fromEntries(custom);
  return r;
}

export class SecretsStorage {
  /** `namespace` "" lists across all namespaces (helm list -A). */
  constructor(private readonly client: RestClient, readonly namespace: string) {}

  private base(ns = this.namespace): string {
    return ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets` : '/api/v1/secrets';
  }

  async create(r: Release): Promise<void> {
    const body = secretBody(r, ['createdAt', String(Math.floor(Date.now() / 1000))]);
    const res = await this.client.post(this.base(r.namespace), body);
    // Two concurrent operations on one release collide here: the second create fails (helm's pessimistic lock).
    if (res.status === 409) throw new Error(`create: failed to create: secrets "${secretName(r.name, r.version)}" already exists`);
    if (res.status >= 300) throw new Error(`create: failed to create: ${statusMessage(res.body, res.text)}`);
  }

  async update(r: Release): Promise<void> {
    const body = secretBody(r, ['modifiedAt', String(Math.floor(Date.now() / 1000))]);
    const res = await this.client.put(`${this.base(r.namespace)}/${secretName(r.name, r.version)}`, body);
    if (res.status >= 300) throw new Error(`update: failed to update: ${statusMessage(res.body, res.text)}`);
  }

  async get(name: string, version: number): Promise<Release> {
    const res = await this.client.get<SecretObject>(`${this.base()}/${secretName(name, version)}`);
    if (res.status === 404) throw new ReleaseNotFound();
    if (res.status >= 300) throw new Error(`get: failed to get ${JSON.stringify(secretName(name, version))}: ${statusMessage(res.body, res.text)}`);
    return decodeSecret(res.body);
  }

  /** Releases whose Secrets match the label selector (owner=helm always added). */
  async query(selector: Record<string, string>): Promise<Release[]> {
    const sel = Object.entries({ owner: 'helm', ...selector }).map(([k, v]) => `${k}=${v}`).join(',');
    const res = await this.client.get<{ items?: SecretObject[] }>(`${this.base()}?labelSelector=${encodeURIComponent(sel)}`);
    if (res.status >= 300) throw new Error(`query: failed to query with labels: ${statusMessage(res.body, res.text)}`);
    const out: Release[] = [];
    for (const s of res.body.items ?? []) {
      try { out.push(decodeSecret(s)); } catch { /* helm skips undecodable secrets */ }
    }
    return out;
  }

  /** Every revision of a release, oldest first. Empty when there are none. */
  async history(name: string): Promise<Release[]> {
    return (await this.query({ name })).sort((a, b) => a.version - b.version);
  }

  async last(name: string): Promise<Release> {
    const h = await this.history(name);
    if (h.length === 0) throw new ReleaseNotFound();
    return h[h.length - 1];
  }

  /** The deployed revisions, newest first (helm's DeployedAll). */
  async deployedAll(name: string): Promise<Release[]> {
    return (await this.query({ name, status: 'deployed' })).sort((a, b) => b.version - a.version);
  }

  async delete(name: string, version: number, namespace = this.namespace): Promise<void> {
    const res = await this.client.delete(`${this.base(namespace)}/${secretName(name, version)}`);
    if (res.status >= 300 && res.status !== 404) throw new Error(`delete: failed to delete: ${statusMessage(res.body, res.text)}`);
  }

  /** removeLeastRecent: keep at most `max` revisions, never the latest deployed one. */
  async pruneHistory(name: string, max: number): Promise<void> {
    if (max <= 0) return;
    const h = await this.history(name);
    if (h.length <= max) return;
    const deployed = [...h].reverse().find((r) => r.info.status === 'deployed');
    const removable = h.filter((r) => r !== deployed);
    let excess = h.length - max;
    for (const r of removable) {
      if (excess <= 0) break;
      await this.delete(r.name, r.version, r.namespace);
      excess--;
    }
  }
}
