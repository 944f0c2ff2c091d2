/**
 * How the kubelet reads what pods refer to (ConfigMaps, Secrets, PVCs, PVs) and gets service-account
 * tokens: plain GETs and TokenRequests through the API, with a short cache so a pod's many references
 * to one ConfigMap cost one request per sync round.
 */
import type { KubeObject } from '../../api/types.js';
import type { RestClient } from '../../client/rest.js';

type Resource = 'configmaps' | 'secrets' | 'persistentvolumeclaims' | 'persistentvolumes';

export interface ApiSources {
  get(resource: Resource, namespace: string, name: string): Promise<KubeObject | null>;
  serviceAccountToken(pod: KubeObject, audience: string | undefined, expirationSeconds: number): Promise<{ token: string; expirationTimestamp: string }>;
  /** Services of a namespace and of `default` (for the service link env vars), cached briefly. */
  services(namespace: string): Promise<KubeObject[]>;
}

export function apiObjectGetter(client: RestClient, cacheMs = 1000): ApiSources {
  const cache = new Map<string, { at: number; value: Promise<KubeObject | null> }>();
  const serviceCache = new Map<string, { at: number; value: Promise<KubeObject[]> }>();
  return {
    get(resource, namespace, name) {
      const path = resource === 'persistentvolumes' ? `/api/v1/persistentvolumes/${encodeURIComponent(name)}` : `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}/${encodeURIComponent(name)}`;
      const hit = cache.get(path);
      if (hit && Date.now() - hit.at < cacheMs) return hit.value;
      const value = client.get<KubeObject>(path).then((res) => {
        if (res.status === 404) return null;
        if (res.status >= 300) throw new Error(`GET ${path}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        return res.body;
      });
      cache.set(path, { at: Date.now(), value });
      if (cache.size > 5000) cache.delete(cache.keys().next().value as string);
      value.catch(() => cache.delete(path));
      return value;
    },
    async services(namespace) {
      const load = async (ns: string) => {
        const res = await client.get<{ items: KubeObject[] }>(`/api/v1/namespaces/${encodeURIComponent(ns)}/services`);
        if (res.status >= 300) throw new Error(`list services in ${ns}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
        return res.body.items;
      };
      const key = `services/${namespace}`;
      const hit = serviceCache.get(key);
      if (hit && Date.now() - hit.at < cacheMs) return hit.value;
      const value = Promise.all([load(namespace), namespace === 'default' ? Promise.resolve([]) : load('default')]).then(([a, b]) => [...a, ...b]);
      serviceCache.set(key, { at: Date.now(), value });
      value.catch(() => serviceCache.delete(key));
      return value;
    },
    async serviceAccountToken(pod, audience, expirationSeconds) {
      const ns = pod.metadata?.namespace ?? 'default';
      const sa = (pod.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName || 'default';
      const body = {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenRequest',
        spec: { audiences: audience ? [audience] : [], expirationSeconds, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: pod.metadata?.name, uid: pod.metadata?.uid } },
      };
      const res = await client.post<{ status?: { token?: string; expirationTimestamp?: string } }>(`/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts/${encodeURIComponent(sa)}/token`, body);
      if (res.status >= 300 || !res.body?.status?.token) throw new Error(`failed to fetch token: serviceaccounts "${sa}" token request: HTTP ${res.status} ${res.text.slice(0, 200)}`);
      return { token: res.body.status.token, expirationTimestamp: res.body.status.expirationTimestamp ?? '' };
    },
  };
}
