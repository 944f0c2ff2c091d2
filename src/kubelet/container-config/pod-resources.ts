/**
 * Pod-level cpu and memory (upstream pkg/api/v1/resource PodRequests/PodLimits without overhead) and
 * the sandbox's CRI resources built from them (kuberuntime calculateSandboxResources and
 * convertOverheadToLinuxResources). Regular containers and sidecars (init containers with
 * restartPolicy Always) add up; a plain init container counts with the sidecars started before it,
 * and the pod takes the larger of that and the running total.
 */
import type { KubeObject } from '../../api/types.js';
import { addQuantities, compareQuantities, quantityValue, toMilli, type Quantity } from '../../machinery/quantity.js';
import type { LinuxContainerResources } from '../cri/types.js';
import { podSpecOf, type Container, type ResourceList } from './pod-spec.js';
import { effectiveRequests, quantityOf } from './qos.js';
import { calculateLinuxResources } from './resources.js';

type Totals = Map<string, Quantity>;

function add(into: Totals, list: ResourceList): void {
  for (const name of Object.keys(list)) {
    const q = quantityOf(list, name);
    const prior = into.get(name);
    into.set(name, prior ? addQuantities(prior, q) : q);
  }
}

function max(into: Totals, other: Totals): void {
  for (const [name, q] of other) {
    const prior = into.get(name);
    if (!prior || compareQuantities(q, prior) > 0) into.set(name, q);
  }
}

function podTotals(pod: KubeObject, listOf: (c: Container) => ResourceList): Totals {
  const spec = podSpecOf(pod);
  const total: Totals = new Map();
  for (const c of spec.containers ?? []) add(total, listOf(c));
  const sidecars: Totals = new Map();
  const initPeak: Totals = new Map();
  for (const c of spec.initContainers ?? []) {
    const own = listOf(c);
    let running: Totals;
    if (c.restartPolicy === 'Always') {
      add(total, own);
      add(sidecars, own);
      running = sidecars;
    } else {
      running = new Map(sidecars);
      add(running, own);
    }
    max(initPeak, running);
  }
  max(total, initPeak);
  return total;
}

/** The pod's effective requests (PodRequests), by resource name. */
export const podRequests = (pod: KubeObject): Totals => podTotals(pod, effectiveRequests);
/** The pod's effective limits (PodLimits), by resource name. */
export const podLimits = (pod: KubeObject): Totals => podTotals(pod, (c) => c.resources?.limits ?? {});

/** The sandbox's `linux.resources`: cpu shares/quota and memory limit of the whole pod. */
export function sandboxResources(pod: KubeObject): LinuxContainerResources {
  const req = podRequests(pod);
  const lim = podLimits(pod);
  const cpuRequest = req.get('cpu');
  const memoryLimit = lim.get('memory');
  return calculateLinuxResources(cpuRequest ? toMilli(cpuRequest) : undefined, toMilli(lim.get('cpu') ?? quantityOf(undefined, 'cpu')), memoryLimit ? quantityValue(memoryLimit) : 0);
}

/** The sandbox's `linux.overhead` from pod.spec.overhead (RuntimeClass overhead); undefined when none. */
export function sandboxOverhead(pod: KubeObject): LinuxContainerResources | undefined {
  const overhead = (pod.spec as { overhead?: ResourceList } | undefined)?.overhead;
  if (!overhead) return undefined;
  const cpu = toMilli(quantityOf(overhead, 'cpu'));
  return calculateLinuxResources(cpu, cpu, quantityValue(quantityOf(overhead, 'memory')));
}
