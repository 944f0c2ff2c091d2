/**
 * Parsed view of the protobuf field table (src/api/proto-fields.ts): for a table key such as
 * `V1Container` or `V1Volume/VolumeSource`, the field number -> FieldSpec map. Parsed once per
 * key and cached. Used by the decoder and by the test encoder.
 */
import { PROTO_FIELDS } from '../../api/proto-fields.js';

export interface FieldSpec {
  number: number;
  /** JSON field name; empty for an inlined struct. */
  json: string;
  /** Keep zero values ("", 0, false) from the wire: a Go pointer or a field without omitempty. */
  keepZero: boolean;
  bytes: boolean;
  duration: boolean;
  /** For an inlined struct: the table key of its fields (decoded into the parent object). */
  inline?: string;
}

const parsed = new Map<string, Map<number, FieldSpec>>();

/** The fields of a table key, or undefined when the table has no such type. */
export function protoFields(key: string): Map<number, FieldSpec> | undefined {
  const cached = parsed.get(key);
  if (cached) return cached;
  const text = Object.prototype.hasOwnProperty.call(PROTO_FIELDS, key) ? PROTO_FIELDS[key] : undefined;
  if (text === undefined) return undefined;
  const fields = new Map<number, FieldSpec>();
  for (const entry of text.split(' ').filter(Boolean)) {
    const m = /^(\d+):(\^?)([^!@]+)(!?)(?:@(\w+))?$/.exec(entry);
    if (!m) throw new Error(`bad proto-fields entry ${entry} in ${key}`);
    const number = Number(m[1]);
    if (m[2]) fields.set(number, { number, json: '', keepZero: false, bytes: false, duration: false, inline: m[3] });
    else fields.set(number, { number, json: m[3]!, keepZero: m[4] === '!', bytes: m[5] === 'bytes', duration: m[5] === 'duration' });
  }
  parsed.set(key, fields);
  return fields;
}

/** The schema model a table key's fields are looked up in: `V1Volume/VolumeSource` -> `V1Volume`. */
export function schemaModelOf(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? key : key.slice(0, slash);
}
