/**
 * One setup function per volume type, as upstream's in-tree plugins (pkg/volume/<plugin>). Each takes
 * the volume and where it lives and returns what the manager records: the host directory containers
 * bind, whether containers must mount it read-only, and (emptyDir) its size limit.
 *
 * Plugin directory names are upstream's: kubernetes.io~empty-dir, ~configmap, ~secret, ~downward-api,
 * ~projected. hostPath and persistentVolumeClaim volumes live where they are on the host.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import type { KubeObject } from '../../api/types.js';
import { parseQuantityValue, quantityValue } from '../../machinery/quantity.js';
import { writePayloadAtomically, type Payload } from './atomic-writer.js';
import { checkHostPathType, resolveClaimPath } from './host-path.js';
import { isMountPoint, mountTmpfs } from './mount-utils.js';
import { modeAfterOwnership, setVolumeOwnership } from './ownership.js';
import { configMapPayload, DEFAULT_MODE, downwardAPIPayload, projectedPayload, secretPayload, type PayloadContext } from './payloads.js';
import { PluginError, type Volume } from './types.js';

export type PluginName = 'kubernetes.io~empty-dir' | 'kubernetes.io~configmap' | 'kubernetes.io~secret' | 'kubernetes.io~downward-api' | 'kubernetes.io~projected' | 'kubernetes.io~host-path' | 'kubernetes.io~persistent-volume-claim';

/** The plugin serving a volume, or undefined for a volume type Skiff's kubelet does not support. */
export function pluginOf(v: Volume): PluginName | undefined {
  if (v.emptyDir) return 'kubernetes.io~empty-dir';
  if (v.configMap) return 'kubernetes.io~configmap';
  if (v.secret) return 'kubernetes.io~secret';
  if (v.downwardAPI) return 'kubernetes.io~downward-api';
  if (v.projected) return 'kubernetes.io~projected';
  if (v.hostPath) return 'kubernetes.io~host-path';
  if (v.persistentVolumeClaim || v.ephemeral) return 'kubernetes.io~persistent-volume-claim';
  return undefined;
}

/** Plugins whose files the kubelet writes and refreshes. */
export function isPayloadPlugin(p: PluginName | undefined): boolean {
  return p === 'kubernetes.io~configmap' || p === 'kubernetes.io~secret' || p === 'kubernetes.io~downward-api' || p === 'kubernetes.io~projected';
}

export interface PreparedVolume {
  plugin: PluginName;
  hostPath: string;
  readOnly: boolean;
  medium?: string;
  sizeLimitBytes?: number;
}

export interface PluginEnv {
  /** `<rootDir>/<podUid>/volumes/<plugin>/<volumeName>` for managed volumes. */
  managedDir: string;
  payload: PayloadContext;
  fsGroup?: number;
  /** Secret and projected volumes on tmpfs (upstream keeps secrets off disk); needs root. */
  memoryBackedSecrets: boolean;
  nodeMemoryBytes?: number;
  /** tmpfs mount points this manager knows are mounted (saves reading the mount table on every refresh). */
  knownTmpfs: Set<string>;
}

async function exists(p: string): Promise<boolean> {
  return fs.stat(p).then(
    () => true,
    () => false,
  );
}

function sizeBytes(q: string | number | undefined): number | undefined {
  if (q === undefined || q === '') return undefined;
  const v = quantityValue(parseQuantityValue(q));
  return v > 0 ? v : undefined;
}

/** Mounts a tmpfs on dir unless one is there; returns whether it mounted one now. */
async function ensureTmpfs(dir: string, size: number, known: Set<string>): Promise<boolean> {
  if (known.has(dir)) return false;
  if (await isMountPoint(dir)) {
    known.add(dir);
    return false;
  }
  await mountTmpfs(dir, size);
  known.add(dir);
  return true;
}

async function setUpEmptyDir(v: Volume, env: PluginEnv): Promise<PreparedVolume> {
  const medium = v.emptyDir?.medium ?? '';
  if (medium !== '' && medium !== 'Memory') throw new PluginError(`unsupported emptyDir medium "${medium}" (Skiff's kubelet supports "" and Memory)`);
  const limit = sizeBytes(v.emptyDir?.sizeLimit);
  const fresh = !(await exists(env.managedDir));
  await fs.mkdir(env.managedDir, { recursive: true, mode: 0o777 });
  const mounted = medium === 'Memory' && (await ensureTmpfs(env.managedDir, limit ?? env.nodeMemoryBytes ?? os.totalmem(), env.knownTmpfs));
  // Upstream's emptyDir is world-writable (0777), whatever the umask or tmpfs default (1777).
  if (fresh || mounted) await fs.chmod(env.managedDir, 0o777);
  if ((fresh || mounted) && env.fsGroup !== undefined) await setVolumeOwnership(env.managedDir, env.fsGroup, false);
  return { plugin: 'kubernetes.io~empty-dir', hostPath: env.managedDir, readOnly: false, medium, sizeLimitBytes: limit };
}

/** The payload a configMap/secret/downwardAPI/projected volume should hold now. */
export async function payloadFor(v: Volume, env: PluginEnv): Promise<Payload> {
  if (v.configMap) return configMapPayload(env.payload, v.configMap);
  if (v.secret) return secretPayload(env.payload, v.secret);
  if (v.downwardAPI) return downwardAPIPayload(env.payload, v.downwardAPI.items, v.downwardAPI.defaultMode ?? DEFAULT_MODE);
  if (v.projected) return projectedPayload(env.payload, v.name, v.projected.sources, v.projected.defaultMode ?? DEFAULT_MODE);
  throw new PluginError(`volume ${v.name} has no payload source`);
}

/** Writes (or refreshes) a payload volume; returns whether its files changed. */
export async function writePayloadVolume(v: Volume, env: PluginEnv): Promise<boolean> {
  const payload = await payloadFor(v, env);
  await fs.mkdir(env.managedDir, { recursive: true, mode: 0o755 });
  if (env.memoryBackedSecrets && (v.secret || v.projected)) await ensureTmpfs(env.managedDir, env.nodeMemoryBytes ?? os.totalmem(), env.knownTmpfs);
  const fsGroup = env.fsGroup;
  const setPerms = fsGroup === undefined ? undefined : (dir: string) => setVolumeOwnership(dir, fsGroup, true);
  const modeOnDisk = fsGroup === undefined ? undefined : (mode: number) => modeAfterOwnership(mode, true);
  return writePayloadAtomically(env.managedDir, payload, setPerms, modeOnDisk);
}

/** Sets up one volume of the pod (idempotent). */
export async function setUpVolume(pod: KubeObject, v: Volume, env: PluginEnv): Promise<PreparedVolume> {
  const plugin = pluginOf(v);
  if (!plugin) throw new PluginError(`volume type of "${v.name}" is not supported by Skiff's kubelet`);
  if (plugin === 'kubernetes.io~empty-dir') return setUpEmptyDir(v, env);
  if (plugin === 'kubernetes.io~host-path') {
    await checkHostPathType(v.hostPath!.path, v.hostPath!.type);
    return { plugin, hostPath: v.hostPath!.path, readOnly: false };
  }
  if (plugin === 'kubernetes.io~persistent-volume-claim') {
    const namespace = pod.metadata?.namespace ?? 'default';
    const resolved = v.persistentVolumeClaim
      ? await resolveClaimPath(env.payload.sources, namespace, v.persistentVolumeClaim.claimName, v.persistentVolumeClaim.readOnly === true)
      : await resolveClaimPath(env.payload.sources, namespace, `${pod.metadata?.name ?? ''}-${v.name}`, false, pod);
    return { plugin, hostPath: resolved.hostPath, readOnly: resolved.readOnly };
  }
  await writePayloadVolume(v, env);
  return { plugin, hostPath: env.managedDir, readOnly: true };
}
