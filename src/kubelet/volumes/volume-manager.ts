/**
 * The kubelet's volume manager: prepares a pod's volumes on the host before its containers are
 * created, hands out each container's CRI mounts, keeps configMap/secret/downwardAPI/projected files
 * current while the pod runs, and removes everything when the pod is gone.
 *
 * Layout under rootDir (as upstream's /var/lib/kubelet/pods):
 *   <podUid>/volumes/kubernetes.io~<plugin>/<volumeName>   managed volumes (emptyDir, payload volumes)
 *   <podUid>/etc-hosts                                    the managed /etc/hosts (once the pod IP is known)
 *   <podUid>/containers/<name>/termination-log            each container's termination message file
 * hostPath and persistentVolumeClaim volumes are used where they are on the host.
 *
 * Inputs: the Pod object, VolumeSources (objects and tokens from the API), the pod IP when known.
 * Outputs: files and tmpfs mounts on the host, Mount[] for CRI CreateContainer, VolumeSetupError when a
 * volume cannot be set up (the worker records a FailedMount event and retries).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { parseQuantityValue, quantityValue } from '../../machinery/quantity.js';
import { currentDataDir } from './atomic-writer.js';
import { containerMounts } from './container-mounts.js';
import { fieldRefValue } from './downward-api.js';
import { managedHostsFileContent } from './etc-hosts.js';
import { mountPointsUnder, unmount } from './mount-utils.js';
import { ServiceAccountTokenCache } from './token-cache.js';
import { PluginError, podSpec, podUid, VolumeSetupError, type ContainerSpec, type Mount, type PodContext, type Volume, type VolumeSources } from './types.js';
import { isPayloadPlugin, pluginOf, setUpVolume, writePayloadVolume, type PluginEnv, type PreparedVolume } from './volume-plugins.js';

export interface VolumeManagerOptions {
  rootDir: string;
  sources: VolumeSources;
  nodeName: string;
  log?: (msg: string, fields?: object) => void;
  /** Zone for the pod FQDN in /etc/hosts (default cluster.local). */
  clusterDomain?: string;
  /** Keep secret and projected volumes on tmpfs as upstream does (default: when running as root). */
  memoryBackedSecrets?: boolean;
}

/** An emptyDir's recorded size limit (eviction on overuse is not implemented). */
export interface EmptyDirLimit {
  volumeName: string;
  hostPath: string;
  medium: string;
  sizeLimitBytes?: number;
}

interface PodVolumes {
  pod: KubeObject;
  volumes: Map<string, PreparedVolume>;
}

export class VolumeManager {
  private readonly rootDir: string;
  private readonly sources: VolumeSources;
  private readonly log: (msg: string, fields?: object) => void;
  private readonly clusterDomain: string;
  private readonly memoryBackedSecrets: boolean;
  private readonly tokens: ServiceAccountTokenCache;
  private readonly pods = new Map<string, PodVolumes>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly knownTmpfs = new Set<string>();
  readonly nodeName: string;

  constructor(opts: VolumeManagerOptions) {
    this.rootDir = path.resolve(opts.rootDir);
    this.sources = opts.sources;
    this.nodeName = opts.nodeName;
    this.log = opts.log ?? (() => {});
    this.clusterDomain = opts.clusterDomain ?? 'cluster.local';
    this.memoryBackedSecrets = opts.memoryBackedSecrets ?? process.getuid?.() === 0;
    this.tokens = new ServiceAccountTokenCache(opts.sources);
  }

  /** `<rootDir>/<podUid>`. */
  podDir(uid: string): string {
    if (!uid || uid.includes('/') || uid === '.' || uid === '..') throw new Error(`invalid pod uid ${JSON.stringify(uid)}`);
    return path.join(this.rootDir, uid);
  }

  /** Where a volume of a pod lives on the host (undefined when unknown to this manager and not on disk). */
  hostPathFor(uid: string, volumeName: string): string | undefined {
    const prepared = this.pods.get(uid)?.volumes.get(volumeName);
    if (prepared) return prepared.hostPath;
    const pluginsDir = path.join(this.podDir(uid), 'volumes');
    for (const plugin of fs.existsSync(pluginsDir) ? fs.readdirSync(pluginsDir) : []) {
      const candidate = path.join(pluginsDir, plugin, volumeName);
      if (fs.existsSync(candidate)) return candidate;
    }
    return undefined;
  }

  /** The host file behind a container's termination message path. */
  terminationLogPathFor(uid: string, containerName: string): string {
    return path.join(this.podDir(uid), 'containers', containerName, 'termination-log');
  }

  etcHostsPathFor(uid: string): string {
    return path.join(this.podDir(uid), 'etc-hosts');
  }

  /** Pod uids that have a directory under rootDir (to tear down pods deleted while the kubelet was down). */
  podUidsOnDisk(): string[] {
    if (!fs.existsSync(this.rootDir)) return [];
    return fs.readdirSync(this.rootDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  }

  /** Size limits recorded for the pod's emptyDirs. */
  emptyDirLimits(uid: string): EmptyDirLimit[] {
    const out: EmptyDirLimit[] = [];
    for (const [volumeName, v] of this.pods.get(uid)?.volumes ?? []) {
      if (v.plugin === 'kubernetes.io~empty-dir') out.push({ volumeName, hostPath: v.hostPath, medium: v.medium ?? '', sizeLimitBytes: v.sizeLimitBytes });
    }
    return out;
  }

  /**
   * Prepares every volume of the pod (idempotent: call it on every sync). Writes /etc/hosts when
   * ctx.podIP is known. Throws VolumeSetupError for the first volume that failed, after trying all.
   */
  async setUp(pod: KubeObject, ctx: PodContext = {}): Promise<void> {
    const uid = podUid(pod);
    return this.withPodLock(uid, async () => {
      const state = this.podState(uid, pod);
      fs.mkdirSync(path.join(this.podDir(uid), 'volumes'), { recursive: true, mode: 0o750 });
      fs.mkdirSync(path.join(this.podDir(uid), 'containers'), { recursive: true, mode: 0o750 });
      let firstError: VolumeSetupError | undefined;
      for (const v of podSpec(pod).volumes ?? []) {
        try {
          state.volumes.set(v.name, await setUpVolume(pod, v, this.pluginEnv(pod, v, ctx)));
        } catch (err) {
          const setupErr = new VolumeSetupError(v.name, (err as Error).message);
          const podName = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
          // A volume that was already set up keeps its content and does not block the pod (upstream's
          // periodic remount failures only log); only a volume never set up fails the pod's setup.
          const kept = state.volumes.get(v.name) ?? (await this.previouslyWritten(pod, v));
          if (kept) {
            state.volumes.set(v.name, kept);
            this.log('volume remount failed; keeping the current content', { pod: podName, volume: v.name, error: setupErr.message });
            continue;
          }
          this.log('volume setup failed', { pod: podName, volume: v.name, error: setupErr.message });
          firstError ??= setupErr;
        }
      }
      if (ctx.podIP && !podSpec(pod).hostNetwork) this.writeEtcHosts(pod, [ctx.podIP]);
      if (firstError) throw firstError;
    });
  }

  /** A payload volume written by an earlier run (its `..data` link exists on disk). */
  private async previouslyWritten(pod: KubeObject, v: Volume): Promise<PreparedVolume | undefined> {
    const plugin = pluginOf(v);
    if (!plugin || !isPayloadPlugin(plugin) || v.name.includes('/')) return undefined;
    const dir = path.join(this.podDir(podUid(pod)), 'volumes', plugin, v.name);
    return (await currentDataDir(dir)) ? { plugin, hostPath: dir, readOnly: true } : undefined;
  }

  /** Writes `<podDir>/etc-hosts` for the pod's IPs (mounted into containers by mountsFor). */
  writeEtcHosts(pod: KubeObject, podIPs: string[]): void {
    const file = this.etcHostsPathFor(podUid(pod));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const content = managedHostsFileContent(pod, podIPs, this.clusterDomain);
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === content) return;
    // Rewritten in place (same inode) as upstream does: containers bind-mount this very file.
    fs.writeFileSync(file, content, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
  }

  /**
   * CRI mounts for one container of a set-up pod. Creates missing subPath dirs and the termination-log
   * file. /etc/hosts is (re)written from `ctx.podIP` when given, else from pod.status.podIPs when the
   * file does not exist yet; without any pod IP it is not mounted (as upstream).
   */
  mountsFor(pod: KubeObject, container: { name?: string; volumeMounts?: unknown[]; env?: unknown[]; terminationMessagePath?: string }, ctx: { podIP?: string } = {}): Mount[] {
    const uid = podUid(pod);
    const spec: ContainerSpec = container;
    const volumesByName = new Map<string, Volume>((podSpec(pod).volumes ?? []).map((v) => [v.name, v]));
    const etcHosts = this.etcHostsPathFor(uid);
    if (!podSpec(pod).hostNetwork) {
      if (ctx.podIP) this.writeEtcHosts(pod, [ctx.podIP]);
      else if (!fs.existsSync(etcHosts) && podStatusIPs(pod).length) this.writeEtcHosts(pod, podStatusIPs(pod));
    }
    return containerMounts({
      pod,
      container: spec,
      volume: (name) => {
        const v = volumesByName.get(name);
        if (!v) return undefined;
        const prepared = this.pods.get(uid)?.volumes.get(name);
        if (prepared) return prepared;
        // Not set up in this process (e.g. after a restart): only paths that need no lookup.
        const plugin = pluginOf(v);
        if (v.hostPath) return { hostPath: v.hostPath.path, readOnly: false };
        if (!plugin || plugin === 'kubernetes.io~persistent-volume-claim') return undefined;
        return { hostPath: path.join(this.podDir(uid), 'volumes', plugin, name), readOnly: isPayloadPlugin(plugin) };
      },
      etcHostsPath: fs.existsSync(etcHosts) ? etcHosts : undefined,
      terminationLogPath: this.terminationLogPathFor(uid, spec.name ?? ''),
      fieldValue: (fieldPath) => this.envFieldValue(pod, fieldPath, ctx.podIP),
    });
  }

  /** A fieldRef env value as the kubelet resolves it (podFieldSelectorRuntimeValue), for subPathExpr. */
  private envFieldValue(pod: KubeObject, fieldPath: string, podIP: string | undefined): string | undefined {
    const spec = podSpec(pod) as { nodeName?: string; serviceAccountName?: string };
    const status = (pod.status ?? {}) as { hostIP?: string };
    switch (fieldPath) {
      case 'spec.nodeName':
        return spec.nodeName ?? this.nodeName;
      case 'spec.serviceAccountName':
        return spec.serviceAccountName ?? '';
      case 'status.podIP':
        return podIP ?? podStatusIPs(pod)[0] ?? '';
      case 'status.hostIP':
        return status.hostIP;
      default:
        try {
          return fieldRefValue(pod, { fieldPath });
        } catch {
          return undefined;
        }
    }
  }

  /**
   * Re-reads the sources of configMap/secret/downwardAPI/projected volumes and swaps in new content
   * atomically. Returns whether any volume changed. Failures are logged; the old files stay.
   */
  async refresh(pod: KubeObject, ctx: PodContext = {}): Promise<boolean> {
    const uid = podUid(pod);
    return this.withPodLock(uid, async () => {
      const state = this.podState(uid, pod);
      let changed = false;
      for (const v of podSpec(pod).volumes ?? []) {
        if (!isPayloadPlugin(pluginOf(v))) continue;
        try {
          const env = this.pluginEnv(pod, v, ctx);
          if (!state.volumes.has(v.name) && !fs.existsSync(env.managedDir)) continue;
          if (await writePayloadVolume(v, env)) {
            changed = true;
            this.log('volume updated', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, volume: v.name });
          }
        } catch (err) {
          this.log('volume refresh failed', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, volume: v.name, error: (err as Error).message });
        }
      }
      if (ctx.podIP && !podSpec(pod).hostNetwork) this.writeEtcHosts(pod, [ctx.podIP]);
      return changed;
    });
  }

  /** Unmounts every mount below the pod's dir (tmpfs emptyDirs and secrets), then removes the dir. */
  async tearDown(uid: string): Promise<void> {
    const dir = this.podDir(uid);
    return this.withPodLock(uid, async () => {
      for (const mountPoint of await mountPointsUnder(dir)) {
        await unmount(mountPoint);
      }
      const left = await mountPointsUnder(dir);
      if (left.length) throw new Error(`cannot remove ${dir}: still mounted: ${left.join(', ')}`);
      await fs.promises.rm(dir, { recursive: true, force: true });
      for (const m of this.knownTmpfs) if (m.startsWith(`${dir}/`)) this.knownTmpfs.delete(m);
      this.pods.delete(uid);
      this.tokens.forgetPod(uid);
    });
  }

  private podState(uid: string, pod: KubeObject): PodVolumes {
    let state = this.pods.get(uid);
    if (!state) this.pods.set(uid, (state = { pod, volumes: new Map() }));
    state.pod = pod;
    return state;
  }

  private pluginEnv(pod: KubeObject, v: Volume, ctx: PodContext): PluginEnv {
    const uid = podUid(pod);
    const plugin = pluginOf(v) ?? 'kubernetes.io~unsupported';
    const fsGroup = podSpec(pod).securityContext?.fsGroup;
    const memory = ctx.nodeAllocatable?.memory;
    if (v.name.includes('/') || v.name === '.' || v.name === '..') throw new PluginError(`invalid volume name ${JSON.stringify(v.name)}`);
    return {
      managedDir: path.join(this.podDir(uid), 'volumes', plugin, v.name),
      payload: { pod, sources: this.sources, tokens: this.tokens, nodeAllocatable: ctx.nodeAllocatable, fsGroupSet: fsGroup !== undefined },
      fsGroup,
      memoryBackedSecrets: this.memoryBackedSecrets,
      knownTmpfs: this.knownTmpfs,
      nodeMemoryBytes: memory ? quantityValue(parseQuantityValue(memory)) : undefined,
    };
  }

  /** Serializes setUp/refresh/tearDown of one pod. */
  private withPodLock<T>(uid: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(uid) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.locks.set(uid, settled);
    void settled.then(() => {
      if (this.locks.get(uid) === settled) this.locks.delete(uid);
    });
    return next;
  }
}

/** status.podIPs (or status.podIP) of a pod object. */
function podStatusIPs(pod: KubeObject): string[] {
  const status = (pod.status ?? {}) as { podIP?: unknown; podIPs?: Array<{ ip?: unknown }> };
  const ips = (status.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => typeof ip === 'string' && ip !== '');
  if (ips.length) return ips;
  return typeof status.podIP === 'string' && status.podIP ? [status.podIP] : [];
}
