/**
 * Test helpers for the Job and CronJob controllers: play the kubelet by finishing a pod
 * (phase Succeeded/Failed with a terminated container) through the pod status subresource.
 */
import type { RestClient } from '../../client/rest.js';
import { nowRfc3339 } from '../common/pods.js';
import type { Pod } from './types.js';

export async function finishPod(client: RestClient, pod: Pod, phase: 'Succeeded' | 'Failed', exitCode = phase === 'Succeeded' ? 0 : 1): Promise<void> {
  const t = nowRfc3339();
  const status = {
    phase,
    conditions: [{ type: 'Ready', status: 'False', reason: 'PodCompleted', lastTransitionTime: t }],
    containerStatuses: [{ name: 'main', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, reason: phase === 'Succeeded' ? 'Completed' : 'Error', startedAt: t, finishedAt: t } } }],
  };
  const res = await client.patch(`/api/v1/namespaces/${pod.metadata.namespace}/pods/${pod.metadata.name}/status`, { status });
  if (res.status !== 200) throw new Error(`finish pod ${pod.metadata.name}: ${res.status} ${res.text}`);
}
