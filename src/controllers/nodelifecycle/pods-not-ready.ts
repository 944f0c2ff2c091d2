/**
 * Upstream MarkPodsNotReady: when a node stops being Ready, the controller sets the Ready condition of
 * every pod on it to False (the kubelet cannot), so Services stop routing to them at once.
 */
import type { RestClient } from '../../client/rest.js';
import type { Pod } from './eviction.js';

interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  [k: string]: unknown;
}

const stamp = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export async function markPodsNotReady(client: RestClient, pods: readonly Pod[]): Promise<number> {
  let marked = 0;
  for (const pod of pods) {
    const conditions = ((pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? []) as PodCondition[];
    const ready = conditions.find((c) => c.type === 'Ready');
    if (!ready || ready.status !== 'True') continue;
    const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: stamp() } : c));
    // Guarded by the pod's resourceVersion: a kubelet that came back meanwhile wins.
    const res = await client.patch(`/api/v1/namespaces/${pod.metadata?.namespace}/pods/${pod.metadata?.name}/status`, {
      metadata: { resourceVersion: pod.metadata?.resourceVersion },
      status: { conditions: next },
    });
    if (res.status === 200) marked++;
    else if (res.status !== 404 && res.status !== 409) throw new Error(`mark pod ${pod.metadata?.namespace}/${pod.metadata?.name} not ready: ${res.status} ${res.text.slice(0, 200)}`);
  }
  return marked;
}
