/**
 * The cluster PKI, kept under `<dataDir>/pki/` as PEM files (keys mode 0600):
 *
 *   ca.crt / ca.key          `skiff-ca`, self-signed, 10 years — signs everything below and is the
 *                            client-CA the API server verifies client certificates against
 *   server.crt / server.key  the API server's serving certificate (serverAuth, 1 year) for
 *                            localhost, kubernetes, kubernetes.default[.svc[.cluster.local]],
 *                            127.0.0.1, ::1 and every host the caller asks for
 *   admin.crt / admin.key    CN=skiff-admin, O=system:masters (clientAuth, 1 year) — the identity
 *                            written into the admin kubeconfig
 *
 * `ensurePki` creates what is missing on first start and reuses it afterwards; the serving
 * certificate is re-issued when a requested host is not covered or it is close to expiry, and
 * everything is re-issued if the CA itself has to be created. `issueClientCert` signs further
 * client identities (nodes, agents, controllers).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { certStillGood, createCa, keyMatchesCert, signLeaf, type CertAndKey } from './certs.js';

export interface Pki {
  caCertPem: string;
  caKeyPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  adminCertPem: string;
  adminKeyPem: string;
}

export interface EnsurePkiOptions {
  /** Extra DNS names or IP addresses the serving certificate must cover. */
  hosts: string[];
}

export const CA_COMMON_NAME = 'skiff-ca';
export const ADMIN_USER = 'skiff-admin';
export const ADMIN_GROUP = 'system:masters';

/** The names every serving certificate covers, as upstream's kube-apiserver does for in-cluster clients. */
export const DEFAULT_SERVING_HOSTS = [
  'localhost',
  'kubernetes',
  'kubernetes.default',
  'kubernetes.default.svc',
  'kubernetes.default.svc.cluster.local',
  '127.0.0.1',
  '::1',
] as const;

const CA_VALID_DAYS = 3650;
const LEAF_VALID_DAYS = 365;
/** Leaf certificates closer than this to expiry are re-issued at start. */
const RENEW_BEFORE_DAYS = 30;

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes via a temporary file and rename so a crash never leaves half a PEM behind. */
async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path);
}

async function loadPair(dir: string, name: string): Promise<Partial<CertAndKey>> {
  return { certPem: await readIfExists(join(dir, `${name}.crt`)), keyPem: await readIfExists(join(dir, `${name}.key`)) };
}

async function savePair(dir: string, name: string, pair: CertAndKey): Promise<void> {
  await writeAtomic(join(dir, `${name}.key`), pair.keyPem, 0o600);
  await writeAtomic(join(dir, `${name}.crt`), pair.certPem, 0o644);
}

function complete(p: Partial<CertAndKey>): p is CertAndKey {
  return p.certPem !== undefined && p.keyPem !== undefined && keyMatchesCert(p.certPem, p.keyPem);
}

/** Returns the stored pair `name` if it is complete and `stillGood`, otherwise issues and stores a new one. */
async function reuseOrIssue(
  dir: string,
  name: string,
  stillGood: (pair: CertAndKey) => boolean,
  issue: () => Promise<CertAndKey>,
): Promise<{ pair: CertAndKey; issued: boolean }> {
  const stored = await loadPair(dir, name);
  if (complete(stored) && stillGood(stored)) return { pair: stored, issued: false };
  const pair = await issue();
  await savePair(dir, name, pair);
  return { pair, issued: true };
}

function servingHosts(extra: string[]): string[] {
  const all = [...DEFAULT_SERVING_HOSTS, ...extra.map((h) => h.trim()).filter((h) => h !== '')];
  return [...new Set(all)];
}

/** Loads the PKI from `<dataDir>/pki/`, creating or re-issuing whatever is missing or unusable. */
export async function ensurePki(dataDir: string, opts: EnsurePkiOptions): Promise<Pki> {
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });

  const { pair: ca, issued: caIsNew } = await reuseOrIssue(dir, 'ca', () => true, () => createCa(CA_COMMON_NAME, CA_VALID_DAYS));
  // A new CA invalidates every leaf: certStillGood checks the signature against the current CA.
  const hosts = servingHosts(opts.hosts);
  const { pair: server } = await reuseOrIssue(
    dir,
    'server',
    (p) => !caIsNew && certStillGood(p.certPem, ca.certPem, { hosts, minRemainingDays: RENEW_BEFORE_DAYS }),
    () => signLeaf(ca, { subject: { commonName: 'kube-apiserver' }, usage: 'server', hosts, validDays: LEAF_VALID_DAYS }),
  );
  const { pair: admin } = await reuseOrIssue(
    dir,
    'admin',
    (p) => !caIsNew && certStillGood(p.certPem, ca.certPem, { minRemainingDays: RENEW_BEFORE_DAYS }),
    () => signLeaf(ca, { subject: { commonName: ADMIN_USER, organizations: [ADMIN_GROUP] }, usage: 'client', validDays: LEAF_VALID_DAYS }),
  );

  return {
    caCertPem: ca.certPem,
    caKeyPem: ca.keyPem,
    serverCertPem: server.certPem,
    serverKeyPem: server.keyPem,
    adminCertPem: admin.certPem,
    adminKeyPem: admin.keyPem,
  };
}

export interface ClientCertRequest {
  /** Becomes the username (e.g. `system:node:worker-1`). */
  commonName: string;
  /** Become the groups (e.g. `system:nodes`). */
  organizations: string[];
  /** Defaults to one year. */
  validDays?: number;
}

/** Signs a new client certificate (clientAuth) with the cluster CA. Not stored: the caller keeps it. */
export async function issueClientCert(pki: Pki, req: ClientCertRequest): Promise<{ certPem: string; keyPem: string }> {
  return signLeaf(
    { certPem: pki.caCertPem, keyPem: pki.caKeyPem },
    { subject: { commonName: req.commonName, organizations: req.organizations }, usage: 'client', validDays: req.validDays ?? LEAF_VALID_DAYS },
  );
}
