/**
 * LimitRanger admission (upstream plugin/pkg/admission/limitranger), as pure functions.
 *
 * `applyLimitRangeDefaults(pod, ranges)` fills missing container limits from `default` and requests from
 * `defaultRequest` of every Container-type item (and records the `kubernetes.io/limit-ranger`
 * annotation); `podLimitViolations(pod, ranges)` and `pvcLimitViolations(pvc, ranges)` return
 * upstream's messages for min / max / maxLimitRequestRatio breaches (empty when the object fits).
 * `forbiddenMessage(errors)` joins them as upstream's aggregate error: one as is, several as `[a, b]`.
 */
import type { KubeObject } from '../../api/types.js';
import { compareQuantities, quantityToString, toMilli, quantityValue, type Quantity } from '../../machinery/quantity.js';
import { podTotal, toResourceList, type ContainerLike, type PodSpecLike, type ResourceList } from '../../api/quota/resources.js';

export interface LimitRangeItem {
  type?: string;
  max?: Record<string, unknown>;
  min?: Record<string, unknown>;
  default?: Record<string, unknown>;
  defaultRequest?: Record<string, unknown>;
  maxLimitRequestRatio?: Record<string, unknown>;
}

const LIMIT_RANGER_ANNOTATION = 'kubernetes.io/limit-ranger';

const itemsOf = (ranges: KubeObject[], type: string): LimitRangeItem[] =>
  ranges.flatMap((r) => ((r.spec as { limits?: LimitRangeItem[] } | undefined)?.limits ?? []).filter((i) => i.type === type));

/** Upstream mergePodResourceRequirements: defaults for containers that leave a resource unset. */
export function applyLimitRangeDefaults(pod: KubeObject, ranges: KubeObject[]): void {
  const items = itemsOf(ranges, 'Container');
  if (items.length === 0) return;
  const defaults: Record<string, unknown> = {};
  const defaultRequests: Record<string, unknown> = {};
  for (const item of items) {
    for (const [k, v] of Object.entries(item.default ?? {})) defaults[k] ??= v;
    for (const [k, v] of Object.entries(item.defaultRequest ?? {})) defaultRequests[k] ??= v;
  }
  const spec = (pod.spec ?? {}) as PodSpecLike;
  const notes: string[] = [];
  const merge = (c: ContainerLike, kind: string): void => {
    const res = (c.resources ??= {});
    const setRequests: string[] = [];
    const setLimits: string[] = [];
    for (const [k, v] of Object.entries(defaults)) {
      if (res.limits?.[k] !== undefined) continue;
      (res.limits ??= {})[k] = v;
      setLimits.push(k);
    }
    for (const [k, v] of Object.entries(defaultRequests)) {
      if (res.requests?.[k] !== undefined) continue;
      (res.requests ??= {})[k] = v;
      setRequests.push(k);
    }
    if (setRequests.length) notes.push(`${setRequests.sort().join(', ')} request for ${kind} ${c.name ?? ''}`);
    if (setLimits.length) notes.push(`${setLimits.sort().join(', ')} limit for ${kind} ${c.name ?? ''}`);
  };
  for (const c of spec.containers ?? []) merge(c, 'container');
  for (const c of spec.initContainers ?? []) merge(c, 'init container');
  if (notes.length) {
    const meta = (pod.metadata ??= {});
    meta.annotations = { ...(meta.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
  }
}

const str = quantityToString;

function minConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[name];
  const lim = limits[name];
  if (!req) return `minimum ${name} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (compareQuantities(req, enforced) < 0) return `minimum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(req)}`;
  if (lim && compareQuantities(lim, enforced) < 0) return `minimum ${name} usage per ${type} is ${str(enforced)}, but limit is ${str(lim)}`;
  return undefined;
}

function maxConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[name];
  const lim = limits[name];
  if (!lim) return `maximum ${name} usage per ${type} is ${str(enforced)}.  No limit is specified`;
  if (compareQuantities(lim, enforced) > 0) return `maximum ${name} usage per ${type} is ${str(enforced)}, but limit is ${str(lim)}`;
  if (req && compareQuantities(req, enforced) > 0) return `maximum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(req)}`;
  return undefined;
}

function maxRequestConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList): string | undefined {
  const req = requests[name];
  if (!req) return `maximum ${name} usage per ${type} is ${str(enforced)}.  No request is specified`;
  if (compareQuantities(req, enforced) > 0) return `maximum ${name} usage per ${type} is ${str(enforced)}, but request is ${str(req)}`;
  return undefined;
}

/** Upstream limitRequestRatioConstraint, comparing milli-values (whole values for huge quantities). */
function ratioConstraint(type: string, name: string, enforced: Quantity, requests: ResourceList, limits: ResourceList): string | undefined {
  const req = requests[name];
  const lim = limits[name];
  const head = `${name} max limit to request ratio per ${type} is ${str(enforced)}`;
  const reqMilli = req ? toMilli(req) : 0;
  const limMilli = lim ? toMilli(lim) : 0;
  if (reqMilli === 0) return `${head}, but no request is specified or request is 0`;
  if (limMilli === 0) return `${head}, but no limit is specified or limit is 0`;
  const observed = limMilli / reqMilli;
  const maxMilli = 9_223_372_036_854_775;
  const allowed = quantityValue(enforced) <= maxMilli ? toMilli(enforced) / 1000 : quantityValue(enforced);
  if (observed > allowed) return `${head}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
}

function checkItem(item: LimitRangeItem, type: string, requests: ResourceList, limits: ResourceList, errs: string[]): void {
  const push = (e: string | undefined): void => {
    if (e !== undefined) errs.push(e);
  };
  for (const [k, v] of Object.entries(toResourceList(item.min))) push(minConstraint(type, k, v, requests, limits));
  for (const [k, v] of Object.entries(toResourceList(item.max))) push(maxConstraint(type, k, v, requests, limits));
  for (const [k, v] of Object.entries(toResourceList(item.maxLimitRequestRatio))) push(ratioConstraint(type, k, v, requests, limits));
}

/** Upstream PodValidateLimitFunc: every Container item against each container, every Pod item against the pod's totals. */
export function podLimitViolations(pod: KubeObject, ranges: KubeObject[]): string[] {
  const spec = (pod.spec ?? {}) as PodSpecLike;
  const errs: string[] = [];
  for (const item of itemsOf(ranges, 'Container')) {
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      checkItem(item, 'Container', toResourceList(c.resources?.requests), toResourceList(c.resources?.limits), errs);
    }
  }
  for (const item of itemsOf(ranges, 'Pod')) checkItem(item, 'Pod', podTotal(spec, 'requests', { overhead: false }), podTotal(spec, 'limits', { overhead: false }), errs);
  return errs;
}

/** Upstream PersistentVolumeClaimValidateLimitFunc: storage requests within min and max. */
export function pvcLimitViolations(pvc: KubeObject, ranges: KubeObject[]): string[] {
  const requests = toResourceList((pvc.spec as { resources?: { requests?: Record<string, unknown> } } | undefined)?.resources?.requests);
  const errs: string[] = [];
  for (const item of itemsOf(ranges, 'PersistentVolumeClaim')) {
    for (const [k, v] of Object.entries(toResourceList(item.min))) {
      const e = minConstraint('PersistentVolumeClaim', k, v, requests, {});
      if (e) errs.push(e);
    }
    for (const [k, v] of Object.entries(toResourceList(item.max))) {
      const e = maxRequestConstraint('PersistentVolumeClaim', k, v, requests);
      if (e) errs.push(e);
    }
  }
  return errs;
}

/** utilerrors.NewAggregate(...).Error(): duplicates dropped, one message as is, several in brackets. */
export function aggregateMessage(errs: string[]): string {
  const unique = [...new Set(errs)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}
