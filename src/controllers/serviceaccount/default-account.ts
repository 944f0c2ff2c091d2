/**
 * The `default` ServiceAccount of a namespace (upstream serviceaccounts_controller): created when
 * missing, in every namespace that is not being deleted.
 */
import type { RestClient } from '../../client/rest.js';

export const defaultServiceAccountName = 'default';

/** Creates the default ServiceAccount; true when it was created, false when it already existed. */
export async function ensureDefaultServiceAccount(client: RestClient, namespace: string): Promise<boolean> {
  const res = await client.post(`/api/v1/namespaces/${namespace}/serviceaccounts`, {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: defaultServiceAccountName, namespace },
  });
  if (res.status === 201) return true;
  // 409: already there; 403/404: the namespace is terminating or gone meanwhile.
  if (res.status === 409 || res.status === 403 || res.status === 404) return false;
  throw new Error(`create default serviceaccount in ${namespace}: ${res.status} ${res.text.slice(0, 200)}`);
}
