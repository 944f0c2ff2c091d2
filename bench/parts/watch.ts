/**
 * Watch fan-out: `watchers` raw watch streams on one namespace's pods while a writer creates pods
 * there at `rate` per second for `seconds`. Each pod carries its send time in an annotation; the
 * watcher thread measures send -> receipt for every (event, watcher) pair.
 * Result: watch_p99_delivery_ms, watch_events_lost, watch_events_reordered (both must be 0).
 */
import { Worker } from 'node:worker_threads';
import { progress } from '../args.js';
import { runLoadInWorker, round, siblingModule } from '../load.js';
import { expectStatus, type Skiff } from './server.js';
import type { WatchWorkerInput, WatchWorkerResult } from './watch-worker.js';

export interface WatchOptions {
  watchers: number;
  rate: number;
  seconds: number;
  namespace: string;
  drainMs: number;
}

const SENT_ANNOTATION = 'bench.skiff.dev/sent';

/** A small pod: the benchmark is about fan-out, not payload size. */
function watchPodTemplate(namespace: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'w-__SEQ__', namespace, labels: { app: 'watch-bench' }, annotations: { [SENT_ANNOTATION]: '__NOW__' } },
    spec: { containers: [{ name: 'c', image: 'registry.example.com/pause:3.9' }] },
  });
}

type WorkerMessage = { type: 'ready' } | { type: 'result'; result: WatchWorkerResult } | { type: 'error'; error: string };

function startWatchWorker(input: WatchWorkerInput): { worker: Worker; next: () => Promise<WorkerMessage> } {
  const module = siblingModule(import.meta.url, 'watch-worker');
  const worker = module.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`, { eval: true, workerData: input })
    : new Worker(module, { workerData: input });
  const queue: WorkerMessage[] = [];
  const waiting: ((m: WorkerMessage) => void)[] = [];
  const deliver = (m: WorkerMessage) => {
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  };
  worker.on('message', deliver);
  worker.on('error', (err) => deliver({ type: 'error', error: err.stack ?? err.message }));
  worker.on('exit', (code) => deliver({ type: 'error', error: `watch worker exited with code ${code}` }));
  const next = () => {
    const m = queue.shift();
    return m ? Promise.resolve(m) : new Promise<WorkerMessage>((resolve) => waiting.push(resolve));
  };
  return { worker, next };
}

export async function measureWatch(skiff: Skiff, o: WatchOptions): Promise<Record<string, unknown>> {
  await skiff.ensureNamespace(o.namespace);
  const base = `/api/v1/namespaces/${o.namespace}/pods`;
  const list = await skiff.api('GET', `${base}?limit=1`);
  expectStatus('list pods for the watch start revision', list, 200);
  const rv = (JSON.parse(list.text) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
  if (!rv) throw new Error('LIST did not return a resourceVersion');

  progress(`watch: opening ${o.watchers} watchers`);
  const { worker, next } = startWatchWorker({
    url: `${skiff.url}${base}?watch=true&resourceVersion=${rv}&timeoutSeconds=3600`,
    watchers: o.watchers,
    tls: skiff.tls,
    sentAnnotation: SENT_ANNOTATION,
    drainMs: o.drainMs,
  });
  try {
    const ready = await next();
    if (ready.type !== 'ready') throw new Error(ready.type === 'error' ? ready.error : 'watch worker answered out of order');

    progress(`watch: writing ${o.rate} pods/s for ${o.seconds}s`);
    const writes = await runLoadInWorker({
      url: `${skiff.url}${base}`,
      method: 'POST',
      body: watchPodTemplate(o.namespace),
      clients: 32,
      durationMs: o.seconds * 1000,
      ratePerSecond: o.rate,
      tls: skiff.tls,
    });
    const created = writes.codes['201'] ?? 0;
    progress(`watch: ${created} pods written, waiting for delivery`);
    worker.postMessage({ type: 'finish', expected: created });
    const done = await next();
    if (done.type !== 'result') throw new Error(done.type === 'error' ? done.error : 'watch worker answered out of order');
    const r = done.result;
    return {
      watch_p99_delivery_ms: r.p99Ms,
      watch_events_lost: r.lost,
      watch_events_reordered: r.reordered,
      watch: { watchers: o.watchers, writesPerSecond: round(created / (writes.elapsedMs / 1000)), writes: created, writeErrors: writes.errors, deliveries: r.received, ...r },
    };
  } finally {
    await worker.terminate();
  }
}
