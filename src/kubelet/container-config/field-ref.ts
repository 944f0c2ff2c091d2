/**
 * Downward API values for env: fieldRef (upstream podFieldSelectorRuntimeValue,
 * ConvertDownwardAPIFieldLabel and fieldpath.ExtractFieldPathAsString) and resourceFieldRef
 * (pkg/api/v1/resource ExtractContainerResourceValue, with limits left unset defaulted to the node's
 * allocatable as defaultPodLimitsForDownwardAPI does). Failures throw ContainerConfigError with
 * upstream's message text.
 */
import type { KubeObject } from '../../api/types.js';
import { isZeroQuantity, parseQuantityValue, quantityValue, toMilli, type Quantity } from '../../machinery/quantity.js';
import { ContainerConfigError } from './errors.js';
import { podSpecOf, type Container, type ObjectFieldSelector, type ResourceFieldSelector, type ResourceList } from './pod-spec.js';
import { quantityOf } from './qos.js';

export interface FieldRefContext {
  podIP?: string;
  podIPs?: string[];
  hostIP?: string;
  hostIPs?: string[];
  nodeName: string;
  serviceAccountName?: string;
  /** Node allocatable (cpu, memory, ephemeral-storage): what an unset limit reads as. */
  nodeAllocatable?: Record<string, string>;
}

const FIELD_LABELS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** `metadata.labels['app']` -> ['metadata.labels', 'app'] (SplitMaybeSubscriptedPath). */
export function splitSubscriptedPath(path: string): [string, string] | undefined {
  if (!path.endsWith("']")) return undefined;
  const inner = path.slice(0, -2);
  const i = inner.indexOf("['");
  if (i <= 0) return undefined;
  return [inner.slice(0, i), inner.slice(i + 2)];
}

/** Go's %q for the printable strings labels and annotations hold. */
function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-9a-f]{2})/g, '\\x$1');
}

/** fieldpath.FormatMap: `key="value"` lines, keys sorted. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${goQuote(m![k]!)}`)
    .join('\n');
}

/** The string value of a pod field a fieldRef selects. */
export function fieldRefValue(pod: KubeObject, ref: ObjectFieldSelector, ctx: FieldRefContext): string {
  const version = ref.apiVersion || 'v1';
  if (version !== 'v1') throw new ContainerConfigError(`unsupported pod version: ${version}`);
  const path = ref.fieldPath === 'spec.host' ? 'spec.nodeName' : ref.fieldPath;
  const sub = splitSubscriptedPath(path);
  const meta = pod.metadata ?? {};
  if (sub) {
    const [base, key] = sub;
    if (base === 'metadata.annotations') return meta.annotations?.[key] ?? '';
    if (base === 'metadata.labels') return meta.labels?.[key] ?? '';
    throw new ContainerConfigError(`field label does not support subscript: ${path}`);
  }
  if (!FIELD_LABELS.has(path)) throw new ContainerConfigError(`field label not supported: ${path}`);
  const spec = podSpecOf(pod);
  const podIPs = ctx.podIPs && ctx.podIPs.length > 0 ? ctx.podIPs : ctx.podIP ? [ctx.podIP] : [];
  const hostIPs = ctx.hostIPs && ctx.hostIPs.length > 0 ? ctx.hostIPs : ctx.hostIP ? [ctx.hostIP] : [];
  switch (path) {
    case 'spec.nodeName':
      return spec.nodeName ?? ctx.nodeName;
    case 'spec.serviceAccountName':
      return spec.serviceAccountName ?? ctx.serviceAccountName ?? '';
    case 'status.hostIP':
      return hostIPs[0] ?? '';
    case 'status.hostIPs':
      return hostIPs.join(',');
    case 'status.podIP':
      return podIPs[0] ?? '';
    case 'status.podIPs':
      return podIPs.join(',');
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
  }
  throw new ContainerConfigError(`unsupported fieldPath: ${path}`);
}

const DEFAULTED_LIMITS = ['cpu', 'memory', 'ephemeral-storage'];

/** The container's limits with cpu, memory and ephemeral-storage that are unset or zero read from allocatable. */
export function limitsWithAllocatable(container: Container, allocatable: Record<string, string> | undefined): ResourceList {
  const limits: ResourceList = { ...(container.resources?.limits ?? {}) };
  for (const name of DEFAULTED_LIMITS) {
    const alloc = allocatable?.[name];
    if (alloc !== undefined && isZeroQuantity(quantityOf(limits, name))) limits[name] = alloc;
  }
  return limits;
}

function parseDivisor(divisor: string | number | undefined): Quantity {
  try {
    const q = parseQuantityValue(divisor);
    if (!isZeroQuantity(q)) return q;
  } catch {
    // Validation rejects bad divisors; treat one that slipped through as the default.
  }
  return parseQuantityValue('1');
}

/** The value a resourceFieldRef selects, divided by its divisor and rounded up, as a decimal string. */
export function resourceFieldRefValue(pod: KubeObject, self: Container, ref: ResourceFieldSelector, allocatable: Record<string, string> | undefined): string {
  let container = self;
  if (ref.containerName) {
    const spec = podSpecOf(pod);
    const found = [...(spec.containers ?? []), ...(spec.initContainers ?? [])].find((c) => c.name === ref.containerName);
    if (!found) throw new ContainerConfigError(`container ${ref.containerName} not found`);
    container = found;
  }
  const divisor = parseDivisor(ref.divisor);
  const [kind, name] = splitResource(ref.resource);
  if (!kind || !name) throw new ContainerConfigError(`unsupported container resource : ${ref.resource}`);
  const list = kind === 'limits' ? limitsWithAllocatable(container, allocatable) : (container.resources?.requests ?? {});
  const q = quantityOf(list, name);
  if (name === 'cpu') return String(Math.ceil(toMilli(q) / toMilli(divisor)));
  return String(Math.ceil(quantityValue(q) / quantityValue(divisor)));
}

function splitResource(resource: string): [('limits' | 'requests')?, string?] {
  const dot = resource.indexOf('.');
  const kind = resource.slice(0, dot);
  const name = resource.slice(dot + 1);
  if (dot === -1 || (kind !== 'limits' && kind !== 'requests')) return [];
  if (name === 'cpu' || name === 'memory' || name === 'ephemeral-storage' || name.startsWith('hugepages-')) return [kind, name];
  return [];
}
