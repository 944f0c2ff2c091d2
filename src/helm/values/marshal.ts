/**
 * YAML output shaped like sigs.k8s.io/yaml.Marshal (go-yaml v2 emitter): map keys sorted,
 * sequences not indented under their key, no line folding. Used for `helm show chart`, Chart.yaml
 * written by `helm create`/`package`, and index.yaml.
 */
import { stringify } from 'yaml';

export function marshalYaml(value: unknown): string {
  const text = stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0, minContentWidth: 0, nullStr: 'null' });
  return text === '{}\n' || text === '' ? '{}\n' : text;
}

/** A Chart.yaml / metadata object with helm's omitempty rules applied (undefined, '', [], false dropped). */
export function omitEmpty(obj: Record<string, unknown>, keep: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (keep.includes(k)) { out[k] = v ?? ''; continue; }
    if (v === undefined || v === null || v === '' || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue;
    out[k] = v;
  }
  return out;
}
