/**
 * Writes a standard kubeconfig (clientcmd v1 `Config`) for one cluster, one user and one context,
 * with the CA and client certificate embedded as base64 `*-data` fields, current-context set, and
 * mode 0600 (it holds a private key). kubectl, client-go and @kubernetes/client-node all read it.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  /** e.g. `https://127.0.0.1:6443` */
  server: string;
  caCertPem: string;
  certPem: string;
  keyPem: string;
  /** Defaults to `skiff`. */
  clusterName?: string;
  /** Defaults to `skiff-admin`. */
  userName?: string;
  /** Defaults to `skiff`. */
  contextName?: string;
}

const b64 = (pem: string): string => Buffer.from(pem, 'utf8').toString('base64');

/** The kubeconfig document as a YAML string. */
export function renderKubeconfig(opts: KubeconfigOptions): string {
  const cluster = opts.clusterName ?? 'skiff';
  const user = opts.userName ?? 'skiff-admin';
  const context = opts.contextName ?? 'skiff';
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [{ name: cluster, cluster: { server: opts.server, 'certificate-authority-data': b64(opts.caCertPem) } }],
    users: [{ name: user, user: { 'client-certificate-data': b64(opts.certPem), 'client-key-data': b64(opts.keyPem) } }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
  };
  return stringify(config, { lineWidth: 0 });
}

/** Writes the kubeconfig to `path` (mode 0600), replacing any file there atomically. */
export async function writeKubeconfig(path: string, opts: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, renderKubeconfig(opts), { mode: 0o600 });
  await rename(tmp, path);
}
