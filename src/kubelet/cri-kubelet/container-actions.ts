/**
 * Starting, killing and restarting one container of a pod, as upstream's kuberuntime manager does:
 * image (pull policy, back-off), environment and mounts, CreateContainer + StartContainer, the
 * postStart hook, probe registration; kill = preStop hook within the grace period, then StopContainer
 * (SIGTERM, SIGKILL when the remainder runs out); restarts obey the restart policy and the
 * CrashLoopBackOff back-off (10 s doubling to 300 s).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { buildContainerConfig, containerHash, resolveEnv, serviceEnvMap, ContainerConfigError } from '../container-config/index.js';
import type { ProbeTarget } from '../prober/index.js';
import { runHook } from '../prober/index.js';
import type { ContainerRecord } from './runtime-state.js';
import { crashLoopBackOffEvent, crashLoopBackOffMessage } from '../backoff/index.js';
import { type ContainerSpec, type KubeletParts, type PodMemory } from './pod-context.js';

export type EnsureResult = { requeueAfterMs?: number };

export function probeTarget(parts: KubeletParts, containerId: string, podIP: string | undefined): ProbeTarget {
  return {
    podIP,
    hostIP: parts.node.hostIP(),
    async exec(cmd, timeoutSeconds) {
      const r = await parts.cri.execSync(containerId, cmd, timeoutSeconds);
      return { exitCode: r.exit_code, output: Buffer.concat([r.stdout, r.stderr]).toString('utf8') };
    },
  };
}

/** Stops a running container: preStop within the grace period, then StopContainer with what is left (min 2 s). */
export async function killContainer(parts: KubeletParts, pod: KubeObject, spec: ContainerSpec | undefined, rec: ContainerRecord, graceSeconds: number, podIP: string | undefined, why: string): Promise<void> {
  const deadline = Date.now() + graceSeconds * 1000;
  void parts.events.record(pod, 'Normal', 'Killing', why);
  if (spec?.lifecycle?.preStop && rec.state === 'running') {
    const budget = Math.max(1, graceSeconds);
    const r = await runHook(spec.lifecycle.preStop, probeTarget(parts, rec.id, podIP), spec, budget, pod).catch((err: Error) => ({ ok: false, message: err.message }));
    if (!r.ok) void parts.events.record(pod, 'Warning', 'FailedPreStopHook', 'PreStopHook failed');
  }
  const remaining = Math.max(2, Math.ceil((deadline - Date.now()) / 1000));
  parts.probes.removeContainer(pod.metadata?.uid ?? '', rec.name);
  await parts.cri.stopContainer(rec.id, remaining);
}

function shouldRestart(policy: string, rec: ContainerRecord): boolean {
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return (rec.exitCode ?? 0) !== 0;
  return false;
}

/**
 * Converges one container: leaves a healthy running one alone, kills one whose probes failed or
 * whose spec changed, restarts an exited one when the policy says so (respecting back-off) and
 * starts a missing one.
 */
export async function ensureContainer(parts: KubeletParts, pod: KubeObject, mem: PodMemory, spec: ContainerSpec, latest: ContainerRecord | undefined, policy: string, podIP: string | undefined): Promise<EnsureResult> {
  const uid = pod.metadata?.uid ?? '';
  const grace = Number((pod.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds ?? 30);
  if (latest && (latest.state === 'running' || latest.state === 'created')) {
    if (latest.state === 'created') {
      await parts.cri.startContainer(latest.id).catch(() => {});
      return { requeueAfterMs: 1000 };
    }
    const hashChanged = latest.hash !== undefined && latest.hash !== containerHash(spec as never);
    const probeFailed = mem.restartRequested.has(latest.id);
    if (!hashChanged && !probeFailed) {
      if (mem.probed.get(spec.name) !== latest.id) {
        parts.probes.removeContainer(uid, spec.name);
        parts.probes.addContainer(pod, spec.name, latest.id, latest.startedAt ?? Date.now(), probeTarget(parts, latest.id, podIP));
        mem.probed.set(spec.name, latest.id);
      }
      return {};
    }
    const why = hashChanged ? `Container ${spec.name} definition changed, will be restarted` : `Container ${spec.name} failed liveness probe, will be restarted`;
    await killContainer(parts, pod, spec, latest, grace, podIP, why);
    mem.restartRequested.delete(latest.id);
    mem.probed.delete(spec.name);
    await parts.state.relist();
    latest = parts.state.container(latest.id) ?? { ...latest, state: 'exited', exitCode: 137 };
    if (policy === 'Never' && !hashChanged) return {};
    if (hashChanged) policy = 'Always';
  }
  const key = `${uid}/${spec.name}`;
  if (latest && latest.state === 'exited') {
    if (!shouldRestart(policy, latest)) return {};
    const wait = parts.backoff.inBackoff(key, latest.finishedAt);
    if (wait) {
      const message = crashLoopBackOffMessage(wait.backoffMs, spec.name, pod);
      if (mem.waiting[spec.name]?.reason !== 'CrashLoopBackOff') void parts.events.record(pod, 'Warning', 'BackOff', crashLoopBackOffEvent(spec.name, pod));
      mem.waiting[spec.name] = { reason: 'CrashLoopBackOff', message };
      return { requeueAfterMs: wait.waitingMs + 50 };
    }
    parts.backoff.next(key, latest.finishedAt);
  }
  return startContainer(parts, pod, mem, spec, latest ? latest.attempt + 1 : 0, podIP);
}

async function startContainer(parts: KubeletParts, pod: KubeObject, mem: PodMemory, spec: ContainerSpec, attempt: number, podIP: string | undefined): Promise<EnsureResult> {
  const ns = pod.metadata?.namespace ?? 'default';
  const uid = pod.metadata?.uid ?? '';
  if (!mem.waiting[spec.name] || mem.waiting[spec.name]!.reason === 'CrashLoopBackOff') mem.waiting[spec.name] = { reason: 'ContainerCreating' };
  const pull = await parts.images.ensure(pod, spec, () => void parts.events.record(pod, 'Normal', 'Pulling', `Pulling image "${spec.image}"`));
  if (!pull.ok) {
    if (mem.waiting[spec.name]?.reason !== pull.reason) {
      // Upstream's pair of events: what happened (Failed / BackOff), then `Error: <waiting reason>`.
      if (pull.reason === 'ImagePullBackOff') void parts.events.record(pod, 'Normal', 'BackOff', pull.message);
      else if (pull.reason === 'ErrImagePull') void parts.events.record(pod, 'Warning', 'Failed', `Failed to pull image "${spec.image}": ${pull.message}`);
      void parts.events.record(pod, 'Warning', 'Failed', `Error: ${pull.reason}`);
    }
    mem.waiting[spec.name] = { reason: pull.reason, message: pull.message };
    return { requeueAfterMs: pull.retryAfterMs ?? 10_000 };
  }
  if (pull.pulled) void parts.events.record(pod, 'Normal', 'Pulled', `Successfully pulled image "${spec.image}" in ${((pull.ms ?? 0) / 1000).toFixed(3)}s`);
  else void parts.events.record(pod, 'Normal', 'Pulled', `Container image "${spec.image}" already present on machine`);
  let config;
  try {
    const env = await resolveEnv(pod, spec as never, parts.getter, {
      podIP,
      podIPs: podIP ? [podIP] : [],
      hostIP: parts.node.hostIP(),
      nodeName: parts.node.nodeName,
      serviceAccountName: (pod.spec as { serviceAccountName?: string }).serviceAccountName,
      nodeAllocatable: parts.node.allocatable(),
      serviceEnv: serviceEnvMap(await parts.getter.services(ns), ns, (pod.spec as { enableServiceLinks?: boolean }).enableServiceLinks !== false),
    });
    const mounts = parts.volumes.mountsFor(pod, spec as never, { podIP });
    config = buildContainerConfig(pod, spec as never, { attempt, env, mounts, imageRef: pull.imageRef, logRoot: parts.node.logRoot, imageUser: pull.user });
  } catch (err) {
    if (!(err instanceof ContainerConfigError)) throw err;
    if (mem.waiting[spec.name]?.message !== err.message) void parts.events.record(pod, 'Warning', 'Failed', `Error: ${err.message}`);
    mem.waiting[spec.name] = { reason: 'CreateContainerConfigError', message: err.message };
    return { requeueAfterMs: 5000 };
  }
  const logDir = join(parts.node.logRoot, `${ns}_${pod.metadata?.name}_${uid}`, spec.name);
  await mkdir(logDir, { recursive: true });
  let id: string;
  try {
    id = await parts.cri.createContainer(mem.sandboxId!, config, mem.sandboxConfig!);
  } catch (err) {
    const message = (err as { details?: string }).details || (err as Error).message;
    void parts.events.record(pod, 'Warning', 'Failed', `Error: ${message}`);
    mem.waiting[spec.name] = { reason: 'CreateContainerError', message };
    return { requeueAfterMs: 5000 };
  }
  void parts.events.record(pod, 'Normal', 'Created', `Created container ${spec.name}`);
  try {
    await parts.cri.startContainer(id);
  } catch (err) {
    const message = (err as { details?: string }).details || (err as Error).message;
    void parts.events.record(pod, 'Warning', 'Failed', `Error: ${message}`);
    mem.waiting[spec.name] = { reason: 'RunContainerError', message };
    return { requeueAfterMs: 1000 };
  }
  void parts.events.record(pod, 'Normal', 'Started', `Started container ${spec.name}`);
  delete mem.waiting[spec.name];
  const startedAt = Date.now();
  if (spec.lifecycle?.postStart) {
    const r = await runHook(spec.lifecycle.postStart, probeTarget(parts, id, podIP), spec, 30, pod).catch((e: Error) => ({ ok: false, message: e.message }));
    if (!r.ok) {
      void parts.events.record(pod, 'Warning', 'FailedPostStartHook', r.message);
      await parts.cri.stopContainer(id, 2).catch(() => {});
      await parts.state.relist();
      return { requeueAfterMs: 500 };
    }
  }
  parts.probes.removeContainer(uid, spec.name);
  parts.probes.addContainer(pod, spec.name, id, startedAt, probeTarget(parts, id, podIP));
  mem.probed.set(spec.name, id);
  await parts.state.recordContainer(id, mem.sandboxId!).catch(() => parts.state.relist());
  return {};
}
