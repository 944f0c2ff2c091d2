/**
 * Semantic versions and range constraints as helm checks them (Masterminds/semver v3):
 * loose versions (`v1`, `1.2`), constraints with `=`, `!=`, `>`, `<`, `>=`, `<=`, `~`, `~>`, `^`,
 * wildcards (`1.2.x`, `*`), hyphen ranges (`1.2 - 1.4`), `,`/space for AND and `||` for OR.
 * A version with a prerelease only satisfies a constraint that itself names a prerelease.
 */

export interface SemVer {
  major: number;
  minor: number;
  patch: number;
  prerelease: string;
  metadata: string;
  original: string;
}

const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

export function parseSemver(v: string): SemVer | undefined {
  const m = LOOSE.exec(v);
  if (!m) return undefined;
  const prerelease = m[5] ?? '';
  for (const part of prerelease ? prerelease.split('.') : []) {
    if (/^[0-9]+$/.test(part) && part.length > 1 && part.startsWith('0')) return undefined;
  }
  return {
    major: Number(m[1]),
    minor: m[2] ? Number(m[2].slice(1)) : 0,
    patch: m[3] ? Number(m[3].slice(1)) : 0,
    prerelease,
    metadata: m[8] ?? '',
    original: v,
  };
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (i >= pa.length) return -1;
    if (i >= pb.length) return 1;
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    if (xn && yn) return Number(x) < Number(y) ? -1 : 1;
    if (xn) return -1;
    if (yn) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export function compareSemver(a: SemVer, b: SemVer): number {
  if (a.major !== b.major) return a.major < b.major ? -1 : 1;
  if (a.minor !== b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch !== b.patch) return a.patch < b.patch ? -1 : 1;
  return comparePre(a.prerelease, b.prerelease);
}

interface Bound { op: string; v: SemVer; dirty: { minor: boolean; patch: boolean; any: boolean } }

const OPS = ['!=', '>=', '=>', '<=', '=<', '~>', '>', '<', '=', '~', '^'];

function parseBound(text: string): Bound {
  let s = text.trim();
  let op = '';
  for (const o of OPS) if (s.startsWith(o)) { op = o; break; }
  s = s.slice(op.length).trim();
  if (s === '*' || s === 'x' || s === 'X' || s === '') {
    return { op, v: zero(s), dirty: { minor: true, patch: true, any: true } };
  }
  const core = s.replace(/^v/, '');
  const parts = core.split(/[-+]/)[0].split('.');
  const wild = (p: string | undefined) => p === undefined || p === 'x' || p === 'X' || p === '*';
  const dirtyMinor = wild(parts[1]);
  const dirtyPatch = dirtyMinor || wild(parts[2]);
  const cleaned = [parts[0], dirtyMinor ? '0' : parts[1], dirtyPatch ? '0' : parts[2]].join('.') + core.slice(core.split(/[-+]/)[0].length);
  const v = parseSemver(cleaned);
  if (!v) throw new Error(`improper constraint: ${text.trim()}`);
  return { op, v, dirty: { minor: dirtyMinor, patch: dirtyPatch, any: false } };
}

function zero(orig: string): SemVer { return { major: 0, minor: 0, patch: 0, prerelease: '', metadata: '', original: orig }; }

function bump(v: SemVer, part: 'major' | 'minor' | 'patch'): SemVer {
  if (part === 'major') return { ...v, major: v.major + 1, minor: 0, patch: 0, prerelease: '' };
  if (part === 'minor') return { ...v, minor: v.minor + 1, patch: 0, prerelease: '' };
  return { ...v, patch: v.patch + 1, prerelease: '' };
}

function check(b: Bound, v: SemVer): boolean {
  const c = b.v;
  // Prereleases only match constraints that carry one (Masterminds v3 behaviour).
  if (v.prerelease !== '' && c.prerelease === '') return false;
  const cmp = compareSemver(v, c);
  switch (b.op) {
    case '': case '=':
      if (b.dirty.any) return true;
      if (b.dirty.minor) return v.major === c.major;
      if (b.dirty.patch) return v.major === c.major && v.minor === c.minor;
      return cmp === 0;
    case '!=':
      if (b.dirty.any) return false;
      if (b.dirty.minor) return v.major !== c.major;
      if (b.dirty.patch) return !(v.major === c.major && v.minor === c.minor);
      return cmp !== 0;
    case '>':
      if (b.dirty.any) return false;
      if (b.dirty.minor) return v.major > c.major;
      if (b.dirty.patch) return v.major > c.major || (v.major === c.major && v.minor > c.minor);
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=': case '=>':
      return cmp >= 0;
    case '<=': case '=<':
      if (b.dirty.any) return true;
      if (b.dirty.minor) return v.major <= c.major;
      if (b.dirty.patch) return v.major < c.major || (v.major === c.major && v.minor <= c.minor);
      return cmp <= 0;
    case '~': case '~>': {
      if (cmp < 0) return false;
      if (b.dirty.any) return true;
      if (b.dirty.minor) return v.major === c.major;
      return v.major === c.major && v.minor === c.minor;
    }
    case '^': {
      if (cmp < 0) return false;
      if (b.dirty.any) return true;
      if (c.major > 0 || b.dirty.minor) return compareSemver(v, bump(c, 'major')) < 0;
      if (c.minor > 0 || b.dirty.patch) return compareSemver(v, bump(c, 'minor')) < 0;
      return compareSemver(v, bump(c, 'patch')) < 0;
    }
    default:
      return false;
  }
}

/** Parse a constraint string into OR-groups of AND-ed bounds. Throws on a malformed constraint. */
export function parseConstraint(constraint: string): Bound[][] {
  return constraint.split('||').map((group) => {
    const g = group.trim().replace(/([0-9xX*])\s+-\s+(v?[0-9xX*])/g, '$1 HYPHEN $2');
    const tokens = g.split(/\s*,\s*|\s+/).filter((t) => t !== '');
    const merged: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      if (OPS.includes(tokens[i]) && i + 1 < tokens.length) { merged.push(tokens[i] + tokens[i + 1]); i++; }
      else merged.push(tokens[i]);
    }
    const bounds: Bound[] = [];
    if (merged.length === 0) throw new Error(`improper constraint: ${group}`);
    for (let i = 0; i < merged.length; i++) {
      if (merged[i + 1] === 'HYPHEN' && i + 2 < merged.length) {
        bounds.push(parseBound('>=' + merged[i]));
        const hi = parseBound(merged[i + 2]);
        bounds.push(hi.dirty.minor || hi.dirty.patch ? { ...hi, op: '<=' } : { ...hi, op: '<=' });
        i += 2;
      } else {
        bounds.push(parseBound(merged[i]));
      }
    }
    return bounds;
  });
}

/** True when `version` satisfies `constraint`; false when either does not parse (IsCompatibleRange). */
export function isCompatibleRange(constraint: string, version: string): boolean {
  const v = parseSemver(version);
  if (!v) return false;
  let groups: Bound[][];
  try { groups = parseConstraint(constraint); } catch { return false; }
  return groups.some((g) => g.every((b) => check(b, v)));
}
