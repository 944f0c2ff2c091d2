/**
 * The etcd storage backend: the Storage interface on a real etcd v3 cluster.
 *
 * Input: endpoints and a key prefix (default '/registry'; interface keys are stored as prefix+key, the
 * Kubernetes layout, so keys should start with '/': list('') on prefix '/a' would also see '/ab...').
 * Output: a Storage that uses etcd's own revisions (modRevision = mod_revision), Txn compares for
 * create (create_revision = 0) and compare-and-swap (mod_revision = precondition), Range with
 * revision for snapshot lists, Watch streams for watches, and Compact for compaction. etcd does not
 * report its compacted revision, so compact() also records it under `compact_rev_key<prefix>`
 * (outside the prefix's range) for compactedRevision().
 */
import { StorageError, type KeyValue, type ListOptions, type ListResult, type Preconditions, type Storage, type WatchEvent, type WatchOptions, type Watcher } from '../interface.js';
import { EtcdClient, storageErrorOf, type Compare, type PbKeyValue } from './client.js';
import { startEtcdWatch } from './watch.js';

export interface EtcdStorageOptions {
  endpoints: string[];
  /** Prepended to every key (default '/registry'). */
  prefix?: string;
  /** Per-call deadline (default 30 s). */
  callTimeoutMs?: number;
  /** How long a watch may be idle before a progress notification is requested (default 5000 ms). */
  progressIntervalMs?: number;
  /** Compact automatically, keeping the last `keepRevisions` revisions (default: off). */
  autoCompact?: { intervalMs: number; keepRevisions: number };
}

/** The first key after every key that starts with `prefix`, as etcd range_end expects. */
export function etcdPrefixEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i]++;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]); // all 0xff (or empty): every key from `prefix` on
}

class EtcdStorage implements Storage {
  private readonly watchers = new Set<() => void>();
  private readonly compactKey: Buffer;
  private autoCompactTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly client: EtcdClient,
    private readonly prefix: string,
    private readonly opts: EtcdStorageOptions,
  ) {
    this.compactKey = Buffer.from(`compact_rev_key${prefix}`);
    if (opts.autoCompact) {
      const { intervalMs, keepRevisions } = opts.autoCompact;
      this.autoCompactTimer = setInterval(() => {
        void (async () => {
          const target = (await this.currentRevision()) - keepRevisions;
          if (target > (await this.compactedRevision())) await this.compact(target);
        })().catch(() => undefined);
      }, intervalMs);
      this.autoCompactTimer.unref();
    }
  }

  async currentRevision(): Promise<number> {
    const res = await this.call('', () => this.client.range({ key: this.compactKey, count_only: true }));
    return res.header.revision;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const res = await this.call(key, () => this.client.range({ key: this.etcdKey(key) }));
    return res.kvs[0] ? this.toKv(res.kvs[0]) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const start = this.etcdKey(prefix);
    const end = etcdPrefixEnd(start);
    let from = start;
    if (opts.startAfter !== undefined) {
      const after = Buffer.concat([this.etcdKey(opts.startAfter), Buffer.from([0])]);
      if (Buffer.compare(after, from) > 0) from = after;
    }
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const revision = opts.revision && opts.revision > 0 ? opts.revision : 0;
    const res = await this.call(prefix, () => this.client.range({ key: from, range_end: end, limit, revision }), revision);
    const items = res.kvs.map((kv) => this.toKv(kv));
    return { items, revision: revision || res.header.revision, more: res.more, remaining: res.more ? res.count - items.length : 0 };
  }

  async count(prefix: string): Promise<number> {
    const start = this.etcdKey(prefix);
    const res = await this.call(prefix, () => this.client.range({ key: start, range_end: etcdPrefixEnd(start), count_only: true }));
    return res.count;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    const k = this.etcdKey(key);
    const res = await this.call(key, () =>
      this.client.txn({
        compare: [{ result: 'EQUAL', target: 'CREATE', key: k, create_revision: 0 }],
        success: [{ request_put: { key: k, value: Buffer.from(value) } }],
        failure: [],
      }),
    );
    if (!res.succeeded) throw new StorageError('KeyExists', key);
    return { key, value, createRevision: res.header.revision, modRevision: res.header.revision };
  }

  async update(key: string, value: string, preconditions?: Preconditions): Promise<KeyValue> {
    const k = this.etcdKey(key);
    const res = await this.call(key, () =>
      this.client.txn({
        compare: [this.precondition(k, preconditions)],
        success: [{ request_put: { key: k, value: Buffer.from(value), prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) throw this.refusal(key, res.responses[0]?.response_range?.kvs[0], preconditions);
    const prev = res.responses[0]?.response_put?.prev_kv;
    return { key, value, createRevision: prev?.create_revision ?? res.header.revision, modRevision: res.header.revision };
  }

  async delete(key: string, preconditions?: Preconditions): Promise<KeyValue> {
    const k = this.etcdKey(key);
    const res = await this.call(key, () =>
      this.client.txn({
        compare: [this.precondition(k, preconditions)],
        success: [{ request_delete_range: { key: k, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) throw this.refusal(key, res.responses[0]?.response_range?.kvs[0], preconditions);
    const prev = res.responses[0]?.response_delete_range?.prev_kvs[0];
    if (!prev) throw new StorageError('KeyNotFound', key); // deleted by someone else between compare and delete: cannot happen in one txn
    return this.toKv(prev);
  }

  watch(prefix: string, opts: WatchOptions, onEvent: (ev: WatchEvent) => void, onError: (err: Error) => void): Watcher {
    if (this.closed) {
      setImmediate(() => onError(new StorageError('Unavailable', prefix, 'storage is closed')));
      return { stop: () => undefined };
    }
    const start = this.etcdKey(prefix);
    const closeWithError = () => {
      w.stop();
      onError(new StorageError('Unavailable', prefix, 'storage is closed'));
    };
    const w = startEtcdWatch(
      {
        client: this.client,
        prefix,
        rangeStart: start,
        rangeEnd: etcdPrefixEnd(start),
        toKv: (kv) => this.toKv(kv),
        progressIntervalMs: this.opts.progressIntervalMs ?? 5000,
      },
      opts,
      onEvent,
      onError,
      () => this.watchers.delete(closeWithError),
    );
    this.watchers.add(closeWithError);
    return w;
  }

  async compact(revision: number): Promise<void> {
    const target = Math.min(revision, await this.currentRevision());
    if (target <= (await this.compactedRevision())) return;
    try {
      await this.client.compact(target);
    } catch (err) {
      // Already compacted at or beyond target (by another client): only the record below is missing.
      if (storageErrorOf(err, '').code !== 'Expired') throw storageErrorOf(err, '');
    }
    // Record it with compare-and-swap so concurrent compactors never move the record backwards.
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await this.call('', () => this.client.range({ key: this.compactKey }));
      const current = res.kvs[0];
      if (current && Number(current.value.toString()) >= target) return;
      const written = await this.call('', () =>
        this.client.txn({
          compare: [{ result: 'EQUAL', target: 'MOD', key: this.compactKey, mod_revision: current?.mod_revision ?? 0 }],
          success: [{ request_put: { key: this.compactKey, value: Buffer.from(String(target)) } }],
          failure: [],
        }),
      );
      if (written.succeeded) return;
    }
  }

  async compactedRevision(): Promise<number> {
    const res = await this.call('', () => this.client.range({ key: this.compactKey }));
    const stored = res.kvs[0] ? Number(res.kvs[0].value.toString()) : 0;
    return Number.isFinite(stored) ? stored : 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.autoCompactTimer) clearInterval(this.autoCompactTimer);
    for (const end of [...this.watchers]) end();
    this.client.close();
  }

  private etcdKey(key: string): Buffer {
    return Buffer.from(this.prefix + key);
  }

  private toKv(kv: PbKeyValue): KeyValue {
    return {
      key: kv.key.toString('utf8').slice(this.prefix.length),
      value: kv.value.toString('utf8'),
      createRevision: kv.create_revision,
      modRevision: kv.mod_revision,
    };
  }

  private precondition(k: Buffer, pre?: Preconditions): Compare {
    if (pre?.modRevision !== undefined) return { result: 'EQUAL', target: 'MOD', key: k, mod_revision: pre.modRevision };
    return { result: 'GREATER', target: 'CREATE', key: k, create_revision: 0 };
  }

  private refusal(key: string, current: PbKeyValue | undefined, pre?: Preconditions): StorageError {
    if (!current) return new StorageError('KeyNotFound', key);
    return new StorageError('Conflict', key, `${key}: modRevision is ${current.mod_revision}, precondition ${pre?.modRevision}`, current.mod_revision);
  }

  /** Runs one call, mapping failures; `atRevision` marks reads that may hit a compacted revision. */
  private async call<T>(key: string, fn: () => Promise<T>, atRevision = 0): Promise<T> {
    if (this.closed) throw new StorageError('Unavailable', key, 'storage is closed');
    try {
      return await fn();
    } catch (err) {
      const mapped = storageErrorOf(err, key);
      if (mapped.code === 'Expired' && atRevision) {
        const compacted = await this.compactedRevision().catch(() => 0);
        const msg = `required revision ${atRevision} has been compacted${compacted ? ` (compacted revision ${compacted})` : ''}`;
        throw new StorageError('Expired', key, msg, compacted || undefined);
      }
      throw mapped;
    }
  }
}

/** Connects to etcd and checks it answers; fails with StorageError Unavailable if it does not. */
export async function openEtcdStorage(opts: EtcdStorageOptions): Promise<Storage> {
  const client = new EtcdClient(opts.endpoints, opts.callTimeoutMs);
  const store = new EtcdStorage(client, opts.prefix ?? '/registry', opts);
  try {
    await store.currentRevision();
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
