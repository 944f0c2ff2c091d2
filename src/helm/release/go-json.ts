/**
 * JSON text as Go's encoding/json writes it, so stored releases are byte-compatible with helm:
 * map keys sorted (Go sorts map[string]interface{} keys), struct fields in declaration order
 * (objects passed through `goStruct` keep their insertion order), `<`, `>`, `&`, U+2028 and
 * U+2029 escaped, bigint (Go int64 from `--set`) written as an integer.
 */

const structs = new WeakSet<object>();

/** Marks an object as a Go struct: its keys are written in insertion order, not sorted. */
export function goStruct<T extends object>(obj: T): T {
  structs.add(obj);
  return obj;
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Buffer.isBuffer(v)) return goString(v.toString('base64'));
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (!structs.has(v)) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${goString(k)}:${goJson(x)}`).join(',')}}`;
  }
  throw new Error(`json: unsupported type ${typeof v}`);
}
