/**
 * Resource lists (`{cpu: "500m", memory: "1Gi"}`) as admission does arithmetic on them: parse to
 * quantities, add, take the max, compare, print like upstream (`Quantity.String()`), and a pod's
 * total requests/limits (sum of containers, at least the largest init container, plus overhead).
 */
import { addQuantities, compareQuantities, parseQuantityValue, quantityToString, type Quantity } from '../../machinery/quantity.js';

export type ResourceList = Record<string, Quantity>;

export interface ContainerLike {
  name?: string;
  restartPolicy?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

export interface PodSpecLike {
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
  overhead?: Record<string, unknown>;
}

/** Parses a JSON resource list; values that do not parse are skipped (validation reported them). */
export function toResourceList(raw: Record<string, unknown> | undefined | null): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(raw ?? {})) {
    try {
      out[k] = parseQuantityValue(v);
    } catch {
      // invalid quantities are validation's business
    }
  }
  return out;
}

export function fromResourceList(list: ResourceList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(list).sort()) out[k] = quantityToString(list[k]!);
  return out;
}

export const zero = (): Quantity => ({ mantissa: 0n, exponent: 0, format: 'DecimalSI' });

/** Adds b into a copy of a, key by key. */
export function addLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = out[k] ? stripped(addQuantities(out[k]!, v)) : v;
  return out;
}

/** Key-by-key maximum of a and b. */
export function maxLists(a: ResourceList, b: ResourceList): ResourceList {
  const out: ResourceList = { ...a };
  for (const [k, v] of Object.entries(b)) if (!out[k] || compareQuantities(v, out[k]!) > 0) out[k] = v;
  return out;
}

/** Keeps only the given keys. */
export function maskList(list: ResourceList, keys: Iterable<string>): ResourceList {
  const out: ResourceList = {};
  for (const k of keys) if (list[k]) out[k] = list[k]!;
  return out;
}

/** A sum loses the verbatim input text (the canonical form is printed instead). */
const stripped = (q: Quantity): Quantity => ({ mantissa: q.mantissa, exponent: q.exponent, format: q.format });

/** Upstream prettyPrint: `k=v` sorted by key, joined by ",". */
export function prettyPrint(list: ResourceList): string {
  return Object.keys(list)
    .sort()
    .map((k) => `${k}=${quantityToString(list[k]!)}`)
    .join(',');
}

/**
 * A pod's requests or limits as component-helpers' PodRequests/PodLimits: the containers' sum plus
 * sidecars (restartable init containers, which keep running), raised to the largest init phase (an init
 * container plus the sidecars started before it), plus overhead unless excluded (LimitRanger excludes it).
 */
export function podTotal(spec: PodSpecLike, which: 'requests' | 'limits', opts: { overhead?: boolean } = {}): ResourceList {
  let sum: ResourceList = {};
  for (const c of spec.containers ?? []) sum = addLists(sum, toResourceList(c.resources?.[which]));
  let sidecars: ResourceList = {};
  let initPeak: ResourceList = {};
  for (const c of spec.initContainers ?? []) {
    const own = toResourceList(c.resources?.[which]);
    let phase: ResourceList;
    if (c.restartPolicy === 'Always') {
      sum = addLists(sum, own);
      sidecars = addLists(sidecars, own);
      phase = sidecars;
    } else {
      phase = addLists(own, sidecars);
    }
    initPeak = maxLists(initPeak, phase);
  }
  sum = maxLists(sum, initPeak);
  if (opts.overhead !== false && spec.overhead) sum = addLists(sum, toResourceList(spec.overhead));
  return sum;
}
