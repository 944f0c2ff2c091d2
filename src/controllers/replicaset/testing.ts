/**
 * Test helpers for the workload controllers: wait for a condition, list pods, and play the kubelet by
 * PATCHing pod status (Running + Ready) through the API, as the real kubelet would.
 */
import type { RestClient } from '../../client/rest.js';
import { nowRfc3339, type Pod } from './types.js';

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function listPods(client: RestClient, ns: string, selector?: string): Promise<Pod[]> {
  const q = selector ? `?labelSelector=${encodeURIComponent(selector)}` : '';
  const res = await client.get<{ items: Pod[] }>(`/api/v1/namespaces/${ns}/pods${q}`);
  if (res.status !== 200) throw new Error(`list pods: ${res.status} ${res.text}`);
  return res.body.items;
}

/** Marks a pod Running and Ready (optionally with a Ready time in the past), as a kubelet would. */
export async function makePodReady(client: RestClient, pod: Pod, readySince = Date.now()): Promise<void> {
  const t = nowRfc3339(readySince);
  const status = {
    phase: 'Running',
    conditions: [
      { type: 'Initialized', status: 'True', lastTransitionTime: t },
      { type: 'Ready', status: 'True', lastTransitionTime: t },
      { type: 'ContainersReady', status: 'True', lastTransitionTime: t },
      { type: 'PodScheduled', status: 'True', lastTransitionTime: t },
    ],
    containerStatuses: ((pod.spec?.containers as Array<{ name: string; image: string }>) ?? []).map((c) => ({ name: c.name, image: c.image, imageID: '', ready: true, started: true, restartCount: 0, state: { running: { startedAt: t } } })),
  };
  const res = await client.patch(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { status });
  if (res.status !== 200 && res.status !== 404) throw new Error(`patch pod status: ${res.status} ${res.text}`);
}

/** Makes every not-yet-ready, not-terminating pod in `ns` ready; returns how many it touched. */
export async function readyAllPods(client: RestClient, ns: string): Promise<number> {
  let n = 0;
  for (const p of await listPods(client, ns)) {
    if (p.metadata.deletionTimestamp) continue;
    if (p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
    await makePodReady(client, p);
    n++;
  }
  return n;
}
