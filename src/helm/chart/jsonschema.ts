/**
 * values.schema.json validation with the error text helm 3.21 prints (santhosh-tekuri/jsonschema
 * v6 display format): one `- at '<json pointer>': <message>` line per failure, nested causes
 * indented. Supports drafts 4 to 2020-12 for the keywords charts use (type, enum, const, $ref to
 * local pointers, object/array/string/number keywords, allOf/anyOf/oneOf/not/if-then-else,
 * `format` for drafts before 2019-09 as v6 asserts it).
 * Remote $refs are not fetched (treated as always valid).
 */
import type { HelmValue } from '../values/yaml.js';
import { formatGoFloat } from './gofmt.js';
import { checkFormat } from './jsonformats.js';

type Schema = boolean | { [k: string]: unknown };
interface VError { loc: string[]; message: string; causes: VError[]; isRef?: boolean }

function isObj(v: unknown): v is Record<string, unknown> { return typeof v === 'object' && v !== null && !Array.isArray(v); }

function typeOf(v: HelmValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

const TYPE_ORDER = ['null', 'boolean', 'number', 'integer', 'string', 'array', 'object'];

export function quoteV6(s: string): string {
  const q = JSON.stringify(s).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
  return `'${q}'`;
}

function ptr(tokens: string[]): string {
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

function num(v: HelmValue): number { return typeof v === 'bigint' ? Number(v) : (v as number); }

function display(v: unknown): string {
  if (typeof v === 'string') return quoteV6(v);
  if (Array.isArray(v) || isObj(v)) return 'value';
  if (typeof v === 'number') return formatGoFloat(v, true);
  return String(v);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (typeof a === 'bigint') a = Number(a);
  if (typeof b === 'bigint') b = Number(b);
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

function draftOf(root: Schema): number {
  const s = isObj(root) && typeof root.$schema === 'string' ? root.$schema : '';
  if (s.includes('draft-04')) return 4;
  if (s.includes('draft-06')) return 6;
  if (s.includes('draft-07')) return 7;
  if (s.includes('2019-09')) return 2019;
  return 2020;
}

class Validator {
  private readonly draft: number;
  constructor(private readonly root: Schema) { this.draft = draftOf(root); }

  private resolveRef(ref: string): Schema {
    if (!ref.startsWith('#')) return true;
    let cur: unknown = this.root;
    for (const raw of ref.slice(1).split('/').slice(1)) {
      const tok = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      cur = Array.isArray(cur) ? cur[Number(tok)] : isObj(cur) ? cur[tok] : undefined;
    }
    return typeof cur === 'boolean' || isObj(cur) ? cur : true;
  }

  validate(s: Schema, v: HelmValue, loc: string[]): VError | null {
    if (s === true) return null;
    const err = (message: string, causes: VError[] = []): VError => ({ loc, message, causes });
    if (s === false) return err('false schema');
    const t = typeOf(v);
    if (s.type !== undefined) {
      const want = (Array.isArray(s.type) ? s.type : [s.type]).filter((x): x is string => typeof x === 'string');
      const ok = want.includes(t) || (want.includes('integer') && t === 'number' && Number.isInteger(num(v)));
      if (want.length > 0 && !ok) return err(`got ${t}, want ${TYPE_ORDER.filter((x) => want.includes(x)).join(' or ')}`);
    }
    if ('const' in s && !deepEqual(v, s.const)) {
      return err(Array.isArray(s.const) || isObj(s.const) ? 'const failed' : `value must be ${display(s.const)}`);
    }
    if (Array.isArray(s.enum) && !s.enum.some((x) => deepEqual(v, x))) {
      const prim = s.enum.every((x) => !Array.isArray(x) && !isObj(x));
      if (!prim) return err('enum failed');
      return err(s.enum.length === 1 ? `value must be ${display(s.enum[0])}` : `value must be one of ${s.enum.map(display).join(', ')}`);
    }
    if (typeof s.format === 'string' && this.draft < 2019) {
      const reason = checkFormat(s.format, v);
      if (reason) return err(`${display(v)} is not valid ${s.format}: ${reason}`);
    }
    const errors: VError[] = [];
    const add = (e: VError | null) => { if (e) errors.push(e); };
    if (typeof s.$ref === 'string') {
      const refErr = this.validate(this.resolveRef(s.$ref), v, loc);
      const wrapped = refErr ? { loc, message: 'validation failed', causes: refErr.message === 'validation failed' && refErr.causes.length > 0 && !refErr.isRef ? refErr.causes : [refErr], isRef: true } : null;
      if (this.draft < 2019) return wrapped;
      add(wrapped);
    }
    if (t === 'object') this.object(s, v as Record<string, HelmValue>, loc, add, err);
    else if (t === 'array') this.array(s, v as HelmValue[], loc, add, err);
    else if (t === 'string') this.string(s, v as string, add, err);
    else if (t === 'number') this.number(s, num(v), add, err);
    this.conditional(s, v, loc, add, err);
    if (errors.length === 0) return null;
    if (errors.length === 1) return errors[0];
    return err('validation failed', errors);
  }

  private object(s: Record<string, unknown>, obj: Record<string, HelmValue>, loc: string[], add: (e: VError | null) => void, err: (m: string, c?: VError[]) => VError): void {
    const keys = Object.keys(obj);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) add(err(`minProperties: got ${keys.length}, want ${s.minProperties}`));
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) add(err(`maxProperties: got ${keys.length}, want ${s.maxProperties}`));
    if (Array.isArray(s.required)) {
      const missing = s.required.filter((r): r is string => typeof r === 'string' && !(r in obj));
      if (missing.length === 1) add(err(`missing property ${quoteV6(missing[0])}`));
      else if (missing.length > 1) add(err(`missing properties ${missing.map(quoteV6).join(', ')}`));
    }
    if (isObj(s.dependencies)) {
      for (const [p, dep] of Object.entries(s.dependencies)) {
        if (!(p in obj)) continue;
        if (Array.isArray(dep)) {
          const missing = dep.filter((r): r is string => typeof r === 'string' && !(r in obj));
          if (missing.length > 0) add(err(`properties ${missing.map(quoteV6).join(', ')} required, if ${quoteV6(p)} exists`));
        } else if (typeof dep === 'boolean' || isObj(dep)) add(this.validate(dep, obj, loc));
      }
    }
    const props = isObj(s.properties) ? s.properties : {};
    const patterns = isObj(s.patternProperties) ? Object.entries(s.patternProperties).map(([re, sch]) => [new RegExp(re, 'u'), sch] as const) : [];
    const extra: string[] = [];
    for (const k of keys) {
      let evaluated = false;
      if (k in props) { evaluated = true; add(this.validate(props[k] as Schema, obj[k], [...loc, k])); }
      for (const [re, sch] of patterns) if (re.test(k)) { evaluated = true; add(this.validate(sch as Schema, obj[k], [...loc, k])); }
      if (!evaluated && s.additionalProperties !== undefined) {
        if (s.additionalProperties === false) extra.push(k);
        else add(this.validate(s.additionalProperties as Schema, obj[k], [...loc, k]));
      }
    }
    if (extra.length > 0) add(err(`additional properties ${extra.map(quoteV6).join(', ')} not allowed`));
    if (this.draft >= 6 && s.propertyNames !== undefined) {
      for (const k of keys) if (this.validate(s.propertyNames as Schema, k, loc)) add(err(`invalid propertyName ${quoteV6(k)}`));
    }
    if (this.draft >= 2019 && isObj(s.dependentRequired)) {
      for (const [p, reqd] of Object.entries(s.dependentRequired)) {
        if (!(p in obj) || !Array.isArray(reqd)) continue;
        const missing = reqd.filter((r): r is string => typeof r === 'string' && !(r in obj));
        if (missing.length > 0) add(err(`properties ${missing.map(quoteV6).join(', ')} required, if ${quoteV6(p)} exists`));
      }
    }
  }

  private array(s: Record<string, unknown>, arr: HelmValue[], loc: string[], add: (e: VError | null) => void, err: (m: string, c?: VError[]) => VError): void {
    if (typeof s.minItems === 'number' && arr.length < s.minItems) add(err(`minItems: got ${arr.length}, want ${s.minItems}`));
    if (typeof s.maxItems === 'number' && arr.length > s.maxItems) add(err(`maxItems: got ${arr.length}, want ${s.maxItems}`));
    if (s.uniqueItems === true) {
      outer: for (let i = 0; i < arr.length; i++) {
        for (let j = i + 1; j < arr.length; j++) if (deepEqual(arr[i], arr[j])) { add(err(`items at ${i} and ${j} are equal`)); break outer; }
      }
    }
    let evaluated = 0;
    const tuple = this.draft >= 2020 ? s.prefixItems : Array.isArray(s.items) ? s.items : undefined;
    if (Array.isArray(tuple)) {
      for (let i = 0; i < Math.min(tuple.length, arr.length); i++) add(this.validate(tuple[i] as Schema, arr[i], [...loc, String(i)]));
      evaluated = tuple.length;
    }
    let rest: unknown;
    if (this.draft >= 2020) rest = s.items;
    else if (Array.isArray(s.items)) rest = s.additionalItems;
    else rest = s.items;
    if (rest === false && this.draft < 2020 && Array.isArray(s.items)) {
      if (arr.length > evaluated) add(err(`last ${arr.length - evaluated} additionalItem(s) not allowed`));
    } else if (rest !== undefined) {
      for (let i = evaluated; i < arr.length; i++) add(this.validate(rest as Schema, arr[i], [...loc, String(i)]));
    }
    if (this.draft >= 6 && s.contains !== undefined) {
      const matched = arr.filter((x, i) => this.validate(s.contains as Schema, x, [...loc, String(i)]) === null).length;
      const min = typeof s.minContains === 'number' ? s.minContains : 1;
      if (matched < min) add(err(min === 1 && s.minContains === undefined ? 'no items match contains schema' : `min ${min} items required to match contains schema, but none matched`));
    }
  }

  private string(s: Record<string, unknown>, str: string, add: (e: VError | null) => void, err: (m: string) => VError): void {
    const len = Array.from(str).length;
    if (typeof s.minLength === 'number' && len < s.minLength) add(err(`minLength: got ${len}, want ${s.minLength}`));
    if (typeof s.maxLength === 'number' && len > s.maxLength) add(err(`maxLength: got ${len}, want ${s.maxLength}`));
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(str)) add(err(`${quoteV6(str)} does not match pattern ${quoteV6(s.pattern)}`));
  }

  private number(s: Record<string, unknown>, n: number, add: (e: VError | null) => void, err: (m: string) => VError): void {
    const f = (x: number) => formatGoFloat(x, true);
    if (typeof s.minimum === 'number') {
      const excl = this.draft === 4 && s.exclusiveMinimum === true;
      if (excl ? n <= s.minimum : n < s.minimum) add(err(`${excl ? 'exclusiveMinimum' : 'minimum'}: got ${f(n)}, want ${f(s.minimum)}`));
    }
    if (typeof s.maximum === 'number') {
      const excl = this.draft === 4 && s.exclusiveMaximum === true;
      if (excl ? n >= s.maximum : n > s.maximum) add(err(`${excl ? 'exclusiveMaximum' : 'maximum'}: got ${f(n)}, want ${f(s.maximum)}`));
    }
    if (typeof s.exclusiveMinimum === 'number' && n <= s.exclusiveMinimum) add(err(`exclusiveMinimum: got ${f(n)}, want ${f(s.exclusiveMinimum)}`));
    if (typeof s.exclusiveMaximum === 'number' && n >= s.exclusiveMaximum) add(err(`exclusiveMaximum: got ${f(n)}, want ${f(s.exclusiveMaximum)}`));
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
      const q = n / s.multipleOf;
      if (Math.abs(q - Math.round(q)) > 1e-9) add(err(`multipleOf: got ${f(n)}, want ${f(s.multipleOf)}`));
    }
  }

  private conditional(s: Record<string, unknown>, v: HelmValue, loc: string[], add: (e: VError | null) => void, err: (m: string, c?: VError[]) => VError): void {
    if (s.not !== undefined && this.validate(s.not as Schema, v, loc) === null) add(err('not failed'));
    if (Array.isArray(s.allOf)) {
      const errs = s.allOf.map((x) => this.validate(x as Schema, v, loc)).filter((e): e is VError => e !== null);
      if (errs.length > 0) add(err('allOf failed', errs));
    }
    if (Array.isArray(s.anyOf)) {
      const errs: VError[] = [];
      let matched = false;
      for (const x of s.anyOf) { const e = this.validate(x as Schema, v, loc); if (e) errs.push(e); else { matched = true; break; } }
      if (!matched) add(err('anyOf failed', errs));
    }
    if (Array.isArray(s.oneOf)) {
      const errs: VError[] = [];
      let matched = -1;
      for (let i = 0; i < s.oneOf.length; i++) {
        const e = this.validate(s.oneOf[i] as Schema, v, loc);
        if (e) { if (matched === -1) errs.push(e); continue; }
        if (matched === -1) matched = i;
        else { add(err(`oneOf failed, subschemas ${matched}, ${i} matched`)); break; }
      }
      if (matched === -1) add(err('oneOf failed, none matched', errs));
    }
    if (this.draft >= 7 && s.if !== undefined) {
      if (this.validate(s.if as Schema, v, loc) === null) { if (s.then !== undefined) add(this.validate(s.then as Schema, v, loc)); }
      else if (s.else !== undefined) add(this.validate(s.else as Schema, v, loc));
    }
  }
}

function render(e: VError, indent: number, out: string[]): void {
  const skip = e.isRef === true && e.causes.length === 1;
  if (!skip) {
    out.push(`\n${'  '.repeat(indent - 1)}- at ${quoteV6(ptr(e.loc))}: ${e.message}`);
    indent++;
  }
  for (const c of e.causes) render(c, indent, out);
}

/**
 * Validate values against one chart's schema. Returns helm's error text (lines ending in "\n")
 * or null when valid. Throws when the schema itself is not JSON.
 */
export function validateAgainstSchema(schemaJson: string, values: HelmValue): string | null {
  const schema = JSON.parse(schemaJson) as Schema;
  const v = new Validator(schema);
  const e = v.validate(schema, values, []);
  if (!e) return null;
  const top = e.message === 'validation failed' && e.loc.length === 0 && !e.isRef ? e.causes : [e];
  const out: string[] = [];
  for (const c of top) render(c, 1, out);
  return out.join('').replace(/^\n/, '') + '\n';
}
