/**
 * Sprig key, password-hash and certificate functions: bcrypt, htpasswd, genPrivateKey (rsa/ecdsa/ed25519 PEM), genCA,
 * genSelfSignedCert, genSignedCert (+WithKey variants), buildCustomCert, using node:crypto
 * and a small DER writer (x509-der.ts). Results are `Certificate` structs with .Cert and .Key.
 */
import { generateKeyPairSync, createPrivateKey, type KeyObject } from 'node:crypto';
import bcryptjs from 'bcryptjs';
import type { FuncMap } from './engine.js';
import { buildCertificate, parseCertificateSubject } from './x509-der.js';
import { strval } from './convert.js';

export class Certificate {
  static goTypeName = 'sprig.certificate';
  constructor(readonly Cert: string, readonly Key: string) {}
}

function genPrivateKey(type: string): string {
  switch (type) {
    case '': case 'rsa': return generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
    case 'ecdsa': return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }) as string;
    case 'ed25519': return generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    case 'dsa': return generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    default: return `Unknown type ${type}`;
  }
}

function newRsaKey(): KeyObject { return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey; }
function keyPem(k: KeyObject): string {
  return (k.asymmetricKeyType === 'rsa' ? k.export({ type: 'pkcs1', format: 'pem' }) : k.asymmetricKeyType === 'ec' ? k.export({ type: 'sec1', format: 'pem' }) : k.export({ type: 'pkcs8', format: 'pem' })) as string;
}

function parseKey(pem: string): KeyObject {
  try { return createPrivateKey(pem); } catch { throw new Error('error decoding PEM: no PEM data found'); }
}

const strList = (v: unknown) => (Array.isArray(v) ? v.map(strval) : v === null ? [] : [strval(v)]);

function ca(cn: string, days: bigint, key: KeyObject): Certificate {
  const cert = buildCertificate({ cn, days: Number(days), isCA: true, key, signer: key, issuer: null });
  return new Certificate(cert, keyPem(key));
}

function selfSigned(cn: string, ips: unknown, dns: unknown, days: bigint, key: KeyObject): Certificate {
  const cert = buildCertificate({ cn, days: Number(days), isCA: false, key, signer: key, issuer: null, ips: strList(ips), dns: strList(dns) });
  return new Certificate(cert, keyPem(key));
}

function signed(cn: string, ips: unknown, dns: unknown, days: bigint, caCert: unknown, key: KeyObject): Certificate {
  const c = caCert as { Cert?: string; Key?: string } | null;
  if (!c || typeof c.Cert !== 'string' || typeof c.Key !== 'string') throw new Error('error parsing CA certificate');
  const signer = parseKey(c.Key);
  const issuer = parseCertificateSubject(c.Cert);
  const cert = buildCertificate({ cn, days: Number(days), isCA: false, key, signer, issuer, ips: strList(ips), dns: strList(dns) });
  return new Certificate(cert, keyPem(key));
}

/** golang.org/x/crypto/bcrypt GenerateFromPassword at DefaultCost (10), "$2a$" prefix as Go writes. */
function bcrypt(input: string): string {
  return bcryptjs.hashSync(input, bcryptjs.genSaltSync(10)).replace(/^\$2b\$/, '$2a$');
}

const S = 'string' as const;
const I = 'int' as const;
const A = 'any' as const;

export const cryptoFuncs: FuncMap = {
  bcrypt: { fn: (s) => bcrypt(s as string), params: [S] },
  htpasswd: {
    fn: (u, p) => ((u as string).includes(':') ? `invalid username: ${u as string}` : `${u as string}:${bcrypt(p as string)}`),
    params: [S, S],
  },
  genPrivateKey: { fn: (t) => genPrivateKey(t as string), params: [S] },
  genCA: { fn: (cn, d) => ca(cn as string, d as bigint, newRsaKey()), params: [S, I] },
  genCAWithKey: { fn: (cn, d, k) => ca(cn as string, d as bigint, parseKey(k as string)), params: [S, I, S] },
  genSelfSignedCert: { fn: (cn, ips, dns, d) => selfSigned(cn as string, ips, dns, d as bigint, newRsaKey()), params: [S, A, A, I] },
  genSelfSignedCertWithKey: { fn: (cn, ips, dns, d, k) => selfSigned(cn as string, ips, dns, d as bigint, parseKey(k as string)), params: [S, A, A, I, S] },
  genSignedCert: { fn: (cn, ips, dns, d, c) => signed(cn as string, ips, dns, d as bigint, c, newRsaKey()), params: [S, A, A, I, A] },
  genSignedCertWithKey: { fn: (cn, ips, dns, d, c, k) => signed(cn as string, ips, dns, d as bigint, c, parseKey(k as string)), params: [S, A, A, I, A, S] },
  buildCustomCert: { fn: (cert, key) => new Certificate(Buffer.from(cert as string, 'base64').toString(), Buffer.from(key as string, 'base64').toString()), params: [S, S] },
};
