/**
 * Makes a container's image present before it is created, as upstream's image manager does:
 * imagePullPolicy Always / IfNotPresent / Never, credentials from the pod's imagePullSecrets
 * (kubernetes.io/dockerconfigjson or .dockercfg) matched by registry host, and a per-image back-off
 * after failures so a bad image shows ErrImagePull then ImagePullBackOff instead of hammering the
 * registry. Returns the image reference to create the container from, or the waiting reason.
 */
import type { KubeObject } from '../../api/types.js';
import { CriError, type CriClient } from '../cri/client.js';
import type { AuthConfig, Image } from '../cri/types.js';
import { RestartBackoff, imagePullBackOffMessage } from '../backoff/index.js';

export type PullOutcome =
  | { ok: true; imageRef: string; pulled: boolean; ms?: number; user?: { uid?: number; username?: string } }
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
  // containerd parses server_address as a URL and uses the credentials only when its host matches the
  // registry's; Docker Hub's registry host differs from its name, so there the address is left out.
  return { username, password, ...(host === 'docker.io' ? {} : { server_address: `https://${host}` }) };
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

export class ImagePuller {
  private readonly backoff: RestartBackoff;

  constructor(
    private readonly cri: CriClient,
    private readonly secrets: SecretReader,
    opts: { initialBackoffMs?: number; maxBackoffMs?: number } = {},
  ) {
    this.backoff = new RestartBackoff({ initialMs: opts.initialBackoffMs, maxMs: opts.maxBackoffMs });
  }

  /** `onPulling` is called right before a pull starts (the kubelet's "Pulling image" event). */
  async ensure(pod: KubeObject, container: { image?: string; imagePullPolicy?: string }, onPulling: () => void = () => {}): Promise<PullOutcome> {
    const image = container.image ?? '';
    if (!image || /\s/.test(image) || image !== image.trim()) return { ok: false, reason: 'InvalidImageName', message: `Failed to apply default image tag "${image}": couldn't parse image name "${image}": invalid reference format` };
    const policy = container.imagePullPolicy || defaultPolicy(image);
    const present = await this.cri.imageStatus(image);
    const userOf = (img: Image) => ({ uid: img.uid ? Number(img.uid.value) : undefined, username: img.username || undefined });
    if (present && policy !== 'Always') return { ok: true, imageRef: present.id || image, pulled: false, user: userOf(present) };
    if (policy === 'Never') {
      if (present) return { ok: true, imageRef: present.id || image, pulled: false, user: userOf(present) };
      return { ok: false, reason: 'ErrImageNeverPull', message: `Container image "${image}" is not present with pull policy of Never` };
    }
    const key = `${pod.metadata?.uid}/${image}`;
    const wait = this.backoff.inBackoff(key);
    if (wait) return { ok: false, reason: 'ImagePullBackOff', message: imagePullBackOffMessage(image), retryAfterMs: wait.waitingMs };
    const started = Date.now();
    try {
      const auth = await pullCredentials(pod, image, this.secrets);
      onPulling();
      const ref = await this.cri.pullImage(image, auth);
      this.backoff.reset(key);
      const pulled = await this.cri.imageStatus(ref || image).catch(() => null);
      return { ok: true, imageRef: ref || image, pulled: true, ms: Date.now() - started, user: pulled ? userOf(pulled) : undefined };
    } catch (err) {
      const delayMs = this.backoff.next(key);
      const message = err instanceof CriError ? err.grpcText : (err as Error).message;
      // Resync soon: the status then shows ImagePullBackOff for the rest of the back-off, as upstream's does.
      return { ok: false, reason: 'ErrImagePull', message, retryAfterMs: Math.min(delayMs, 1000) };
    }
  }

  forgetPod(uid: string): void {
    this.backoff.resetPrefix(`${uid}/`);
  }
}
