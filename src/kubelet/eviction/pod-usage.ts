/**
 * Measures what a pod uses of the node's local storage, the way upstream's CRI stats provider builds
 * PodStats for the eviction manager:
 * - each running container: its writable layer (CRI ListContainerStats) and its log files
 *   (`<logRoot>/<ns>_<pod>_<uid>/<container>/*`, every attempt);
 * - volumes upstream counts as local ephemeral (IsLocalEphemeralVolume): emptyDirs of the default
 *   medium and configMap volumes, under `<podDir>/volumes/kubernetes.io~<plugin>/<name>`. Memory-backed
 *   emptyDirs are tmpfs sized to their sizeLimit, so they are neither measured nor counted;
 * - the pod's own log files (directly in the pod log dir) and its managed /etc/hosts.
 * Only running containers count (upstream removeTerminatedContainers); a pod with none is not measured.
 */
import path from 'node:path';
import type { KubeObject } from '../../api/types.js';
import type { Container, ContainerStats } from '../cri/index.js';
import { measureFilesIn, measureUsageOrZero, measureDirUsage } from './disk-usage.js';
import { managedVolumeDir, specView } from './pod-view.js';
import type { PodStorageUsage } from './rules.js';

/** The CRI calls local-storage eviction makes (CriClient has them). */
export interface EvictionCri {
  listContainers(filter?: { state?: { state: 'CONTAINER_RUNNING' } | null }): Promise<Container[]>;
  listContainerStats(): Promise<ContainerStats[]>;
}

export interface RunningContainer {
  id: string;
  name: string;
  rootfsBytes: number;
}

const POD_UID_LABEL = 'io.kubernetes.pod.uid';
const CONTAINER_NAME_LABEL = 'io.kubernetes.container.name';

/** The running containers of every pod, by pod uid, with their writable-layer usage. */
export async function runningContainersByPod(cri: EvictionCri): Promise<Map<string, RunningContainer[]>> {
  const [containers, stats] = await Promise.all([cri.listContainers({ state: { state: 'CONTAINER_RUNNING' } }), cri.listContainerStats()]);
  const rootfsById = new Map(stats.map((s) => [s.attributes?.id ?? '', s.writable_layer?.used_bytes?.value ?? 0]));
  const byPod = new Map<string, RunningContainer[]>();
  for (const c of containers) {
    if (c.state !== 'CONTAINER_RUNNING') continue;
    const uid = c.labels?.[POD_UID_LABEL];
    if (!uid) continue;
    const name = c.labels?.[CONTAINER_NAME_LABEL] ?? c.metadata?.name ?? '';
    const list = byPod.get(uid) ?? [];
    list.push({ id: c.id, name, rootfsBytes: rootfsById.get(c.id) ?? 0 });
    byPod.set(uid, list);
  }
  return byPod;
}

/** `<logRoot>/<namespace>_<name>_<uid>`, the pod's log directory. */
export function podLogDir(logRoot: string, pod: KubeObject): string {
  const m = pod.metadata ?? {};
  return path.join(logRoot, `${m.namespace ?? ''}_${m.name ?? ''}_${m.uid ?? ''}`);
}

async function usageOrUndefined(p: string): Promise<number | undefined> {
  try {
    return await measureDirUsage(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export interface PodUsageInputs {
  /** `<kubelet pods dir>/<uid>` */
  podDir: string;
  logRoot: string;
  running: readonly RunningContainer[];
}

export async function measurePodUsage(pod: KubeObject, inputs: PodUsageInputs): Promise<PodStorageUsage> {
  const emptyDirBytes = new Map<string, number>();
  let totalBytes = 0;
  for (const v of specView(pod).volumes ?? []) {
    if (v.emptyDir && (v.emptyDir.medium ?? '') === '') {
      const used = await usageOrUndefined(managedVolumeDir(inputs.podDir, 'empty-dir', v.name));
      if (used === undefined) continue;
      emptyDirBytes.set(v.name, used);
      totalBytes += used;
    } else if (v.configMap) {
      totalBytes += await measureUsageOrZero(managedVolumeDir(inputs.podDir, 'configmap', v.name));
    }
  }
  totalBytes += await measureUsageOrZero(path.join(inputs.podDir, 'etc-hosts'));
  const logDir = podLogDir(inputs.logRoot, pod);
  totalBytes += await measureFilesIn(logDir);
  const containers = [];
  for (const c of inputs.running) {
    const logsBytes = await measureFilesIn(path.join(logDir, c.name));
    containers.push({ name: c.name, rootfsBytes: c.rootfsBytes, logsBytes });
    totalBytes += c.rootfsBytes + logsBytes;
  }
  return { emptyDirBytes, totalBytes, containers };
}
