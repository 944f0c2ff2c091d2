/**
 * The status a ResourceQuota should have (upstream pkg/controller/resourcequota syncResourceQuota):
 * status.hard = spec.hard and status.used = the live usage of every hard resource, evaluated over the
 * namespace's objects with the shared quota evaluators. Pure: objects come in per kind.
 */
import type { KubeObject } from '../../api/types.js';
import { compareQuantities } from '../../machinery/quantity.js';
import { chargedBy, matchesQuotaScopes, totalUsage } from '../../api/quota/evaluate.js';
import { fromResourceList, maskList, toResourceList, type ResourceList } from '../../api/quota/resources.js';

export interface QuotaStatus {
  hard: Record<string, string>;
  used: Record<string, string>;
}

/** A kind the controller counts: its group, plural and the namespace's objects of it. */
export interface KindObjects {
  group: string;
  plural: string;
  objects: KubeObject[];
}

/** `count/deployments.apps` -> {group: apps, plural: deployments}; undefined for other names. */
export function countedKind(resource: string): { group: string; plural: string } | undefined {
  const m = /^count\/([^.]+)(?:\.(.+))?$/.exec(resource);
  return m ? { plural: m[1]!, group: m[2] ?? '' } : undefined;
}

export function desiredQuotaStatus(quota: KubeObject, kinds: KindObjects[]): QuotaStatus {
  const hardRaw = ((quota.spec as { hard?: Record<string, unknown> } | undefined)?.hard ?? {}) as Record<string, unknown>;
  const hard = toResourceList(hardRaw);
  const names = Object.keys(hard);
  const used: ResourceList = {};
  for (const k of kinds) {
    const matched = names.filter((n) => chargedBy(k.group, k.plural, n));
    if (matched.length === 0) continue;
    const objs = k.objects.filter((o) => matchesQuotaScopes(quota, o, k.plural));
    Object.assign(used, maskList(totalUsage(k.group, k.plural, objs), matched));
  }
  const zeroFilled: Record<string, string> = {};
  for (const n of names) zeroFilled[n] = '0';
  return { hard: fromResourceList(hard), used: { ...zeroFilled, ...fromResourceList(used) } };
}

/** Whether two statuses say the same (key order aside). */
export function sameStatus(a: Partial<QuotaStatus> | undefined, b: QuotaStatus): boolean {
  const eq = (x: Record<string, string> | undefined, y: Record<string, string>): boolean =>
    !!x && Object.keys(x).length === Object.keys(y).length && Object.entries(y).every(([k, v]) => x[k] === v);
  return eq(a?.hard, b.hard) && eq(a?.used, b.used);
}

/** Whether `want` gives back usage the current status records. */
export function lowersUsage(current: Partial<QuotaStatus> | undefined, want: QuotaStatus): boolean {
  const used = toResourceList(current?.used);
  const next = toResourceList(want.used);
  return Object.entries(used).some(([k, v]) => next[k] !== undefined && compareQuantities(next[k]!, v) < 0);
}
