/**
 * One sync of one pod against containerd (upstream's SyncPod/computePodActions, simplified): volumes,
 * a ready sandbox (a new one when the old one died), ephemeral containers (kubectl debug; started once,
 * see ephemeral-containers.ts), init containers one at a time (sidecars — init
 * containers with restartPolicy Always — stay running), then the regular containers; a terminal pod
 * has its sandbox stopped; a deleted pod is stopped within its grace period, reported and removed.
 * Every sync ends by reporting the pod status built from what containerd says now.
 */
import type { KubeObject } from '../../api/types.js';
import { buildSandboxConfig } from '../container-config/index.js';
import { buildPodStatus, type ObservedContainer, type ObservedPod } from '../status/index.js';
import { VolumeSetupError } from '../volumes/index.js';
import { ensureContainer, killContainer } from './container-actions.js';
import { removeContainer, removePodLogDirs } from './container-removal.js';
import { ephemeralSpecsOf, startEphemeralContainers } from './ephemeral-containers.js';
import { specOf, type ContainerSpec, type KubeletParts, type PodMemory } from './pod-context.js';
import type { SyncResult } from './pod-workers.js';
import type { ContainerRecord, SandboxRecord } from './runtime-state.js';

function newestByName(records: ContainerRecord[]): Map<string, ContainerRecord> {
  const out = new Map<string, ContainerRecord>();
  for (const r of records) {
    const prior = out.get(r.name);
    if (!prior || r.attempt > prior.attempt || (r.attempt === prior.attempt && r.createdAt > prior.createdAt)) out.set(r.name, r);
  }
  return out;
}

const minDelay = (a: number | undefined, b: number | undefined) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

export function observe(parts: KubeletParts, pod: KubeObject, mem: PodMemory, terminating = false): ObservedPod {
  const uid = pod.metadata?.uid ?? '';
  const sandbox = parts.state.sandboxesOf(uid)[0];
  const specs = [...(specOf(pod).initContainers ?? []), ...specOf(pod).containers];
  const imageOf = new Map([...specs, ...ephemeralSpecsOf(pod)].map((c) => [c.name, c.image ?? '']));
  const containers: ObservedContainer[] = parts.state.containersOf(uid).map((c) => ({
    name: c.name,
    id: `containerd://${c.id}`,
    attempt: c.attempt,
    state: c.state,
    createdAt: c.createdAt,
    startedAt: c.startedAt,
    finishedAt: c.finishedAt,
    exitCode: c.exitCode,
    reason: c.reason,
    message: c.message,
    image: imageOf.get(c.name) || c.image,
    imageRef: c.imageRef,
  }));
  const ready: Record<string, boolean> = {};
  const started: Record<string, boolean> = {};
  for (const c of specs) {
    ready[c.name] = parts.probes.isReady(uid, c.name);
    started[c.name] = parts.probes.isStarted(uid, c.name);
  }
  const prior = (pod.status as { startTime?: string } | undefined)?.startTime;
  mem.startTime ??= prior ? new Date(prior) : new Date();
  return {
    hostIP: parts.node.hostIP(),
    podIPs: specOf(pod).hostNetwork ? [parts.node.hostIP()] : sandbox?.ip ? [sandbox.ip] : [],
    sandboxReady: !!sandbox?.ready,
    sandboxCreated: !!sandbox,
    startTime: mem.startTime,
    containers,
    waiting: mem.waiting,
    ready,
    started,
    terminating,
  };
}

/** PATCHes the status when it differs from the last one written; returns the phase reported. */
export async function reportStatus(parts: KubeletParts, pod: KubeObject, mem: PodMemory, terminating = false): Promise<string> {
  const status = buildPodStatus(pod, observe(parts, pod, mem, terminating), new Date());
  const text = JSON.stringify(status);
  if (text !== mem.lastStatus) {
    const stored = await parts.writer.patchStatus(pod, status);
    if (stored) mem.lastStatus = text;
  }
  return String(status.phase ?? '');
}

async function ensureSandbox(parts: KubeletParts, pod: KubeObject, mem: PodMemory): Promise<SandboxRecord> {
  const uid = pod.metadata?.uid ?? '';
  const all = parts.state.sandboxesOf(uid);
  const current = all[0];
  const opts = { logRoot: parts.node.logRoot, clusterDNS: parts.node.clusterDNS, clusterDomain: parts.node.clusterDomain, nodeName: parts.node.nodeName };
  if (current?.ready) {
    if (mem.sandboxId !== current.id || !mem.sandboxConfig) mem.sandboxConfig = buildSandboxConfig(pod, { ...opts, attempt: current.attempt } as never);
    mem.sandboxId = current.id;
    return current;
  }
  // The sandbox died (or never existed): every container of the pod starts over in a new one.
  for (const c of parts.state.containersOf(uid)) if (c.state === 'running') await parts.cri.stopContainer(c.id, 2).catch(() => {});
  if (current) await parts.cri.stopPodSandbox(current.id).catch(() => {});
  const attempt = current ? current.attempt + 1 : 0;
  const config = buildSandboxConfig(pod, { ...opts, attempt } as never);
  mem.sandboxConfig = config;
  mem.sandboxId = await parts.cri.runPodSandbox(config);
  mem.probed.clear();
  // After a sandbox died, a full relist shows its containers stopped; a first sandbox needs only its own status.
  if (current) await parts.state.relist();
  const created = await parts.state.recordSandbox(mem.sandboxId);
  if (!created) throw new Error(`sandbox ${mem.sandboxId} of pod ${uid} has no status after RunPodSandbox`);
  return created;
}

/** Stops what still runs of a pod that will not run again (terminal phase). */
async function stopTerminalPod(parts: KubeletParts, pod: KubeObject, mem: PodMemory): Promise<void> {
  const uid = pod.metadata?.uid ?? '';
  const specs = new Map([...(specOf(pod).initContainers ?? []), ...specOf(pod).containers].map((c) => [c.name, c]));
  for (const c of parts.state.containersOf(uid)) {
    if (c.state === 'running') await killContainer(parts, pod, specs.get(c.name), c, 2, parts.state.sandboxesOf(uid)[0]?.ip, `Stopping container ${c.name}`);
  }
  parts.probes.removePod(uid);
  mem.probed.clear();
  for (const s of parts.state.sandboxesOf(uid)) if (s.ready) await parts.cri.stopPodSandbox(s.id).catch(() => {});
  await parts.state.relist();
}

export async function syncPod(parts: KubeletParts, pod: KubeObject, mem: PodMemory): Promise<SyncResult> {
  const uid = pod.metadata?.uid ?? '';
  const phase = String((pod.status as { phase?: string } | undefined)?.phase ?? '');
  if (phase === 'Succeeded' || phase === 'Failed') {
    if (parts.state.containersOf(uid).some((c) => c.state === 'running') || parts.state.sandboxesOf(uid).some((s) => s.ready)) await stopTerminalPod(parts, pod, mem);
    return;
  }
  try {
    await parts.volumes.setUp(pod, { hostIP: parts.node.hostIP() });
  } catch (err) {
    if (!(err instanceof VolumeSetupError)) throw err;
    void parts.events.record(pod, 'Warning', 'FailedMount', err.message);
    for (const c of specOf(pod).containers) mem.waiting[c.name] ??= { reason: 'ContainerCreating' };
    await reportStatus(parts, pod, mem);
    return { requeueAfterMs: 5000 };
  }
  const spec = specOf(pod);
  const policy = spec.restartPolicy ?? 'Always';
  if (!parts.state.sandboxesOf(uid)[0]?.ready && parts.state.sandboxesOf(uid).length > 0 && policy === 'Never' && parts.state.containersOf(uid).length > 0) {
    // A Never pod whose sandbox died does not get a new one: it is over (upstream marks it Failed).
    await reportStatus(parts, pod, mem);
    return;
  }
  for (const c of spec.containers) if (!mem.waiting[c.name] && !parts.state.containersOf(uid).some((r) => r.name === c.name)) mem.waiting[c.name] = { reason: 'ContainerCreating' };
  let sandbox: SandboxRecord;
  try {
    sandbox = await ensureSandbox(parts, pod, mem);
  } catch (err) {
    // Upstream: a FailedCreatePodSandBox event, the pod stays ContainerCreating, and the kubelet retries.
    const message = (err as { details?: string }).details || (err as Error).message;
    void parts.events.record(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${message}`);
    await reportStatus(parts, pod, mem);
    return { requeueAfterMs: 10_000 };
  }
  const podIP = spec.hostNetwork ? parts.node.hostIP() : sandbox.ip;
  let requeue: number | undefined;
  // Upstream starts ephemeral containers before init containers, so a pod stuck initializing can be debugged.
  requeue = minDelay(requeue, await startEphemeralContainers(parts, pod, mem, sandbox, podIP));
  const initDone = await syncInitContainers(parts, pod, mem, sandbox, podIP, (ms) => (requeue = minDelay(requeue, ms)));
  if (initDone) {
    const newest = newestByName(parts.state.containersOf(uid).filter((c) => c.sandboxId === sandbox.id));
    for (const c of spec.containers) {
      const r = await ensureContainer(parts, pod, mem, c, newest.get(c.name), policy, podIP);
      requeue = minDelay(requeue, r.requeueAfterMs);
    }
  }
  await gcOldAttempts(parts, uid);
  const reported = await reportStatus(parts, pod, mem);
  if (reported === 'Succeeded' || reported === 'Failed') await stopTerminalPod(parts, pod, mem);
  return requeue === undefined ? {} : { requeueAfterMs: requeue };
}

/** Runs init containers in order; returns true once all have completed (sidecars: started). */
async function syncInitContainers(parts: KubeletParts, pod: KubeObject, mem: PodMemory, sandbox: SandboxRecord, podIP: string | undefined, requeue: (ms: number | undefined) => void): Promise<boolean> {
  const uid = pod.metadata?.uid ?? '';
  const podPolicy = specOf(pod).restartPolicy ?? 'Always';
  const newest = newestByName(parts.state.containersOf(uid).filter((c) => c.sandboxId === sandbox.id));
  for (const ic of specOf(pod).initContainers ?? []) {
    const latest = newest.get(ic.name);
    if (ic.restartPolicy === 'Always') {
      const r = await ensureContainer(parts, pod, mem, ic, latest, 'Always', podIP);
      requeue(r.requeueAfterMs);
      const now = parts.state.container(mem.probed.get(ic.name) ?? '') ?? latest;
      if (now?.state !== 'running' || !parts.probes.isStarted(uid, ic.name)) {
        requeue(1000);
        return false;
      }
      continue;
    }
    if (latest?.state === 'exited' && latest.exitCode === 0) continue;
    if (latest && (latest.state === 'running' || latest.state === 'created')) return false;
    if (latest?.state === 'exited' && podPolicy === 'Never') return false;
    const r = await ensureContainer(parts, pod, mem, ic as ContainerSpec, latest, 'OnFailure', podIP);
    requeue(r.requeueAfterMs);
    return false;
  }
  return true;
}

/** Keeps the newest two attempts of every container (for `logs --previous`); removes older ones. */
async function gcOldAttempts(parts: KubeletParts, uid: string): Promise<void> {
  const byName = new Map<string, ContainerRecord[]>();
  for (const c of parts.state.containersOf(uid)) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const list of byName.values()) {
    list.sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
    for (const old of list.slice(2)) if (old.state === 'exited') await removeContainer(parts, old.id);
  }
}

/** A pod being deleted: stop everything within the grace period, report, and ask for the final delete. */
export async function terminatePod(parts: KubeletParts, pod: KubeObject, mem: PodMemory): Promise<SyncResult> {
  const uid = pod.metadata?.uid ?? '';
  const grace = Number(pod.metadata?.deletionGracePeriodSeconds ?? specOf(pod).terminationGracePeriodSeconds ?? 30);
  mem.killDeadline ??= Date.now() + grace * 1000;
  parts.probes.markTerminating(uid);
  const remaining = Math.max(0, Math.ceil((mem.killDeadline - Date.now()) / 1000));
  const specs = new Map([...(specOf(pod).initContainers ?? []), ...specOf(pod).containers].map((c) => [c.name, c]));
  const podIP = parts.state.sandboxesOf(uid)[0]?.ip;
  const running = parts.state.containersOf(uid).filter((c) => c.state === 'running');
  const regular = running.filter((c) => specOf(pod).containers.some((s) => s.name === c.name));
  const sidecars = running.filter((c) => !regular.includes(c));
  await Promise.all(regular.map((c) => killContainer(parts, pod, specs.get(c.name), c, remaining, podIP, `Stopping container ${c.name}`).catch(() => {})));
  await Promise.all(sidecars.map((c) => killContainer(parts, pod, specs.get(c.name), c, Math.max(2, Math.ceil((mem.killDeadline! - Date.now()) / 1000)), podIP, `Stopping container ${c.name}`).catch(() => {})));
  parts.probes.removePod(uid);
  for (const s of parts.state.sandboxesOf(uid)) if (s.ready) await parts.cri.stopPodSandbox(s.id).catch(() => {});
  await parts.state.relist();
  await reportStatus(parts, pod, mem, true).catch(() => {});
  await parts.writer.deletePod(pod);
}

/** The pod is gone from the API (or was never ours): remove its containers, sandboxes and volumes. */
export async function removePodResources(parts: KubeletParts, uid: string): Promise<void> {
  parts.probes.removePod(uid);
  for (const c of parts.state.containersOf(uid)) {
    if (c.state === 'running') await parts.cri.stopContainer(c.id, 2).catch(() => {});
    await removeContainer(parts, c.id);
  }
  for (const s of parts.state.sandboxesOf(uid)) {
    await parts.cri.stopPodSandbox(s.id).catch(() => {});
    await parts.cri.removePodSandbox(s.id).catch(() => {});
  }
  await parts.volumes.tearDown(uid);
  await removePodLogDirs(parts.node.logRoot, uid);
  parts.images.forgetPod(uid);
  await parts.state.relist();
}
