/**
 * Minimal DER/X.509 writer for Sprig's certificate functions: builds and signs a v3
 * certificate (CN subject, validity, SPKI from node:crypto, basicConstraints, keyUsage,
 * extKeyUsage server+client auth, subjectAltName DNS/IP) and returns it as PEM.
 */
import { createHash, randomBytes, sign, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { isIPv4 } from 'node:net';

const tlv = (tag: number, body: Buffer): Buffer => {
  const len = body.length;
  let lenBytes: Buffer;
  if (len < 128) lenBytes = Buffer.from([len]);
  else { const hex = len.toString(16); const b = Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex'); lenBytes = Buffer.concat([Buffer.from([0x80 | b.length]), b]); }
  return Buffer.concat([Buffer.from([tag]), lenBytes, body]);
};
const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const oid = (s: string): Buffer => {
  const p = s.split('.').map(Number);
  const out = [40 * p[0] + p[1]];
  for (const n of p.slice(2)) {
    const bytes = [n & 0x7f];
    for (let v = n >>> 7; v > 0; v >>>= 7) bytes.unshift(0x80 | (v & 0x7f));
    out.push(...bytes);
  }
  return tlv(0x06, Buffer.from(out));
};
/** DER INTEGER of an unsigned big-endian value: minimal length (no redundant leading zero bytes), positive sign. */
export const derInteger = (raw: Buffer): Buffer => {
  let start = 0;
  while (start < raw.length - 1 && raw[start] === 0) start++;
  const b = raw.subarray(start);
  return tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
};
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (b: Buffer) => tlv(0x04, b);
const bits = (b: Buffer, unused = 0) => tlv(0x03, Buffer.concat([Buffer.from([unused]), b]));

function time(d: Date): Buffer {
  const y = d.getUTCFullYear();
  const p = (n: number) => String(n).padStart(2, '0');
  const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return y >= 1950 && y < 2050 ? tlv(0x17, Buffer.from(p(y % 100) + body)) : tlv(0x18, Buffer.from(String(y) + body));
}

const nameCN = (cn: string) => seq(set(seq(oid('2.5.4.3'), utf8(cn))));

function ipBytes(ip: string): Buffer {
  if (isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return Buffer.concat(groups.map((g) => { const b = Buffer.alloc(2); b.writeUInt16BE(parseInt(g, 16)); return b; }));
}

export interface CertSpec { cn: string; days: number; isCA: boolean; key: KeyObject; signer: KeyObject; issuer: Buffer | null; ips?: string[]; dns?: string[] }

function sigAlg(k: KeyObject): { alg: Buffer; hash: string | null } {
  if (k.asymmetricKeyType === 'rsa') return { alg: seq(oid('1.2.840.113549.1.1.11'), tlv(0x05, Buffer.alloc(0))), hash: 'sha256' };
  if (k.asymmetricKeyType === 'ec') return { alg: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
  return { alg: seq(oid('1.3.101.112')), hash: null };
}

export function buildCertificate(spec: CertSpec): string {
  const pub = createPublicKey(spec.key).export({ type: 'spki', format: 'der' });
  const now = new Date();
  const notAfter = new Date(now.getTime() + spec.days * 86400000);
  const subject = nameCN(spec.cn);
  const issuer = spec.issuer ?? subject;
  const { alg, hash } = sigAlg(spec.signer);
  const serial = randomBytes(16);
  const exts: Buffer[] = [];
  const keyUsage = spec.isCA ? Buffer.from([0xa4]) : Buffer.from([0xa0]); // digitalSignature|keyEncipherment(|certSign)
  exts.push(seq(oid('2.5.29.15'), bool(true), octets(bits(keyUsage, spec.isCA ? 2 : 5))));
  exts.push(seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2')))));
  exts.push(seq(oid('2.5.29.19'), bool(true), octets(spec.isCA ? seq(bool(true)) : seq())));
  if (spec.isCA) exts.push(seq(oid('2.5.29.14'), octets(octets(createHash('sha1').update(pub).digest()))));
  const names = [...(spec.dns ?? []).map((d) => tlv(0x82, Buffer.from(d))), ...(spec.ips ?? []).map((ip) => tlv(0x87, ipBytes(ip)))];
  if (names.length > 0) exts.push(seq(oid('2.5.29.17'), octets(seq(...names))));
  const tbs = seq(
    tlv(0xa0, derInteger(Buffer.from([2]))), derInteger(serial), alg, issuer, seq(time(now), time(notAfter)), subject, pub,
    tlv(0xa3, seq(...exts)),
  );
  const signature = sign(hash, tbs, spec.signer);
  const der = seq(tbs, alg, bits(signature));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** The DER subject Name of a PEM certificate (to use as an issuer). */
export function parseCertificateSubject(pem: string): Buffer {
  const cert = new X509Certificate(pem);
  const cn = /CN=([^\n]*)/.exec(cert.subject)?.[1] ?? '';
  return nameCN(cn);
}
