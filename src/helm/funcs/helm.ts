/**
 * Helm's own template functions (pkg/engine/funcs.go + engine.go): toYaml, toYamlPretty,
 * fromYaml, fromYamlArray, toJson, fromJson, fromJsonArray, toToml, fromToml, required, fail,
 * lookup, and the late-bound include/tpl. `helmFuncs(ctx)` returns Sprig (minus env/expandenv)
 * plus these; include/tpl call back into the context the renderer supplies.
 */
import { parseAllDocuments } from 'yaml';
import type { FuncMap, GoMap } from './engine.js';
import { kindOf, mapEntries } from './engine.js';
import { marshalJson, parseJson, jsonString } from './json.js';
import { marshalYaml } from './yaml-emit.js';
import { marshalYamlPretty } from './yaml-pretty.js';
import { stringFuncs } from './strings.js';
import { collectionFuncs } from './collections.js';
import { numericFuncs } from './numeric.js';
import { encodingFuncs } from './encoding.js';
import { regexFuncs } from './regex.js';
import { semverFuncs } from './semver.js';
import { dateFuncs } from './dates.js';
import { cryptoFuncs } from './crypto.js';
import { toToml, fromToml } from './toml.js';

export const WARN_START = 'HELM_ERR_START';
export const WARN_END = 'HELM_ERR_END';
const warnWrap = (s: string) => WARN_START + s + WARN_END;

/** `lookup apiVersion kind namespace name`: returns the object (or a list object), or {} offline. */
export type LookupFn = (apiVersion: string, kind: string, namespace: string, name: string) => GoMap;

export interface HelmFuncContext {
  /** Executes a named template of the current set (include). */
  include?: (name: string, data: unknown) => string;
  /** Renders template text against values (tpl). */
  tpl?: (text: string, values: unknown) => string;
  lintMode?: boolean;
  lookup?: LookupFn;
  /** Sink for lint-mode messages ("[INFO] Missing required value: ..."). */
  log?: (line: string) => void;
}

/** Sprig's function map as helm exposes it (without env/expandenv). */
export function sprigFuncs(): FuncMap {
  return {
    ...stringFuncs, ...collectionFuncs, ...numericFuncs, ...encodingFuncs, ...regexFuncs,
    ...semverFuncs, ...dateFuncs, ...cryptoFuncs,
    hello: () => 'Hello!',
    fail: { fn: (msg) => { throw new Error(msg as string); }, params: ['string'] },
    fromJson: (s) => { try { return parseJson(s as string); } catch { return null; } },
    mustFromJson: { fn: (s) => parseJson(s as string), params: ['string'] },
    toJson: (v) => { try { return marshalJson(v); } catch { return ''; } },
    mustToJson: (v) => marshalJson(v),
    toPrettyJson: (v) => { try { return marshalJson(v, '  '); } catch { return ''; } },
    mustToPrettyJson: (v) => marshalJson(v, '  '),
    toRawJson: (v) => { try { return unescapeHtml(marshalJson(v)); } catch { return ''; } },
    mustToRawJson: (v) => unescapeHtml(marshalJson(v)),
  };
}

function unescapeHtml(s: string): string {
  return s.replace(/\\u00(3c|3e|26)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const GO_YAML_FLOAT = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: /^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  resolve(str: string): number {
    if (/nan$/i.test(str)) return NaN;
    if (/inf$/i.test(str)) return str.startsWith('-') ? -Infinity : Infinity;
    return Number(str.replace(/_/g, ''));
  },
};

const YAML_OPTIONS = {
  version: '1.1' as const, merge: true, uniqueKeys: false, intAsBigInt: false, maxAliasCount: -1,
  // go-yaml v2 reads timestamps and sexagesimal numbers into interface{} as plain strings, and
  // accepts only its own float syntax (so ".", "e1" or "+." stay strings).
  customTags: (tags: unknown[]) => [
    ...tags.filter((t) => {
      const o = t as { tag?: string; format?: string };
      return !/timestamp|intTime|floatTime/.test(String(o.tag ?? '') + String(o.format ?? '')) && o.tag !== 'tag:yaml.org,2002:float';
    }),
    GO_YAML_FLOAT,
  ],
};

interface YamlLibError { code?: string; message: string; linePos?: { line: number }[] }

/** The go-yaml v2 wording for the first problem, as sigs.k8s.io/yaml reports it. */
function goYamlMessage(e: YamlLibError): string {
  const line = e.linePos?.[0]?.line ?? 1;
  const first = e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  let msg = first;
  let l = line;
  if (e.code === 'MISSING_CHAR' && /Implicit map keys/.test(first)) { msg = "could not find expected ':'"; l = line + 1; }
  else if (e.code === 'MISSING_CHAR' && /closing .?quote/.test(first)) msg = 'found unexpected end of stream';
  else if (e.code === 'MISSING_CHAR' && /Flow map/.test(first)) msg = "did not find expected ',' or '}'";
  else if (/Flow sequence/.test(first)) msg = "did not find expected ',' or ']'";
  else if (e.code === 'BLOCK_AS_IMPLICIT_KEY' || /Nested mappings/.test(first)) msg = 'mapping values are not allowed in this context';
  else if (e.code === 'BAD_INDENT' && /mapping items/.test(first)) msg = 'did not find expected key';
  return `error converting YAML to JSON: yaml: line ${l}: ${msg}`;
}

/**
 * sigs.k8s.io/yaml Unmarshal into interface{}: YAML 1.1 scalars, numbers as float64, keys as
 * strings, first document only. Throws an Error worded like helm's ("error converting YAML to
 * JSON: yaml: line N: ...").
 */
export function yamlToGo(text: string): unknown {
  const docs = parseAllDocuments(text, YAML_OPTIONS as never) as unknown as { errors: YamlLibError[]; toJS(): unknown }[];
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc) return null;
  if (doc.errors.length > 0) throw new Error(goYamlMessage(doc.errors[0]));
  return normalizeYaml(doc.toJS());
}

function normalizeYaml(v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) return v.map(normalizeYaml);
  if (v instanceof Map) { const o: GoMap = {}; for (const [k, x] of v) o[String(k)] = normalizeYaml(x); return o; }
  if (v instanceof Set) return [...v].map(normalizeYaml);
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'object') { const o: GoMap = {}; for (const [k, x] of Object.entries(v)) o[k] = normalizeYaml(x); return o; }
  if (typeof v === 'bigint') return Number(v);
  return v;
}

const yamlError = (e: unknown) => (e instanceof Error ? e.message : String(e));

function fromYaml(s: string): GoMap {
  try {
    const v = yamlToGo(s);
    if (v === null) return {};
    if (kindOf(v) !== 'map') return { Error: `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}` };
    return v as GoMap;
  } catch (e) { return { Error: yamlError(e) }; }
}

function fromYamlArray(s: string): unknown[] {
  try {
    const v = yamlToGo(s);
    if (v === null) return [];
    if (!Array.isArray(v)) return [`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`];
    return v;
  } catch (e) { return [yamlError(e)]; }
}

function jsonKind(v: unknown): string {
  switch (kindOf(v)) {
    case 'map': return 'object';
    case 'slice': return 'array';
    case 'string': return 'string';
    case 'float': case 'int': return 'number';
    case 'bool': return 'bool';
    default: return 'null';
  }
}

function fromJson(s: string): GoMap {
  try {
    const v = parseJson(s);
    if (kindOf(v) !== 'map') return v === null ? {} : { Error: `json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}` };
    return v as GoMap;
  } catch (e) { return { Error: (e as Error).message }; }
}

function fromJsonArray(s: string): unknown[] {
  try {
    const v = parseJson(s);
    if (!Array.isArray(v)) return v === null ? [] : [`json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`];
    return v;
  } catch (e) { return [(e as Error).message]; }
}

/** Helm's full template function map for one render. */
export function helmFuncs(ctx: HelmFuncContext = {}): FuncMap {
  const log = ctx.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const f: FuncMap = sprigFuncs();
  delete f.env;
  delete f.expandenv;
  Object.assign(f, {
    toToml: (v: unknown) => { try { return toToml(v); } catch (e) { return (e as Error).message; } },
    fromToml: { fn: (s: unknown) => fromToml(s as string), params: ['string'] },
    toYaml: (v: unknown) => { try { return marshalYaml(v).replace(/\n$/, ''); } catch { return ''; } },
    toYamlPretty: (v: unknown) => { try { return marshalYamlPretty(v).replace(/\n$/, ''); } catch { return ''; } },
    fromYaml: { fn: (s: unknown) => fromYaml(s as string), params: ['string'] },
    fromYamlArray: { fn: (s: unknown) => fromYamlArray(s as string), params: ['string'] },
    toJson: (v: unknown) => { try { return marshalJson(v); } catch { return ''; } },
    mustToJson: (v: unknown) => marshalJson(v),
    fromJson: { fn: (s: unknown) => fromJson(s as string), params: ['string'] },
    fromJsonArray: { fn: (s: unknown) => fromJsonArray(s as string), params: ['string'] },
    include: {
      fn: (name: unknown, data: unknown) => { if (!ctx.include) return 'not implemented'; return ctx.include(name as string, data); },
      params: ['string', 'any'],
    },
    tpl: {
      fn: (text: unknown, vals: unknown) => { if (!ctx.tpl) return 'not implemented'; return ctx.tpl(text as string, vals); },
      params: ['string', 'any'],
    },
    required: {
      fn: (warn: unknown, val: unknown) => {
        if (val === null || val === '') {
          if (ctx.lintMode) { log(`[INFO] Missing required value: ${warn as string}`); return ''; }
          throw new Error(warnWrap(warn as string));
        }
        return val;
      },
      params: ['string', 'any'],
    },
    fail: {
      fn: (msg: unknown) => {
        if (ctx.lintMode) { log(`[INFO] Fail: ${msg as string}`); return ''; }
        throw new Error(warnWrap(msg as string));
      },
      params: ['string'],
    },
    lookup: {
      fn: (a: unknown, k: unknown, ns: unknown, n: unknown) => (ctx.lookup ? ctx.lookup(a as string, k as string, ns as string, n as string) : {}),
      params: ['string', 'string', 'string', 'string'],
    },
    getHostByName: { fn: () => '', params: ['string'] },
  });
  return f;
}

export { marshalYaml, marshalJson, jsonString, mapEntries };
