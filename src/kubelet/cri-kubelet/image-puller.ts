/**
 * Makes a container's image present before it is created, as upstream's image manager does:
 * imagePullPolicy Always / IfNotPresent / Never, credentials from the pod's imagePullSecrets
 * (kubernetes.io/dockerconfigjson or .dockercfg) matched by registry host, and a per-image back-off
 * after failures so a bad image shows ErrImagePull then ImagePullBackOff instead of hammering the
 * registry. Returns the image reference to create the container from, or the waiting reason.
 */
import type { KubeObject } from '../../api/types.js';
import type { CriClient } from '../cri/client.js';
import type { AuthConfig } from '../cri/types.js';

export type PullOutcome =
  | { ok: true; imageRef: string; pulled: boolean; ms?: number }
  | { ok: false; reason: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull' | 'InvalidImageName'; message: string; retryAfterMs?: number };

export interface SecretReader {
  get(resource: 'secrets', namespace: string, name: string): Promise<KubeObject | null>;
}

/** The registry host of an image reference, as docker's reference grammar defines it. */
export function registryHost(image: string): string {
  const slash = image.indexOf('/');
  if (slash < 0) return 'docker.io';
  const first = image.slice(0, slash);
  return first.includes('.') || first.includes(':') || first === 'localhost' ? first : 'docker.io';
}

function defaultPolicy(image: string): string {
  const last = image.slice(image.lastIndexOf('/') + 1);
  if (image.includes('@')) return 'IfNotPresent';
  const colon = last.lastIndexOf(':');
  return colon < 0 || last.slice(colon + 1) === 'latest' ? 'Always' : 'IfNotPresent';
}

function decodeB64(s: unknown): string {
  return typeof s === 'string' ? Buffer.from(s, 'base64').toString('utf8') : '';
}

function authFromEntry(host: string, entry: Record<string, unknown>): AuthConfig {
  let username = typeof entry.username === 'string' ? entry.username : '';
  let password = typeof entry.password === 'string' ? entry.password : '';
  if (!username && typeof entry.auth === 'string') {
    const plain = decodeB64(entry.auth);
    const i = plain.indexOf(':');
    if (i >= 0) [username, password] = [plain.slice(0, i), plain.slice(i + 1)];
  }
  return { username, password, server_address: host } as AuthConfig;
}

function hostOfKey(key: string): string {
  return key.replace(/^https?:\/\//, '').split('/')[0]!;
}

/** Credentials for `image` from the pod's pull secrets, first match wins (upstream's keyring order). */
export async function pullCredentials(pod: KubeObject, image: string, secrets: SecretReader): Promise<AuthConfig | undefined> {
  const host = registryHost(image);
  const refs = ((pod.spec as { imagePullSecrets?: Array<{ name?: string }> } | undefined)?.imagePullSecrets ?? []).map((r) => r.name).filter((n): n is string => !!n);
  for (const name of refs) {
    const secret = await secrets.get('secrets', pod.metadata?.namespace ?? 'default', name).catch(() => null);
    const data = (secret?.data ?? {}) as Record<string, string>;
    let auths: Record<string, Record<string, unknown>> = {};
    try {
      if (data['.dockerconfigjson']) auths = (JSON.parse(decodeB64(data['.dockerconfigjson'])) as { auths?: typeof auths }).auths ?? {};
      else if (data['.dockercfg']) auths = JSON.parse(decodeB64(data['.dockercfg'])) as typeof auths;
    } catch {
      continue;
    }
    for (const [key, entry] of Object.entries(auths)) {
      const h = hostOfKey(key);
      if (h === host || (host === 'docker.io' && (h === 'index.docker.io' || h === 'registry-1.docker.io'))) return authFromEntry(host, entry);
    }
  }
  return undefined;
}

interface BackoffEntry {
  delayMs: number;
  until: number;
}

export class ImagePuller {
  private readonly backoff = new Map<string, BackoffEntry>();

  constructor(
    private readonly cri: CriClient,
    private readonly secrets: SecretReader,
    private readonly opts: { initialBackoffMs?: number; maxBackoffMs?: number } = {},
  ) {}

  async ensure(pod: KubeObject, container: { image?: string; imagePullPolicy?: string }): Promise<PullOutcome> {
    const image = container.image ?? '';
    if (!image || /\s/.test(image) || image !== image.trim()) return { ok: false, reason: 'InvalidImageName', message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format` };
    const policy = container.imagePullPolicy || defaultPolicy(image);
    const present = await this.cri.imageStatus(image);
    if (present && policy !== 'Always') return { ok: true, imageRef: present.id || image, pulled: false };
    if (policy === 'Never') {
      if (present) return { ok: true, imageRef: present.id || image, pulled: false };
      return { ok: false, reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` };
    }
    const key = `${pod.metadata?.uid}/${image}`;
    const b = this.backoff.get(key);
    if (b && Date.now() < b.until) return { ok: false, reason: 'ImagePullBackOff', message: `Back-off pulling image "${image}"`, retryAfterMs: b.until - Date.now() };
    const started = Date.now();
    try {
      const auth = await pullCredentials(pod, image, this.secrets);
      const ref = await this.cri.pullImage(image, auth);
      this.backoff.delete(key);
      return { ok: true, imageRef: ref || image, pulled: true, ms: Date.now() - started };
    } catch (err) {
      const initial = this.opts.initialBackoffMs ?? 10_000;
      const delayMs = b ? Math.min(b.delayMs * 2, this.opts.maxBackoffMs ?? 300_000) : initial;
      this.backoff.set(key, { delayMs, until: Date.now() + delayMs });
      const detail = (err as { details?: string }).details || (err as Error).message;
      return { ok: false, reason: 'ErrImagePull', message: `failed to pull and unpack image "${image}": ${detail}`, retryAfterMs: delayMs };
    }
  }

  forgetPod(uid: string): void {
    for (const key of this.backoff.keys()) if (key.startsWith(`${uid}/`)) this.backoff.delete(key);
  }
}
