/**
 * A MetricsProvider that scrapes kubelets, as metrics-server does: for every Node whose Ready
 * condition is True and that publishes daemonEndpoints.kubeletEndpoint.Port, GET
 * `https://<InternalIP>:<port>/stats/summary` with the API server's kubelet client certificate,
 * in parallel, each with a timeout. One scrape serves every request for `ttlMs` (10 s): kubectl
 * top and the HPA may ask often, kubelets are asked at most once per window. A node that fails
 * to answer is left out (its error kept in `lastErrors`), as metrics-server leaves it out.
 *
 * Simulated nodes are skipped (simulated-provider.ts covers them).
 *
 * Inputs: a function listing the Node objects, a client certificate, options. Output: the
 * MetricsProvider methods.
 */
import { Agent, request } from 'node:https';
import type { KubeObject } from '../../api/types.js';
import { isSimulatedNode } from './simulated-provider.js';
import { metricsFromSummary } from './summary.js';
import type { MetricsProvider, NodeMetrics, PodMetrics } from './types.js';

export interface KubeletScrapeOptions {
  /** Listing of the Node objects (the registry's, or a client's). */
  listNodes(): Promise<KubeObject[]>;
  clientCert: { certPem: string; keyPem: string };
  /** CA of kubelet serving certificates; without it they are not verified (upstream's default without --kubelet-certificate-authority). */
  kubeletCaPem?: string;
  ttlMs?: number;
  timeoutMs?: number;
  /** The window reported with every sample: the kubelet's CPU sampling interval. */
  window?: string;
  /** Nodes not to scrape; default: simulated nodes (annotation skiff.dev/sim-node), which have no kubelet. */
  skipNode?: (node: KubeObject) => boolean;
}

interface Scrape {
  nodes: NodeMetrics[];
  pods: PodMetrics[];
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Where the kubelet of `node` listens, when the node is Ready and says so. */
export function kubeletEndpointOf(node: KubeObject): { host: string; port: number } | undefined {
  const status = isObject(node.status) ? node.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  if (!conditions.some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True')) return undefined;
  const endpoints = isObject(status.daemonEndpoints) && isObject(status.daemonEndpoints.kubeletEndpoint) ? status.daemonEndpoints.kubeletEndpoint : {};
  const port = endpoints.Port;
  if (typeof port !== 'number' || port <= 0) return undefined;
  const addresses = Array.isArray(status.addresses) ? status.addresses : [];
  const internal = addresses.find((a) => isObject(a) && a.type === 'InternalIP' && typeof a.address === 'string');
  if (!internal || !isObject(internal)) return undefined;
  return { host: internal.address as string, port };
}

export class KubeletSummaryProvider implements MetricsProvider {
  private readonly agent: Agent;
  private cached?: { at: number; scrape: Promise<Scrape> };
  /** Per node, why its last scrape failed (cleared on success). */
  readonly lastErrors = new Map<string, string>();

  constructor(private readonly opts: KubeletScrapeOptions) {
    this.agent = new Agent({
      keepAlive: true,
      cert: opts.clientCert.certPem,
      key: opts.clientCert.keyPem,
      ...(opts.kubeletCaPem ? { ca: opts.kubeletCaPem } : { rejectUnauthorized: false }),
    });
  }

  async nodeMetrics(): Promise<NodeMetrics[]> {
    return (await this.scrape()).nodes;
  }

  async podMetrics(namespace?: string): Promise<PodMetrics[]> {
    const pods = (await this.scrape()).pods;
    return namespace ? pods.filter((p) => p.metadata.namespace === namespace) : pods;
  }

  close(): void {
    this.agent.destroy();
  }

  private scrape(now = Date.now()): Promise<Scrape> {
    if (this.cached && now - this.cached.at < (this.opts.ttlMs ?? 10_000)) return this.cached.scrape;
    const scrape = this.scrapeAll();
    this.cached = { at: now, scrape };
    // A failed listing must not be served from the cache.
    scrape.catch(() => {
      if (this.cached?.scrape === scrape) this.cached = undefined;
    });
    return scrape;
  }

  private async scrapeAll(): Promise<Scrape> {
    const nodes = await this.opts.listNodes();
    const window = this.opts.window ?? '10s';
    const results = await Promise.all(
      nodes.map(async (node) => {
        const name = node.metadata?.name ?? '';
        const endpoint = kubeletEndpointOf(node);
        if (!name || !endpoint || (this.opts.skipNode ?? isSimulatedNode)(node)) return undefined;
        try {
          const summary = await this.getJson(endpoint.host, endpoint.port, '/stats/summary');
          this.lastErrors.delete(name);
          return metricsFromSummary(summary, name, window);
        } catch (err) {
          this.lastErrors.set(name, err instanceof Error ? err.message : String(err));
          return undefined;
        }
      }),
    );
    const out: Scrape = { nodes: [], pods: [] };
    for (const r of results) {
      if (!r) continue;
      if (r.node) out.nodes.push(r.node);
      out.pods.push(...r.pods);
    }
    return out;
  }

  private getJson(host: string, port: number, path: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const req = request({ host, port, path, method: 'GET', agent: this.agent, headers: { Accept: 'application/json' }, timeout: this.opts.timeoutMs ?? 5000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return reject(new Error(`GET ${path} on ${host}:${port}: HTTP ${res.statusCode} ${text.slice(0, 200)}`));
          try {
            resolve(JSON.parse(text) as unknown);
          } catch {
            reject(new Error(`GET ${path} on ${host}:${port}: not JSON`));
          }
        });
      });
      req.on('timeout', () => req.destroy(new Error(`GET ${path} on ${host}:${port}: timed out`)));
      req.on('error', reject);
      req.end();
    });
  }
}
