/**
 * The metrics.k8s.io/v1beta1 API served by the API server itself (no aggregation layer), shaped as
 * metrics-server answers: `nodes` (NodeMetrics, cluster-scoped) and `pods` (PodMetrics, namespaced),
 * verbs get and list, `labelSelector` matched against the Node's / Pod's labels. This is what
 * `kubectl top nodes|pods` and the HPA read.
 *
 * Inputs: requests already parsed by request-info.ts whose group is metrics.k8s.io; the registry
 * (Node and Pod objects, for labels and to drop metrics of objects that are gone); the current
 * MetricsProvider. Outputs: JSON lists/items or a 404 `podmetrics.metrics.k8s.io "x" not found`.
 * `METRICS_KINDS` are the discovery entries (legacy and aggregated) for the group.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindDefinition, KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';
import { formatTimestamp } from '../../machinery/duration.js';
import { decode } from '../../registry/codec.js';
import type { Registry } from '../../registry/index.js';
import { listObjects } from '../../registry/store-read.js';
import { sendJson } from '../http.js';
import type { ResourceRequest } from '../request-info.js';
import type { MetricsProvider, NodeMetrics, PodMetrics } from './types.js';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

function metricsKind(kind: string, plural: string, singular: string, namespaced: boolean): KindDefinition {
  return {
    resource: { group: METRICS_GROUP, version: METRICS_VERSION, kind, listKind: `${kind}List`, plural, singular, namespaced, shortNames: [], categories: [], verbs: ['get', 'list'], subresources: [] },
    model: `V1beta1${kind}`,
    hasStatus: false,
    hasSpec: false,
  };
}

/** Discovery entries only: these kinds have no store, the handler below serves them. */
export const METRICS_KINDS: KindDefinition[] = [metricsKind('NodeMetrics', 'nodes', 'nodemetrics', false), metricsKind('PodMetrics', 'pods', 'podmetrics', true)];

function notFoundMetrics(resource: 'nodemetrics' | 'podmetrics', name: string): StatusError {
  return new StatusError('NotFound', `${resource}.${METRICS_GROUP} "${name}" not found`, { name, group: METRICS_GROUP, kind: resource });
}

/** What is served: the provider's object with the metadata metrics-server adds (labels of the object, creationTimestamp = now). */
interface ServedMeta {
  name: string;
  namespace?: string;
  creationTimestamp: string;
  labels?: Record<string, string>;
}
type Served<T extends { metadata: object }> = Omit<T, 'metadata'> & { metadata: ServedMeta };

export class MetricsApi {
  constructor(
    private readonly registry: Registry,
    private readonly provider: () => MetricsProvider | undefined,
  ) {}

  /** Whether the group is served now (discovery lists it only while a provider is set). */
  get enabled(): boolean {
    return this.provider() !== undefined;
  }

  async handle(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, query: URLSearchParams): Promise<{ verb: string; code: number }> {
    const provider = this.provider();
    const known = info.version === METRICS_VERSION && (info.resource === 'nodes' || info.resource === 'pods') && !info.subresource;
    if (!provider || !known || (info.resource === 'nodes' && info.namespace)) throw new StatusError('NotFound', 'the server could not find the requested resource');
    if (req.method !== 'GET' || query.get('watch') === 'true' || query.get('watch') === '1') {
      throw new StatusError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
    }
    const labelSelector = query.get('labelSelector') ?? undefined;
    if (info.resource === 'nodes') {
      const items = await this.nodes(provider, labelSelector);
      if (info.name) return this.one(res, 'NodeMetrics', items.find((m) => m.metadata.name === info.name), () => notFoundMetrics('nodemetrics', info.name!));
      sendJson(res, 200, { kind: 'NodeMetricsList', apiVersion: API_VERSION, metadata: {}, items });
      return { verb: 'LIST', code: 200 };
    }
    const items = await this.pods(provider, info.namespace, labelSelector);
    if (info.name) return this.one(res, 'PodMetrics', items.find((m) => m.metadata.name === info.name), () => notFoundMetrics('podmetrics', info.name!));
    sendJson(res, 200, { kind: 'PodMetricsList', apiVersion: API_VERSION, metadata: {}, items });
    return { verb: 'LIST', code: 200 };
  }

  private one(res: ServerResponse, kind: string, item: object | undefined, missing: () => StatusError): { verb: string; code: number } {
    if (!item) throw missing();
    sendJson(res, 200, { kind, apiVersion: API_VERSION, ...item });
    return { verb: 'GET', code: 200 };
  }

  /** Objects of `plural` matching the selector, by `namespace/name` (or name for nodes). */
  private async objects(plural: string, namespace: string | undefined, labelSelector: string | undefined): Promise<Map<string, KubeObject>> {
    const page = await listObjects(this.registry.storeFor('', 'v1', plural)!, namespace, { labelSelector });
    const byKey = new Map<string, KubeObject>();
    for (const kv of page.items) {
      const obj = decode(kv);
      byKey.set(obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata!.name!, obj);
    }
    return byKey;
  }

  private async nodes(provider: MetricsProvider, labelSelector: string | undefined): Promise<Array<Served<NodeMetrics>>> {
    const [metrics, nodes] = await Promise.all([provider.nodeMetrics(), this.objects('nodes', undefined, labelSelector)]);
    const now = formatTimestamp();
    const out: Array<Served<NodeMetrics>> = [];
    for (const m of metrics) {
      const node = nodes.get(m.metadata.name);
      if (!node) continue;
      out.push({ metadata: { name: m.metadata.name, creationTimestamp: now, ...(node.metadata?.labels ? { labels: { ...node.metadata.labels } } : {}) }, timestamp: m.timestamp, window: m.window, usage: { ...m.usage } });
    }
    return out.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  private async pods(provider: MetricsProvider, namespace: string | undefined, labelSelector: string | undefined): Promise<Array<Served<PodMetrics>>> {
    const [metrics, pods] = await Promise.all([provider.podMetrics(namespace), this.objects('pods', namespace, labelSelector)]);
    const now = formatTimestamp();
    const out: Array<Served<PodMetrics>> = [];
    for (const m of metrics) {
      if (namespace && m.metadata.namespace !== namespace) continue;
      const pod = pods.get(`${m.metadata.namespace}/${m.metadata.name}`);
      if (!pod) continue;
      out.push({
        metadata: { name: m.metadata.name, namespace: m.metadata.namespace, creationTimestamp: now, ...(pod.metadata?.labels ? { labels: { ...pod.metadata.labels } } : {}) },
        timestamp: m.timestamp,
        window: m.window,
        containers: m.containers.map((c) => ({ name: c.name, usage: { ...c.usage } })),
      });
    }
    return out.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  }
}
