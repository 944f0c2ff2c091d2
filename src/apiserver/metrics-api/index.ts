/**
 * metrics.k8s.io for Skiff: the API server serves the group (handler.ts) from a MetricsProvider.
 * `startKubeletMetrics(server)` wires the standard one into a running API server: every Ready
 * kubelet's /stats/summary scraped with a client certificate the cluster CA signs, plus
 * requests-as-usage for simulated nodes.
 */
import type { KubeObject } from '../../api/types.js';
import { decode } from '../../registry/codec.js';
import type { Registry } from '../../registry/index.js';
import { listObjects } from '../../registry/store-read.js';
import { issueClientCert, type Pki } from '../pki/index.js';
import { KubeletSummaryProvider, type KubeletScrapeOptions } from './kubelet-provider.js';
import { SimulatedUsageProvider, combineProviders } from './simulated-provider.js';
import type { MetricsProvider } from './types.js';

export { KubeletSummaryProvider, kubeletEndpointOf } from './kubelet-provider.js';
export { METRICS_GROUP, METRICS_VERSION } from './handler.js';
export { formatBytes, formatNanoCores, type ContainerMetrics, type MetricsProvider, type NodeMetrics, type PodMetrics } from './types.js';
export { metricsFromSummary } from './summary.js';
export { SimulatedUsageProvider, combineProviders, isSimulatedNode, SIM_NODE_ANNOTATION } from './simulated-provider.js';

/** The identity the API server presents to kubelets (upstream's --kubelet-client-certificate). */
export const KUBELET_CLIENT_USER = 'kube-apiserver-kubelet-client';

async function listAll(registry: Registry, plural: string): Promise<KubeObject[]> {
  const page = await listObjects(registry.storeFor('', 'v1', plural)!, undefined, {});
  return page.items.map(decode);
}

export const listRegistryNodes = (registry: Registry): Promise<KubeObject[]> => listAll(registry, 'nodes');

/** Creates the kubelet-scraping provider and sets it on `server`; returns it (close() it on shutdown). */
export async function startKubeletMetrics(
  server: { pki: Pki; registry: Registry; setMetricsProvider(p: MetricsProvider | undefined): void },
  opts: Omit<KubeletScrapeOptions, 'listNodes' | 'clientCert'> & { simulatedNodes?: boolean } = {},
): Promise<KubeletSummaryProvider> {
  const clientCert = await issueClientCert(server.pki, { commonName: KUBELET_CLIENT_USER, organizations: ['system:masters'] });
  const provider = new KubeletSummaryProvider({ ...opts, clientCert, listNodes: () => listRegistryNodes(server.registry) });
  if (opts.simulatedNodes === false) server.setMetricsProvider(provider);
  else server.setMetricsProvider(combineProviders(provider, new SimulatedUsageProvider({ listNodes: () => listRegistryNodes(server.registry), listPods: () => listAll(server.registry, 'pods'), ttlMs: opts.ttlMs })));
  return provider;
}
