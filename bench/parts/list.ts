/**
 * LIST of many realistic pods: creates them (64 clients), then times `runs` sequential LISTs of the
 * namespace from the load generator's thread. Result: list_10k_pods_median_ms (list_<n>_pods_median_ms for other sizes) plus the item count
 * and response size of one LIST checked from the main thread.
 */
import { progress } from '../args.js';
import { runLoadInWorker, round } from '../load.js';
import { podTemplate } from './objects.js';
import { expectStatus, type Skiff } from './server.js';

export interface ListOptions {
  pods: number;
  runs: number;
  namespace: string;
}

export async function measureList(skiff: Skiff, o: ListOptions): Promise<Record<string, unknown>> {
  progress(`list: creating ${o.pods} pods`);
  const fill = await runLoadInWorker({
    url: `${skiff.url}/api/v1/namespaces/${o.namespace}/pods`,
    method: 'POST',
    body: podTemplate(o.namespace, 'web-7d4b9c8f5d-'),
    clients: 64,
    durationMs: 0,
    maxRequests: o.pods,
    tls: skiff.tls,
  });
  const created = fill.codes['201'] ?? 0;
  if (created !== o.pods) throw new Error(`created ${created} of ${o.pods} pods: ${JSON.stringify(fill.codes)} ${fill.firstError ?? ''}`);

  const path = `/api/v1/namespaces/${o.namespace}/pods`;
  const check = await skiff.api('GET', path);
  expectStatus('list pods', check, 200);
  const items = (JSON.parse(check.text) as { items?: unknown[] }).items?.length ?? 0;
  if (items !== o.pods) throw new Error(`LIST returned ${items} pods, expected ${o.pods}`);

  progress(`list: ${o.runs} LISTs of ${o.pods} pods`);
  const timing = await runLoadInWorker({ url: `${skiff.url}${path}`, clients: 1, durationMs: 0, maxRequests: o.runs, tls: skiff.tls, headers: { accept: 'application/json' } });
  if (timing.errors > 0) throw new Error(`LIST failed: ${JSON.stringify(timing.codes)} ${timing.firstError ?? ''}`);
  return {
    [o.pods === 10_000 ? 'list_10k_pods_median_ms' : `list_${o.pods}_pods_median_ms`]: timing.p50Ms,
    list: { pods: o.pods, runs: o.runs, medianMs: timing.p50Ms, p99Ms: timing.p99Ms, responseBytes: Buffer.byteLength(check.text), createsPerSecond: round(created / (fill.elapsedMs / 1000)) },
  };
}
