/**
 * Resource arithmetic for scheduling: a pod's effective requests as upstream's
 * `resource.PodRequests` computes them (sum of app containers and sidecars, the largest init
 * container step, plus overhead), the non-zero variant used for scoring (100m CPU / 200Mi memory
 * for containers that request nothing), and a node's allocatable. Units: `cpu` in millicores,
 * everything else in whole units (bytes for memory and ephemeral-storage).
 * Results are memoised per (frozen) object.
 */
import { parseQuantityValue, quantityValue, toMilli } from '../machinery/quantity.js';
import type { Container, Node, Pod, ResourceList } from './types.js';

export type Resources = Record<string, number>;

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/**
 * Parsed quantity strings, cpu (millicores) and everything else (whole units) apart. Every watch
 * event brings new pod objects whose requests are the same few strings ("100m", "128Mi"), so the
 * parse is remembered; bounded by clearing when full.
 */
const MAX_MEMO_QUANTITIES = 4096;
const milliMemo = new Map<string, number>();
const unitMemo = new Map<string, number>();

function parseOne(name: string, raw: unknown): number {
  const memo = name === 'cpu' ? milliMemo : unitMemo;
  const key = typeof raw === 'string' ? raw : undefined;
  const known = key === undefined ? undefined : memo.get(key);
  if (known !== undefined) return known;
  let value: number;
  try {
    const q = parseQuantityValue(raw);
    value = name === 'cpu' ? toMilli(q) : quantityValue(q);
  } catch {
    value = 0;
  }
  if (key !== undefined) {
    if (memo.size >= MAX_MEMO_QUANTITIES) memo.clear();
    memo.set(key, value);
  }
  return value;
}

/** Parses a ResourceList into numbers (cpu in millicores); unparsable values count as zero. */
export function parseResourceList(list: ResourceList | undefined): Resources {
  const out: Resources = {};
  if (!list) return out;
  for (const name in list) out[name] = parseOne(name, list[name]);
  return out;
}

export function addInto(target: Resources, add: Resources, sign = 1): Resources {
  for (const [k, v] of Object.entries(add)) target[k] = (target[k] ?? 0) + sign * v;
  return target;
}

function maxInto(target: Resources, other: Resources): void {
  for (const [k, v] of Object.entries(other)) if ((target[k] ?? 0) < v) target[k] = v;
}

function containerRequests(c: Container, nonZero: boolean): Resources {
  const r = parseResourceList(c.resources?.requests);
  if (nonZero) {
    if (!r.cpu) r.cpu = DEFAULT_MILLI_CPU_REQUEST;
    if (!r.memory) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

function computePodRequests(pod: Pod, nonZero: boolean): Resources {
  const spec = pod.spec ?? {};
  const reqs: Resources = {};
  for (const c of spec.containers ?? []) addInto(reqs, containerRequests(c, nonZero));
  const sidecars: Resources = {};
  const initMax: Resources = {};
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addInto(reqs, r);
      addInto(sidecars, r);
      maxInto(initMax, sidecars);
    } else {
      maxInto(initMax, addInto({ ...r }, sidecars));
    }
  }
  maxInto(reqs, initMax);
  addInto(reqs, parseResourceList(spec.overhead));
  return reqs;
}

const requestsMemo = new WeakMap<object, Resources>();
const nonZeroMemo = new WeakMap<object, Resources>();
const allocatableMemo = new WeakMap<object, Resources>();

/**
 * Memo key: the (frozen) containers array, shared by a pod and the copies the scheduler makes of
 * it (assumed pods), so their requests are parsed once.
 */
const memoKey = (pod: Pod): object => pod.spec?.containers ?? pod;

/** The pod's effective requests (do not mutate the result). */
export function podRequests(pod: Pod): Resources {
  let r = requestsMemo.get(memoKey(pod));
  if (!r) requestsMemo.set(memoKey(pod), (r = computePodRequests(pod, false)));
  return r;
}

/** The pod's requests with upstream's defaults for containers that request no cpu/memory (scoring only). */
export function podNonZeroRequests(pod: Pod): Resources {
  let r = nonZeroMemo.get(memoKey(pod));
  if (!r) nonZeroMemo.set(memoKey(pod), (r = computePodRequests(pod, true)));
  return r;
}

/** status.allocatable (falling back to capacity), parsed. */
export function nodeAllocatable(node: Node): Resources {
  let r = allocatableMemo.get(node);
  if (!r) allocatableMemo.set(node, (r = parseResourceList(node.status?.allocatable ?? node.status?.capacity)));
  return r;
}
