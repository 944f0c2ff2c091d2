/**
 * The `kube-root-ca.crt` ConfigMap of a namespace (upstream root-ca-cert-publisher): holds the cluster
 * CA under `ca.crt` so pods can verify the API server; recreated when deleted, reset when edited.
 */
import type { KubeObject } from '../../api/types.js';
import type { RestClient } from '../../client/rest.js';

export const rootCAConfigMapName = 'kube-root-ca.crt';
const description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}

/** Makes the namespace's root CA ConfigMap hold exactly `caPem`. */
export async function ensureRootCAConfigMap(client: RestClient, namespace: string, caPem: string, current: ConfigMap | undefined): Promise<void> {
  const path = `/api/v1/namespaces/${namespace}/configmaps`;
  if (!current) {
    const res = await client.post(path, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: rootCAConfigMapName, namespace, annotations: { 'kubernetes.io/description': description } },
      data: { 'ca.crt': caPem },
    });
    if (res.status === 201 || res.status === 409 || res.status === 403 || res.status === 404) return;
    throw new Error(`create ${rootCAConfigMapName} in ${namespace}: ${res.status} ${res.text.slice(0, 200)}`);
  }
  const data = current.data ?? {};
  if (Object.keys(data).length === 1 && data['ca.crt'] === caPem) return;
  const next = structuredClone(current);
  next.data = { 'ca.crt': caPem };
  delete (next as { binaryData?: unknown }).binaryData;
  const res = await client.put(`${path}/${rootCAConfigMapName}`, next);
  if (res.status === 200 || res.status === 409 || res.status === 404) return;
  throw new Error(`update ${rootCAConfigMapName} in ${namespace}: ${res.status} ${res.text.slice(0, 200)}`);
}
