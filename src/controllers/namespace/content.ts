/**
 * Deletes everything in one namespace (upstream's deleteAllContent): for every namespaced resource that
 * can be listed and deleted, a DELETE of the collection (or of each item when deletecollection is not
 * served), then a list of what is left: counts per resource and per finalizer feed the conditions.
 * Pods deleted gracefully linger until their kubelet confirms; they show up as remaining.
 */
import type { KubeObject } from '../../api/types.js';
import type { RestClient } from '../../client/rest.js';
import { discoverResourcesPartial, preferredOnly, resourcePath, type ApiResource } from '../garbagecollector/discovery.js';
import type { DeletionReport } from './conditions.js';

const background = { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' };

const groupResource = (r: ApiResource): string => (r.group ? `${r.resource}.${r.group}` : r.resource);

export function deletableNamespaced(resources: ApiResource[]): ApiResource[] {
  return preferredOnly(resources).filter((r) => r.namespaced && r.verbs.includes('list') && (r.verbs.includes('deletecollection') || r.verbs.includes('delete')));
}

async function deleteResource(client: RestClient, r: ApiResource, ns: string): Promise<KubeObject[]> {
  const collection = resourcePath(r, ns);
  if (r.verbs.includes('deletecollection')) {
    const res = await client.delete(collection, background);
    if (res.status !== 200 && res.status !== 404 && res.status !== 405) throw new Error(`${groupResource(r)}: delete collection: ${res.status}`);
  }
  const left = await client.get<{ items: KubeObject[] }>(collection);
  if (left.status === 404) return [];
  if (left.status !== 200) throw new Error(`${groupResource(r)}: list: ${left.status}`);
  const items = left.body.items ?? [];
  if (!r.verbs.includes('deletecollection') && r.verbs.includes('delete')) {
    for (const item of items) {
      if (item.metadata?.deletionTimestamp) continue;
      const res = await client.delete(resourcePath(r, ns, item.metadata?.name ?? ''), background);
      if (res.status !== 200 && res.status !== 202 && res.status !== 404) throw new Error(`${groupResource(r)}: delete ${item.metadata?.name}: ${res.status}`);
    }
  }
  return items;
}

export async function deleteAllContent(client: RestClient, ns: string): Promise<DeletionReport> {
  const report: DeletionReport = { deleteErrors: [], remaining: new Map(), finalizers: new Map() };
  let resources: ApiResource[];
  try {
    const found = await discoverResourcesPartial(client);
    // Delete what can be found; the namespace is not finalized while some groups are unreadable.
    if (found.failures.length) report.discoveryError = `${found.failures.length} failing: ${found.failures.join(', ')}`;
    resources = deletableNamespaced(found.resources);
  } catch (e) {
    report.discoveryError = e instanceof Error ? e.message : String(e);
    return report;
  }
  await Promise.all(
    resources.map(async (r) => {
      try {
        const left = await deleteResource(client, r, ns);
        if (!left.length) return;
        report.remaining.set(groupResource(r), left.length);
        for (const item of left) for (const f of item.metadata?.finalizers ?? []) report.finalizers.set(f, (report.finalizers.get(f) ?? 0) + 1);
      } catch (e) {
        report.deleteErrors.push(e instanceof Error ? e.message : String(e));
      }
    }),
  );
  return report;
}
