/**
 * Compact JSON Web Tokens signed with RS256 (RSASSA-PKCS1-v1_5 over SHA-256), the algorithm
 * kube-apiserver uses for service-account tokens signed with an RSA key.
 *
 * Inputs: a claims object and a private key (sign); a token string and the public key (verify).
 * Outputs: the token (`header.payload.signature`, base64url without padding), or the decoded
 * header and claims when the signature verifies. Time checks are the caller's job.
 */
import { createHash, createSign, createVerify, type KeyObject } from 'node:crypto';

export interface JwtHeader {
  alg: string;
  kid?: string;
  typ?: string;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

/** Upstream's key id: base64url(SHA-256(DER SubjectPublicKeyInfo)) of the public key. */
export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return b64url(createHash('sha256').update(der).digest());
}

export function signJwt(claims: Record<string, unknown>, privateKey: KeyObject, kid: string): string {
  const header: JwtHeader = { alg: 'RS256', kid };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  return `${signingInput}.${b64url(signature)}`;
}

/** Whether `token` looks like a JWT at all (three base64url parts), before trying to verify it. */
export function looksLikeJwt(token: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

function decodePart(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The header and claims when the RS256 signature verifies with `publicKey`; undefined otherwise. */
export function verifyJwt(token: string, publicKey: KeyObject): { header: JwtHeader; claims: Record<string, unknown> } | undefined {
  if (!looksLikeJwt(token)) return undefined;
  const [h, p, s] = token.split('.') as [string, string, string];
  const header = decodePart(h);
  if (!header || header.alg !== 'RS256') return undefined;
  const ok = createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(s, 'base64url'));
  if (!ok) return undefined;
  const claims = decodePart(p);
  if (!claims) return undefined;
  return { header: header as unknown as JwtHeader, claims };
}
