/**
 * The service-account signing key: an RSA 2048 key pair kept as `<dataDir>/pki/sa.key` (PKCS#8,
 * mode 0600) and `sa.pub` (SPKI), created on first start and reused afterwards, as kube-apiserver's
 * --service-account-signing-key-file / --service-account-key-file (k3s keeps `service.key`).
 *
 * Input: the data dir. Output: the key objects and their key id (the JWT `kid`).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keyIdOf } from './jwt.js';

export interface ServiceAccountKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  kid: string;
}

async function writeAtomic(path: string, data: string, mode: number): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, data, { mode });
  await rename(tmp, path);
}

export async function ensureServiceAccountKey(dataDir: string): Promise<ServiceAccountKey> {
  const dir = join(dataDir, 'pki');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, 'sa.key');
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(await readFile(keyPath, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await writeAtomic(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
  }
  const publicKey = createPublicKey(privateKey);
  await writeAtomic(join(dir, 'sa.pub'), publicKey.export({ type: 'spki', format: 'pem' }).toString(), 0o644);
  return { privateKey, publicKey, kid: keyIdOf(publicKey) };
}
