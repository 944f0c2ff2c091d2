/**
 * Quota evaluators (upstream pkg/quota/v1/evaluator/core and the generic object-count evaluator), as
 * pure functions over plain objects. Shared by ResourceQuota admission and the resourcequota controller.
 *
 * `quotaUsage(group, plural, obj)` is the usage one object adds (`pods`, `count/pods`, `requests.cpu`,
 * `services.nodeports`, `requests.storage`, ...); `matchesQuotaScopes(quota, obj, plural)` applies the
 * quota's scopes; `podConstraintError(required, pod)` is upstream's "must specify ..." text for pods
 * that leave cpu/memory unset while a quota limits them.
 */
import type { KubeObject } from '../types.js';
import { parseQuantity } from '../../machinery/quantity.js';
import { addLists, podTotal, toResourceList, type PodSpecLike, type ResourceList } from './resources.js';

const one = (): ResourceList[string] => parseQuantity('1');
const count = (n: number): ResourceList[string] => parseQuantity(String(n));

/** Kinds with a legacy count name (`pods`, `services`...) besides `count/<plural>`. */
const LEGACY_COUNTS = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims']);

/** The resources whose names start with these prefixes are charged by the pod evaluator. */
const COMPUTE = ['cpu', 'memory', 'ephemeral-storage'];

/** Whether a pod still counts against quota (upstream QuotaV1Pod). */
export function podCountsForQuota(pod: KubeObject, now = Date.now()): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const ts = pod.metadata?.deletionTimestamp;
  const grace = pod.metadata?.deletionGracePeriodSeconds;
  if (ts && grace !== undefined && now > Date.parse(ts) + grace * 1000) return false;
  return true;
}

/** Upstream podComputeUsageHelper: cpu/memory request aliases, requests.X, limits.X, hugepages. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(requests)) {
    if (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage') out[k] = v;
    out[k.startsWith('requests.') ? k : `requests.${k}`] = v;
  }
  for (const [k, v] of Object.entries(limits)) {
    if (COMPUTE.includes(k)) out[`limits.${k}`] = v;
  }
  return out;
}

/** The usage one object of `group`/`plural` adds to a quota. */
export function quotaUsage(group: string, plural: string, obj: KubeObject): ResourceList {
  const qualified = group ? `${plural}.${group}` : plural;
  const usage: ResourceList = { [`count/${qualified}`]: one() };
  if (!group && LEGACY_COUNTS.has(plural)) usage[plural] = one();
  if (!group && plural === 'pods') {
    if (!podCountsForQuota(obj)) return {};
    const spec = (obj.spec ?? {}) as PodSpecLike;
    return { ...usage, ...computeUsage(podTotal(spec, 'requests'), podTotal(spec, 'limits')) };
  }
  if (!group && plural === 'services') {
    const spec = (obj.spec ?? {}) as { type?: string; ports?: Array<{ nodePort?: number }> };
    const ports = spec.ports?.length ?? 0;
    if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') usage['services.nodeports'] = count(ports);
    if (spec.type === 'LoadBalancer') usage['services.loadbalancers'] = one();
    return usage;
  }
  if (!group && plural === 'persistentvolumeclaims') {
    const spec = (obj.spec ?? {}) as { storageClassName?: string; resources?: { requests?: Record<string, unknown> } };
    const storage = toResourceList(spec.resources?.requests).storage;
    if (storage) usage['requests.storage'] = storage;
    if (spec.storageClassName) {
      const cls = `${spec.storageClassName}.storageclass.storage.k8s.io`;
      usage[`${cls}/persistentvolumeclaims`] = one();
      if (storage) usage[`${cls}/requests.storage`] = storage;
    }
    return usage;
  }
  return usage;
}

/** Whether a resource name in a quota is one this kind's evaluator charges. */
export function chargedBy(group: string, plural: string, resource: string): boolean {
  const qualified = group ? `${plural}.${group}` : plural;
  if (resource === `count/${qualified}`) return true;
  if (group) return false;
  if (resource === plural && LEGACY_COUNTS.has(plural)) return true;
  if (plural === 'pods') return COMPUTE.includes(resource) || resource.startsWith('requests.') || resource.startsWith('limits.') || resource.startsWith('hugepages-');
  if (plural === 'services') return resource === 'services.nodeports' || resource === 'services.loadbalancers';
  if (plural === 'persistentvolumeclaims') return resource === 'requests.storage' || resource.includes('.storageclass.storage.k8s.io/');
  return false;
}

/** Sums the usage of many objects. */
export function totalUsage(group: string, plural: string, objs: KubeObject[]): ResourceList {
  let sum: ResourceList = {};
  for (const o of objs) sum = addLists(sum, quotaUsage(group, plural, o));
  return sum;
}

interface QuotaSpec {
  scopes?: string[];
  scopeSelector?: { matchExpressions?: Array<{ scopeName?: string; operator?: string; values?: string[] }> };
}

/** Upstream scope matching for pods (Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass). */
export function matchesQuotaScopes(quota: KubeObject, obj: KubeObject, plural: string): boolean {
  const spec = (quota.spec ?? {}) as QuotaSpec;
  const scopes = [...(spec.scopes ?? []).map((s) => ({ scopeName: s, operator: 'Exists', values: [] as string[] })), ...(spec.scopeSelector?.matchExpressions ?? [])];
  if (scopes.length === 0) return true;
  if (plural !== 'pods') return false;
  const podSpec = (obj.spec ?? {}) as PodSpecLike & { activeDeadlineSeconds?: number; priorityClassName?: string };
  const bestEffort = [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])].every(
    (c) => Object.keys(c.resources?.requests ?? {}).length === 0 && Object.keys(c.resources?.limits ?? {}).length === 0,
  );
  return scopes.every((s) => {
    switch (s.scopeName) {
      case 'Terminating':
        return podSpec.activeDeadlineSeconds !== undefined;
      case 'NotTerminating':
        return podSpec.activeDeadlineSeconds === undefined;
      case 'BestEffort':
        return bestEffort;
      case 'NotBestEffort':
        return !bestEffort;
      case 'PriorityClass': {
        const name = podSpec.priorityClassName ?? '';
        const vals = s.values ?? [];
        if (s.operator === 'In') return vals.includes(name);
        if (s.operator === 'NotIn') return !vals.includes(name);
        if (s.operator === 'DoesNotExist') return name === '';
        return name !== '';
      }
      default:
        return false;
    }
  });
}

const VALIDATED = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

/** Upstream podEvaluator.Constraints: every container must state each limited cpu/memory resource. */
export function podConstraintError(required: string[], pod: KubeObject): string | undefined {
  const needed = required.filter((r) => VALIDATED.has(r));
  if (needed.length === 0) return undefined;
  const spec = (pod.spec ?? {}) as PodSpecLike;
  const missing = new Map<string, Set<string>>();
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const has = computeUsage(toResourceList(c.resources?.requests), toResourceList(c.resources?.limits));
    for (const r of needed) {
      if (has[r]) continue;
      if (!missing.has(r)) missing.set(r, new Set());
      missing.get(r)!.add(c.name ?? '');
    }
  }
  if (missing.size === 0) return undefined;
  const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...missing.get(r)!].sort().join(',')}`);
  return `must specify ${parts.join('; ')}`;
}
