/**
 * YAML -> helm values, the way helm reads YAML (sigs.k8s.io/yaml over go-yaml v2): YAML 1.1 scalar
 * resolution (yes/no/on/off are booleans, 0755 is octal, timestamps stay strings), then a trip
 * through JSON, so every number becomes a float64 (a JS number) and every map key a string.
 * Errors are worded like go-yaml's (`yaml: line N: ...`) so CLI messages match helm's.
 */
import { parseDocument, isAlias, isMap, isScalar, isSeq, isPair, type Document, type Node } from 'yaml';

/** The value model shared with the template engine: Go's interface{} trees after a JSON trip.
 *  `bigint` stands for Go's int64 (produced only by `--set` integer guessing). */
export type HelmValue = null | boolean | number | bigint | string | HelmValue[] | HelmMap;
export interface HelmMap { [key: string]: HelmValue }

export class YamlError extends Error {}

/** Parse one YAML document into a HelmValue (null for an empty document). */
export function parseYaml(text: string): HelmValue {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false, strict: false, prettyErrors: false });
  if (doc.errors.length > 0) throw new YamlError(goYamlMessage(text, doc));
  if (doc.contents === null) return null;
  return convertNode(doc, doc.contents as Node, 0);
}

/** Parse a YAML document that must be a map (values files), like sigs.k8s.io/yaml.Unmarshal into
 *  map[string]interface{}: errors read `error converting YAML to JSON: yaml: ...` or
 *  `error unmarshaling JSON: ...`. Empty documents give `{}`. */
export function parseYamlMap(text: string): HelmMap {
  let v: HelmValue;
  try {
    v = parseYaml(text);
  } catch (e) {
    throw new YamlError(`error converting YAML to JSON: ${(e as Error).message}`);
  }
  if (v === null) return {};
  if (!isHelmMap(v)) {
    throw new YamlError(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${goJsonKind(v)} into Go value of type map[string]interface {}`);
  }
  return v;
}

export function isHelmMap(v: unknown): v is HelmMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function goJsonKind(v: HelmValue): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  return 'number';
}

function convertNode(doc: Document, node: Node | null, depth: number): HelmValue {
  if (depth > 10000) throw new YamlError('yaml: exceeded max depth');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return convertNode(doc, node.resolve(doc) as Node, depth + 1);
  if (isScalar(node)) {
    const raw = node.value === null || node.value === undefined ? '' : String(node.value);
    if (node.tag) return resolveTagged(node.tag, raw);
    if (node.type === 'PLAIN') return resolvePlain(raw);
    return raw;
  }
  if (isSeq(node)) return node.items.map((item) => convertNode(doc, item as Node, depth + 1));
  if (isMap(node)) {
    const out: HelmMap = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<' && !keyNode.tag) {
        mergeInto(out, convertNode(doc, pair.value as Node, depth + 1));
        continue;
      }
      out[keyString(convertNode(doc, keyNode, depth + 1))] = convertNode(doc, pair.value as Node, depth + 1);
    }
    return out;
  }
  return null;
}

function mergeInto(out: HelmMap, merged: HelmValue): void {
  const sources = Array.isArray(merged) ? merged : [merged];
  for (const src of sources) {
    if (isHelmMap(src)) for (const [k, v] of Object.entries(src)) out[k] = v;
  }
}

function keyString(k: HelmValue): string {
  if (typeof k === 'string') return k;
  if (k === null) return 'null';
  if (typeof k === 'number' || typeof k === 'bigint' || typeof k === 'boolean') return String(k);
  return JSON.stringify(k);
}

function resolveTagged(tag: string, raw: string): HelmValue {
  const short = tag.replace(/^tag:yaml\.org,2002:/, '!!');
  switch (short) {
    case '!!str': case '!!binary': case '!!timestamp': return raw;
    case '!!null': return null;
    case '!!bool': case '!!int': case '!!float': {
      const v = resolvePlain(raw);
      return typeof v === 'string' ? raw : v;
    }
    default: return resolvePlain(raw);
  }
}

const TRUE_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE_WORDS = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** go-yaml v2 resolve() for an untagged plain scalar, then the JSON trip (ints become floats). */
export function resolvePlain(s: string): HelmValue {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (TRUE_WORDS.has(s)) return true;
  if (FALSE_WORDS.has(s)) return false;
  if (['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].includes(s)) return Infinity;
  if (['-.inf', '-.Inf', '-.INF'].includes(s)) return -Infinity;
  if (['.nan', '.NaN', '.NAN'].includes(s)) return NaN;
  if (!/^[-+.0-9]/.test(s)) return s;
  const plain = s.replace(/_/g, '');
  const asInt = parseGoInt(plain);
  if (asInt !== undefined) return asInt;
  if (YAML_FLOAT.test(plain)) return Number(plain);
  return s;
}

/** strconv.ParseInt(s, 0, 64) (and ParseUint): sign, then 0x / 0o / 0b / leading-0 octal / decimal. */
function parseGoInt(s: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2];
  let n: bigint;
  if (/^0[xXoObB]/.test(body)) n = BigInt(body.toLowerCase());
  else if (body.length > 1 && body[0] === '0') n = BigInt('0o' + body.slice(1));
  else n = BigInt(body);
  if (m[1] === '-') n = -n;
  if (n > 18446744073709551615n || n < -9223372036854775808n) return undefined;
  return Number(n);
}

/** Best-effort translation of the JS parser's first error into go-yaml's wording and line. */
function goYamlMessage(text: string, doc: Document): string {
  const err = doc.errors[0];
  const line = text.slice(0, err.pos[0]).split('\n').length;
  const msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  if (err.code === 'MISSING_CHAR' && msg.startsWith('Implicit map keys need to be followed by map values')) {
    return `yaml: line ${nextTokenLine(text, line)}: could not find expected ':'`;
  }
  if (err.code === 'BLOCK_AS_IMPLICIT_KEY' || msg.startsWith('Nested mappings are not allowed')) {
    return `yaml: line ${line}: mapping values are not allowed in this context`;
  }
  if (err.code === 'BAD_INDENT' && msg.startsWith('Flow sequence')) return `yaml: line ${text.split('\n').length - 1}: did not find expected ',' or ']'`;
  if (err.code === 'TAB_AS_INDENT') return `yaml: line ${line}: found character that cannot start any token`;
  if (err.code === 'BAD_INDENT' && msg.startsWith('All mapping items')) return `yaml: line ${line - 1}: did not find expected key`;
  if (err.code === 'MISSING_CHAR' && msg.startsWith('Missing closing')) {
    return `yaml: line ${text.split('\n').length}: found unexpected end of stream`;
  }
  return `yaml: line ${line}: ${msg}`;
}

/** libyaml reports a stale simple key at the next token: the next non-blank, non-comment line
 *  after `line` (1-based), or one past the last line at end of input. */
function nextTokenLine(text: string, line: number): number {
  const lines = text.split('\n');
  for (let i = line; i < lines.length; i++) {
    const t = lines[i].trim();
    if (t !== '' && !t.startsWith('#')) return i + 1;
  }
  return lines.length + (text.endsWith('\n') ? 0 : 1);
}
