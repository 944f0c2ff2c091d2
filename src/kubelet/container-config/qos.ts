/**
 * Pod QoS class (upstream pkg/apis/core/v1/helper/qos ComputePodQOS) and the oom_score_adj each
 * container gets for it (pkg/kubelet/qos/policy.go GetContainerOOMScoreAdjust).
 *
 * Guaranteed: every container and init container sets cpu AND memory limits, and the summed
 * requests equal the summed limits. BestEffort: no cpu or memory request or limit anywhere.
 * Burstable: anything else. Only cpu and memory count; zero quantities count as unset.
 */
import type { KubeObject } from '../../api/types.js';
import { addQuantities, compareQuantities, parseQuantityValue, quantityValue, type Quantity } from '../../machinery/quantity.js';
import { podSpecOf, type Container, type ResourceList } from './pod-spec.js';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const QOS_RESOURCES = new Set(['cpu', 'memory']);
const GUARANTEED_OOM_SCORE_ADJ = -997;
const BESTEFFORT_OOM_SCORE_ADJ = 1000;
/** Priority at and above which a pod is critical (scheduling.SystemCriticalPriority). */
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

/** A quantity from a resource list; unparsable or absent values read as zero. */
export function quantityOf(list: ResourceList | undefined, name: string): Quantity {
  try {
    return parseQuantityValue(list?.[name]);
  } catch {
    return parseQuantityValue(undefined);
  }
}

const isPositive = (q: Quantity): boolean => q.mantissa > 0n;

/**
 * A container's requests as the API server's defaulting leaves them: a resource with a limit and no
 * request is requested at its limit (SetDefaults_Pod). Idempotent on already defaulted pods.
 */
export function effectiveRequests(c: Container): ResourceList {
  return { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
}

/** The pod's QoS class: status.qosClass when the API server set it, otherwise computed. */
export function podQOSClass(pod: KubeObject): QOSClass {
  const status = pod.status as { qosClass?: unknown } | undefined;
  const recorded = status?.qosClass;
  if (recorded === 'Guaranteed' || recorded === 'Burstable' || recorded === 'BestEffort') return recorded;
  return computePodQOS(pod);
}

/** Upstream ComputePodQOS over containers and init containers (ephemeral containers have no resources). */
export function computePodQOS(pod: KubeObject): QOSClass {
  const spec = podSpecOf(pod);
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  const sum = (into: Map<string, Quantity>, name: string, q: Quantity): void => {
    const prior = into.get(name);
    into.set(name, prior ? addQuantities(prior, q) : q);
  };
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const req = effectiveRequests(c);
    for (const name of Object.keys(req)) {
      if (!QOS_RESOURCES.has(name)) continue;
      const q = quantityOf(req, name);
      if (isPositive(q)) sum(requests, name, q);
    }
    const found = new Set<string>();
    const lim = c.resources?.limits ?? {};
    for (const name of Object.keys(lim)) {
      if (!QOS_RESOURCES.has(name)) continue;
      const q = quantityOf(lim, name);
      if (!isPositive(q)) continue;
      found.add(name);
      sum(limits, name, q);
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || compareQuantities(lim, req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** Upstream IsNodeCriticalPod: a critical pod (static, mirror or priority >= 2e9) of class system-node-critical. */
function isNodeCriticalPod(pod: KubeObject): boolean {
  const spec = podSpecOf(pod);
  if (spec.priorityClassName !== 'system-node-critical') return false;
  const annotations = pod.metadata?.annotations ?? {};
  const source = annotations['kubernetes.io/config.source'];
  const isStatic = source !== undefined && source !== 'api';
  const isMirror = annotations['kubernetes.io/config.mirror'] !== undefined;
  return isStatic || isMirror || (spec.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

const memoryRequestBytes = (c: Container): number => quantityValue(quantityOf(effectiveRequests(c), 'memory'));

/**
 * The container's oom_score_adj: -997 for Guaranteed (and node-critical) pods, 1000 for BestEffort,
 * and for Burstable `1000 - 1000*memoryRequest/memoryCapacity` clamped to [3, 999]; a sidecar (an
 * init container with restartPolicy Always) gets no more than the smallest regular container's.
 */
export function oomScoreAdjust(pod: KubeObject, container: Container, memoryCapacity: number): number {
  if (isNodeCriticalPod(pod)) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = podQOSClass(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BESTEFFORT_OOM_SCORE_ADJ;
  const capacity = memoryCapacity > 0 ? memoryCapacity : 1;
  const adjustFor = (requestBytes: number): number => 1000 - Math.trunc((1000 * requestBytes) / capacity);
  let adjust = adjustFor(memoryRequestBytes(container));
  const spec = podSpecOf(pod);
  const isSidecar = container.restartPolicy === 'Always' && (spec.initContainers ?? []).some((c) => c.name === container.name);
  const regular = spec.containers ?? [];
  if (isSidecar && regular.length > 0) {
    const minRequest = Math.min(...regular.map(memoryRequestBytes));
    adjust = Math.min(adjust, adjustFor(minRequest));
  }
  if (adjust < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adjust === BESTEFFORT_OOM_SCORE_ADJ) return adjust - 1;
  return adjust;
}
