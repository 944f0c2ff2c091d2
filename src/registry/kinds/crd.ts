/**
 * The CRD controllers of the API server process (apiextensions-apiserver's naming, establishing and
 * finalizer controllers in one small reconciler), plus the CRD store's deletion hooks.
 *
 * Input: the Registry (its storage and addKind/removeKind). `start()` lists the CRD prefix, reconciles
 * every CRD, then watches the prefix and reconciles each changed CRD by name, one at a time:
 * - names: conflicts with other CRDs of the group (their accepted names) or built-in kinds set
 *   NamesAccepted False with upstream's reason (PluralConflict, KindConflict...); otherwise
 *   status.acceptedNames = spec.names, NamesAccepted True, one KindDefinition per served version is
 *   registered and Established becomes True.
 * - deletion: the store adds the `customresourcecleanup.apiextensions.k8s.io` finalizer on delete;
 *   the controller sets Terminating, deletes every object of the CRD, then removes the finalizer (the
 *   CRD goes) and unregisters its kinds.
 */
import { customResourceKinds, servedNames } from '../../api/crd/custom-kind.js';
import { CLEANUP_FINALIZER, asCRD, crdCondition, type CRDCondition, type CRDNames, type CustomResourceDefinition } from '../../api/crd/types.js';
import type { KindDefinition, KubeObject } from '../../api/types.js';
import { StatusError } from '../../machinery/errors.js';
import type { Watcher } from '../../storage/interface.js';
import { decode } from '../codec.js';
import type { Registry } from '../index.js';
import { resourcePrefix } from '../keys.js';
import { nowRfc3339 } from '../strategy.js';
import type { GenericStore, ResourceHooks } from '../store.js';
import { versionedStorage } from './crd-storage.js';

const RETRY_MS = 500;
const MAX_RETRIES = 10;

/** Deleting a CRD first marks it (adding the cleanup finalizer); the controller finishes the job. */
export const crdHooks: ResourceHooks = {
  holdsDeletion: (obj) => !obj.metadata?.deletionTimestamp,
  markDeleting(obj) {
    const finalizers = obj.metadata!.finalizers ?? [];
    if (!finalizers.includes(CLEANUP_FINALIZER)) obj.metadata!.finalizers = [...finalizers, CLEANUP_FINALIZER];
  },
};

function condition(type: string, status: CRDCondition['status'], reason: string, message: string): CRDCondition {
  return { type, status, reason, message };
}

/** Sets a condition, keeping lastTransitionTime when the status does not change. */
function setCondition(conditions: CRDCondition[], next: CRDCondition): CRDCondition[] {
  const old = conditions.find((c) => c.type === next.type);
  const lastTransitionTime = old && old.status === next.status && old.lastTransitionTime ? old.lastTransitionTime : nowRfc3339();
  const merged = { type: next.type, status: next.status, lastTransitionTime, reason: next.reason, message: next.message };
  return old ? conditions.map((c) => (c.type === next.type ? merged : c)) : [...conditions, merged];
}

export class CrdController {
  /** CRD name -> the kinds registered for it. */
  private readonly served = new Map<string, KindDefinition[]>();
  /** CRD name -> the spec and names its kinds were built from (rebuild only on change). */
  private readonly fingerprints = new Map<string, string>();
  private readonly pending = new Set<string>();
  private readonly failures = new Map<string, number>();
  private queue: Promise<void> = Promise.resolve();
  private watcher?: Watcher;
  private stopped = false;

  constructor(private readonly registry: Registry) {}

  private crdStore(): GenericStore {
    return this.registry.storeFor('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
  }

  /** Reconciles every stored CRD, then follows changes. */
  async start(): Promise<void> {
    const storage = this.registry.storage;
    const prefix = resourcePrefix(this.crdStore().def.resource);
    const listed = await storage.list(prefix);
    for (const kv of listed.items) await this.reconcile(decode(kv).metadata?.name ?? '');
    this.watcher = storage.watch(
      prefix,
      { fromRevision: listed.revision },
      (ev) => {
        const kv = ev.type === 'put' ? ev.kv : ev.prevKv;
        this.enqueue(kv.key.slice(prefix.length));
      },
      () => undefined,
    );
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
  }

  /** Resolves when everything queued so far has been reconciled (for tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  enqueue(name: string, afterMs = 0): void {
    if (this.stopped || this.pending.has(name)) return;
    this.pending.add(name);
    const run = (): void => {
      this.queue = this.queue.then(async () => {
        this.pending.delete(name);
        if (this.stopped) return;
        try {
          await this.reconcile(name);
          this.failures.delete(name);
        } catch (err) {
          // Rate-limited retries; a storage that stays broken (server closing) is given up on.
          const n = (this.failures.get(name) ?? 0) + 1;
          this.failures.set(name, n);
          if (process.env.SKIFF_DEBUG_CRD) console.error('crd reconcile', name, err);
          if (n <= MAX_RETRIES) this.enqueue(name, Math.min(RETRY_MS * 2 ** (n - 1), 30_000));
        }
      });
    };
    if (afterMs > 0) setTimeout(run, afterMs).unref();
    else run();
  }

  private async reconcile(name: string): Promise<void> {
    const kv = await this.registry.storage.get(this.crdStore().key(undefined, name));
    if (!kv) {
      this.unserve(name);
      return this.retryRefused();
    }
    const crd = asCRD(structuredClone(decode(kv)));
    if (crd.metadata?.deletionTimestamp) return this.finalize(crd);
    const conflict = await this.namesConflict(crd);
    const status = { ...(crd.status ?? {}) };
    let conditions = status.conditions ?? [];
    if (conflict) {
      conditions = setCondition(conditions, condition('NamesAccepted', 'False', conflict.reason, conflict.message));
      if (!this.served.has(name)) conditions = setCondition(conditions, condition('Established', 'False', 'NotAccepted', 'not all names are accepted'));
    } else {
      status.acceptedNames = acceptedNamesOf(crd);
      conditions = setCondition(conditions, condition('NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'));
      await this.serve(name, { ...crd, status: { ...status } });
      conditions = setCondition(conditions, condition('Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'));
    }
    status.conditions = conditions;
    await this.writeStatus(name, status);
  }

  /** Names freed by a deleted CRD may now be accepted for CRDs that were refused them. */
  private async retryRefused(): Promise<void> {
    const { items } = await this.registry.storage.list(resourcePrefix(this.crdStore().def.resource));
    for (const kv of items) {
      const crd = asCRD(decode(kv));
      if (crdCondition(crd, 'NamesAccepted')?.status === 'False') this.enqueue(crd.metadata?.name ?? '');
    }
  }

  private async writeStatus(name: string, status: CustomResourceDefinition['status']): Promise<void> {
    const store = this.crdStore();
    const current = asCRD(await store.get(undefined, name));
    if (JSON.stringify(current.status) === JSON.stringify(status)) return;
    await store.updateWith(undefined, name, (obj) => ({ ...obj, status }), { subresource: 'status' });
  }

  /** Upstream's naming controller: names already in use in the group by other CRDs or built-in kinds. */
  private async namesConflict(crd: CustomResourceDefinition): Promise<{ reason: string; message: string } | undefined> {
    const group = crd.spec?.group ?? '';
    const names = crd.spec?.names ?? {};
    const taken = { plural: new Set<string>(), singular: new Set<string>(), shortNames: new Set<string>(), kind: new Set<string>(), listKind: new Set<string>() };
    const take = (n: CRDNames): void => {
      if (n.plural) taken.plural.add(n.plural);
      if (n.singular) taken.singular.add(n.singular);
      (n.shortNames ?? []).forEach((s) => taken.shortNames.add(s));
      if (n.kind) taken.kind.add(n.kind);
      if (n.listKind) taken.listKind.add(n.listKind);
    };
    const mine = new Set(this.served.get(crd.metadata?.name ?? '') ?? []);
    for (const k of this.registry.kinds) {
      if (k.resource.group === group && !mine.has(k)) take(k.resource);
    }
    // Names other CRDs of the group hold (accepted before, maybe not served yet after a restart).
    const { items } = await this.registry.storage.list(resourcePrefix(this.crdStore().def.resource));
    for (const kv of items) {
      const other = asCRD(decode(kv));
      if (other.metadata?.name !== crd.metadata?.name && other.spec?.group === group && other.status?.acceptedNames) take(other.status.acceptedNames);
    }
    const inUse = (v: string): { reason: string; message: string } => ({ reason: '', message: `${JSON.stringify(v)} is already in use` });
    if (names.plural && taken.plural.has(names.plural)) return { ...inUse(names.plural), reason: 'PluralConflict' };
    if (names.singular && taken.singular.has(names.singular)) return { ...inUse(names.singular), reason: 'SingularConflict' };
    const short = (names.shortNames ?? []).find((s) => taken.shortNames.has(s));
    if (short) return { ...inUse(short), reason: 'ShortNamesConflict' };
    if (names.kind && taken.kind.has(names.kind)) return { ...inUse(names.kind), reason: 'KindConflict' };
    if (names.listKind && taken.listKind.has(names.listKind)) return { ...inUse(names.listKind), reason: 'ListKindConflict' };
    return undefined;
  }

  /** Registers one kind per served version (replacing what the CRD served before). */
  private async serve(name: string, crd: CustomResourceDefinition): Promise<void> {
    const fingerprint = JSON.stringify([crd.spec, crd.status?.acceptedNames]);
    if (this.fingerprints.get(name) === fingerprint && this.served.has(name)) return;
    this.unserve(name);
    this.fingerprints.set(name, fingerprint);
    const kinds = customResourceKinds(crd);
    const hooks = this.customResourceHooks(name);
    for (const def of kinds) {
      const r = def.resource;
      this.registry.addKind(def, { hooks, storage: versionedStorage(this.registry.storage, `${r.group}/${r.version}`) });
    }
    this.served.set(name, kinds);
    const names = servedNames(crd);
    await this.registry.storage.cacheResource?.(resourcePrefix({ group: crd.spec?.group ?? '', plural: names.plural ?? '' }));
  }

  private unserve(name: string): void {
    for (const def of this.served.get(name) ?? []) {
      const r = def.resource;
      if (this.registry.storeFor(r.group, r.version, r.plural)?.def === def) this.registry.removeKind(r.group, r.version, r.plural);
    }
    this.served.delete(name);
    this.fingerprints.delete(name);
  }

  /** Creates are refused while the CRD is being deleted, as upstream does. */
  private customResourceHooks(crdName: string): ResourceHooks {
    return {
      beforeCreate: async () => {
        const kv = await this.registry.storage.get(this.crdStore().key(undefined, crdName));
        if (kv && decode(kv).metadata?.deletionTimestamp) {
          throw new StatusError('MethodNotAllowed', 'create not allowed while custom resource definition is terminating');
        }
      },
    };
  }

  /** The finalizer: delete every custom object, then let the CRD go. */
  private async finalize(crd: CustomResourceDefinition): Promise<void> {
    const name = crd.metadata!.name!;
    if (!(crd.metadata?.finalizers ?? []).includes(CLEANUP_FINALIZER)) return;
    const status = { ...(crd.status ?? {}) };
    status.conditions = setCondition(status.conditions ?? [], condition('Terminating', 'True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress'));
    await this.writeStatus(name, status);
    const names = servedNames(crd);
    const prefix = resourcePrefix({ group: crd.spec?.group ?? '', plural: names.plural ?? '' });
    const store = (this.served.get(name) ?? []).map((d) => this.registry.storeFor(d.resource.group, d.resource.version, d.resource.plural)).find(Boolean);
    const { items } = await this.registry.storage.list(prefix);
    for (const kv of items) {
      const obj = decode(kv);
      try {
        if (store) await store.delete(obj.metadata?.namespace, obj.metadata?.name ?? '', {});
        else await this.registry.storage.delete(kv.key);
      } catch (err) {
        if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
      }
    }
    if ((await this.registry.storage.count(prefix)) > 0) {
      // Objects held by their own finalizers: look again later.
      this.enqueue(name, RETRY_MS);
      return;
    }
    this.unserve(name);
    await this.crdStore().updateWith(undefined, name, (obj: KubeObject) => {
      obj.metadata!.finalizers = (obj.metadata!.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
      return obj;
    }, {});
  }
}

/** spec.names with upstream's defaults (singular, listKind) as they are accepted. */
function acceptedNamesOf(crd: CustomResourceDefinition): CRDNames {
  const n = crd.spec?.names ?? {};
  const kind = n.kind ?? '';
  return {
    plural: n.plural ?? '',
    singular: n.singular || kind.toLowerCase(),
    ...(n.shortNames?.length ? { shortNames: [...n.shortNames] } : {}),
    kind,
    listKind: n.listKind || `${kind}List`,
    ...(n.categories?.length ? { categories: [...n.categories] } : {}),
  };
}
