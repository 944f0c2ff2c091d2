/**
 * API discovery for controllers that must see every served resource (garbage collector, namespace
 * deletion): reads the legacy discovery documents (/api/v1, /apis, /apis/<group>/<version>) and returns
 * one entry per top-level resource of each group's preferred version, plus helpers to map an
 * ownerReference's apiVersion/kind to a resource and to build request paths.
 */
import type { RestClient } from '../../client/rest.js';

export interface ApiResource {
  group: string;
  version: string;
  /** Plural resource name, e.g. `replicasets`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

interface ResourceListDoc {
  groupVersion: string;
  resources: Array<{ name: string; kind: string; namespaced: boolean; verbs?: string[] }>;
}

interface GroupListDoc {
  groups: Array<{ name: string; versions: Array<{ groupVersion: string; version: string }>; preferredVersion?: { groupVersion: string; version: string } }>;
}

function fromResourceList(doc: ResourceListDoc): ApiResource[] {
  const [group, version] = doc.groupVersion.includes('/') ? doc.groupVersion.split('/') : ['', doc.groupVersion];
  return doc.resources
    .filter((r) => !r.name.includes('/'))
    .map((r) => ({ group: group!, version: version!, resource: r.name, kind: r.kind, namespaced: r.namespaced, verbs: r.verbs ?? [] }));
}

export interface DiscoveryResult {
  resources: ApiResource[];
  /** Group versions that could not be read, with why (the rest is still usable). */
  failures: string[];
}

/** Every top-level resource the server serves, in every version of every group it could read. */
export async function discoverResourcesPartial(client: RestClient): Promise<DiscoveryResult> {
  const out: ApiResource[] = [];
  const core = await client.get<ResourceListDoc>('/api/v1');
  if (core.status !== 200) throw new Error(`discovery /api/v1: ${core.status}`);
  out.push(...fromResourceList(core.body));
  const groups = await client.get<GroupListDoc>('/apis');
  if (groups.status !== 200) throw new Error(`discovery /apis: ${groups.status}`);
  const failures: string[] = [];
  const docs = await Promise.all(
    groups.body.groups.flatMap((g) => g.versions.map((v) => ({ g, v }))).map(async ({ g, v }) => {
      const res = await client.get<ResourceListDoc>(`/apis/${v.groupVersion}`).catch((e: unknown) => ({ status: 0, body: undefined, text: String(e) }));
      if (res.status !== 200 || !res.body) {
        failures.push(`${v.groupVersion}: ${res.status || res.text}`);
        return undefined;
      }
      return { preferred: (g.preferredVersion?.version ?? g.versions[0]?.version) === v.version, list: fromResourceList(res.body) };
    }),
  );
  // Preferred versions first, so lookups by group/kind find them before other versions.
  for (const d of docs) if (d?.preferred) out.push(...d.list);
  for (const d of docs) if (d && !d.preferred) out.push(...d.list);
  return { resources: out, failures: failures.sort() };
}

/** Every top-level resource the server serves; fails when any group version cannot be read. */
export async function discoverResources(client: RestClient): Promise<ApiResource[]> {
  const { resources, failures } = await discoverResourcesPartial(client);
  if (failures.length) throw new Error(`discovery failed for ${failures.join(', ')}`);
  return resources;
}

/** Only the preferred version of each group/resource (one informer per resource, not per version). */
export function preferredOnly(resources: ApiResource[]): ApiResource[] {
  const seen = new Set<string>();
  return resources.filter((r) => {
    const key = `${r.group}/${r.resource}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function groupVersionOf(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** The resource serving `kind` in `apiVersion` (exact version first, then any version of the group). */
export function resourceFor(resources: ApiResource[], apiVersion: string, kind: string): ApiResource | undefined {
  const { group, version } = groupVersionOf(apiVersion);
  return resources.find((r) => r.group === group && r.version === version && r.kind === kind) ?? resources.find((r) => r.group === group && r.kind === kind);
}

/** `/api/v1/namespaces/ns/pods/name` style path; omit name for the collection, namespace for all namespaces. */
export function resourcePath(r: Pick<ApiResource, 'group' | 'version' | 'resource' | 'namespaced'>, namespace?: string, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.resource}${name !== undefined ? `/${encodeURIComponent(name)}` : ''}`;
}

export const canListWatch = (r: ApiResource): boolean => r.verbs.includes('list') && r.verbs.includes('watch');
