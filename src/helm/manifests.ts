/**
 * Rendered files -> ordered manifests and hooks (helm pkg/releaseutil): split each file on `---`
 * lines, read the head of every document (apiVersion, kind, metadata.name, annotations), put
 * documents with a known `helm.sh/hook` annotation aside as hooks, and sort both lists stably by
 * kind in install order (unknown kinds last, alphabetically).
 */
import { isHelmMap, parseYaml, type HelmValue } from './values/yaml.js';

export const INSTALL_ORDER = [
  'PriorityClass', 'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy',
  'PodDisruptionBudget', 'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass',
  'PersistentVolume', 'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole',
  'ClusterRoleList', 'ClusterRoleBinding', 'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding',
  'RoleBindingList', 'Service', 'DaemonSet', 'Pod', 'ReplicationController', 'ReplicaSet', 'Deployment',
  'HorizontalPodAutoscaler', 'StatefulSet', 'Job', 'CronJob', 'IngressClass', 'Ingress', 'APIService',
];
export const UNINSTALL_ORDER = [...INSTALL_ORDER].reverse().filter((k) => k !== 'Service');
UNINSTALL_ORDER.splice(UNINSTALL_ORDER.indexOf('IngressClass') + 1, 0, 'Service');

export const HOOK_EVENTS = [
  'pre-install', 'post-install', 'pre-delete', 'post-delete', 'pre-upgrade', 'post-upgrade',
  'pre-rollback', 'post-rollback', 'test',
] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface ManifestHead { apiVersion: string; kind: string; name: string; annotations: Record<string, string> | null }
export interface Manifest { name: string; content: string; head: ManifestHead }
export interface Hook {
  name: string;
  kind: string;
  path: string;
  manifest: string;
  events: HookEvent[];
  weight: number;
  deletePolicies: string[];
  outputLogPolicies: string[];
}

const SEPARATOR = /(?:^|[\t\n\f\r ]*\n)---[\t\n\f\r ]*/;

/** SplitManifests: the documents of one YAML stream, trimmed, in order, empty ones dropped. */
export function splitManifests(bigFile: string): string[] {
  return goTrimSpace(bigFile).split(SEPARATOR).filter((d) => d !== '').map(goTrimSpace);
}

export function goTrimSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r \u0085\u00a0]+|[\t\n\v\f\r \u0085\u00a0]+$/g, '');
}

function stringField(v: HelmValue | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

export function parseHead(path: string, doc: string): ManifestHead {
  let v: HelmValue;
  try {
    v = parseYaml(doc);
  } catch (e) {
    throw new Error(`YAML parse error on ${path}: error converting YAML to JSON: ${(e as Error).message}`);
  }
  if (v !== null && !isHelmMap(v)) {
    throw new Error(`YAML parse error on ${path}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : 'number'} into Go value of type releaseutil.SimpleHead`);
  }
  const m = v ?? {};
  const meta = isHelmMap(m.metadata) ? m.metadata : null;
  let annotations: Record<string, string> | null = null;
  if (meta && isHelmMap(meta.annotations)) {
    annotations = {};
    for (const [k, a] of Object.entries(meta.annotations)) annotations[k] = stringField(a);
  }
  return { apiVersion: stringField(m.apiVersion), kind: stringField(m.kind), name: meta ? stringField(meta.name) : '', annotations };
}

function kindLess(a: string, b: string, order: string[]): number {
  const ia = order.indexOf(a);
  const ib = order.indexOf(b);
  if (ia < 0 && ib < 0) return a === b ? 0 : a < b ? -1 : 1;
  if (ia < 0) return 1;
  if (ib < 0) return -1;
  return ia - ib;
}

export function sortByKind<T>(items: T[], kindOf: (t: T) => string, order: string[] = INSTALL_ORDER): T[] {
  return items
    .map((item, i) => ({ item, i }))
    .sort((x, y) => kindLess(kindOf(x.item), kindOf(y.item), order) || x.i - y.i)
    .map((x) => x.item);
}

/** SortManifests: files (name -> rendered text) into sorted hooks and manifests. */
export function sortManifests(files: Map<string, string>, order: string[] = INSTALL_ORDER, warn: (m: string) => void = () => undefined): { hooks: Hook[]; manifests: Manifest[] } {
  const hooks: Hook[] = [];
  const generic: Manifest[] = [];
  const paths = [...files.keys()].sort(goStringCompare);
  for (const path of paths) {
    const content = files.get(path) ?? '';
    if (path.slice(path.lastIndexOf('/') + 1).startsWith('_')) continue;
    if (goTrimSpace(content) === '') continue;
    for (const m of splitManifests(content)) {
      const head = parseHead(path, m);
      const hookTypes = head.annotations?.['helm.sh/hook'];
      if (hookTypes === undefined) { generic.push({ name: path, content: m, head }); continue; }
      const events: HookEvent[] = [];
      let unknown = false;
      for (const raw of hookTypes.split(',')) {
        const t = raw.trim().toLowerCase();
        const e = t === 'test-success' ? 'test' : (HOOK_EVENTS as readonly string[]).includes(t) ? (t as HookEvent) : undefined;
        if (!e) { unknown = true; break; }
        events.push(e);
      }
      if (unknown) { warn(`info: skipping unknown hook: ${JSON.stringify(hookTypes)}`); continue; }
      const annotationList = (key: string) => (head.annotations?.[key] === undefined ? [] : (head.annotations[key] ?? '').split(',').map((x) => x.trim().toLowerCase()));
      const weightText = head.annotations?.['helm.sh/hook-weight'] ?? '';
      const weight = /^[-+]?[0-9]+$/.test(weightText) ? Number(weightText) : 0;
      hooks.push({
        name: head.name, kind: head.kind, path, manifest: m, events, weight,
        deletePolicies: annotationList('helm.sh/hook-delete-policy'),
        outputLogPolicies: annotationList('helm.sh/hook-output-log-policy'),
      });
    }
  }
  return { hooks: sortByKind(hooks, (h) => h.kind, order), manifests: sortByKind(generic, (m) => m.head.kind, order) };
}

/** Go's byte-wise string ordering (sort.Strings). */
export function goStringCompare(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}
