/**
 * Storage entry point: opens the configured backend behind the one Storage interface.
 *
 * Input: `{kind: 'sqlite', path}` (embedded, the default of `skiff up`; ':memory:' for a throwaway
 * store) or `{kind: 'etcd', endpoints, prefix?}` (a real etcd v3 cluster, prefix default
 * '/registry'). Output: a Storage (see interface.ts); the caller closes it.
 *
 * Unlike the backend constructors (which never compact on their own, for tests), openStorage
 * compacts automatically by default, as kine and the Kubernetes API server do: every 5 minutes it
 * forgets history older than the last 10,000 revisions. Pass `autoCompact: false` to turn that off.
 */
import type { Storage } from './interface.js';
import { openSqliteStorage, type SqliteStorageOptions } from './sqlite/index.js';
import { openEtcdStorage, type EtcdStorageOptions } from './etcd/index.js';

export * from './interface.js';
export { openSqliteStorage, type SqliteStorageOptions } from './sqlite/index.js';
export { openEtcdStorage, type EtcdStorageOptions } from './etcd/index.js';

type AutoCompact = { intervalMs: number; keepRevisions: number } | false;

export type StorageConfig =
  | ({ kind: 'sqlite'; path: string; autoCompact?: AutoCompact } & Omit<SqliteStorageOptions, 'autoCompact'>)
  | ({ kind: 'etcd'; endpoints: string[]; prefix?: string; autoCompact?: AutoCompact } & Omit<EtcdStorageOptions, 'endpoints' | 'prefix' | 'autoCompact'>);

export const defaultAutoCompact = { intervalMs: 5 * 60 * 1000, keepRevisions: 10_000 };

export async function openStorage(opts: StorageConfig): Promise<Storage> {
  const autoCompact = opts.autoCompact === false ? undefined : (opts.autoCompact ?? defaultAutoCompact);
  if (opts.kind === 'sqlite') {
    const { kind: _kind, path, ...rest } = opts;
    return openSqliteStorage(path, { ...rest, autoCompact });
  }
  const { kind: _kind, ...rest } = opts;
  return openEtcdStorage({ ...rest, autoCompact });
}
