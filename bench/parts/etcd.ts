/**
 * Creates through Skiff on a real etcd versus raw etcd puts at the same concurrency.
 * Skiff's number comes from the same ConfigMap create load as the SQLite part; the raw number
 * from `clients` concurrent loops of Put (the storage engineer's EtcdClient, one gRPC channel) of
 * the stored object's bytes under fresh keys. Result: etcd_creates_ratio_to_raw.
 */
import { EtcdClient } from '../../src/storage/etcd/client.js';
import { progress } from '../args.js';
import { round } from '../load.js';
import { measureCreates } from './creates.js';
import { expectStatus, type Skiff } from './server.js';

export interface EtcdOptions {
  clients: number;
  seconds: number;
  namespace: string;
}

async function rawPutsPerSecond(endpoint: string, clients: number, seconds: number, value: Buffer): Promise<{ rps: number; errors: number }> {
  const client = new EtcdClient([endpoint]);
  try {
    let puts = 0;
    let errors = 0;
    const start = performance.now();
    const deadline = start + seconds * 1000;
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let n = 0; performance.now() < deadline; n++) {
          try {
            await client.put({ key: Buffer.from(`/bench-raw/configmaps/c${c}-${n}`), value });
            puts++;
          } catch {
            errors++;
          }
        }
      }),
    );
    return { rps: puts / ((performance.now() - start) / 1000), errors };
  } finally {
    client.close();
  }
}

export async function measureEtcd(skiff: Skiff, endpoint: string, o: EtcdOptions): Promise<Record<string, unknown>> {
  await skiff.ensureNamespace(o.namespace);
  const skiffCreates = await measureCreates(skiff, { clients: o.clients, seconds: o.seconds, namespace: o.namespace, rawSqlite: false, prefix: 'etcd-' });
  const createsPerSecond = skiffCreates.creates_per_second as number;
  const sample = await skiff.api('GET', `/api/v1/namespaces/${o.namespace}/configmaps/etcd-0x0`);
  expectStatus('read back a created ConfigMap', sample, 200);
  progress(`etcd: raw puts, ${o.clients} concurrent for ${o.seconds}s`);
  const raw = await rawPutsPerSecond(endpoint, o.clients, o.seconds, Buffer.from(sample.text));
  return {
    etcd_creates_ratio_to_raw: raw.rps > 0 ? round(createsPerSecond / raw.rps, 3) : null,
    etcd_creates_per_second: createsPerSecond,
    etcd_raw_puts_per_second: round(raw.rps),
    etcd: { creates: skiffCreates.creates, rawPutErrors: raw.errors },
  };
}
