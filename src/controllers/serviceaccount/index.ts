/**
 * ServiceAccount controller plus root CA publisher (upstream serviceaccounts-controller and
 * root-ca-cert-publisher), reconciled per namespace.
 *
 * Input: Namespaces, the `default` ServiceAccounts and the `kube-root-ca.crt` ConfigMaps (informers).
 * Output: a `default` ServiceAccount in every active namespace (recreated if deleted) and, when
 * `rootCAPem` is given, a `kube-root-ca.crt` ConfigMap holding it under `ca.crt`.
 */
import type { KubeObject } from '../../api/types.js';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller } from '../../runtime/index.js';
import { defaultServiceAccountName, ensureDefaultServiceAccount } from './default-account.js';
import { ensureRootCAConfigMap, rootCAConfigMapName } from './root-ca.js';

export interface ServiceAccountControllerOptions {
  /** The cluster CA certificate (PEM) to publish as `kube-root-ca.crt`; not published when absent. */
  rootCAPem?: string;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

const byNamespace = (o: KubeObject): string[] => (o.metadata?.namespace ? [o.metadata.namespace] : []);

export async function startServiceAccountController(client: RestClient, opts: ServiceAccountControllerOptions = {}): Promise<{ stop(): void }> {
  const namespaces = new Informer(client, { path: '/api/v1/namespaces' });
  const accounts = new Informer(client, { path: '/api/v1/serviceaccounts', fieldSelector: `metadata.name=${defaultServiceAccountName}` });
  const configMaps = opts.rootCAPem ? new Informer(client, { path: '/api/v1/configmaps', fieldSelector: `metadata.name=${rootCAConfigMapName}` }) : undefined;
  const informers = [namespaces, accounts, ...(configMaps ? [configMaps] : [])];

  const controller = new Controller({
    name: 'serviceaccount',
    workers: opts.workers ?? 2,
    onError: opts.onError,
    reconcile: async (_ctx, { name }) => {
      const ns = namespaces.get(name);
      if (!ns || ns.metadata?.deletionTimestamp || (ns.status as { phase?: string } | undefined)?.phase === 'Terminating') return;
      if (!accounts.get(`${name}/${defaultServiceAccountName}`)) await ensureDefaultServiceAccount(client, name);
      if (configMaps && opts.rootCAPem) await ensureRootCAConfigMap(client, name, opts.rootCAPem, configMaps.get(`${name}/${rootCAConfigMapName}`));
    },
  });
  controller.watches(namespaces).watches(accounts, byNamespace);
  if (configMaps) controller.watches(configMaps, byNamespace);
  for (const i of informers) i.start();
  await Promise.all(informers.map((i) => i.waitForSync()));
  controller.start();
  return {
    stop() {
      controller.stop();
      for (const i of informers) i.stop();
    },
  };
}

export { ensureDefaultServiceAccount, ensureRootCAConfigMap };
