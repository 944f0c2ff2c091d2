/**
 * Projected service account tokens, cached per pod volume source and renewed as upstream's kubelet
 * token manager does: when 80% of the token's lifetime has passed, or it is older than 24 hours.
 * Between renewals a refresh sees the same token, so the volume is not rewritten.
 */
import type { KubeObject } from '../../api/types.js';
import type { VolumeSources } from './types.js';

interface CachedToken {
  token: string;
  fetchedAt: number;
  expiresAt: number;
}

const MAX_AGE_MS = 24 * 3600 * 1000;

export class ServiceAccountTokenCache {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    private readonly sources: VolumeSources,
    private readonly now: () => number = Date.now,
  ) {}

  /** The pod's token for this source (`key` names the volume source), fetched or renewed when due. */
  async get(pod: KubeObject, key: string, audience: string | undefined, expirationSeconds: number): Promise<string> {
    const cacheKey = `${pod.metadata?.uid ?? ''}|${key}|${audience ?? ''}|${expirationSeconds}`;
    const cached = this.tokens.get(cacheKey);
    const now = this.now();
    if (cached && !this.needsRenewal(cached, now)) return cached.token;
    const fresh = await this.sources.serviceAccountToken(pod, audience, expirationSeconds);
    const expiresAt = Date.parse(fresh.expirationTimestamp);
    this.tokens.set(cacheKey, {
      token: fresh.token,
      fetchedAt: now,
      expiresAt: Number.isFinite(expiresAt) ? expiresAt : now + expirationSeconds * 1000,
    });
    return fresh.token;
  }

  private needsRenewal(t: CachedToken, now: number): boolean {
    if (now - t.fetchedAt > MAX_AGE_MS) return true;
    return now >= t.fetchedAt + 0.8 * (t.expiresAt - t.fetchedAt);
  }

  /** Forgets every token of a pod (tearDown). */
  forgetPod(podUid: string): void {
    for (const k of this.tokens.keys()) if (k.startsWith(`${podUid}|`)) this.tokens.delete(k);
  }
}
