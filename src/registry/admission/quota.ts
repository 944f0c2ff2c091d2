/**
 * ResourceQuota admission (upstream plugin/pkg/admission/resourcequota) for creates.
 *
 * `admitQuota(registry, store, obj, dryRun, old?)`: for creates (and, with `old`, updates of services and
 * PVCs, charged only for what they add), for every ResourceQuota in the object's namespace that
 * limits something this kind is charged for (and whose scopes match), checks the pod constraints
 * (`failed quota: q: must specify ...`) and that used + this object's usage stays within hard
 * (`exceeded quota: q, requested: ..., used: ..., limited: ...`), then charges status.used with a
 * compare-and-swap on each quota, re-checking against the freshest status so concurrent creates cannot
 * exceed it. A quota whose status the controller has not filled yet is initialised from spec.hard and
 * the live objects. Throws StatusError Forbidden; returns nothing.
 */
import type { KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';
import { compareQuantities, subQuantities } from '../../machinery/quantity.js';
import { decode } from '../codec.js';
import type { GenericStore } from '../store.js';
import { listObjects } from '../store-read.js';
import { chargedBy, matchesQuotaScopes, podConstraintError, quotaUsage, totalUsage } from '../../api/quota/evaluate.js';
import { addLists, fromResourceList, maskList, prettyPrint, toResourceList, zero, type ResourceList } from '../../api/quota/resources.js';

export interface StoreLookup {
  storeFor(group: string, version: string, plural: string): GenericStore | undefined;
}

interface QuotaStatus {
  hard?: Record<string, string>;
  used?: Record<string, string>;
}

/**
 * The name admission errors show: upstream admits before the name is generated, so a generated name
 * shows as its generateName prefix (`pods "web-5d4f8-" is forbidden: ...`).
 */
export function admittedName(obj: KubeObject): string {
  const m = obj.metadata ?? {};
  const prefix = m.generateName;
  if (prefix && m.name && m.name.startsWith(prefix) && m.name.length === prefix.length + 5) return prefix;
  return m.name ?? '';
}

export function forbidden(store: GenericStore, name: string, message: string): StatusError {
  const r = store.ref;
  const what = r.group ? `${r.resource}.${r.group}` : r.resource;
  return new StatusError('Forbidden', `${what} "${name}" is forbidden: ${message}`, { name, kind: r.resource, ...(r.group ? { group: r.group } : {}) });
}

/** The resources of `quota` this object is charged for, or undefined when the quota does not apply. */
function relevantResources(store: GenericStore, quota: KubeObject, obj: KubeObject): string[] | undefined {
  const r = store.def.resource;
  const hard = ((quota.spec as { hard?: Record<string, unknown> } | undefined)?.hard ?? {}) as Record<string, unknown>;
  const matched = Object.keys(hard).filter((k) => chargedBy(r.group, r.plural, k));
  if (matched.length === 0 || !matchesQuotaScopes(quota, obj, r.plural)) return undefined;
  return matched;
}

/** Current hard/used of a quota; resources the status does not cover yet are computed from live objects. */
async function currentUsage(store: GenericStore, quota: KubeObject, matched: string[]): Promise<{ hard: ResourceList; used: ResourceList }> {
  const status = (quota.status ?? {}) as QuotaStatus;
  const specHard = toResourceList((quota.spec as { hard?: Record<string, unknown> } | undefined)?.hard);
  const hard = { ...specHard, ...maskList(toResourceList(status.hard), Object.keys(specHard)) };
  let used = toResourceList(status.used);
  if (matched.some((k) => !used[k])) {
    const r = store.def.resource;
    const page = await listObjects(store, quota.metadata?.namespace, {});
    const objs = page.items.map(decode).filter((o) => matchesQuotaScopes(quota, o, r.plural));
    const live = maskList(totalUsage(r.group, r.plural, objs), matched);
    const missing = matched.filter((k) => !used[k]);
    used = { ...used, ...maskList(live, missing) };
    for (const k of missing) used[k] ??= toResourceList({ [k]: '0' })[k]!;
  }
  return { hard, used };
}

/** Upstream's LessThanOrEqual over the requested resources; the names that exceed hard. */
function exceeded(newUsage: ResourceList, hard: ResourceList, requested: string[]): string[] {
  return requested.filter((k) => hard[k] && compareQuantities(newUsage[k]!, hard[k]!) > 0);
}

function checkOne(store: GenericStore, quota: KubeObject, obj: KubeObject, delta: ResourceList, usage: { hard: ResourceList; used: ResourceList }): ResourceList {
  const newUsage = addLists(usage.used, delta);
  const over = exceeded(newUsage, usage.hard, Object.keys(delta));
  if (over.length) {
    const msg = `exceeded quota: ${quota.metadata?.name}, requested: ${prettyPrint(maskList(delta, over))}, used: ${prettyPrint(maskList(usage.used, over))}, limited: ${prettyPrint(maskList(usage.hard, over))}`;
    throw forbidden(store, admittedName(obj), msg);
  }
  return newUsage;
}

/** Upstream SubtractWithNonNegativeResult + RemoveZeros: what an update adds, or a create's usage. */
function increment(group: string, plural: string, obj: KubeObject, old: KubeObject | undefined): ResourceList {
  const now = quotaUsage(group, plural, obj);
  const before = old ? quotaUsage(group, plural, old) : {};
  const out: ResourceList = {};
  for (const [k, v] of Object.entries(now)) {
    const d = before[k] ? subQuantities(v, before[k]!) : v;
    if (compareQuantities(d, zero()) > 0) out[k] = d;
  }
  return out;
}

/** Kinds whose updates can add usage (upstream evaluators handling UPDATE): service type, PVC size. */
export function chargesUpdates(group: string, plural: string): boolean {
  return !group && (plural === 'services' || plural === 'persistentvolumeclaims');
}

export async function admitQuota(registry: StoreLookup, store: GenericStore, obj: KubeObject, dryRun: boolean, old?: KubeObject): Promise<void> {
  const quotas = registry.storeFor('', 'v1', 'resourcequotas');
  const namespace = obj.metadata?.namespace;
  if (!quotas || !namespace) return;
  const r = store.def.resource;
  const usage = increment(r.group, r.plural, obj, old);
  if (Object.keys(usage).length === 0) return;
  // The quota list comes from the watch cache (an informer upstream); charging is a compare-and-swap.
  const page = await listObjects(quotas, namespace, { resourceVersion: '0' });
  const plan: Array<{ name: string; matched: string[]; delta: ResourceList }> = [];
  for (const quota of page.items.map(decode)) {
    const matched = relevantResources(store, quota, obj);
    if (!matched) continue;
    if (r.plural === 'pods' && !r.group && !old) {
      const err = podConstraintError(matched, obj);
      if (err) throw forbidden(store, admittedName(obj), `failed quota: ${quota.metadata?.name}: ${err}`);
    }
    const delta = maskList(usage, matched);
    if (Object.keys(delta).length === 0) continue;
    checkOne(store, quota, obj, delta, await currentUsage(store, quota, matched));
    plan.push({ name: quota.metadata!.name!, matched, delta });
  }
  if (dryRun) return;
  // Charge each quota atomically, re-checking against the status as it is at write time.
  for (const p of plan) {
    await quotas.mutateRaw(namespace, p.name, async (cur) => {
      const now = await currentUsage(store, cur, p.matched);
      const newUsage = checkOne(store, cur, obj, p.delta, now);
      const status = (cur.status ?? {}) as QuotaStatus;
      const hard = toResourceList((cur.spec as { hard?: Record<string, unknown> } | undefined)?.hard);
      cur.status = { hard: status.hard ?? fromResourceList(hard), used: { ...(status.used ?? {}), ...fromResourceList(maskList(newUsage, p.matched)) } };
      return cur;
    });
  }
}
