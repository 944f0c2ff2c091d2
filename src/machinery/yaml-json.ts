/**
 * Request body decoding: JSON (fast path) or YAML into a plain value, plus what strict field
 * validation needs to know.
 *
 * `decodeJsonOrYaml(text, {yaml, maxBytes, maxDepth, patch})` returns
 * `{value, duplicates, strictErrors}`:
 * - `duplicates`: paths of keys repeated within one object (`metadata.name`, `spec.containers[0].name`);
 * - `strictErrors`: upstream's strict-decoding texts for them: `duplicate field "metadata.name"` for JSON,
 *   `error converting YAML to JSON: yaml: unmarshal errors:\n  line 4: key "name" already set in map`
 *   for YAML — callers report them (fieldValidation=Strict -> 400 `strict decoding error: ...`,
 *   Warn -> warnings) with `strictDecodingError`.
 * Errors are StatusError: 413 over `maxBytes`, 400 for syntax errors and nesting deeper than
 * `maxDepth` (Go's decoder limit, 10,000). Nothing here recurses over the value, and YAML is read as
 * upstream's YAML 1.1 decoder reads it (yes/no/on/off are booleans, timestamps stay strings,
 * aliases are capped against "billion laughs").
 */
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import { StatusError, badRequest } from './errors.js';

/** Upstream's JSON decoder limit on nesting depth. */
export const MAX_DEPTH = 10000;
/** The yaml package's alias budget: ordinary anchors pass, "billion laughs" expansion does not. */
const MAX_ALIAS_EXPANSION = 1000;
/** Upstream's default request body limit (apiserver MaxRequestBodyBytes, 3 MiB). */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

export interface DecodeOptions {
  /** Accept YAML (JSON is valid YAML, and is still taken by the fast path). */
  yaml?: boolean;
  maxBytes?: number;
  maxDepth?: number;
  /** The body is a patch: syntax errors are reported bare, not as "couldn't get version/kind". */
  patch?: boolean;
}

export interface DecodeResult {
  value: unknown;
  /** Paths of fields that appeared twice in one object. */
  duplicates: string[];
  /** Upstream's strict-decoding error texts (empty when nothing is wrong). */
  strictErrors: string[];
}

const childPath = (parent: string, key: string): string => (parent ? `${parent}.${key}` : key);

interface Frame {
  array: boolean;
  path: string;
  keys?: Set<string>;
  index: number;
  /** The key just read in an object, whose value comes next. */
  key?: string;
}

/** One pass over valid JSON text: maximum depth and repeated keys with their paths. Iterative. */
function scanJson(text: string, maxDepth: number): { tooDeep: boolean; duplicates: string[] } {
  const duplicates: string[] = [];
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < text.length && text.charCodeAt(j) !== 34) j += text.charCodeAt(j) === 92 ? ((escaped = true), 2) : 1;
      const top = stack[stack.length - 1];
      if (top && !top.array && expectKey) {
        const raw = text.slice(i + 1, j);
        const key = escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys!.has(key)) duplicates.push(childPath(top.path, key));
        top.keys!.add(key);
        top.key = key;
        expectKey = false;
      }
      i = j;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      const top = stack[stack.length - 1];
      const path = !top ? '' : top.array ? `${top.path}[${top.index}]` : childPath(top.path, top.key ?? '');
      stack.push({ array: c === 91, path, index: 0, ...(c === 123 ? { keys: new Set<string>() } : {}) });
      if (stack.length > maxDepth) return { tooDeep: true, duplicates };
      expectKey = c === 123;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack.pop();
    } else if (c === 44 /* , */) {
      const top = stack[stack.length - 1];
      if (top?.array) top.index++;
      expectKey = top !== undefined && !top.array;
    }
  }
  return { tooDeep: false, duplicates };
}

/** Go's quoteChar: how encoding/json names an offending character. */
function goQuoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return `'"'`;
  const code = c.codePointAt(0) ?? 0;
  if (code >= 0x20 && code !== 0x7f) return `'${c}'`;
  return `'${JSON.stringify(c).slice(1, -1)}'`;
}

/** V8's JSON.parse complaint -> the context words Go's scanner uses after "invalid character 'x'". */
const GO_CONTEXTS: [RegExp, string][] = [
  [/^Expected property name or '\}'|^Expected double-quoted property name/, 'looking for beginning of object key string'],
  [/^Expected ':' after property name/, 'after object key'],
  [/^Expected ',' or '\}' after property value/, 'after object key:value pair'],
  [/^Expected ',' or '\]' after array element/, 'after array element'],
  [/^Unexpected non-whitespace character after JSON/, 'after top-level value'],
  [/^Bad control character in string literal/, 'in string literal'],
  [/^Bad escaped character|^Bad Unicode escape/, 'in string escape code'],
  [/^No number after minus sign|^Unterminated fractional number|^Exponent part is missing a number/, 'in numeric literal'],
];

/** A Go-flavoured description of a JSON.parse failure on `text`. */
function jsonSyntaxMessage(err: unknown, text: string): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (/end of JSON input|^Unterminated string/i.test(msg)) return 'unexpected end of JSON input';
  const at = /at position (\d+)/.exec(msg);
  const pos = at ? Number(at[1]) : -1;
  const context = GO_CONTEXTS.find(([re]) => re.test(msg))?.[1];
  if (pos >= 0 && pos < text.length && context) {
    const c = String.fromCodePoint(text.codePointAt(pos)!);
    return `invalid character ${goQuoteChar(c)} ${context}`;
  }
  const token = /^Unexpected token '(.+?)', /.exec(msg) ?? /^Unexpected token (.)/.exec(msg);
  if (token && token[1]) return `invalid character ${goQuoteChar(token[1])} looking for beginning of value`;
  return msg.charAt(0).toLowerCase() + msg.slice(1);
}

function decodeJson(text: string, maxDepth: number, patch: boolean): DecodeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = jsonSyntaxMessage(err, text);
    throw badRequest(patch ? detail : `couldn't get version/kind; json parse error: ${detail}`);
  }
  const { tooDeep, duplicates } = scanJson(text, maxDepth);
  if (tooDeep) throw badRequest(patch ? 'json: exceeded max depth' : "couldn't get version/kind; json parse error: exceeded max depth");
  return { value, duplicates, strictErrors: duplicates.map((p) => `duplicate field "${p}"`) };
}

/** Depth of a decoded value, counted without recursion (stops counting past the limit). */
function depthExceeds(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > maxDepth) return true;
    for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, d + 1]);
  }
  return false;
}

interface YamlNodeLike {
  items?: { key?: unknown; value?: unknown }[];
  range?: [number, number, number];
  value?: unknown;
  source?: string;
}

/** Repeated keys in one YAML mapping, with upstream's "line N: key "x" already set in map" texts. */
function yamlDuplicates(doc: Document, lines: LineCounter): { paths: string[]; lines: string[] } {
  const paths: string[] = [];
  const messages: string[] = [];
  const stack: [YamlNodeLike, string][] = [[doc.contents as YamlNodeLike, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (!node || typeof node !== 'object' || !Array.isArray(node.items)) continue;
    const isMap = node.items.some((it) => it && typeof it === 'object' && 'key' in it);
    const seen = new Set<string>();
    node.items.forEach((item, i) => {
      if (!item || typeof item !== 'object') return;
      if (isMap) {
        const keyNode = item.key as YamlNodeLike | null | undefined;
        const key = String(keyNode && typeof keyNode === 'object' && 'value' in keyNode ? keyNode.value : keyNode);
        if (seen.has(key)) {
          paths.push(childPath(path, key));
          const line = keyNode?.range ? lines.linePos(keyNode.range[0]).line : 0;
          messages.push(`line ${line}: key ${JSON.stringify(key)} already set in map`);
        }
        seen.add(key);
        stack.push([item.value as YamlNodeLike, childPath(path, key)]);
      } else {
        stack.push([item as YamlNodeLike, `${path}[${i}]`]);
      }
    });
  }
  return { paths, lines: messages };
}

function decodeYaml(text: string, maxDepth: number): DecodeResult {
  const lines = new LineCounter();
  let value: unknown;
  let doc: Document;
  try {
    const docs = parseAllDocuments(text, {
      version: '1.1',
      uniqueKeys: false,
      prettyErrors: false,
      lineCounter: lines,
      // Upstream's decoder keeps timestamps as strings when decoding into plain maps.
      customTags: (tags) => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
    });
    const all = Array.isArray(docs) ? docs : [];
    doc = all[0] ?? (parseAllDocuments('null') as Document[])[0]!;
    const err = doc.errors[0];
    if (err) {
      const line = err.linePos?.[0]?.line ?? lines.linePos(err.pos[0]).line;
      if (/call stack/i.test(err.message)) throw badRequest('error converting YAML to JSON: yaml: exceeded max depth');
      throw badRequest(`error converting YAML to JSON: yaml: line ${line}: ${err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
    }
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION });
  } catch (e) {
    if (e instanceof StatusError) throw e;
    if (e instanceof RangeError) throw badRequest('error converting YAML to JSON: yaml: exceeded max depth');
    throw badRequest(`error converting YAML to JSON: yaml: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (depthExceeds(value, maxDepth)) throw badRequest('error converting YAML to JSON: yaml: exceeded max depth');
  // JSON has no undefined, no Dates, no Maps: normalise through JSON (iterative in V8).
  value = JSON.parse(JSON.stringify(value) ?? 'null');
  const dup = yamlDuplicates(doc, lines);
  const strictErrors = dup.lines.length ? [`error converting YAML to JSON: yaml: unmarshal errors:\n  ${dup.lines.join('\n  ')}`] : [];
  return { value, duplicates: dup.paths, strictErrors };
}

/** Decodes a request body; see the file comment for the contract. */
export function decodeJsonOrYaml(text: string, opts: DecodeOptions = {}): DecodeResult {
  const maxBytes = opts.maxBytes ?? MAX_REQUEST_BYTES;
  const maxDepth = opts.maxDepth ?? MAX_DEPTH;
  if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new StatusError('RequestEntityTooLarge', `Request entity too large: limit is ${maxBytes}`);
  }
  const trimmed = text.trimStart();
  const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[');
  if (!opts.yaml) return decodeJson(text, maxDepth, opts.patch ?? false);
  if (looksJson) {
    try {
      return decodeJson(text, maxDepth, opts.patch ?? false);
    } catch (e) {
      // Flow-style YAML can look like JSON (`{a: 1}`); only a depth error is final.
      if (e instanceof StatusError && e.message.includes('exceeded max depth')) throw e;
    }
  }
  return decodeYaml(text, maxDepth);
}

/** The 400 upstream sends for fieldValidation=Strict: `strict decoding error: a, b`. */
export function strictDecodingError(strictErrors: string[]): StatusError {
  return badRequest(`strict decoding error: ${strictErrors.join(', ')}`);
}
