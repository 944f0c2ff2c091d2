/**
 * Certificate primitives for the cluster PKI: ECDSA P-256 key pairs, a self-signed CA, and leaf
 * certificates signed by it, all exchanged as PEM strings (certificates as `CERTIFICATE`, keys as
 * PKCS#8 `PRIVATE KEY`, which Go's crypto/tls — kubectl — and Node's tls both accept).
 *
 * Built on @peculiar/x509 over Node's WebCrypto; no OpenSSL binary needed.
 */
// @peculiar/x509 resolves its algorithm providers through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { createPrivateKey, webcrypto, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const EC_KEY = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const EC_SIGN = { name: 'ECDSA', hash: 'SHA-256' } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertAndKey {
  certPem: string;
  keyPem: string;
}

/** Subject of a certificate: CN plus any number of O (Kubernetes reads O as groups). */
export interface Subject {
  commonName: string;
  organizations?: string[];
}

export type LeafUsage = 'server' | 'client';

export interface LeafOptions {
  subject: Subject;
  usage: LeafUsage;
  /** DNS names and IP addresses for subjectAltName (server certificates). */
  hosts?: string[];
  validDays: number;
}

function subjectName(s: Subject): x509.JsonName {
  const name: x509.JsonName = [{ CN: [s.commonName] }];
  for (const o of s.organizations ?? []) name.push({ O: [o] });
  return name;
}

/** 16 random bytes as hex, top bit cleared so the DER integer stays positive. */
function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function newKeyPair(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(EC_KEY, true, ['sign', 'verify']);
}

async function keyToPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** Imports a PKCS#8 PEM EC P-256 private key for signing. */
export async function importSigningKey(keyPem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decode(keyPem)[0];
  if (!der) throw new Error('no PEM block in private key');
  return crypto.subtle.importKey('pkcs8', der, EC_KEY, true, ['sign']);
}

/** A self-signed CA certificate (basicConstraints CA:true, keyCertSign). */
export async function createCa(commonName: string, validDays: number): Promise<CertAndKey> {
  const keys = await newKeyPair();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: subjectName({ commonName }),
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + validDays * DAY_MS),
    keys,
    signingAlgorithm: EC_SIGN,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
}

/** A leaf certificate for `usage` signed by the CA. */
export async function signLeaf(ca: CertAndKey, opts: LeafOptions): Promise<CertAndKey> {
  const caCert = new x509.X509Certificate(ca.certPem);
  const caKey = await importSigningKey(ca.keyPem);
  const keys = await newKeyPair();
  const now = Date.now();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([opts.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth], false),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  ];
  if (opts.hosts && opts.hosts.length > 0) {
    const names: x509.JsonGeneralName[] = opts.hosts.map((h) => ({ type: isIP(h) ? 'ip' : 'dns', value: h }));
    extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: subjectName(opts.subject),
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + opts.validDays * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: EC_SIGN,
    extensions,
  });
  return { certPem: cert.toString('pem'), keyPem: await keyToPem(keys.privateKey) };
}

/**
 * Whether `certPem` is still usable: signed by the CA, valid for at least `minRemainingDays` more,
 * and (when given) covering every host in `hosts`.
 */
export function certStillGood(certPem: string, caCertPem: string, opts: { hosts?: string[]; minRemainingDays: number }): boolean {
  let cert: NodeX509Certificate;
  let ca: NodeX509Certificate;
  try {
    cert = new NodeX509Certificate(certPem);
    ca = new NodeX509Certificate(caCertPem);
  } catch {
    return false;
  }
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return false;
  if (new Date(cert.validTo).getTime() - Date.now() < opts.minRemainingDays * DAY_MS) return false;
  for (const host of opts.hosts ?? []) {
    const covered = isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host, { wildcards: false }) !== undefined;
    if (!covered) return false;
  }
  return true;
}

/** Whether the private key PEM belongs to the certificate PEM. */
export function keyMatchesCert(certPem: string, keyPem: string): boolean {
  try {
    return new NodeX509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
