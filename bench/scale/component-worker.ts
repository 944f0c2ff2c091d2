/**
 * Runs one cluster component of the scale benchmark on its own thread, as a separate process
 * would: `scheduler` (startScheduler) or `sim` (startSimNodes), with its own RestClient from the
 * API server's kubeconfig. Input (workerData): ComponentWorkerData. Messages to the parent:
 * `{ready: true}` once started, then `{scheduled}` / `{heartbeats}` every 250 ms; on the message
 * 'stop' it stops the component, closes its client and posts `{stopped: true}`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { RestClient, loadKubeconfig } from '../../src/client/rest.js';
import { startSimNodes, type SimConfig } from '../../src/kubelet/sim/index.js';
import { startScheduler } from '../../src/scheduler/index.js';

export type ComponentWorkerData =
  | { component: 'scheduler'; kubeconfigPath: string; scheduledEvents: boolean }
  | { component: 'sim'; kubeconfigPath: string; count: number; config: SimConfig };

export type ComponentMessage =
  | { ready: true }
  | { scheduled: number }
  | { heartbeats: Record<string, number> }
  | { error: string }
  | { stopped: true };

async function main(): Promise<void> {
  const data = workerData as ComponentWorkerData;
  const port = parentPort!;
  const post = (m: ComponentMessage) => port.postMessage(m);
  const client = new RestClient(loadKubeconfig(data.kubeconfigPath));
  let stop: () => void;
  let report: () => ComponentMessage;
  if (data.component === 'scheduler') {
    const sched = await startScheduler({ client, config: { scheduledEvents: data.scheduledEvents } });
    stop = () => sched.stop();
    report = () => ({ scheduled: sched.scheduledCount() });
  } else {
    const sim = await startSimNodes({ client, count: data.count, config: data.config });
    stop = () => sim.stop();
    report = () => ({ heartbeats: { ...sim.heartbeats.stats } });
  }
  post({ ready: true });
  const timer = setInterval(() => post(report()), 250);
  port.on('message', (m: unknown) => {
    if (m !== 'stop') return;
    clearInterval(timer);
    post(report());
    stop();
    client.close();
    post({ stopped: true });
    port.close();
  });
}

main().catch((err: unknown) => parentPort?.postMessage({ error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies ComponentMessage));
