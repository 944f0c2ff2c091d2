/**
 * Durable creates of ConfigMaps through the API server by many clients, and the raw SQLite ceiling
 * for the same rows (as stored: the object the server returned, with a fresh name per row).
 *
 * The SQLite backend group-commits every write that arrives in one event-loop turn, so with C
 * clients a transaction holds at most C rows: `creates_ratio_to_raw_sqlite` compares with raw
 * inserts batched C per transaction (the same batching at its most favourable), and
 * `creates_ratio_to_raw_sqlite_row_per_tx` with one transaction per row.
 */
import { progress } from '../args.js';
import { runLoadInWorker, round } from '../load.js';
import { configMapTemplate } from './objects.js';
import { rawSqliteInsertsPerSecond } from './raw-sqlite.js';
import { expectStatus, type Skiff } from './server.js';

export interface CreatesOptions {
  clients: number;
  seconds: number;
  namespace: string;
  /** Also measure raw SQLite (only meaningful when the server runs on SQLite). */
  rawSqlite: boolean;
  /** Name prefix, unique per run part. */
  prefix: string;
}

export async function measureCreates(skiff: Skiff, o: CreatesOptions): Promise<Record<string, unknown>> {
  progress(`creates: ${o.clients} clients for ${o.seconds}s`);
  const load = await runLoadInWorker({
    url: `${skiff.url}/api/v1/namespaces/${o.namespace}/configmaps`,
    method: 'POST',
    body: configMapTemplate(o.namespace, o.prefix),
    clients: o.clients,
    durationMs: o.seconds * 1000,
    tls: skiff.tls,
  });
  const created = load.codes['201'] ?? 0;
  const createsPerSecond = created / (load.elapsedMs / 1000);
  const out: Record<string, unknown> = { creates_per_second: round(createsPerSecond), creates: load };
  if (!o.rawSqlite) return out;

  // One stored object as the row template: what the server really writes.
  const sample = await skiff.api('GET', `/api/v1/namespaces/${o.namespace}/configmaps/${o.prefix}0x0`);
  expectStatus('read back a created ConfigMap', sample, 200);
  const stored = sample.text;
  const row = (seq: number) => ({ name: `/registry/core/configmaps/${o.namespace}/raw-${seq}`, value: stored.replace(`${o.prefix}0x0`, `raw-${seq}`) });

  progress(`creates: raw sqlite, ${o.clients} rows per transaction, ${o.seconds}s`);
  const batched = rawSqliteInsertsPerSecond({ seconds: o.seconds, batch: o.clients, value: row });
  progress(`creates: raw sqlite, one row per transaction, ${o.seconds}s`);
  const perRow = rawSqliteInsertsPerSecond({ seconds: o.seconds, batch: 1, value: row });
  return {
    ...out,
    creates_ratio_to_raw_sqlite: round(createsPerSecond / batched, 3),
    creates_ratio_to_raw_sqlite_row_per_tx: round(createsPerSecond / perRow, 3),
    raw_sqlite_inserts_per_second_batched: round(batched),
    raw_sqlite_inserts_per_second_row_per_tx: round(perRow),
  };
}
