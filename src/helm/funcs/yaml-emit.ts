/**
 * sigs.k8s.io/yaml Marshal, byte for byte: the value goes through JSON (json.Marshal) and is
 * re-emitted by go-yaml v2's block emitter — natural key order, indentless sequences in
 * mappings, 2-space indent, plain/'single'/"double"/|literal scalar selection, and line folding
 * of long scalars at column 80 (v2's default best_width).
 */
import { toJsonValue, type JsonValue } from './json.js';
import { writeString } from './yaml-scalar.js';
export { resolvesNonString } from './yaml-scalar.js';


/** yaml.Marshal(v) as helm's toYaml calls it (before helm trims the final newline). */
export function marshalYaml(v: unknown): string {
  return emitYaml(yamlize(toJsonValue(v)), { indentSequences: false, width: 80 });
}

export interface EmitOptions { /** go-yaml v3 indents sequences under mapping keys; v2 does not. */ indentSequences: boolean; width: number }
let BEST_WIDTH = 80;
let INDENT_SEQ = false;

/** Emit an already-normalised YAML node tree (see yamlize / rawYamlNode). */
export function emitYaml(node: YNode, opts: EmitOptions): string {
  BEST_WIDTH = opts.width;
  INDENT_SEQ = opts.indentSequences;
  const out = new Out();
  emitNode(out, node, -1, 'root');
  if (out.col > 0) out.s += '\n';
  return out.s;
}

/** After the JSON round trip, go-yaml reads integral numbers below 2^64 back as ints. */
export type YNode = null | boolean | { int: string } | number | string | YNode[] | Map<string, YNode>;
function yamlize(v: JsonValue): YNode {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return { int: v.toString() };
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 1e21) {
      const b = BigInt(v);
      if (b >= -(2n ** 63n) && b < 2n ** 64n) return { int: (Object.is(v, -0) ? 0n : b).toString() };
    }
    return v;
  }
  if (Array.isArray(v)) return v.map(yamlize);
  const keys = Object.keys(v).sort((a, b) => (naturalLess(a, b) ? -1 : naturalLess(b, a) ? 1 : 0));
  return new Map(keys.map((k) => [k, yamlize(v[k])]));
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && /\p{Nd}/u.test(c);

/** go-yaml v2 sorter: non-letters before letters, digit runs compared numerically. */
export function naturalLess(a: string, b: string): boolean {
  const ar = [...a];
  const br = [...b];
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i] < br[i];
    if (al || bl) return bl;
    let an = 0;
    let bn = 0;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) if (ar[j] !== '0') { an = 1; bn = 1; break; }
    }
    let ai = i;
    let bi = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10 + (ar[ai].charCodeAt(0) - 48);
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10 + (br[bi].charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i] < br[i];
  }
  return ar.length < br.length;
}

export class Out {
  s = '';
  col = 0;
  put(text: string) { this.s += text; this.col += [...text].length; }
  newline(indent: number) {
    if (!(this.col === 0 && this.s.endsWith('\n'))) this.s += '\n';
    this.s += ' '.repeat(Math.max(indent, 0));
    this.col = Math.max(indent, 0);
  }
}

type Ctx = 'root' | 'mapvalue' | 'seqitem';

/** Emit a node whose container has block indent `indent` (-1 at the root). The cursor is placed. */
function emitNode(out: Out, v: YNode, indent: number, ctx: Ctx) {
  if (v instanceof Map) {
    if (v.size === 0) { space(out, ctx); out.put('{}'); return; }
    const inner = indent < 0 ? 0 : indent + 2;
    let first = true;
    for (const [k, x] of v) {
      if (!(first && ctx === 'seqitem')) { if (ctx === 'root' && first) { /* at column 0 */ } else out.newline(inner); }
      first = false;
      if (/[\n\r\u0085\u2028\u2029]/.test(k) || Buffer.byteLength(k) > 128) {
        // Not a simple key for libyaml: complex-key form "? key" then ":" on its own line.
        out.put('? ');
        writeScalar(out, k, inner + 2, false);
        out.newline(inner);
      } else writeScalar(out, k, inner, true);
      out.put(':');
      if (x instanceof Map && x.size > 0) emitNode(out, x, inner, 'mapvalue');
      else if (Array.isArray(x) && x.length > 0) emitSeq(out, x, inner, !INDENT_SEQ);
      else emitNode(out, x, inner, 'mapvalue');
    }
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) { space(out, ctx); out.put('[]'); return; }
    emitSeq(out, v, indent < 0 ? -2 : indent, false, ctx);
    return;
  }
  space(out, ctx);
  writeScalar(out, v, indent < 0 ? 2 : indent + 2, false);
}

function space(out: Out, ctx: Ctx) { if (ctx !== 'root') out.put(' '); }

/** Sequence items; `indentless` when the sequence is a mapping value (items at the key's indent). */
function emitSeq(out: Out, items: YNode[], indent: number, indentless: boolean, ctx: Ctx = 'mapvalue') {
  const itemIndent = indentless ? indent : indent + 2;
  items.forEach((x, i) => {
    if (!(i === 0 && (ctx === 'root' || ctx === 'seqitem'))) out.newline(itemIndent);
    else if (ctx === 'seqitem') out.put(' ');
    out.put('-');
    if (Array.isArray(x) && x.length > 0) emitSeq(out, x, itemIndent, false, 'seqitem');
    else if (x instanceof Map && x.size > 0) { out.put(' '); emitNode(out, x, itemIndent, 'seqitem'); }
    else emitNode(out, x, itemIndent, 'seqitem');
  });
}

function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Infinity) return '.inf';
  if (f === -Infinity) return '-.inf';
  const [m, e] = f.toExponential().split('e');
  const x = Number(e);
  if (x < -4 || x >= 21 || x >= 6) return `${m}e${x < 0 ? '-' : '+'}${String(Math.abs(x)).padStart(2, '0')}`;
  return String(f);
}

function writeScalar(out: Out, v: YNode, indent: number, isKey: boolean) {
  if (v === null) { out.put('null'); return; }
  if (typeof v === 'boolean') { out.put(String(v)); return; }
  if (typeof v === 'number') { out.put(formatGoFloat(v)); return; }
  if (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Map)) { out.put(v.int); return; }
  writeString(out, v as string, indent, isKey, BEST_WIDTH);
}

