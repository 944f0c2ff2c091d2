/**
 * Admission that spans kinds: LimitRanger (pods, persistentvolumeclaims) and ResourceQuota (every
 * namespaced kind), wrapped around a kind's own ResourceHooks.
 *
 * `withAdmission(registry, def, hooks)` returns hooks whose beforeCreate runs, in upstream's order,
 * LimitRanger defaulting, the kind's own beforeCreate, LimitRanger validation, then quota charging;
 * services and PVCs also get quota (and PVC size bounds) on update, charged for what the update adds.
 * Cluster-scoped kinds get their hooks back unchanged.
 */
import type { KindDefinition, KubeObject } from '../../api/types.js';
import type { ResourceHooks } from '../store.js';
import { decode } from '../codec.js';
import { listObjects } from '../store-read.js';
import { aggregateMessage, applyLimitRangeDefaults, podLimitViolations, pvcLimitViolations } from './limit-ranger.js';
import { admitQuota, admittedName, chargesUpdates, forbidden, type StoreLookup } from './quota.js';

async function limitRanges(registry: StoreLookup, namespace: string | undefined): Promise<KubeObject[]> {
  const store = registry.storeFor('', 'v1', 'limitranges');
  if (!store || !namespace) return [];
  // Served by the watch cache as is (resourceVersion "0"), as upstream's admission reads an informer.
  return (await listObjects(store, namespace, { resourceVersion: '0' })).items.map(decode);
}

export function withAdmission(registry: StoreLookup, def: KindDefinition, hooks: ResourceHooks | undefined): ResourceHooks | undefined {
  const r = def.resource;
  if (!r.namespaced) return hooks;
  const isPod = !r.group && r.plural === 'pods';
  const isPvc = !r.group && r.plural === 'persistentvolumeclaims';
  const inner = hooks ?? {};
  const wrapped: ResourceHooks = Object.create(inner) as ResourceHooks;
  wrapped.beforeCreate = async (obj, opts) => {
    const store = registry.storeFor(r.group, r.version, r.plural);
    const ranges = isPod || isPvc ? await limitRanges(registry, obj.metadata?.namespace) : [];
    if (isPod) applyLimitRangeDefaults(obj, ranges);
    await inner.beforeCreate?.call(wrapped, obj, opts);
    if (!store) return;
    const violations = isPod ? podLimitViolations(obj, ranges) : isPvc ? pvcLimitViolations(obj, ranges) : [];
    if (violations.length) throw forbidden(store, admittedName(obj), aggregateMessage(violations));
    await admitQuota(registry, store, obj, !!opts.dryRun);
  };
  if (chargesUpdates(r.group, r.plural)) {
    wrapped.beforeUpdate = async (obj, old, opts) => {
      await inner.beforeUpdate?.call(wrapped, obj, old, opts);
      const store = registry.storeFor(r.group, r.version, r.plural);
      if (!store) return;
      const storageOf = (o: KubeObject): unknown => (o.spec as { resources?: { requests?: { storage?: unknown } } } | undefined)?.resources?.requests?.storage;
      // Only a resize is checked again: bindings and annotation updates of an existing claim pass.
      if (isPvc && storageOf(obj) !== storageOf(old)) {
        const violations = pvcLimitViolations(obj, await limitRanges(registry, obj.metadata?.namespace));
        if (violations.length) throw forbidden(store, admittedName(obj), aggregateMessage(violations));
      }
      await admitQuota(registry, store, obj, !!opts.dryRun, old);
    };
  }
  return wrapped;
}
