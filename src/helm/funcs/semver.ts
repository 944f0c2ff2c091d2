/**
 * Masterminds/semver v3 as Sprig exposes it: `semver` parses a version into an object with
 * Major/Minor/Patch/Prerelease/Metadata/Original (and Compare/LessThan/GreaterThan/Equal
 * methods); `semverCompare` checks a constraint string (=, !=, >, <, >=, <=, ~, ^, x-ranges,
 * hyphen ranges, `,`/space AND, `||` OR), excluding prereleases unless the constraint has one.
 */
import type { FuncMap } from './engine.js';

const VERSION_RE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

export class SemverVersion {
  static goTypeName = '*semver.Version';
  constructor(readonly Major: bigint, readonly Minor: bigint, readonly Patch: bigint, readonly Prerelease: string, readonly Metadata: string, readonly Original: string) {}
  String(): string {
    return `${this.Major}.${this.Minor}.${this.Patch}${this.Prerelease ? '-' + this.Prerelease : ''}${this.Metadata ? '+' + this.Metadata : ''}`;
  }
  Compare(o: SemverVersion): bigint { return BigInt(compareVersions(this, o)); }
  LessThan(o: SemverVersion): boolean { return compareVersions(this, o) < 0; }
  GreaterThan(o: SemverVersion): boolean { return compareVersions(this, o) > 0; }
  Equal(o: SemverVersion): boolean { return compareVersions(this, o) === 0; }
  toJSON(): string { return this.String(); }
}

export function parseVersion(s: string): SemverVersion {
  const m = VERSION_RE.exec(s);
  if (!m) throw new Error('Invalid Semantic Version');
  const pre = m[5] ?? '';
  for (const id of pre ? pre.split('.') : []) if (/^0\d+$/.test(id)) throw new Error('Version segment starts with 0');
  return new SemverVersion(BigInt(m[1]), BigInt((m[2] ?? '.0').slice(1)), BigInt((m[3] ?? '.0').slice(1)), pre, m[8] ?? '', s);
}

function comparePre(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const x = a.split('.'); const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (i >= x.length) return -1;
    if (i >= y.length) return 1;
    const xn = /^\d+$/.test(x[i]); const yn = /^\d+$/.test(y[i]);
    if (xn && yn) { const d = BigInt(x[i]) - BigInt(y[i]); if (d !== 0n) return d < 0n ? -1 : 1; continue; }
    if (xn !== yn) return xn ? -1 : 1;
    if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: SemverVersion, b: SemverVersion): number {
  for (const k of ['Major', 'Minor', 'Patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return comparePre(a.Prerelease, b.Prerelease);
}

interface Bound { v: SemverVersion; parts: number; wildcard: boolean }

const CONSTRAINT_RE = /^\s*(=|!=|>=|=>|<=|=<|>|<|~>|~|\^)?\s*v?((?:[0-9]+|[xX*])(?:\.(?:[0-9]+|[xX*]))?(?:\.(?:[0-9]+|[xX*]))?(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)\s*$/;

function parseBound(text: string): Bound {
  const [core, ...rest] = text.split(/(?=[-+])/);
  const segs = core.split('.');
  const wildcardAt = segs.findIndex((s) => /^[xX*]$/.test(s));
  const parts = wildcardAt >= 0 ? wildcardAt : segs.length;
  const nums = [0, 1, 2].map((i) => (i < parts ? segs[i] : '0'));
  const v = parseVersion(nums.join('.') + rest.join(''));
  return { v, parts, wildcard: wildcardAt >= 0 };
}

function bump(b: Bound, at: number): SemverVersion {
  const M = b.v.Major; const m = b.v.Minor;
  if (at === 0) return new SemverVersion(M + 1n, 0n, 0n, '', '', '');
  if (at === 1) return new SemverVersion(M, m + 1n, 0n, '', '', '');
  return new SemverVersion(M, m, b.v.Patch + 1n, '', '', '');
}

type Check = (v: SemverVersion) => boolean;

function single(text: string): Check {
  const m = CONSTRAINT_RE.exec(text);
  if (!m) throw new Error(`improper constraint: ${text}`);
  const op = m[1] ?? '';
  const b = parseBound(m[2]);
  const hasPre = b.v.Prerelease !== '';
  const cmp = (v: SemverVersion) => compareVersions(v, b.v);
  const preOk = (v: SemverVersion) => !(v.Prerelease !== '' && !hasPre);
  const inRange = (v: SemverVersion, upper: SemverVersion) => cmp(v) >= 0 && compareVersions(v, upper) < 0;
  let check: Check;
  switch (op) {
    case '': case '=':
      check = b.parts < 3 ? (v) => inRange(v, bump(b, b.parts - 1 < 0 ? 0 : b.parts - 1)) : (v) => cmp(v) === 0;
      if (b.parts === 0) check = () => true;
      break;
    case '!=':
      check = b.parts < 3 ? (v) => !inRange(v, bump(b, Math.max(b.parts - 1, 0))) : (v) => cmp(v) !== 0;
      break;
    case '>': check = b.parts < 3 ? (v) => compareVersions(v, bump(b, Math.max(b.parts - 1, 0))) >= 0 : (v) => cmp(v) > 0; break;
    case '>=': case '=>': check = (v) => cmp(v) >= 0; break;
    case '<': check = (v) => cmp(v) < 0; break;
    case '<=': case '=<': check = b.parts < 3 ? (v) => compareVersions(v, bump(b, Math.max(b.parts - 1, 0))) < 0 : (v) => cmp(v) <= 0; break;
    case '~': case '~>': check = (v) => inRange(v, bump(b, b.parts >= 2 ? 1 : 0)); break;
    case '^': {
      const at = b.v.Major > 0n || b.parts <= 1 ? 0 : b.v.Minor > 0n || b.parts === 2 ? 1 : 2;
      check = (v) => inRange(v, bump(b, at));
      break;
    }
    default: throw new Error(`improper constraint: ${text}`);
  }
  return (v) => preOk(v) && check(v);
}

export function parseConstraint(c: string): Check {
  const ors = c.split('||').map((group) => {
    const g = group.trim().replace(/\s+-\s+/g, ' - ');
    const hyphen = /^(\S+) - (\S+)$/.exec(g);
    if (hyphen) return [single('>=' + hyphen[1]), single('<=' + hyphen[2])];
    const items = g.replace(/([<>=~^!]+)\s+/g, '$1').split(/[\s,]+/).filter(Boolean);
    if (items.length === 0) throw new Error(`improper constraint: ${c}`);
    return items.map(single);
  });
  return (v) => ors.some((ands) => ands.every((f) => f(v)));
}

export const semverFuncs: FuncMap = {
  semver: { fn: (s) => parseVersion(s as string), params: ['string'] },
  semverCompare: {
    fn: (c, s) => {
      const check = parseConstraint(c as string);
      return check(parseVersion(s as string));
    },
    params: ['string', 'string'],
  },
};
