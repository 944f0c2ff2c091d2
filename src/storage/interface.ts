/**
 * The storage interface: a narrow, revisioned key-value store with etcd's MVCC model.
 *
 * Every write gets a cluster-wide, strictly increasing revision. Reads are at the latest revision
 * (or, for list, optionally at an older one still inside the compaction window). Watches deliver
 * every change after a revision, in revision order, none lost. Values are opaque strings (the
 * registry stores JSON). Backends: `sqlite/` (embedded default), `etcd/` (real etcd v3);
 * `cacher/` decorates any backend with an in-memory watch cache implementing the same interface.
 */

export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created this key (unchanged by later updates). */
  createRevision: number;
  /** Revision of the last write to this key. Used as the object's resourceVersion. */
  modRevision: number;
}

export type WatchEvent =
  | { type: 'put'; kv: KeyValue; prevKv?: KeyValue; revision: number }
  | { type: 'delete'; key: string; prevKv: KeyValue; revision: number };

export interface ListOptions {
  /** Read at this revision instead of the latest (0/undefined = latest). Below the compacted revision: StorageError Expired. */
  revision?: number;
  /** At most this many items; `more` tells whether any were left out. */
  limit?: number;
  /** Only keys strictly greater than this (for continue tokens). */
  startAfter?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at (the store's latest unless ListOptions.revision was set). */
  revision: number;
  /** True when `limit` cut the result short. */
  more: boolean;
  /** Number of keys left after the last returned one, when known. */
  remaining?: number;
}

export interface WatchOptions {
  /** Deliver every event with revision > fromRevision. Below the compacted revision: onError(Expired). */
  fromRevision: number;
  /** Bookmark/progress hook: called with the store's revision when nothing happened for a while (optional). */
  onProgress?: (revision: number) => void;
}

export interface Watcher {
  stop(): void;
}

export type StorageErrorCode = 'KeyExists' | 'KeyNotFound' | 'Conflict' | 'Expired' | 'Unavailable' | 'TooLarge';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message?: string,
    /** For Expired: the compacted revision. For Conflict: the current modRevision. */
    readonly revision?: number,
  ) {
    super(message ?? `${code}: ${key}`);
    this.name = 'StorageError';
  }
}

/** Preconditions for update and delete: the key's modRevision must equal this. */
export interface Preconditions {
  modRevision?: number;
}

export interface Storage {
  /** The latest revision of the store. */
  currentRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys with this prefix, ordered by key. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Number of keys with this prefix at the latest revision. */
  count(prefix: string): Promise<number>;
  /** Fails with KeyExists if present. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Compare-and-swap: fails with KeyNotFound if absent, Conflict if the precondition does not hold. */
  update(key: string, value: string, preconditions?: Preconditions): Promise<KeyValue>;
  /** Fails with KeyNotFound if absent, Conflict if the precondition does not hold. Returns the deleted value. */
  delete(key: string, preconditions?: Preconditions): Promise<KeyValue>;
  /** Every event on keys with this prefix after opts.fromRevision, in order. onError ends the watch. */
  watch(prefix: string, opts: WatchOptions, onEvent: (ev: WatchEvent) => void, onError: (err: Error) => void): Watcher;
  /** Forget history at and below this revision: lists and watches below it answer Expired. */
  compact(revision: number): Promise<void>;
  /** The revision history was last compacted at (0 = never). */
  compactedRevision(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The callback of guaranteedUpdate: given the current value (undefined when absent), return the new
 * value, or `null` to leave the key as it is. Throwing aborts the update.
 */
export type TryUpdate = (current: KeyValue | undefined) => string | null | Promise<string | null>;

/**
 * Read-modify-write with compare-and-swap, retried while another writer wins the race.
 * The one implementation every backend and the cacher share.
 */
export async function guaranteedUpdate(
  store: Storage,
  key: string,
  tryUpdate: TryUpdate,
  opts: { allowCreate?: boolean; maxRetries?: number } = {},
): Promise<KeyValue | undefined> {
  const maxRetries = opts.maxRetries ?? 100;
  for (let attempt = 0; ; attempt++) {
    const current = await store.get(key);
    if (!current && !opts.allowCreate) throw new StorageError('KeyNotFound', key);
    const next = await tryUpdate(current);
    if (next === null) return current;
    try {
      if (!current) return await store.create(key, next);
      return await store.update(key, next, { modRevision: current.modRevision });
    } catch (err) {
      const retriable = err instanceof StorageError && (err.code === 'Conflict' || err.code === 'KeyExists' || err.code === 'KeyNotFound');
      if (!retriable || attempt >= maxRetries) throw err;
    }
  }
}
