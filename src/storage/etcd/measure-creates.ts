/**
 * A quick throughput probe (not a test): creates/s through the etcd Storage backend from N
 * concurrent callers, next to raw etcd Puts over the same client at the same concurrency (the
 * ceiling). Starts its own etcd unless an endpoint is given.
 * Usage: `npx tsx src/storage/etcd/measure-creates.ts [callers=64] [seconds=5] [endpoint]`.
 */
import { EtcdClient } from './client.js';
import { openEtcdStorage } from './index.js';
import { startTestEtcd } from './test-etcd.js';

const callers = Number(process.argv[2] ?? 64);
const seconds = Number(process.argv[3] ?? 5);
const own = process.argv[4] ? undefined : await startTestEtcd();
const endpoint = process.argv[4] ?? own!.endpoint;
const value = JSON.stringify({ kind: 'ConfigMap', data: { payload: 'x'.repeat(400) } });

async function run(label: string, write: (c: number, n: number) => Promise<unknown>): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      for (let n = 0; Date.now() < deadline; n++) {
        await write(c, n);
        done++;
      }
    }),
  );
  const perSecond = Math.round(done / ((Date.now() - started) / 1000));
  process.stderr.write(`${label}: ${perSecond}/s\n`);
  return perSecond;
}

const raw = new EtcdClient([endpoint]);
const rawPutsPerSecond = await run('raw put', (c, n) => raw.put({ key: Buffer.from(`/raw/c${c}/${n}`), value: Buffer.from(value) }));
raw.close();
const store = await openEtcdStorage({ endpoints: [endpoint], prefix: '/measure' });
const createsPerSecond = await run('storage create', (c, n) => store.create(`/configmaps/c${c}/${n}`, value));
await store.close();
await own?.stop();
console.log(JSON.stringify({ backend: 'etcd', callers, createsPerSecond, rawPutsPerSecond, ratio: Number((createsPerSecond / rawPutsPerSecond).toFixed(2)) }));
