/**
 * Line-based unified diff (the `diff -u` format): an LCS over lines, grouped into hunks with
 * `context` lines around each change. Input: old and new text and their labels. Output: the diff
 * text, or "" when the texts are equal.
 */

type Op = { kind: ' ' | '-' | '+'; line: string };

function lines(s: string): string[] {
  if (s === '') return [];
  const ls = s.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}

function ops(a: string[], b: string[]): Op[] {
  // Trim the common prefix and suffix first: manifests differ in a few places.
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  const x = a.slice(start, endA);
  const y = b.slice(start, endB);
  const n = x.length;
  const m = y.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { out.push({ kind: ' ', line: x[i] }); i++; j++; }
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) { out.push({ kind: '-', line: x[i] }); i++; }
    else { out.push({ kind: '+', line: y[j] }); j++; }
  }
  for (const line of a.slice(endA)) out.push({ kind: ' ', line });
  return out;
}

export function unifiedDiff(oldText: string, newText: string, oldLabel: string, newLabel: string, context = 3): string {
  if (oldText === newText) return '';
  const all = ops(lines(oldText), lines(newText));
  let out = `--- ${oldLabel}\n+++ ${newLabel}\n`;
  let k = 0;
  while (k < all.length) {
    while (k < all.length && all[k].kind === ' ') k++;
    if (k >= all.length) break;
    let from = Math.max(0, k - context);
    let to = k;
    // Extend the hunk while changes are within 2*context lines of each other.
    for (;;) {
      while (to < all.length && all[to].kind !== ' ') to++;
      let next = to;
      while (next < all.length && all[next].kind === ' ' && next - to < 2 * context + 1) next++;
      if (next < all.length && all[next].kind !== ' ' && next - to <= 2 * context) { to = next; continue; }
      break;
    }
    const end = Math.min(all.length, to + context);
    let oldStart = 1;
    let newStart = 1;
    for (let p = 0; p < from; p++) { if (all[p].kind !== '+') oldStart++; if (all[p].kind !== '-') newStart++; }
    const hunk = all.slice(from, end);
    const oldLen = hunk.filter((o) => o.kind !== '+').length;
    const newLen = hunk.filter((o) => o.kind !== '-').length;
    out += `@@ -${oldLen === 0 ? oldStart - 1 : oldStart},${oldLen} +${newLen === 0 ? newStart - 1 : newStart},${newLen} @@\n`;
    for (const o of hunk) out += `${o.kind}${o.line}\n`;
    k = end;
    from = end;
  }
  return out;
}
