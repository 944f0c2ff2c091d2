/**
 * Creates through Skiff on a real etcd versus raw etcd puts at the same concurrency, alternating
 * in `rounds` slices so machine noise hits both alike. Skiff's number comes from the same ConfigMap
 * create load as the SQLite part; the raw number from `clients` concurrent loops of Put (the
 * storage engineer's EtcdClient, one gRPC channel) of the stored object's bytes under fresh keys.
 * Result: etcd_creates_ratio_to_raw.
 */
import { EtcdClient } from '../../src/storage/etcd/client.js';
import { progress } from '../args.js';
import { round } from '../load.js';
import { createLoad } from './creates.js';
import { expectStatus, type Skiff } from './server.js';

export interface EtcdOptions {
  clients: number;
  seconds: number;
  rounds: number;
  namespace: string;
}

async function rawPuts(client: EtcdClient, clients: number, seconds: number, value: Buffer, tag: string): Promise<{ puts: number; errors: number; elapsedMs: number }> {
  let puts = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let n = 0; performance.now() < deadline; n++) {
        try {
          await client.put({ key: Buffer.from(`/bench-raw/configmaps/${tag}c${c}-${n}`), value });
          puts++;
        } catch {
          errors++;
        }
      }
    }),
  );
  return { puts, errors, elapsedMs: performance.now() - start };
}

export async function measureEtcd(skiff: Skiff, endpoint: string, o: EtcdOptions): Promise<Record<string, unknown>> {
  const client = new EtcdClient([endpoint]);
  let value: Buffer | undefined;
  let puts = 0;
  let putErrors = 0;
  let putMs = 0;
  try {
    const created = await createLoad(skiff, { ...o, rawSqlite: false, prefix: 'etcd-' }, async (r) => {
      if (value === undefined) {
        const sample = await skiff.api('GET', `/api/v1/namespaces/${o.namespace}/configmaps/etcd-r0-0x0`);
        expectStatus('read back a created ConfigMap', sample, 200);
        value = Buffer.from(sample.text);
      }
      progress(`etcd: raw puts, ${o.clients} concurrent`);
      const raw = await rawPuts(client, o.clients, o.seconds / o.rounds, value, `r${r}-`);
      puts += raw.puts;
      putErrors += raw.errors;
      putMs += raw.elapsedMs;
    });
    const rawRps = putMs > 0 ? puts / (putMs / 1000) : 0;
    return {
      etcd_creates_ratio_to_raw: rawRps > 0 ? round(created.createsPerSecond / rawRps, 3) : null,
      etcd_creates_per_second: round(created.createsPerSecond),
      etcd_raw_puts_per_second: round(rawRps),
      etcd: { creates: created.load, rawPutErrors: putErrors },
    };
  } finally {
    client.close();
  }
}
