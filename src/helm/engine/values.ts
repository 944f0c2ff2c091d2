/**
 * The Go value model used by the template engine. JavaScript values stand for Go values:
 *   undefined = an invalid reflect.Value ("no value"), null = a nil interface{},
 *   bigint = int (Go ints; template literals, len, --set integers), number = float64
 *   (YAML/JSON numbers in .Values), string, boolean, Array = []interface{},
 *   Uint8Array = []byte, plain object or Map = map[string]interface{}, function = func,
 *   any other class instance = a Go struct (missing fields are errors; its function
 *   properties are methods). A class may set `static goTypeName = "*chart.Metadata"`.
 */
export type GoKind = 'invalid' | 'nil' | 'bool' | 'int' | 'float' | 'string' | 'slice' | 'bytes' | 'map' | 'func' | 'struct';

export type GoMap = Record<string, unknown>;

export function isPlainObject(v: unknown): v is GoMap {
  if (v === null || typeof v !== 'object') return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

export function kindOf(v: unknown): GoKind {
  switch (typeof v) {
    case 'undefined': return 'invalid';
    case 'boolean': return 'bool';
    case 'bigint': return 'int';
    case 'number': return 'float';
    case 'string': return 'string';
    case 'function': return 'func';
  }
  if (v === null) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (v instanceof Uint8Array) return 'bytes';
  if (v instanceof Map || isPlainObject(v)) return 'map';
  return 'struct';
}

/** Go's type name as %T prints it. */
export function typeName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return '<nil>';
    case 'bool': return 'bool';
    case 'int': return 'int';
    case 'float': return 'float64';
    case 'string': return 'string';
    case 'slice': return '[]interface {}';
    case 'bytes': return '[]uint8';
    case 'map': return 'map[string]interface {}';
    case 'func': return 'func(...interface {}) (interface {}, error)';
    case 'struct': {
      const ctor = (v as object).constructor as { goTypeName?: string; name?: string } | undefined;
      return ctor?.goTypeName ?? ctor?.name ?? 'struct';
    }
  }
}

/** Go's reflect.Kind name as sprig's kindOf prints it. */
export function kindName(v: unknown): string {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return 'invalid';
    case 'bool': return 'bool';
    case 'int': return 'int';
    case 'float': return 'float64';
    case 'string': return 'string';
    case 'slice': case 'bytes': return 'slice';
    case 'map': return 'map';
    case 'func': return 'func';
    case 'struct': return 'ptr';
  }
}

/** Entries of a map value, keys sorted as Go's fmt and range do. */
export function mapEntries(v: unknown): [string, unknown][] {
  const entries: [string, unknown][] = v instanceof Map ? [...v.entries()].map(([k, x]) => [String(k), x]) : Object.entries(v as GoMap);
  return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

export function mapGet(m: unknown, key: string): { found: boolean; value: unknown } {
  if (m instanceof Map) return { found: m.has(key), value: m.get(key) };
  const o = m as GoMap;
  if (Object.prototype.hasOwnProperty.call(o, key)) return { found: true, value: o[key] };
  return { found: false, value: undefined };
}

export function lengthOf(v: unknown): number | undefined {
  switch (kindOf(v)) {
    case 'string': return Buffer.byteLength(v as string);
    case 'slice': return (v as unknown[]).length;
    case 'bytes': return (v as Uint8Array).length;
    case 'map': return v instanceof Map ? v.size : Object.keys(v as GoMap).length;
    default: return undefined;
  }
}

/** Go template truthiness (text/template isTrue). */
export function isTrue(v: unknown): boolean {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return false;
    case 'bool': return v as boolean;
    case 'int': return v !== 0n;
    case 'float': return v !== 0;
    case 'string': case 'slice': case 'bytes': case 'map': return (lengthOf(v) ?? 0) > 0;
    default: return true;
  }
}

/** A struct's exported fields for printing: own enumerable non-function properties. */
export function structFields(v: object): [string, unknown][] {
  return Object.entries(v).filter(([, x]) => typeof x !== 'function');
}
