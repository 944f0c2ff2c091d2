/**
 * Sprig encoding, path, URL, UUID and symmetric crypto functions: b64enc/b64dec, b32enc/b32dec
 * (decode errors are returned as the string, as Sprig does), base/dir/clean/ext/isAbs (Go's
 * path package), urlParse/urlJoin, uuidv4, encryptAES/decryptAES, derivePassword.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomUUID, scryptSync } from 'node:crypto';
import type { FuncMap, GoMap } from './engine.js';
import { mapEntries } from './engine.js';
import { strval } from './convert.js';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function b32enc(s: string): string {
  const data = Buffer.from(s);
  let bits = 0; let value = 0; let out = '';
  for (const b of data) {
    value = (value << 8) | b; bits += 8;
    while (bits >= 5) { out += B32[(value >>> (bits - 5)) & 31]; bits -= 5; }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

function b32dec(s: string): string {
  const clean = s.replace(/=+$/, '');
  let bits = 0; let value = 0; const out: number[] = [];
  for (let i = 0; i < clean.length; i++) {
    const idx = B32.indexOf(clean[i]);
    if (idx < 0 || s.length % 8 !== 0) return `illegal base32 data at input byte ${idx < 0 ? i : s.length - (s.length % 8)}`;
    value = (value << 5) | idx; bits += 5;
    if (bits >= 8) { out.push((value >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out).toString();
}

function b64dec(s: string): string {
  const m = /^[A-Za-z0-9+/]*={0,2}$/.exec(s);
  if (!m || s.length % 4 !== 0) {
    let i = 0;
    while (i < s.length && /[A-Za-z0-9+/]/.test(s[i])) i++;
    if (i === s.length || (s[i] === '=' && s.length % 4 !== 0)) i = Math.floor(s.length / 4) * 4;
    return `illegal base64 data at input byte ${i}`;
  }
  return Buffer.from(s, 'base64').toString();
}

/** path.Clean. */
export function pathClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
    } else out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}
export function pathBase(p: string): string {
  if (p === '') return '.';
  p = p.replace(/\/+$/, '');
  if (p === '') return '/';
  return p.slice(p.lastIndexOf('/') + 1);
}
export function pathDir(p: string): string { return pathClean(p.slice(0, p.lastIndexOf('/') + 1)); }
export function pathExt(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) if (p[i] === '.') return p.slice(i);
  return '';
}

function urlParse(s: string): GoMap {
  const m = /^(?:([A-Za-z][A-Za-z0-9+.-]*):)?(?:\/\/(?:([^@/?#]*)@)?([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(s);
  if (!m) throw new Error(`unable to parse url: ${s}`);
  const [, scheme = '', userinfo = '', host = '', rest = '', query = '', fragment = ''] = m;
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  const opaque = scheme && !s.slice(scheme.length + 1).startsWith('/') && !host ? rest : '';
  return { scheme, host, hostname, path: opaque ? '' : decodeURIComponentSafe(rest), query, opaque, fragment: decodeURIComponentSafe(fragment), userinfo };
}

function decodeURIComponentSafe(s: string): string { try { return decodeURIComponent(s); } catch { return s; } }

function urlJoin(d: GoMap): string {
  const get = (k: string) => (d[k] === undefined || d[k] === null ? '' : strval(d[k]));
  let out = '';
  const scheme = get('scheme');
  if (scheme) out += scheme + ':';
  if (get('opaque')) out += get('opaque');
  else {
    if (scheme || get('host') || get('userinfo')) {
      out += '//';
      if (get('userinfo')) out += get('userinfo') + '@';
      out += get('host');
    }
    const path = get('path');
    if (path && !path.startsWith('/') && get('host')) out += '/';
    out += encodeURI(path).replace(/%25/g, '%');
  }
  if (get('query')) out += '?' + get('query');
  if (get('fragment')) out += '#' + encodeURIComponent(get('fragment'));
  return out;
}

/** Sprig encryptAES: AES-256-CBC, key = password zero-padded to 32 bytes, PKCS#7, IV prefixed, base64. */
function encryptAES(password: string, text: string): string {
  const key = Buffer.alloc(32); Buffer.from(password).copy(key);
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, c.update(Buffer.from(text)), c.final()]).toString('base64');
}
function decryptAES(password: string, crypt: string): string {
  const data = Buffer.from(crypt, 'base64');
  const key = Buffer.alloc(32); Buffer.from(password).copy(key);
  const d = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
  return Buffer.concat([d.update(data.subarray(16)), d.final()]).toString();
}

const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: ['CvcvnoCvcvCvcv', 'CvcvCvcvnoCvcv', 'CvcvCvcvCvcvno', 'CvccnoCvcvCvcv', 'CvccCvcvnoCvcv', 'CvccCvcvCvcvno', 'CvcvnoCvccCvcv', 'CvcvCvccnoCvcv', 'CvcvCvccCvcvno', 'CvcvnoCvcvCvcc', 'CvcvCvcvnoCvcc', 'CvcvCvcvCvccno', 'CvccnoCvccCvcv', 'CvccCvccnoCvcv', 'CvccCvccCvcvno', 'CvcvnoCvccCvcc', 'CvcvCvccnoCvcc', 'CvcvCvccCvccno', 'CvccnoCvcvCvcc', 'CvccCvcvnoCvcc', 'CvccCvcvCvccno'],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const CHARS: Record<string, string> = {
  V: 'AEIOU', C: 'BCDFGHJKLMNPQRSTVWXYZ', v: 'aeiou', c: 'bcdfghjklmnpqrstvwxyz', A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  n: '0123456789', o: "@&%?,=[]_:-+*$#!'^~;()/.", a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()', x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};

/** Master Password algorithm (Sprig derivePassword). */
function derivePassword(counter: bigint, type: string, password: string, user: string, site: string): string {
  const templates = TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const ns = 'com.lyndir.masterpassword';
  const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };
  const salt = Buffer.concat([Buffer.from(ns), u32(Buffer.byteLength(user)), Buffer.from(user)]);
  const key = scryptSync(password, salt, 64, { N: 32768, r: 8, p: 2, maxmem: 128 * 32768 * 8 * 2 });
  const seedMsg = Buffer.concat([Buffer.from(ns), u32(Buffer.byteLength(site)), Buffer.from(site), u32(Number(counter))]);
  const seed = createHmac('sha256', key).update(seedMsg).digest();
  const tpl = templates[seed[0] % templates.length];
  let out = '';
  for (let i = 0; i < tpl.length; i++) { const set = CHARS[tpl[i]]; out += set[seed[i + 1] % set.length]; }
  return out;
}

const S = 'string' as const;

export const encodingFuncs: FuncMap = {
  b64enc: { fn: (s) => Buffer.from(s as string).toString('base64'), params: [S] },
  b64dec: { fn: (s) => b64dec(s as string), params: [S] },
  b32enc: { fn: (s) => b32enc(s as string), params: [S] },
  b32dec: { fn: (s) => b32dec(s as string), params: [S] },
  base: { fn: (p) => pathBase(p as string), params: [S] },
  dir: { fn: (p) => pathDir(p as string), params: [S] },
  clean: { fn: (p) => pathClean(p as string), params: [S] },
  ext: { fn: (p) => pathExt(p as string), params: [S] },
  isAbs: { fn: (p) => (p as string).startsWith('/'), params: [S] },
  osBase: { fn: (p) => pathBase(p as string), params: [S] },
  osDir: { fn: (p) => pathDir(p as string), params: [S] },
  osClean: { fn: (p) => pathClean(p as string), params: [S] },
  osExt: { fn: (p) => pathExt(p as string), params: [S] },
  osIsAbs: { fn: (p) => (p as string).startsWith('/'), params: [S] },
  urlParse: { fn: (s) => urlParse(s as string), params: [S] },
  urlJoin: { fn: (d) => urlJoin(Object.fromEntries(mapEntries(d))), params: ['map'] },
  uuidv4: () => randomUUID(),
  encryptAES: { fn: (p, t) => encryptAES(p as string, t as string), params: [S, S] },
  decryptAES: { fn: (p, c) => decryptAES(p as string, c as string), params: [S, S] },
  derivePassword: { fn: (c, t, p, u, s) => derivePassword(c as bigint, t as string, p as string, u as string, s as string), params: ['int', S, S, S, S] },
  getHostByName: { fn: () => '', params: [S] },
};
