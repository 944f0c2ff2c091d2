/**
 * Durable creates of ConfigMaps through the API server by many clients, and the raw SQLite ceiling
 * for the same rows (as stored: the object the server returned, with a fresh name per row),
 * alternating in `rounds` slices so machine noise hits both alike.
 *
 * The SQLite backend group-commits every write that arrives in one event-loop turn, so with C
 * clients a transaction holds at most C rows: `creates_ratio_to_raw_sqlite` compares with raw
 * inserts batched C per transaction (the same batching at its most favourable), and
 * `creates_ratio_to_raw_sqlite_row_per_tx` with one transaction per row.
 */
import { progress } from '../args.js';
import { mergeLoadResults, runLoadInWorker, round, type LoadResult } from '../load.js';
import { configMapTemplate } from './objects.js';
import { rawSqliteInsertsPerSecond } from './raw-sqlite.js';
import { expectStatus, type Skiff } from './server.js';

export interface CreatesOptions {
  clients: number;
  seconds: number;
  rounds: number;
  namespace: string;
  /** Also measure raw SQLite (only meaningful when the server runs on SQLite). */
  rawSqlite: boolean;
  /** Name prefix, unique per run part. */
  prefix: string;
}

export interface CreatesResult {
  createsPerSecond: number;
  load: LoadResult;
  /** Name of one object created, to read back. */
  sampleName: string;
  /** Skiff creates/s of each round, for ceilings measured alongside (e.g. raw etcd puts). */
  perRound: number[];
}

/** `rounds` slices of create load; `between` runs after each slice (the ceiling's turn). */
export async function createLoad(skiff: Skiff, o: CreatesOptions, between?: (round: number) => Promise<void> | void): Promise<CreatesResult> {
  const slices: LoadResult[] = [];
  const sliceMs = (o.seconds * 1000) / o.rounds;
  for (let r = 0; r < o.rounds; r++) {
    progress(`creates: round ${r + 1}/${o.rounds}, ${o.clients} clients`);
    slices.push(
      await runLoadInWorker({
        url: `${skiff.url}/api/v1/namespaces/${o.namespace}/configmaps`,
        method: 'POST',
        body: configMapTemplate(o.namespace, `${o.prefix}r${r}-`),
        clients: o.clients,
        durationMs: sliceMs,
        tls: skiff.tls,
      }),
    );
    await between?.(r);
  }
  const load = mergeLoadResults(slices);
  const perRound = slices.map((s) => (s.codes['201'] ?? 0) / (s.elapsedMs / 1000));
  return { createsPerSecond: (load.codes['201'] ?? 0) / (load.elapsedMs / 1000), load, sampleName: `${o.prefix}r0-0x0`, perRound };
}

export async function measureCreates(skiff: Skiff, o: CreatesOptions): Promise<Record<string, unknown>> {
  let rowTemplate: string | undefined;
  const batched: number[] = [];
  const perRow: number[] = [];
  const sliceSeconds = o.seconds / o.rounds;
  const result = await createLoad(skiff, o, async () => {
    if (!o.rawSqlite) return;
    if (rowTemplate === undefined) {
      // One stored object as the row template: what the server really writes.
      const sample = await skiff.api('GET', `/api/v1/namespaces/${o.namespace}/configmaps/${o.prefix}r0-0x0`);
      expectStatus('read back a created ConfigMap', sample, 200);
      rowTemplate = sample.text;
    }
    const template = rowTemplate;
    const row = (n: number) => ({ name: `/registry/core/configmaps/${o.namespace}/raw-${n}`, value: template.replace(`${o.prefix}r0-0x0`, `raw-${n}`) });
    progress(`creates: raw sqlite, ${o.clients} rows per transaction, then one row per transaction`);
    batched.push(rawSqliteInsertsPerSecond({ seconds: sliceSeconds, batch: o.clients, value: row }));
    perRow.push(rawSqliteInsertsPerSecond({ seconds: sliceSeconds, batch: 1, value: row }));
  });
  const out: Record<string, unknown> = { creates_per_second: round(result.createsPerSecond), creates: result.load };
  if (!o.rawSqlite) return out;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const rawBatched = mean(batched);
  const rawPerRow = mean(perRow);
  return {
    ...out,
    creates_ratio_to_raw_sqlite: round(result.createsPerSecond / rawBatched, 3),
    creates_ratio_to_raw_sqlite_row_per_tx: round(result.createsPerSecond / rawPerRow, 3),
    raw_sqlite_inserts_per_second_batched: round(rawBatched),
    raw_sqlite_inserts_per_second_row_per_tx: round(rawPerRow),
  };
}
