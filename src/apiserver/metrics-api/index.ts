/**
 * metrics.k8s.io for Skiff: the API server serves the group (handler.ts) from a MetricsProvider.
 * `startKubeletMetrics(server)` wires the standard one — scraping every Ready kubelet's
 * /stats/summary with a client certificate the cluster CA signs — into a running API server.
 */
import type { KubeObject } from '../../api/types.js';
import { decode } from '../../registry/codec.js';
import type { Registry } from '../../registry/index.js';
import { listObjects } from '../../registry/store-read.js';
import { issueClientCert, type Pki } from '../pki/index.js';
import { KubeletSummaryProvider, type KubeletScrapeOptions } from './kubelet-provider.js';
import type { MetricsProvider } from './types.js';

export { KubeletSummaryProvider, kubeletEndpointOf } from './kubelet-provider.js';
export { METRICS_GROUP, METRICS_VERSION } from './handler.js';
export { formatBytes, formatNanoCores, type ContainerMetrics, type MetricsProvider, type NodeMetrics, type PodMetrics } from './types.js';
export { metricsFromSummary } from './summary.js';

/** The identity the API server presents to kubelets (upstream's --kubelet-client-certificate). */
export const KUBELET_CLIENT_USER = 'kube-apiserver-kubelet-client';

export async function listRegistryNodes(registry: Registry): Promise<KubeObject[]> {
  const page = await listObjects(registry.storeFor('', 'v1', 'nodes')!, undefined, {});
  return page.items.map(decode);
}

/** Creates the kubelet-scraping provider and sets it on `server`; returns it (close() it on shutdown). */
export async function startKubeletMetrics(
  server: { pki: Pki; registry: Registry; setMetricsProvider(p: MetricsProvider | undefined): void },
  opts: Omit<KubeletScrapeOptions, 'listNodes' | 'clientCert'> = {},
): Promise<KubeletSummaryProvider> {
  const clientCert = await issueClientCert(server.pki, { commonName: KUBELET_CLIENT_USER, organizations: ['system:masters'] });
  const provider = new KubeletSummaryProvider({ ...opts, clientCert, listNodes: () => listRegistryNodes(server.registry) });
  server.setMetricsProvider(provider);
  return provider;
}
