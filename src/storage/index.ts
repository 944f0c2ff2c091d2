/**
 * Storage entry point: opens the configured backend behind the one Storage interface.
 *
 * Input: `{kind: 'sqlite', path}` (embedded, the default of `skiff up`; ':memory:' for a throwaway
 * store) or `{kind: 'etcd', endpoints, prefix?}` (a real etcd v3 cluster, prefix default
 * '/registry'). Output: a Storage (see interface.ts); the caller closes it.
 */
import type { Storage } from './interface.js';
import { openSqliteStorage, type SqliteStorageOptions } from './sqlite/index.js';
import { openEtcdStorage, type EtcdStorageOptions } from './etcd/index.js';

export * from './interface.js';
export { openSqliteStorage, type SqliteStorageOptions } from './sqlite/index.js';
export { openEtcdStorage, type EtcdStorageOptions } from './etcd/index.js';

export type StorageConfig =
  | ({ kind: 'sqlite'; path: string } & SqliteStorageOptions)
  | ({ kind: 'etcd'; endpoints: string[]; prefix?: string } & Omit<EtcdStorageOptions, 'endpoints' | 'prefix'>);

export async function openStorage(opts: StorageConfig): Promise<Storage> {
  if (opts.kind === 'sqlite') {
    const { kind: _kind, path, ...rest } = opts;
    return openSqliteStorage(path, rest);
  }
  const { kind: _kind, ...rest } = opts;
  return openEtcdStorage(rest);
}
