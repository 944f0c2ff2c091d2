/**
 * A small ustar/pax reader and writer for chart archives (.tgz): enough for `helm package`
 * output and the archives helm and GitHub produce (ustar names with prefix, pax `path` and
 * `size` records, GNU long names). Gzip is node:zlib.
 */
import { gunzipSync, gzipSync } from 'node:zlib';

export interface TarEntry {
  name: string;
  /** '0' regular file, '5' directory, others passed through. */
  type: string;
  data: Buffer;
  mode: number;
}

function readString(buf: Buffer, off: number, len: number): string {
  const end = buf.indexOf(0, off);
  return buf.toString('utf8', off, end >= 0 && end < off + len ? end : off + len);
}

function readOctal(buf: Buffer, off: number, len: number): number {
  if (buf[off] & 0x80) {
    let n = 0;
    for (let i = off + 1; i < off + len; i++) n = n * 256 + buf[i];
    return n;
  }
  const s = readString(buf, off, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(data.toString('utf8', i, sp), 10);
    if (!(len > 0)) break;
    const rec = data.toString('utf8', sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

export function isGzip(data: Buffer): boolean {
  return data.length >= 3 && data[0] === 0x1f && data[1] === 0x8b && data[2] === 0x08;
}

/** Entries of a tar stream (already decompressed). Pax/GNU headers are applied, not returned. */
export function readTar(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let off = 0;
  let pending: Record<string, string> = {};
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    let name = readString(header, 0, 100);
    const mode = readOctal(header, 100, 8);
    let size = readOctal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const magic = readString(header, 257, 6);
    if (magic.startsWith('ustar')) {
      const prefix = readString(header, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    if (pending.size !== undefined) size = Number(pending.size);
    const dataStart = off + 512;
    const data = tar.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'x') { pending = { ...pending, ...parsePax(data) }; continue; }
    if (type === 'g') continue;
    if (type === 'L') { longName = readString(data, 0, data.length); continue; }
    if (longName !== undefined) { name = longName; longName = undefined; }
    if (pending.path !== undefined) name = pending.path;
    pending = {};
    entries.push({ name, type: type === '\0' ? '0' : type, data: Buffer.from(data), mode });
  }
  return entries;
}

export function readTgz(data: Buffer): TarEntry[] {
  return readTar(gunzipSync(data));
}

function octal(n: number, len: number): string {
  return n.toString(8).padStart(len - 1, '0') + '\0';
}

function header(name: string, size: number, mode: number, mtime: number, type: string): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(mtime, 12), 136);
  h.write('        ', 148);
  h.write(type, 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + ' ', 148);
  return h;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
  return `${len}${body}`;
}

/** A gzipped tar of regular files (names used as given; long names get a pax header). */
export function writeTgz(files: { name: string; data: Buffer; mode?: number }[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    if (Buffer.byteLength(f.name) > 100) {
      const pax = Buffer.from(paxRecord('path', f.name));
      parts.push(header('PaxHeader', pax.length, 0o644, mtime, 'x'), pad(pax));
    }
    parts.push(header(f.name.slice(0, 100), f.data.length, f.mode ?? 0o644, mtime, '0'), pad(f.data));
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}

function pad(b: Buffer): Buffer {
  const rem = b.length % 512;
  return rem === 0 ? b : Buffer.concat([b, Buffer.alloc(512 - rem)]);
}
