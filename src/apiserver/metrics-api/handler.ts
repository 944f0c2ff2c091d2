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
import { parseIncludeObject, tableContentType, tableWithPrinter, wantsTable } from '../tables/index.js';
import type { Printer } from '../tables/types.js';
import { parseQuantity, quantityValue, toNumber } from '../../machinery/quantity.js';
import { formatBytes, formatNanoCores, type MetricsProvider, type NodeMetrics, type PodMetrics, type ResourceUsage } from './types.js';

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

const bytesOf = (q: string): number => quantityValue(parseQuantity(q));
const nanoCoresOf = (q: string): number => Math.round(toNumber(parseQuantity(q)) * 1e9);

/** metrics-server's table: Name, one column per resource (cpu, memory; a pod's summed over containers), Window. */
const metricsPrinter: Printer = {
  columns: [
    { name: 'Name', type: 'string', format: 'name', description: 'Name of the resource' },
    { name: 'cpu', type: 'string', format: 'quantity', description: '' },
    { name: 'memory', type: 'string', format: 'quantity', description: '' },
    { name: 'Window', type: 'string', format: 'duration', description: '' },
  ],
  cells: (obj) => {
    const m = obj as unknown as { metadata: { name: string }; window: string; usage?: ResourceUsage; containers?: Array<{ usage: ResourceUsage }> };
    const usages = m.usage ? [m.usage] : (m.containers ?? []).map((c) => c.usage);
    const cpu = usages.reduce((sum, u) => sum + nanoCoresOf(u.cpu), 0);
    const memory = usages.reduce((sum, u) => sum + bytesOf(u.memory), 0);
    return [m.metadata.name, formatNanoCores(cpu), formatBytes(memory), m.window];
  },
};

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
    const forNodes = info.resource === 'nodes';
    const def = METRICS_KINDS[forNodes ? 0 : 1]!;
    if (info.name) {
      // As metrics-server: the Node/Pod must exist (its own NotFound), then have metrics (ours, `ns/name` for pods).
      await this.registry.storeFor('', 'v1', forNodes ? 'nodes' : 'pods')!.get(forNodes ? undefined : info.namespace, info.name);
      const items = forNodes ? await this.nodes(provider, undefined) : await this.pods(provider, info.namespace, undefined);
      const item = items.find((m) => m.metadata.name === info.name);
      if (!item) throw forNodes ? notFoundMetrics('nodemetrics', info.name) : notFoundMetrics('podmetrics', `${info.namespace}/${info.name}`);
      this.send(req, res, query, def, [item], false);
      return { verb: 'GET', code: 200 };
    }
    const labelSelector = query.get('labelSelector') ?? undefined;
    const items = forNodes ? await this.nodes(provider, labelSelector) : await this.pods(provider, info.namespace, labelSelector);
    this.send(req, res, query, def, items, true);
    return { verb: 'LIST', code: 200 };
  }

  /** JSON (an item or a list), or a Table with metrics-server's columns when the client asks for one. */
  private send(req: IncomingMessage, res: ServerResponse, query: URLSearchParams, def: KindDefinition, items: Array<Served<NodeMetrics> | Served<PodMetrics>>, list: boolean): void {
    const kind = def.resource.kind;
    const objects = items.map((item) => ({ kind, apiVersion: API_VERSION, ...item }) as unknown as KubeObject);
    const version = wantsTable(req.headers.accept);
    if (version) {
      const table = tableWithPrinter(metricsPrinter, def, objects, { includeObject: parseIncludeObject(query.get('includeObject')), version, listMeta: {} });
      sendJson(res, 200, table, { 'Content-Type': tableContentType(version) });
    } else if (list) sendJson(res, 200, { kind: def.resource.listKind, apiVersion: API_VERSION, metadata: {}, items: objects });
    else sendJson(res, 200, objects[0]);
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
