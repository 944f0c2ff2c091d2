/**
 * metrics.k8s.io/v1beta1 objects, as metrics-server serves them (sigs.k8s.io/metrics
 * pkg/apis/metrics/v1beta1): NodeMetrics and PodMetrics with `timestamp` (when the sample was
 * taken), `window` (the interval the usage was averaged over, a Go duration such as "10s") and
 * `usage` (cpu in cores as a quantity such as `12345n`, memory working set as `1342024Ki`).
 *
 * A MetricsProvider produces them; the API handler (handler.ts) adds metadata.labels and
 * creationTimestamp from the Node/Pod objects and serves them.
 */

export interface ResourceUsage {
  cpu: string;
  memory: string;
}

export interface NodeMetrics {
  metadata: { name: string };
  timestamp: string;
  window: string;
  usage: ResourceUsage;
}

export interface ContainerMetrics {
  name: string;
  usage: ResourceUsage;
}

export interface PodMetrics {
  metadata: { name: string; namespace: string };
  timestamp: string;
  window: string;
  containers: ContainerMetrics[];
}

/** Where the numbers come from: kubelet scrapes (kubelet-provider.ts), simulated usage, or a test fake. */
export interface MetricsProvider {
  nodeMetrics(): Promise<NodeMetrics[]>;
  /** Every pod's metrics, or only those of `namespace`. */
  podMetrics(namespace?: string): Promise<PodMetrics[]>;
}

/**
 * CPU as metrics-server writes it: resource.NewScaledQuantity(nanocores, -9) in canonical form,
 * i.e. the largest of cores / m / u / n that keeps the number whole.
 */
export function formatNanoCores(nanoCores: number): string {
  const n = Math.max(0, Math.round(nanoCores));
  if (n === 0) return '0';
  if (n % 1e9 === 0) return String(n / 1e9);
  if (n % 1e6 === 0) return `${n / 1e6}m`;
  if (n % 1e3 === 0) return `${n / 1e3}u`;
  return `${n}n`;
}

/** Memory as metrics-server writes it: resource.NewQuantity(bytes, BinarySI) in canonical form (Ki, Mi...). */
export function formatBytes(bytes: number): string {
  let n = Math.max(0, Math.round(bytes));
  if (n === 0) return '0';
  const suffixes = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];
  let i = 0;
  while (i < suffixes.length - 1 && n % 1024 === 0) {
    n /= 1024;
    i++;
  }
  return `${n}${suffixes[i]}`;
}
