/**
 * Go's path/filepath.Match on `/`-separated names: `*` (no `/`), `?`, `[...]` classes with ranges
 * and `^`/`!` negation, `\` escapes. Used by .helmignore and `helm template --show-only`.
 * Throws ErrBadPattern (message "syntax error in pattern") for malformed patterns.
 */

export class BadPatternError extends Error {
  constructor() { super('syntax error in pattern'); }
}

export function goMatch(pattern: string, name: string): boolean {
  return matchFrom(Array.from(pattern), 0, Array.from(name), 0);
}

/** Throws BadPatternError when the pattern cannot compile (checked against a non-empty name). */
export function validatePattern(pattern: string): void {
  const p = Array.from(pattern);
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '\\') { if (i + 1 >= p.length) throw new BadPatternError(); i++; continue; }
    if (p[i] === '[') {
      const end = classEnd(p, i);
      if (end < 0) throw new BadPatternError();
      i = end;
    }
  }
}

/** Index of the closing `]` of the class starting at `start`, or -1 when malformed (Go's getEsc rules). */
function classEnd(p: string[], start: number): number {
  let i = start + 1;
  if (p[i] === '^') i++;
  let ranges = 0;
  const esc = (): boolean => {
    if (i >= p.length || p[i] === '-' || p[i] === ']') return false;
    if (p[i] === '\\') { i++; if (i >= p.length) return false; }
    i++;
    return true;
  };
  for (;;) {
    if (i >= p.length) return -1;
    if (p[i] === ']' && ranges > 0) return i;
    if (!esc()) return -1;
    if (p[i] === '-') { i++; if (!esc()) return -1; }
    ranges++;
  }
}

function classMatches(p: string[], start: number, end: number, c: string): boolean {
  let i = start + 1;
  let negate = false;
  if (p[i] === '^') { negate = true; i++; }
  const take = (): string => { if (p[i] === '\\') i++; return p[i++]; };
  let matched = false;
  while (i < end) {
    const lo = take();
    let hi = lo;
    if (p[i] === '-') { i++; hi = take(); }
    if (lo <= c && c <= hi) matched = true;
  }
  return matched !== negate;
}

function matchFrom(p: string[], pi: number, n: string[], ni: number): boolean {
  while (pi < p.length) {
    const c = p[pi];
    if (c === '*') {
      while (pi < p.length && p[pi] === '*') pi++;
      if (pi === p.length) return !n.slice(ni).includes('/');
      for (let k = ni; k <= n.length; k++) {
        if (matchFrom(p, pi, n, k)) return true;
        if (k < n.length && n[k] === '/') return false;
      }
      return false;
    }
    if (ni >= n.length) return false;
    if (c === '?') {
      if (n[ni] === '/') return false;
      pi++; ni++;
      continue;
    }
    if (c === '[') {
      const end = classEnd(p, pi);
      if (end < 0) throw new BadPatternError();
      if (n[ni] === '/' || !classMatches(p, pi, end, n[ni])) return false;
      pi = end + 1; ni++;
      continue;
    }
    if (c === '\\') {
      pi++;
      if (pi >= p.length) throw new BadPatternError();
    }
    if (p[pi] !== n[ni]) return false;
    pi++; ni++;
  }
  return ni === n.length;
}
