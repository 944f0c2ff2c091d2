/**
 * Downward API values for volume files (upstream's pkg/fieldpath and pkg/api/v1/resource):
 * fieldRef on metadata.name/namespace/uid/labels/annotations (whole maps as sorted `k="v"` lines,
 * or one `labels['k']` value) and resourceFieldRef on a container's limits/requests of cpu, memory and
 * ephemeral-storage, divided by the divisor and rounded up; unset limits fall back to node allocatable.
 */
import os from 'node:os';
import type { KubeObject } from '../../api/types.js';
import { parseQuantityValue, quantityValue, toMilli, type Quantity } from '../../machinery/quantity.js';
import { PluginError, podSpec, type ObjectFieldSelector, type ResourceFieldSelector } from './types.js';

/** Go's %q for a string: printable characters kept, the rest escaped. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\v') out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0x80 && cp < 0xa0) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** fieldpath.FormatMap: `k="v"` lines in key order, no trailing newline. */
export function formatMap(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return keys.map((k) => `${k}=${goQuote(m![k])}`).join('\n');
}

/** `metadata.labels['app']` -> ['metadata.labels', 'app']. */
function splitSubscript(fieldPath: string): [string, string | undefined] {
  const m = /^(.*)\['(.*)'\]$/.exec(fieldPath);
  return m ? [m[1], m[2]] : [fieldPath, undefined];
}

/** The value of an object field selector in a downwardAPI volume. */
export function fieldRefValue(pod: KubeObject, ref: ObjectFieldSelector): string {
  const meta = pod.metadata ?? {};
  const [base, key] = splitSubscript(ref.fieldPath);
  if (key !== undefined) {
    if (base === 'metadata.labels') return meta.labels?.[key] ?? '';
    if (base === 'metadata.annotations') return meta.annotations?.[key] ?? '';
    throw new PluginError(`unsupported fieldPath: ${ref.fieldPath}`);
  }
  switch (base) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    default:
      throw new PluginError(`unsupported fieldPath: ${ref.fieldPath}`);
  }
}

function nodeAllocatableDefault(resource: string, allocatable: Record<string, string> | undefined): Quantity {
  const given = allocatable?.[resource];
  if (given !== undefined) return parseQuantityValue(given);
  if (resource === 'cpu') return parseQuantityValue(String(os.cpus().length || 1));
  if (resource === 'memory') return parseQuantityValue(String(os.totalmem()));
  return parseQuantityValue(String(Number.MAX_SAFE_INTEGER));
}

/** The value of a resource field selector: ceil(value / divisor), CPU in millicores first as upstream. */
export function resourceFieldRefValue(pod: KubeObject, ref: ResourceFieldSelector, nodeAllocatable?: Record<string, string>): string {
  const spec = podSpec(pod);
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  const container = all.find((c) => c.name === ref.containerName);
  if (!container) throw new PluginError(`container ${ref.containerName ?? ''} not found in pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`);
  const [kind, resource] = ref.resource.split('.', 2) as [string, string | undefined];
  if ((kind !== 'limits' && kind !== 'requests') || !resource || !['cpu', 'memory', 'ephemeral-storage'].includes(resource)) {
    throw new PluginError(`unsupported container resource : ${ref.resource}`);
  }
  const raw = container.resources?.[kind]?.[resource];
  let value: Quantity;
  if (raw !== undefined) value = parseQuantityValue(raw);
  else if (kind === 'limits') value = nodeAllocatableDefault(resource, nodeAllocatable);
  else value = parseQuantityValue('0');
  const divisorRaw = ref.divisor === undefined || ref.divisor === '' || ref.divisor === 0 || ref.divisor === '0' ? '1' : ref.divisor;
  const divisor = parseQuantityValue(divisorRaw);
  if (resource === 'cpu') return String(Math.ceil(toMilli(value) / toMilli(divisor)));
  return String(Math.ceil(quantityValue(value) / quantityValue(divisor)));
}
