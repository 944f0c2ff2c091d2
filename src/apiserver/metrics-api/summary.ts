/**
 * Reads a kubelet Summary API response (GET /stats/summary, kubelet stats/v1alpha1) into
 * metrics.k8s.io objects, as metrics-server's summary source did: node usage from node.cpu /
 * node.memory, pod usage per container; a container without CPU or memory figures is skipped, a pod
 * left without containers is skipped.
 *
 * Input: the parsed JSON (unknown: it comes off the network) and the window to report.
 * Output: the node's NodeMetrics (when it has figures) and its pods' PodMetrics.
 */
import { formatTimestamp } from '../../machinery/duration.js';
import { formatBytes, formatNanoCores, type ContainerMetrics, type NodeMetrics, type PodMetrics } from './types.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

interface Usage {
  cpu: string;
  memory: string;
  /** The newer of the two samples' times (RFC 3339). */
  time?: string;
}

/** `cpu.usageNanoCores` and `memory.workingSetBytes` of a node or container stats object. */
function usageOf(stats: Record<string, unknown>): Usage | undefined {
  const cpu = isObject(stats.cpu) ? stats.cpu : undefined;
  const memory = isObject(stats.memory) ? stats.memory : undefined;
  const nanoCores = num(cpu?.usageNanoCores);
  const workingSet = num(memory?.workingSetBytes);
  if (nanoCores === undefined || workingSet === undefined) return undefined;
  const times = [str(cpu?.time), str(memory?.time)].filter((t): t is string => t !== undefined).sort();
  return { cpu: formatNanoCores(nanoCores), memory: formatBytes(workingSet), time: times[times.length - 1] };
}

/** Normalises a kubelet timestamp (RFC 3339, maybe with fractions) to metav1.Time's whole seconds. */
function timestampOf(time: string | undefined, fallback: string): string {
  const ms = time ? Date.parse(time) : NaN;
  return Number.isFinite(ms) ? formatTimestamp(ms) : fallback;
}

export interface SummaryMetrics {
  node?: NodeMetrics;
  pods: PodMetrics[];
}

export function metricsFromSummary(summary: unknown, nodeName: string, window: string, now = Date.now()): SummaryMetrics {
  const fallback = formatTimestamp(now);
  if (!isObject(summary)) throw new Error('summary is not a JSON object');
  const out: SummaryMetrics = { pods: [] };
  if (isObject(summary.node)) {
    const usage = usageOf(summary.node);
    if (usage) out.node = { metadata: { name: nodeName }, timestamp: timestampOf(usage.time, fallback), window, usage: { cpu: usage.cpu, memory: usage.memory } };
  }
  for (const pod of Array.isArray(summary.pods) ? summary.pods : []) {
    if (!isObject(pod) || !isObject(pod.podRef)) continue;
    const name = str(pod.podRef.name);
    const namespace = str(pod.podRef.namespace);
    if (!name || !namespace) continue;
    const containers: ContainerMetrics[] = [];
    let newest: string | undefined;
    for (const c of Array.isArray(pod.containers) ? pod.containers : []) {
      if (!isObject(c) || !str(c.name)) continue;
      const usage = usageOf(c);
      if (!usage) continue;
      containers.push({ name: c.name as string, usage: { cpu: usage.cpu, memory: usage.memory } });
      if (usage.time && (!newest || usage.time > newest)) newest = usage.time;
    }
    if (containers.length === 0) continue;
    containers.sort((a, b) => a.name.localeCompare(b.name));
    out.pods.push({ metadata: { name, namespace }, timestamp: timestampOf(newest, fallback), window, containers });
  }
  return out;
}
