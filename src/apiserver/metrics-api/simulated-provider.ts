/**
 * Metrics for simulated (kwok-style) nodes, which have no kubelet to scrape: each Running pod on a
 * node annotated `skiff.dev/sim-node: "true"` uses exactly what its containers request, and the
 * node uses the sum of its pods. So `kubectl top` and the HPA have numbers on a simulated cluster.
 * `combineProviders` merges this with the kubelet scraper for clusters with both kinds of nodes.
 *
 * Inputs: functions listing Node and Pod objects. Output: a MetricsProvider (cached `ttlMs`, 10 s).
 */
import type { KubeObject } from '../../api/types.js';
import { formatTimestamp } from '../../machinery/duration.js';
import { parseQuantity, quantityValue, toNumber } from '../../machinery/quantity.js';
import { formatBytes, formatNanoCores, type MetricsProvider, type NodeMetrics, type PodMetrics } from './types.js';

export const SIM_NODE_ANNOTATION = 'skiff.dev/sim-node';

export const isSimulatedNode = (node: KubeObject): boolean => node.metadata?.annotations?.[SIM_NODE_ANNOTATION] === 'true';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A container's requests as nanocores and bytes (0 where unset or unparsable). */
function requested(container: Record<string, unknown>): { nanoCores: number; bytes: number } {
  const resources = isObject(container.resources) ? container.resources : {};
  const requests = isObject(resources.requests) ? resources.requests : {};
  const read = (v: unknown, toUnits: (q: ReturnType<typeof parseQuantity>) => number): number => {
    if (typeof v !== 'string' && typeof v !== 'number') return 0;
    try {
      return toUnits(parseQuantity(String(v)));
    } catch {
      return 0;
    }
  };
  return { nanoCores: read(requests.cpu, (q) => toNumber(q) * 1e9), bytes: read(requests.memory, quantityValue) };
}

export class SimulatedUsageProvider implements MetricsProvider {
  private cached?: { at: number; result: Promise<{ nodes: NodeMetrics[]; pods: PodMetrics[] }> };

  constructor(private readonly opts: { listNodes(): Promise<KubeObject[]>; listPods(): Promise<KubeObject[]>; ttlMs?: number; window?: string }) {}

  async nodeMetrics(): Promise<NodeMetrics[]> {
    return (await this.compute()).nodes;
  }

  async podMetrics(namespace?: string): Promise<PodMetrics[]> {
    const pods = (await this.compute()).pods;
    return namespace ? pods.filter((p) => p.metadata.namespace === namespace) : pods;
  }

  private compute(now = Date.now()): Promise<{ nodes: NodeMetrics[]; pods: PodMetrics[] }> {
    if (this.cached && now - this.cached.at < (this.opts.ttlMs ?? 10_000)) return this.cached.result;
    const result = this.build(now);
    this.cached = { at: now, result };
    result.catch(() => {
      if (this.cached?.result === result) this.cached = undefined;
    });
    return result;
  }

  private async build(now: number): Promise<{ nodes: NodeMetrics[]; pods: PodMetrics[] }> {
    const [nodes, pods] = await Promise.all([this.opts.listNodes(), this.opts.listPods()]);
    const timestamp = formatTimestamp(now);
    const window = this.opts.window ?? '10s';
    const totals = new Map<string, { nanoCores: number; bytes: number }>();
    for (const node of nodes) if (isSimulatedNode(node) && node.metadata?.name) totals.set(node.metadata.name, { nanoCores: 0, bytes: 0 });
    const podMetrics: PodMetrics[] = [];
    for (const pod of pods) {
      const spec = isObject(pod.spec) ? pod.spec : {};
      const status = isObject(pod.status) ? pod.status : {};
      const total = typeof spec.nodeName === 'string' ? totals.get(spec.nodeName) : undefined;
      if (!total || status.phase !== 'Running' || !pod.metadata?.name || !pod.metadata.namespace) continue;
      const containers = (Array.isArray(spec.containers) ? spec.containers : []).filter(isObject).map((c) => {
        const r = requested(c);
        total.nanoCores += r.nanoCores;
        total.bytes += r.bytes;
        return { name: String(c.name), usage: { cpu: formatNanoCores(r.nanoCores), memory: formatBytes(r.bytes) } };
      });
      podMetrics.push({ metadata: { name: pod.metadata.name, namespace: pod.metadata.namespace }, timestamp, window, containers });
    }
    const nodeMetrics = [...totals].map(([name, t]) => ({ metadata: { name }, timestamp, window, usage: { cpu: formatNanoCores(t.nanoCores), memory: formatBytes(t.bytes) } }));
    return { nodes: nodeMetrics, pods: podMetrics };
  }
}

/** One provider answering with every provider's metrics (a provider that fails is left out). */
export function combineProviders(...providers: MetricsProvider[]): MetricsProvider {
  const settled = async <T>(calls: Array<Promise<T[]>>): Promise<T[]> => (await Promise.allSettled(calls)).flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
  return {
    nodeMetrics: () => settled(providers.map((p) => p.nodeMetrics())),
    podMetrics: (namespace?: string) => settled(providers.map((p) => p.podMetrics(namespace))),
  };
}
