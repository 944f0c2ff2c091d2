/**
 * YAML output like sigs.k8s.io/yaml.Marshal, used for `helm show chart`, Chart.yaml / Chart.lock
 * written by package and dependency update, index.yaml and .Files.AsConfig. The exact go-yaml v2
 * emitter lives in src/helm/funcs (yaml-emit.ts); the CLI installs it with `useYamlMarshaller`
 * at start-up. Until then a close approximation (sorted keys, indentless sequences) is used.
 */
import { stringify } from 'yaml';

type Marshaller = (value: unknown) => string;

let marshaller: Marshaller = (value) => {
  const text = stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0, minContentWidth: 0, nullStr: 'null' });
  return text === '' ? '{}\n' : text;
};

export function useYamlMarshaller(m: Marshaller): void { marshaller = m; }

export function marshalYaml(value: unknown): string { return marshaller(value); }

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
