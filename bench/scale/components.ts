/**
 * Starts a component-worker.ts thread and tracks what it reports: `startComponent(data)` resolves
 * once the component is up (rejects with its error), then `latest` holds the newest scheduled
 * count or heartbeat stats; `stop()` stops it and ends the thread.
 */
import { Worker } from 'node:worker_threads';
import type { ComponentMessage, ComponentWorkerData } from './component-worker.js';

export interface ComponentHandle {
  latest: { scheduled: number; heartbeats: Record<string, number> };
  stop(): Promise<void>;
}

export function startComponent(data: ComponentWorkerData): Promise<ComponentHandle> {
  const module = new URL(`./component-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
  // Under tsx a worker does not inherit tsx's module hooks: register them first (as bench/load.ts).
  const worker = module.pathname.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`, { eval: true, workerData: data })
    : new Worker(module, { workerData: data });
  const handle: ComponentHandle = {
    latest: { scheduled: 0, heartbeats: {} },
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => void worker.terminate().then(() => resolve());
        const t = setTimeout(done, 5000);
        worker.on('message', (m: ComponentMessage) => 'stopped' in m && (clearTimeout(t), done()));
        worker.postMessage('stop');
      }),
  };
  return new Promise((resolve, reject) => {
    worker.on('message', (m: ComponentMessage) => {
      if ('ready' in m) resolve(handle);
      else if ('error' in m) reject(new Error(`${data.component} worker: ${m.error}`));
      else if ('scheduled' in m) handle.latest.scheduled = m.scheduled;
      else if ('heartbeats' in m) handle.latest.heartbeats = m.heartbeats;
    });
    worker.once('error', reject);
  });
}
