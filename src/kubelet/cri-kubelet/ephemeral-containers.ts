/**
 * Ephemeral containers (what `kubectl debug` adds to a running pod), as upstream's kuberuntime
 * manager starts them: each one at most once, in the pod's current sandbox, and never restarted
 * (the runtime already knowing a container of that name, or the API status showing it ran, is
 * enough to leave it alone). With `targetContainerName` it joins that container's process namespace
 * (CRI namespace_options.pid TARGET with target_id); while the target is not running it waits with
 * CreateContainerConfigError "unable to find target container X", retried on the next sync. No probes,
 * no lifecycle hooks, no restart back-off.
 *
 * Input: the pod (spec.ephemeralContainers), the pod's memory and sandbox. Output: containers created
 * and started in containerd, waiting reasons in `mem.waiting`, and when to sync again.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { ContainerConfigError, buildContainerConfig, resolveEnv, serviceEnvMap } from '../container-config/index.js';
import type { ContainerSpec, KubeletParts, PodMemory } from './pod-context.js';
import type { SandboxRecord } from './runtime-state.js';

export interface EphemeralContainerSpec extends ContainerSpec {
  targetContainerName?: string;
}

interface StatusEntry {
  name?: string;
  containerID?: string;
  state?: { running?: unknown; terminated?: unknown };
}

export function ephemeralSpecsOf(pod: KubeObject): EphemeralContainerSpec[] {
  return ((pod.spec as { ephemeralContainers?: EphemeralContainerSpec[] } | undefined)?.ephemeralContainers ?? []).filter((c) => !!c?.name);
}

/** Whether this ephemeral container was started before: known to the runtime, or reported as having run. */
function alreadyStarted(parts: KubeletParts, pod: KubeObject, name: string): boolean {
  if (parts.state.containersOf(pod.metadata?.uid ?? '').some((c) => c.name === name)) return true;
  const reported = ((pod.status as { ephemeralContainerStatuses?: StatusEntry[] } | undefined)?.ephemeralContainerStatuses ?? []).find((s) => s.name === name);
  return !!reported && (!!reported.containerID || !!reported.state?.running || !!reported.state?.terminated);
}

/** Starts every ephemeral container not started yet; returns when to sync again (undefined: no need). */
export async function startEphemeralContainers(parts: KubeletParts, pod: KubeObject, mem: PodMemory, sandbox: SandboxRecord, podIP: string | undefined): Promise<number | undefined> {
  let requeueAfterMs: number | undefined;
  for (const spec of ephemeralSpecsOf(pod)) {
    if (alreadyStarted(parts, pod, spec.name)) continue;
    const retry = await startEphemeralContainer(parts, pod, mem, spec, sandbox, podIP);
    if (retry !== undefined) requeueAfterMs = Math.min(requeueAfterMs ?? retry, retry);
  }
  return requeueAfterMs;
}

/** The CRI id of the running target container in this sandbox, or a config error as upstream's getTargetID. */
function targetIdOf(parts: KubeletParts, pod: KubeObject, spec: EphemeralContainerSpec, sandbox: SandboxRecord): string | undefined {
  const target = spec.targetContainerName;
  if (!target) return undefined;
  const running = parts.state
    .containersOf(pod.metadata?.uid ?? '')
    .filter((c) => c.name === target && c.sandboxId === sandbox.id && c.state === 'running')
    .sort((a, b) => b.attempt - a.attempt)[0];
  if (!running) throw new ContainerConfigError(`unable to find target container ${target}`);
  return running.id;
}

async function startEphemeralContainer(parts: KubeletParts, pod: KubeObject, mem: PodMemory, spec: EphemeralContainerSpec, sandbox: SandboxRecord, podIP: string | undefined): Promise<number | undefined> {
  const ns = pod.metadata?.namespace ?? 'default';
  const uid = pod.metadata?.uid ?? '';
  const podSpec = (pod.spec ?? {}) as { serviceAccountName?: string; enableServiceLinks?: boolean };
  if (!mem.waiting[spec.name]) mem.waiting[spec.name] = { reason: 'ContainerCreating' };
  const pull = await parts.images.ensure(pod, spec, () => void parts.events.record(pod, 'Normal', 'Pulling', `Pulling image "${spec.image}"`));
  if (!pull.ok) {
    if (mem.waiting[spec.name]?.reason !== pull.reason) void parts.events.record(pod, 'Warning', 'Failed', `Error: ${pull.reason}`);
    mem.waiting[spec.name] = { reason: pull.reason, message: pull.message };
    return pull.retryAfterMs ?? 10_000;
  }
  if (pull.pulled) void parts.events.record(pod, 'Normal', 'Pulled', `Successfully pulled image "${spec.image}" in ${((pull.ms ?? 0) / 1000).toFixed(3)}s`);
  else void parts.events.record(pod, 'Normal', 'Pulled', `Container image "${spec.image}" already present on machine`);
  let config;
  try {
    const pidTargetId = targetIdOf(parts, pod, spec, sandbox);
    const env = await resolveEnv(pod, spec as never, parts.getter, {
      podIP,
      podIPs: podIP ? [podIP] : [],
      hostIP: parts.node.hostIP(),
      nodeName: parts.node.nodeName,
      serviceAccountName: podSpec.serviceAccountName,
      nodeAllocatable: parts.node.allocatable(),
      serviceEnv: serviceEnvMap(await parts.getter.services(ns), ns, podSpec.enableServiceLinks !== false),
    });
    const mounts = parts.volumes.mountsFor(pod, spec as never, { podIP });
    config = buildContainerConfig(pod, spec as never, { attempt: 0, env, mounts, imageRef: pull.imageRef, logRoot: parts.node.logRoot, imageUser: pull.user, pidTargetId });
  } catch (err) {
    if (!(err instanceof ContainerConfigError)) throw err;
    if (mem.waiting[spec.name]?.message !== err.message) void parts.events.record(pod, 'Warning', 'Failed', `Error: ${err.message}`);
    mem.waiting[spec.name] = { reason: 'CreateContainerConfigError', message: err.message };
    return 2000;
  }
  await mkdir(join(parts.node.logRoot, `${ns}_${pod.metadata?.name}_${uid}`, spec.name), { recursive: true });
  let id: string;
  try {
    id = await parts.cri.createContainer(sandbox.id, config, mem.sandboxConfig!);
  } catch (err) {
    const message = (err as { details?: string }).details || (err as Error).message;
    void parts.events.record(pod, 'Warning', 'Failed', `Error: ${message}`);
    mem.waiting[spec.name] = { reason: 'CreateContainerError', message };
    return 5000;
  }
  void parts.events.record(pod, 'Normal', 'Created', `Created container ${spec.name}`);
  try {
    await parts.cri.startContainer(id);
    void parts.events.record(pod, 'Normal', 'Started', `Started container ${spec.name}`);
    delete mem.waiting[spec.name];
  } catch (err) {
    // Created but not started: the runtime knows it now, so it is not tried again (never restarted).
    const message = (err as { details?: string }).details || (err as Error).message;
    void parts.events.record(pod, 'Warning', 'Failed', `Error: ${message}`);
    mem.waiting[spec.name] = { reason: 'RunContainerError', message };
  }
  await parts.state.recordContainer(id, sandbox.id).catch(() => parts.state.relist());
  return undefined;
}
