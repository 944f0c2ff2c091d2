/**
 * Carries out a local-storage eviction decided by the eviction manager (src/kubelet/eviction), inside
 * the pod's own worker so no sync can restart what it stops: a Warning `Evicted` event, every running
 * container killed with the decision's grace period, the sandbox stopped, then the pod status written
 * as upstream's killPodFunc leaves it (phase Failed, reason Evicted, the message; container states as
 * containerd reports them now). Later syncs of the pod only make sure nothing runs again.
 */
import type { KubeObject } from '../../api/types.js';
import { statusForEviction, type EvictionDecision } from '../eviction/index.js';
import { buildPodStatus } from '../status/index.js';
import { killContainer } from './container-actions.js';
import { specOf, type KubeletParts, type PodMemory } from './pod-context.js';
import { observe } from './pod-sync.js';

export interface EvictionMemory {
  decision: EvictionDecision;
  /** The Failed status is stored: the event and the status are not written again. */
  written: boolean;
}

export async function evictPod(parts: KubeletParts, pod: KubeObject, mem: PodMemory, eviction: EvictionMemory): Promise<void> {
  const uid = pod.metadata?.uid ?? '';
  const { decision } = eviction;
  if (!eviction.written) void parts.events.record(pod, 'Warning', 'Evicted', decision.message);
  const specs = new Map([...(specOf(pod).initContainers ?? []), ...specOf(pod).containers].map((c) => [c.name, c]));
  const podIP = parts.state.sandboxesOf(uid)[0]?.ip;
  const running = parts.state.containersOf(uid).filter((c) => c.state === 'running');
  await Promise.all(running.map((c) => killContainer(parts, pod, specs.get(c.name), c, decision.gracePeriodSeconds, podIP, `Stopping container ${c.name}`).catch(() => {})));
  parts.probes.removePod(uid);
  mem.probed.clear();
  for (const s of parts.state.sandboxesOf(uid)) if (s.ready) await parts.cri.stopPodSandbox(s.id).catch(() => {});
  if (running.length) await parts.state.relist();
  if (eviction.written) return;
  const observed = buildPodStatus(pod, observe(parts, pod, mem, true), new Date());
  const status = { ...observed, ...statusForEviction({ ...pod, status: observed }, decision, new Date().toISOString()) };
  eviction.written = !!(await parts.writer.patchStatus(pod, status));
}
