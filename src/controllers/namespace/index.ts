/**
 * Namespace controller (upstream pkg/controller/namespace): finishes the deletion of namespaces.
 *
 * Input: Namespaces (informer). A namespace with deletionTimestamp whose spec.finalizers still holds
 * `kubernetes` gets every namespaced object in it deleted (all resources from discovery), its
 * status conditions set as upstream (NamespaceDeletionContentFailure, NamespaceContentRemaining...),
 * and is looked at again until nothing is left; then `kubernetes` is removed from spec.finalizers via
 * PUT /api/v1/namespaces/<ns>/finalize and the API server deletes the namespace.
 */
import type { KubeObject } from '../../api/types.js';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller } from '../../runtime/index.js';
import { deletionConditions, type NamespaceCondition } from './conditions.js';
import { deleteAllContent } from './content.js';

export interface NamespaceControllerOptions {
  workers?: number;
  /** Re-check period while content remains [1000]. */
  remainingRecheckMs?: number;
  onError?: (key: string, err: unknown) => void;
}

interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

async function updateConditions(client: RestClient, ns: Namespace, conditions: NamespaceCondition[]): Promise<void> {
  const same = JSON.stringify(ns.status?.conditions ?? []) === JSON.stringify(conditions);
  if (same) return;
  const next = structuredClone(ns);
  next.status = { ...(next.status ?? {}), conditions };
  const res = await client.put(`/api/v1/namespaces/${ns.metadata!.name}/status`, next);
  if (res.status !== 200 && res.status !== 404 && res.status !== 409) throw new Error(`namespace status: ${res.status} ${res.text.slice(0, 200)}`);
}

/** Removes `kubernetes` from spec.finalizers through the finalize subresource. */
async function finalize(client: RestClient, ns: Namespace): Promise<void> {
  const next = structuredClone(ns);
  next.spec = { ...(next.spec ?? {}), finalizers: (next.spec?.finalizers ?? []).filter((f) => f !== 'kubernetes') };
  const res = await client.put(`/api/v1/namespaces/${ns.metadata!.name}/finalize`, next);
  if (res.status === 200 || res.status === 404) return;
  throw new Error(`namespace finalize: ${res.status} ${res.text.slice(0, 200)}`);
}

export async function startNamespaceController(client: RestClient, opts: NamespaceControllerOptions = {}): Promise<{ stop(): void }> {
  const namespaces = new Informer(client, { path: '/api/v1/namespaces' });
  const recheck = opts.remainingRecheckMs ?? 1000;
  const controller = new Controller({
    name: 'namespace',
    workers: opts.workers ?? 2,
    onError: opts.onError,
    reconcile: async (_ctx, { name }) => {
      const cached = namespaces.get(name);
      if (!cached?.metadata?.deletionTimestamp) return;
      // Act on the live object: the cache may be behind an earlier finalize.
      const live = await client.get<Namespace>(`/api/v1/namespaces/${name}`);
      if (live.status === 404) return;
      if (live.status !== 200) throw new Error(`get namespace ${name}: ${live.status}`);
      const ns = live.body;
      if (!ns.metadata?.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes('kubernetes')) return;
      const report = await deleteAllContent(client, name);
      await updateConditions(client, ns, deletionConditions(ns.status?.conditions ?? [], report, now()));
      if (report.discoveryError || report.deleteErrors.length) throw new Error(`namespace ${name}: ${report.discoveryError ?? report.deleteErrors.join('; ')}`);
      if (report.remaining.size) return { requeueAfterMs: recheck };
      const fresh = await client.get<Namespace>(`/api/v1/namespaces/${name}`);
      if (fresh.status === 200) await finalize(client, fresh.body);
    },
  });
  controller.watches(namespaces);
  namespaces.start();
  await namespaces.waitForSync();
  controller.start();
  return {
    stop() {
      controller.stop();
      namespaces.stop();
    },
  };
}

export { deletionConditions, type DeletionReport, type NamespaceCondition } from './conditions.js';
