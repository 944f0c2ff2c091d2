/**
 * The pod-template-hash (upstream controller.ComputeHash): FNV-32a over the pod template, then the
 * collision count as 4 little-endian bytes when set, rendered as the decimal of the 32-bit sum passed
 * through SafeEncodeString (bytes mapped onto consonants and digits that cannot spell words).
 *
 * Upstream feeds FNV a spew dump of the Go struct; Skiff feeds it the template's canonical JSON (keys
 * sorted), so hashes are stable and collision-resistant but not byte-identical to a Go cluster's.
 */
import type { PodTemplateSpec } from '../replicaset/types.js';

const SAFE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Upstream rand.SafeEncodeString: each byte indexes the 27-character safe alphabet. */
export function safeEncodeString(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) out += SAFE_ALPHANUMS[b % SAFE_ALPHANUMS.length];
  return out;
}

/** JSON with object keys sorted at every level and undefined members dropped. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : canonicalJson(x))).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function computeHash(template: PodTemplateSpec, collisionCount?: number): string {
  let h = fnv32a(Buffer.from(canonicalJson(template), 'utf8'));
  if (collisionCount !== undefined && collisionCount !== null) {
    const le = Buffer.alloc(4);
    le.writeUInt32LE(collisionCount >>> 0);
    h = fnv32a(le, h);
  }
  return safeEncodeString(String(h));
}
