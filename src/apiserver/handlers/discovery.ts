/**
 * API discovery, derived from the kind definitions: legacy (/api, /apis, /api/v1, /apis/<g>/<v>) and
 * aggregated discovery v2 (/api and /apis with the apidiscovery.k8s.io Accept type).
 */
import type { KindDefinition } from '../../api/types.js';

interface GroupVersion {
  group: string;
  version: string;
  kinds: KindDefinition[];
}

/** Preferred version first, as upstream orders them (v2 before v1 for autoscaling). */
function versionRank(v: string): number {
  const m = /^v(\d+)(alpha|beta)?(\d+)?$/.exec(v);
  if (!m) return 0;
  const major = Number(m[1]);
  const stage = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
  return stage * 1000 + major * 10 + Number(m[3] ?? 0) / 100;
}

export function groupVersions(kinds: KindDefinition[]): GroupVersion[] {
  const map = new Map<string, GroupVersion>();
  for (const k of kinds) {
    const key = `${k.resource.group}/${k.resource.version}`;
    let gv = map.get(key);
    if (!gv) {
      gv = { group: k.resource.group, version: k.resource.version, kinds: [] };
      map.set(key, gv);
    }
    gv.kinds.push(k);
  }
  return [...map.values()];
}

function groupsOf(kinds: KindDefinition[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const gv of groupVersions(kinds)) {
    if (!gv.group) continue;
    const versions = groups.get(gv.group) ?? [];
    versions.push(gv.version);
    groups.set(gv.group, versions);
  }
  for (const versions of groups.values()) versions.sort((a, b) => versionRank(b) - versionRank(a));
  return groups;
}

export function legacyApiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function legacyGroupList(kinds: KindDefinition[]): unknown {
  const groups = [...groupsOf(kinds).entries()].map(([name, versions]) => ({
    name,
    versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
  }));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function legacyGroup(kinds: KindDefinition[], group: string): unknown | undefined {
  const versions = groupsOf(kinds).get(group);
  if (!versions) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: versions.map((v) => ({ groupVersion: `${group}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${group}/${versions[0]}`, version: versions[0] },
  };
}

function subresourceVerbs(sub: string): string[] {
  switch (sub) {
    case 'status':
    case 'scale':
      return ['get', 'patch', 'update'];
    case 'binding':
    case 'eviction':
    case 'token':
      return ['create'];
    case 'log':
      return ['get'];
    case 'exec':
    case 'attach':
    case 'portforward':
      return ['create', 'get'];
    case 'proxy':
      return ['create', 'delete', 'get', 'patch', 'update'];
    default:
      return ['get', 'patch', 'update'];
  }
}

function subresourceKind(k: KindDefinition, sub: string): { group: string; version: string; kind: string } {
  const r = k.resource;
  switch (sub) {
    case 'scale':
      return { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    case 'binding':
      return { group: '', version: 'v1', kind: 'Binding' };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction' };
    case 'log':
    case 'exec':
    case 'attach':
    case 'portforward':
    case 'proxy':
      return { group: '', version: 'v1', kind: sub === 'log' ? 'Pod' : sub === 'exec' ? 'PodExecOptions' : sub === 'attach' ? 'PodAttachOptions' : sub === 'portforward' ? 'PodPortForwardOptions' : 'PodProxyOptions' };
    default:
      return { group: r.group, version: r.version, kind: r.kind };
  }
}

export function legacyResourceList(kinds: KindDefinition[], group: string, version: string): unknown | undefined {
  const gv = groupVersions(kinds).find((g) => g.group === group && g.version === version);
  if (!gv) return undefined;
  const resources: unknown[] = [];
  for (const k of gv.kinds) {
    const r = k.resource;
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    });
    for (const sub of r.subresources) {
      const sk = subresourceKind(k, sub);
      resources.push({
        name: `${r.plural}/${sub}`,
        singularName: '',
        namespaced: r.namespaced,
        // kubectl needs both when either differs (pods/eviction is policy/v1: without the version,
        // drain falls back to deleting pods and ignores disruption budgets).
        ...(sk.group !== r.group || sk.version !== r.version ? { group: sk.group, version: sk.version } : {}),
        kind: sk.kind,
        verbs: subresourceVerbs(sub),
      });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export function wantsAggregated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const p = part.replace(/\s/g, '');
    return p.startsWith('application/json') && p.includes('g=apidiscovery.k8s.io') && p.includes('v=v2') && p.includes('as=APIGroupDiscoveryList');
  });
}

/** Aggregated discovery v2 for the core group (`legacy`) or every named group. */
export function aggregatedDiscovery(kinds: KindDefinition[], legacy: boolean): unknown {
  const gvs = groupVersions(kinds).filter((gv) => (legacy ? gv.group === '' : gv.group !== ''));
  const groups = legacy ? new Map([['', ['v1']]]) : groupsOf(kinds);
  const items = [...groups.entries()].map(([group, versions]) => ({
    metadata: { name: group, creationTimestamp: null },
    versions: versions.map((version) => ({
      version,
      freshness: 'Current',
      resources: (gvs.find((g) => g.group === group && g.version === version)?.kinds ?? []).map((k) => {
        const r = k.resource;
        return {
          resource: r.plural,
          responseKind: { group: r.group, version: r.version, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: r.singular,
          verbs: r.verbs,
          ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
          ...(r.categories.length ? { categories: r.categories } : {}),
          ...(r.subresources.length
            ? { subresources: r.subresources.map((sub) => ({ subresource: sub, responseKind: subresourceKind(k, sub), verbs: subresourceVerbs(sub) })) }
            : {}),
        };
      }),
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
