/**
 * helm's toYamlPretty: go-yaml v3's encoder with indent 2 applied to the raw value (no JSON
 * round trip, so float64 stays float: 1e6 prints as 1e+06), sequences indented under keys,
 * no line folding.
 */
import { isPlainObject, kindOf, mapEntries, structFields } from './engine.js';
import { emitYaml, naturalLess, type YNode } from './yaml-emit.js';

function rawNode(v: unknown): YNode {
  switch (kindOf(v)) {
    case 'invalid': case 'nil': return null;
    case 'bool': case 'string': case 'float': return v as YNode;
    case 'int': return { int: (v as bigint).toString() };
    case 'slice': return (v as unknown[]).map(rawNode);
    case 'bytes': return Buffer.from(v as Uint8Array).toString('base64');
    case 'map': case 'struct': {
      const entries = kindOf(v) === 'map' || isPlainObject(v) ? mapEntries(v) : structFields(v as object);
      entries.sort((a, b) => (naturalLess(a[0], b[0]) ? -1 : naturalLess(b[0], a[0]) ? 1 : 0));
      return new Map(entries.map(([k, x]) => [k, rawNode(x)]));
    }
    default: throw new Error(`cannot marshal type: ${typeof v}`);
  }
}

export function marshalYamlPretty(v: unknown): string {
  return emitYaml(rawNode(v), { indentSequences: true, width: Number.MAX_SAFE_INTEGER });
}
