/**
 * Worker-thread entry of runLoadInWorker: runs runLoad with the LoadOptions in workerData and
 * posts back `{ok: true, result}` or `{ok: false, error}`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runLoad, type LoadOptions } from './load.js';

runLoad(workerData as LoadOptions).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (err: unknown) => parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
);
