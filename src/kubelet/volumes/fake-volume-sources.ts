/**
 * An in-memory VolumeSources for unit tests of the volume manager: objects put by resource, namespace
 * and name; tokens numbered so a test can tell a renewal from a cached token.
 */
import type { KubeObject } from '../../api/types.js';
import type { VolumeSources } from './types.js';

type Resource = Parameters<VolumeSources['get']>[0];

export class FakeVolumeSources implements VolumeSources {
  private readonly objects = new Map<string, KubeObject>();
  readonly tokenRequests: Array<{ pod: string; audience?: string; expirationSeconds: number }> = [];
  tokenTtlSeconds?: number;

  put(resource: Resource, namespace: string, obj: KubeObject): void {
    this.objects.set(`${resource}/${namespace}/${obj.metadata?.name ?? ''}`, structuredClone(obj));
  }

  remove(resource: Resource, namespace: string, name: string): void {
    this.objects.delete(`${resource}/${namespace}/${name}`);
  }

  async get(resource: Resource, namespace: string, name: string): Promise<KubeObject | null> {
    const obj = this.objects.get(`${resource}/${namespace}/${name}`);
    return obj ? structuredClone(obj) : null;
  }

  async serviceAccountToken(pod: KubeObject, audience: string | undefined, expirationSeconds: number): Promise<{ token: string; expirationTimestamp: string }> {
    this.tokenRequests.push({ pod: pod.metadata?.name ?? '', audience, expirationSeconds });
    const ttl = this.tokenTtlSeconds ?? expirationSeconds;
    return {
      token: `token-${this.tokenRequests.length}-${audience ?? 'api'}-${(pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? 'default'}`,
      expirationTimestamp: new Date(Date.now() + ttl * 1000).toISOString(),
    };
  }
}
