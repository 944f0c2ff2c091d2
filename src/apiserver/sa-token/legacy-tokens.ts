/**
 * Legacy service-account token Secrets (upstream's tokens controller, pkg/controller/serviceaccount
 * tokens_controller.go, and the legacy claims of pkg/serviceaccount/legacy.go): a Secret of type
 * `kubernetes.io/service-account-token` annotated `kubernetes.io/service-account.name: <sa>` gets
 * `data.token` (a non-expiring JWT), `data["ca.crt"]` and `data.namespace`, and the annotation
 * `kubernetes.io/service-account.uid`. When its ServiceAccount is gone (or was recreated with
 * another uid), the Secret is deleted, and its token stops authenticating at once.
 *
 * Inputs: a REST client, a signer of legacy claims, the cluster CA. Output: a running controller.
 * `LEGACY_ISSUER` and `legacyClaims` are the contract with the authenticator.
 */
import type { KubeObject } from '../../api/types.js';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller, keyOf } from '../../runtime/index.js';

export const LEGACY_ISSUER = 'kubernetes/serviceaccount';
export const SA_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
export const SA_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
export const SA_UID_ANNOTATION = 'kubernetes.io/service-account.uid';

export interface LegacyClaims {
  iss: typeof LEGACY_ISSUER;
  sub: string;
  'kubernetes.io/serviceaccount/namespace': string;
  'kubernetes.io/serviceaccount/secret.name': string;
  'kubernetes.io/serviceaccount/service-account.name': string;
  'kubernetes.io/serviceaccount/service-account.uid': string;
}

export function legacyClaims(namespace: string, secretName: string, saName: string, saUid: string): LegacyClaims {
  return {
    iss: LEGACY_ISSUER,
    'kubernetes.io/serviceaccount/namespace': namespace,
    'kubernetes.io/serviceaccount/secret.name': secretName,
    'kubernetes.io/serviceaccount/service-account.name': saName,
    'kubernetes.io/serviceaccount/service-account.uid': saUid,
    sub: `system:serviceaccount:${namespace}:${saName}`,
  };
}

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const unb64 = (s: unknown): string => (typeof s === 'string' ? Buffer.from(s, 'base64').toString('utf8') : '');

export interface LegacyTokenControllerOptions {
  sign(claims: LegacyClaims): string;
  rootCAPem: string;
  onError?: (key: string, err: unknown) => void;
}

export async function startLegacyTokenController(client: RestClient, opts: LegacyTokenControllerOptions): Promise<{ stop(): void }> {
  const secrets = new Informer(client, { path: '/api/v1/secrets', fieldSelector: `type=${SA_TOKEN_SECRET_TYPE}` });
  const accounts = new Informer(client, { path: '/api/v1/serviceaccounts' });
  const secretPath = (ns: string, name: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(name)}`;

  const controller = new Controller({
    name: 'serviceaccount-token',
    workers: 1,
    onError: opts.onError,
    reconcile: async (_ctx, { namespace, name }) => {
      const ns = namespace ?? '';
      const secret = secrets.get(`${ns}/${name}`);
      if (!secret || secret.metadata?.deletionTimestamp) return;
      const annotations = secret.metadata?.annotations ?? {};
      const saName = annotations[SA_NAME_ANNOTATION];
      if (!saName) return;
      const sa = accounts.get(`${ns}/${saName}`);
      const wantedUid = annotations[SA_UID_ANNOTATION];
      if (!sa || (wantedUid && sa.metadata?.uid !== wantedUid)) {
        // The account the token was made for is gone: so is the token (upstream deletes it). A Secret
        // created before its account (no uid yet) waits for the account instead.
        if (wantedUid) {
          const res = await client.delete(`${secretPath(ns, name)}?${new URLSearchParams({ propagationPolicy: 'Background' })}`);
          if (res.status >= 300 && res.status !== 404) throw new Error(`delete secret ${ns}/${name}: HTTP ${res.status}`);
        }
        return;
      }
      const data = (secret.data ?? {}) as Record<string, string>;
      const saUid = sa.metadata?.uid ?? '';
      const complete = unb64(data.token) !== '' && unb64(data['ca.crt']) === opts.rootCAPem && unb64(data.namespace) === ns && wantedUid === saUid;
      if (complete) return;
      const token = unb64(data.token) || opts.sign(legacyClaims(ns, name, saName, saUid));
      const patch = {
        metadata: { annotations: { [SA_UID_ANNOTATION]: saUid }, resourceVersion: secret.metadata?.resourceVersion },
        data: { token: b64(token), 'ca.crt': b64(opts.rootCAPem), namespace: b64(ns) },
      };
      const res = await client.patch(secretPath(ns, name), patch);
      // 409: the Secret changed meanwhile; the informer brings the new version and another pass.
      if (res.status >= 300 && res.status !== 404 && res.status !== 409) throw new Error(`update secret ${ns}/${name}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
    },
  });
  // Every token Secret of an account is revisited when the account changes or goes away.
  const secretsOfAccount = (sa: KubeObject): string[] =>
    secrets
      .list()
      .filter((s) => s.metadata?.namespace === sa.metadata?.namespace && s.metadata?.annotations?.[SA_NAME_ANNOTATION] === sa.metadata?.name)
      .map(keyOf);
  controller.watches(secrets).watches(accounts, secretsOfAccount);
  for (const i of [secrets, accounts]) i.start();
  await Promise.all([secrets.waitForSync(), accounts.waitForSync()]);
  controller.start();
  return {
    stop() {
      controller.stop();
      secrets.stop();
      accounts.stop();
    },
  };
}
