/**
 * Container requests and limits -> CRI LinuxContainerResources, as upstream's kubelet computes them
 * (pkg/kubelet/kuberuntime calculateLinuxResources, pkg/kubelet/cm MilliCPUToShares/MilliCPUToQuota):
 * cpu_shares from the cpu request (from the limit when only a limit is set; 2 when neither),
 * cpu_period 100000 always and cpu_quota from the cpu limit (0 = unlimited), memory limit from
 * limits.memory (0 = unlimited), oom_score_adj per QoS.
 */
import type { KubeObject } from '../../api/types.js';
import { quantityValue, toMilli } from '../../machinery/quantity.js';
import type { LinuxContainerResources } from '../cri/types.js';
import type { Container } from './pod-spec.js';
import { oomScoreAdjust, quantityOf } from './qos.js';

export const MIN_SHARES = 2;
export const MAX_SHARES = 262144;
export const SHARES_PER_CPU = 1024;
/** The CFS period the kubelet uses (100 ms, in microseconds). */
export const QUOTA_PERIOD = 100000;
/** The smallest quota the kubelet sets (1 ms). */
export const MIN_QUOTA_PERIOD = 1000;

/** MilliCPUToShares: 1 CPU = 1024 shares, clamped to [2, 262144]; no request -> 2. */
export function milliCPUToShares(milliCPU: number): number {
  if (milliCPU <= 0) return MIN_SHARES;
  const shares = Math.trunc((milliCPU * SHARES_PER_CPU) / 1000);
  return Math.min(MAX_SHARES, Math.max(MIN_SHARES, shares));
}

/** MilliCPUToQuota: the share of `period` a cpu limit allows, at least 1000; no limit -> 0. */
export function milliCPUToQuota(milliCPU: number, period: number = QUOTA_PERIOD): number {
  if (milliCPU <= 0) return 0;
  return Math.max(MIN_QUOTA_PERIOD, Math.trunc((milliCPU * period) / 1000));
}

/** cpu/memory fields from a cpu request (undefined = not set), cpu limit and memory limit. */
export function calculateLinuxResources(cpuRequestMilli: number | undefined, cpuLimitMilli: number, memoryLimitBytes: number): LinuxContainerResources {
  const shares = cpuRequestMilli === undefined && cpuLimitMilli > 0 ? milliCPUToShares(cpuLimitMilli) : milliCPUToShares(cpuRequestMilli ?? 0);
  const out: LinuxContainerResources = {
    cpu_shares: shares,
    cpu_period: QUOTA_PERIOD,
    cpu_quota: milliCPUToQuota(cpuLimitMilli, QUOTA_PERIOD),
  };
  if (memoryLimitBytes !== 0) out.memory_limit_in_bytes = memoryLimitBytes;
  return out;
}

/** The container's CRI resources; `memoryCapacity` is the node's memory in bytes (for oom_score_adj). */
export function containerResources(pod: KubeObject, container: Container, memoryCapacity: number): LinuxContainerResources {
  const requests = container.resources?.requests;
  const limits = container.resources?.limits;
  const cpuRequest = requests && requests.cpu !== undefined ? toMilli(quantityOf(requests, 'cpu')) : undefined;
  const out = calculateLinuxResources(cpuRequest, toMilli(quantityOf(limits, 'cpu')), quantityValue(quantityOf(limits, 'memory')));
  out.oom_score_adj = oomScoreAdjust(pod, container, memoryCapacity);
  return out;
}
