/**
 * `npm run bench -- apiserver [--seconds 10] [--rounds 3] [--clients 64] [--pods 10000] [--list-runs 10]
 *   [--watchers 1000] [--watch-rate 1000] [--drain-seconds 60] [--only get,creates,list,watch,etcd]`
 *
 * The API server's measurements, each against a fresh server on a fresh data directory and each
 * next to the ceiling measured in the same run (get, creates and etcd alternate `rounds` slices of
 * the measurement and its ceiling, `seconds` in total for each, so machine noise hits both alike):
 *   get      GET one ConfigMap, C keep-alive clients, vs a bare HTTPS server with the same bytes -> get_ratio_to_bare_http
 *   creates  durable ConfigMap creates on SQLite vs raw better-sqlite3 inserts -> creates_per_second, creates_ratio_to_raw_sqlite
 *   list     LIST of N realistic pods -> list_10k_pods_median_ms
 *   watch    W watchers while pods are written at R/s -> watch_p99_delivery_ms, watch_events_lost, watch_events_reordered
 *   etcd     creates through Skiff on a real etcd vs raw etcd puts -> etcd_creates_ratio_to_raw
 * A part that fails reports `<part>_error` and the others still run.
 */
import { etcdAvailable, etcdMissingReason, startTestEtcd } from '../src/storage/etcd/test-etcd.js';
import { progress, type BenchArgs } from './args.js';
import { measureCreates } from './parts/creates.js';
import { measureEtcd } from './parts/etcd.js';
import { measureGet } from './parts/get.js';
import { measureList } from './parts/list.js';
import { startSkiff, type Skiff, type StorageChoice } from './parts/server.js';
import { measureWatch } from './parts/watch.js';

const ALL_PARTS = ['get', 'creates', 'list', 'watch', 'etcd'] as const;
type Part = (typeof ALL_PARTS)[number];

async function withSkiff(storage: StorageChoice, namespace: string, fn: (skiff: Skiff) => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  const skiff = await startSkiff(storage);
  try {
    await skiff.ensureNamespace(namespace);
    return await fn(skiff);
  } finally {
    await skiff.stop();
  }
}

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const seconds = args.number('seconds', 10);
  const rounds = Math.max(1, Math.floor(args.number('rounds', 3)));
  const clients = args.number('clients', 64);
  const pods = args.number('pods', 10_000);
  const listRuns = args.number('list-runs', 10);
  const watchers = args.number('watchers', 1000);
  const watchRate = args.number('watch-rate', 1000);
  const drainMs = args.number('drain-seconds', 60) * 1000;
  const only = args.list('only') ?? [...ALL_PARTS];
  for (const p of only) if (!(ALL_PARTS as readonly string[]).includes(p)) throw new Error(`unknown part ${p}; parts: ${ALL_PARTS.join(', ')}`);

  const sqlite: StorageChoice = { kind: 'sqlite' };
  const parts: Record<Part, () => Promise<Record<string, unknown>>> = {
    get: () => withSkiff(sqlite, 'bench', (s) => measureGet(s, { clients, seconds, rounds, namespace: 'bench' })),
    creates: () => withSkiff(sqlite, 'bench', (s) => measureCreates(s, { clients, seconds, rounds, namespace: 'bench', rawSqlite: true, prefix: 'cm-' })),
    list: () => withSkiff(sqlite, 'bench-list', (s) => measureList(s, { pods, runs: listRuns, namespace: 'bench-list' })),
    watch: () => withSkiff(sqlite, 'bench-watch', (s) => measureWatch(s, { watchers, rate: watchRate, seconds, namespace: 'bench-watch', drainMs })),
    etcd: async () => {
      if (!etcdAvailable()) throw new Error(etcdMissingReason);
      const etcd = await startTestEtcd();
      try {
        return await withSkiff({ kind: 'etcd', endpoints: [etcd.endpoint] }, 'bench', (s) => measureEtcd(s, etcd.endpoint, { clients, seconds, rounds, namespace: 'bench' }));
      } finally {
        await etcd.stop();
      }
    },
  };

  const results: Record<string, unknown> = { config: { seconds, rounds, clients, pods, listRuns, watchers, watchRate, drainMs } };
  for (const name of ALL_PARTS) {
    if (!only.includes(name)) continue;
    progress(`part ${name}`);
    try {
      Object.assign(results, await parts[name]());
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      progress(`part ${name} failed: ${message}`);
      results[`${name}_error`] = message;
    }
  }
  return results;
}
