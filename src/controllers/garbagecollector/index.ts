/**
 * Garbage collector controller (upstream pkg/controller/garbagecollector).
 *
 * Input: every deletable resource the API server serves (discovered from /api and /apis, re-checked
 * every `resyncMs` for new kinds such as custom resources), watched through one informer each.
 * Output: DELETEs of dependents whose owners are all gone (verified live, by uid), cascading
 * foreground deletion (dependents first, then the `foregroundDeletion` finalizer removed), orphaning
 * (ownerReferences stripped from dependents, then the `orphan` finalizer removed).
 */
import type { RestClient } from '../../client/rest.js';
import { Controller } from '../../runtime/index.js';
import { Collector } from './collector.js';
import { OwnershipGraph } from './graph.js';
import { Monitors } from './monitors.js';

export interface GarbageCollectorOptions {
  workers?: number;
  /** Re-discovery period for new resources [30000]. */
  resyncMs?: number;
  onError?: (uid: string, err: unknown) => void;
}

export async function startGarbageCollectorController(client: RestClient, opts: GarbageCollectorOptions = {}): Promise<{ stop(): void }> {
  const graph = new OwnershipGraph();
  // Events seen while the monitors sync queue up and are processed once the controller starts.
  const monitors = new Monitors(client, graph, (uid) => controller.enqueue(uid));
  let lastRefresh = 0;
  const refresh = (): void => {
    if (Date.now() - lastRefresh < 2000) return;
    lastRefresh = Date.now();
    void resync();
  };
  const collector = new Collector(client, graph, () => monitors.resources, refresh);
  const controller: Controller = new Controller({
    name: 'garbage-collector',
    workers: opts.workers ?? 4,
    onError: opts.onError,
    reconcile: async (_ctx, req) => {
      const out = await collector.process(req.name);
      return out.recheckAfterMs !== undefined ? { requeueAfterMs: out.recheckAfterMs } : undefined;
    },
  });
  const resync = (): Promise<void> =>
    monitors.sync().then(
      (failures) => {
        if (failures.length) opts.onError?.('discovery', new Error(`discovery failed for ${failures.join(', ')}`));
      },
      (e: unknown) => opts.onError?.('discovery', e),
    );
  await monitors.sync();
  controller.start();
  const timer = setInterval(() => void resync(), opts.resyncMs ?? 30_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      controller.stop();
      monitors.stop();
    },
  };
}

export { discoverResources, discoverResourcesPartial, resourceFor, resourcePath, preferredOnly, type ApiResource } from './discovery.js';
