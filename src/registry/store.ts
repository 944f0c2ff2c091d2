/**
 * The generic store: create, get, update, patch and delete for any kind, over the storage interface.
 * Per-kind behaviour comes from the kind's definition (src/api/) through the generic strategy and
 * from optional ResourceHooks (src/registry/kinds/). Lists and watches are in store-read.ts.
 */
import type { KindDefinition, KubeObject } from '../api/types.js';
import { StatusError, alreadyExists, conflict, notFound, type ResourceRef } from '../machinery/errors.js';
import { generateNameSuffix } from '../machinery/names.js';
import { StorageError, guaranteedUpdate, type KeyValue, type Storage } from '../storage/interface.js';
import { clone, decode, decodeMutable, encodeForStorage } from './codec.js';
import { objectKey } from './keys.js';
import type { DeleteOptions, WriteOptions, WriteResult } from './options.js';
import { decodeBody, nowRfc3339, prepareCreate, prepareUpdate } from './strategy.js';

/** Storage as the registry needs it: the watch cache adds resourceVersion-aware lists. */
export interface RegistryStorage extends Storage {
  listWithRV(prefix: string, opts: { resourceVersion?: string; resourceVersionMatch?: string; limit?: number; startAfter?: string }): Promise<import('../storage/interface.js').ListResult>;
  cacheResource?(prefix: string): Promise<void>;
  /** A read served by the watch cache: resourceVersion "0" = whatever the cache has now. */
  getWithRV?(key: string, resourceVersion?: string): Promise<KeyValue | undefined>;
}

/** Per-kind behaviour beyond the strategy: allocations, graceful deletion, extra admission. */
export interface ResourceHooks {
  /** After validation, before the write (allocate cluster IPs, check the namespace...). */
  beforeCreate?(obj: KubeObject, opts: WriteOptions): Promise<void>;
  /** Undo beforeCreate when the write did not happen. */
  createFailed?(obj: KubeObject): Promise<void>;
  beforeUpdate?(obj: KubeObject, old: KubeObject, opts: WriteOptions): Promise<void>;
  /** The grace period a delete of this object gets (0 = immediate); pods use their spec. */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number;
  /** Called when the object is gone from storage (release allocations). */
  afterDelete?(obj: KubeObject): Promise<void>;
  /** Called before a delete is accepted (eviction checks...). */
  beforeDelete?(obj: KubeObject): Promise<void>;
  /** Whether something other than metadata.finalizers holds the object while deleting (namespace spec.finalizers). */
  holdsDeletion?(obj: KubeObject): boolean;
  /** Called on the copy being marked for deletion (namespace phase Terminating). */
  markDeleting?(obj: KubeObject): void;
}

export interface StoreContext {
  storage: RegistryStorage;
  /** Throws NotFound/Forbidden unless the namespace exists and is not terminating (for creates). */
  checkNamespace(namespace: string, resource: ResourceRef, name: string): Promise<void>;
}

function isStorageError(err: unknown, code: StorageError['code']): boolean {
  return err instanceof StorageError && err.code === code;
}

export class GenericStore {
  readonly ref: ResourceRef;

  constructor(
    readonly def: KindDefinition,
    readonly ctx: StoreContext,
    readonly hooks: ResourceHooks = {},
  ) {
    this.ref = { group: def.resource.group, resource: def.resource.plural };
  }

  key(namespace: string | undefined, name: string): string {
    return objectKey(this.def.resource, namespace, name);
  }

  async getKV(namespace: string | undefined, name: string): Promise<KeyValue> {
    const kv = await this.ctx.storage.get(this.key(namespace, name));
    if (!kv) throw notFound(this.ref, name);
    return kv;
  }

  async get(namespace: string | undefined, name: string): Promise<KubeObject> {
    return decode(await this.getKV(namespace, name));
  }

  private checkNamespaceField(obj: KubeObject, namespace: string | undefined): void {
    const meta = obj.metadata!;
    if (!this.def.resource.namespaced) {
      delete meta.namespace;
      return;
    }
    if (meta.namespace && namespace && meta.namespace !== namespace) {
      throw new StatusError('BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = namespace ?? meta.namespace;
  }

  async create(namespace: string | undefined, body: unknown, opts: WriteOptions, dupes?: string[]): Promise<WriteResult<KubeObject>> {
    const { obj, warnings } = decodeBody(this.def, body, opts.fieldValidation ?? 'Ignore', dupes);
    this.checkNamespaceField(obj, namespace);
    const meta = obj.metadata!;
    const generated = !meta.name && !!meta.generateName;
    if (generated) meta.name = `${meta.generateName}${generateNameSuffix()}`;
    const prepared = prepareCreate(this.def, obj);
    if (this.def.resource.namespaced) await this.ctx.checkNamespace(meta.namespace!, this.ref, meta.name ?? '');
    await this.hooks.beforeCreate?.(prepared, opts);
    if (opts.dryRun) {
      await this.hooks.createFailed?.(prepared);
      return { object: prepared, warnings, created: true };
    }
    try {
      const kv = await this.ctx.storage.create(this.key(meta.namespace, meta.name!), encodeForStorage(prepared));
      return { object: decode(kv), warnings, created: true };
    } catch (err) {
      await this.hooks.createFailed?.(prepared);
      if (isStorageError(err, 'KeyExists')) {
        if (generated) {
          throw new StatusError('AlreadyExists', `${this.ref.group ? `${this.ref.resource}.${this.ref.group}` : this.ref.resource} "${meta.name}" already exists, the server was not able to generate a unique name for the object`, { name: meta.name, kind: this.ref.resource, ...(this.ref.group ? { group: this.ref.group } : {}) });
        }
        throw alreadyExists(this.ref, meta.name!);
      }
      throw err;
    }
  }

  /**
   * Read-modify-write of one object: `mutate` gets a private copy of the current object and returns the
   * object to store (already decoded and checked by the caller). Retries on write races; a resourceVersion
   * in the new object is a precondition.
   */
  async updateWith(
    namespace: string | undefined,
    name: string,
    mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>,
    opts: WriteOptions & { subresource?: 'status' },
  ): Promise<KubeObject> {
    const key = this.key(namespace, name);
    let result: KubeObject | undefined;
    let deleted = false;
    try {
      await guaranteedUpdate(this.ctx.storage, key, async (kv) => {
        if (!kv) throw notFound(this.ref, name);
        const current = decode(kv);
        const next = await mutate(clone(current));
        next.metadata = next.metadata ?? {};
        // An update without resourceVersion applies to whatever is current (unconditional update).
        if (next.metadata.resourceVersion === undefined || next.metadata.resourceVersion === '') next.metadata.resourceVersion = String(kv.modRevision);
        const rv = next.metadata.resourceVersion;
        if (rv !== undefined && rv !== '' && rv !== String(kv.modRevision)) {
          throw conflict(this.ref, name, 'the object has been modified; please apply your changes to the latest version and try again');
        }
        const prepared = prepareUpdate(this.def, next, current, opts.subresource);
        if (!opts.subresource) await this.hooks.beforeUpdate?.(prepared, current, opts);
        prepared.metadata!.resourceVersion = String(kv.modRevision);
        result = prepared;
        // The last finalizer removed from an object being deleted: the object goes.
        // (Upstream's ShouldDeleteDuringUpdate: only once no grace period is pending, so a pod being
        // deleted gracefully stays until its kubelet confirms with a zero-grace delete.)
        const graceLeft = (current.metadata?.deletionGracePeriodSeconds ?? 0) > 0;
        if (prepared.metadata?.deletionTimestamp && !graceLeft && !(prepared.metadata.finalizers?.length) && !this.hooks.holdsDeletion?.(prepared)) {
          deleted = true;
          if (opts.dryRun) return null;
          await this.ctx.storage.delete(key, { modRevision: kv.modRevision });
          await this.hooks.afterDelete?.(prepared);
          return null;
        }
        if (opts.dryRun) return null;
        const encoded = encodeForStorage(prepared);
        // Nothing changed (a no-op patch or update): no write and the resourceVersion stays, as upstream's
        // GuaranteedUpdate skips identical bytes; kubectl then prints "(no change)". Status writes still
        // go through: controllers here count on the event of their own status write to requeue.
        return encoded === kv.value && !opts.subresource ? null : encoded;
      });
    } catch (err) {
      if (isStorageError(err, 'KeyNotFound')) throw notFound(this.ref, name);
      throw err;
    }
    if (deleted || opts.dryRun) return result!;
    const kv = await this.ctx.storage.get(key);
    // Read our own write (or a newer one) to report the stored resourceVersion.
    return kv ? decode(kv) : result!;
  }

  /**
   * A system write that bypasses the update strategy (bindings, finalize): `mutate` edits a private copy.
   */
  async mutateRaw(namespace: string | undefined, name: string, mutate: (current: KubeObject) => KubeObject | Promise<KubeObject>): Promise<void> {
    const key = this.key(namespace, name);
    try {
      // No result: the callers (binding, eviction, quota) answer with a Status, so the written object
      // is not decoded here (watchers decode the watch cache's copy anyway).
      await guaranteedUpdate(this.ctx.storage, key, async (kv) => {
        if (!kv) throw notFound(this.ref, name);
        const next = await mutate(decodeMutable(kv));
        return encodeForStorage(next);
      });
    } catch (err) {
      if (isStorageError(err, 'KeyNotFound')) throw notFound(this.ref, name);
      throw err;
    }
  }

  async update(namespace: string | undefined, name: string, body: unknown, opts: WriteOptions & { subresource?: 'status' }, dupes?: string[]): Promise<WriteResult<KubeObject>> {
    const { obj, warnings } = decodeBody(this.def, body, opts.fieldValidation ?? 'Ignore', dupes);
    this.checkNamespaceField(obj, namespace);
    if (obj.metadata!.name !== name) {
      throw new StatusError('BadRequest', `the name of the object (${obj.metadata!.name ?? ''}) does not match the name on the URL (${name})`);
    }
    const object = await this.updateWith(namespace, name, () => clone(obj), opts);
    return { object, warnings };
  }

  async delete(namespace: string | undefined, name: string, opts: DeleteOptions): Promise<{ object: KubeObject; deleted: boolean }> {
    const key = this.key(namespace, name);
    for (;;) {
      const kv = await this.getKV(namespace, name);
      const current = decode(kv);
      const meta = current.metadata ?? {};
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== meta.uid) {
        throw conflict(this.ref, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${meta.uid ?? ''}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== meta.resourceVersion) {
        throw conflict(this.ref, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${meta.resourceVersion ?? ''}`);
      }
      await this.hooks.beforeDelete?.(current);
      const next = clone(current);
      const nextMeta = next.metadata!;
      const policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : undefined);
      const finalizers = new Set(nextMeta.finalizers ?? []);
      if (policy === 'Foreground') finalizers.add('foregroundDeletion');
      if (policy === 'Orphan') finalizers.add('orphan');
      const grace = this.hooks.gracePeriod?.(current, opts.gracePeriodSeconds) ?? 0;
      const alreadyDeleting = !!meta.deletionTimestamp;
      const shorterGrace = alreadyDeleting && grace < (meta.deletionGracePeriodSeconds ?? 0);
      const needsMark = finalizers.size > 0 || grace > 0 || !!this.hooks.holdsDeletion?.(current);
      if (needsMark && (!alreadyDeleting || shorterGrace || finalizers.size !== (meta.finalizers?.length ?? 0))) {
        nextMeta.finalizers = finalizers.size ? [...finalizers] : undefined;
        if (!nextMeta.finalizers) delete nextMeta.finalizers;
        if (!alreadyDeleting || shorterGrace) {
          nextMeta.deletionTimestamp = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
          nextMeta.deletionGracePeriodSeconds = grace;
        }
        if (nextMeta.generation !== undefined && !alreadyDeleting) nextMeta.generation += 1;
        this.hooks.markDeleting?.(next);
        if (opts.dryRun) return { object: next, deleted: false };
        try {
          const written = await this.ctx.storage.update(key, encodeForStorage(next), { modRevision: kv.modRevision });
          return { object: decode(written), deleted: false };
        } catch (err) {
          if (isStorageError(err, 'Conflict') || isStorageError(err, 'KeyNotFound')) continue;
          throw err;
        }
      }
      if (needsMark) return { object: current, deleted: false };
      if (opts.dryRun) return { object: current, deleted: true };
      try {
        await this.ctx.storage.delete(key, { modRevision: kv.modRevision });
      } catch (err) {
        if (isStorageError(err, 'Conflict')) continue;
        if (isStorageError(err, 'KeyNotFound')) throw notFound(this.ref, name);
        throw err;
      }
      await this.hooks.afterDelete?.(current);
      return { object: current, deleted: true };
    }
  }
}

export { nowRfc3339 };
