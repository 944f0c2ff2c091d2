/**
 * The kubelet for real containers: one node whose pods run in containerd over CRI.
 *
 * `startCriKubelet(opts)` starts containerd as Skiff's child (or adopts the one a previous run left
 * running), the kubelet HTTPS server (logs, exec, attach, port-forward, stats) and the node agent
 * (Node object, Lease heartbeat), then watches the pods bound to this node and runs one serialized
 * worker per pod (pod-sync.ts). Containerd is relisted every second; pods whose containers changed
 * are resynced. Everything is reached through the API server, as a kubelet on another host would.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../api/types.js';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { EventRecorder } from '../../runtime/events.js';
import { RestartBackoff } from '../backoff/index.js';
import { startContainerd, type ContainerdHandle } from '../containerd/index.js';
import { LocalStorageEviction } from '../eviction/index.js';
import { ContainerLogManager, containerLogSettings, type ContainerLogKubeletConfig } from '../logs/index.js';
import { NodeStats, handleStatsSummary, startNodeAgent, type NodeAgent } from '../node/index.js';
import { primaryIPv4 } from '../node/host-facts.js';
import { ProbeManager } from '../prober/index.js';
import { startKubeletServer } from '../server/index.js';
import { apiPodWriter } from '../sim/sim-runtime.js';
import { VolumeManager } from '../volumes/index.js';
import { apiObjectGetter } from './api-sources.js';
import { evictPod, type EvictionMemory } from './evict-pod.js';
import { ImagePuller } from './image-puller.js';
import { newPodMemory, type KubeletParts, type PodMemory } from './pod-context.js';
import { removePodResources, syncPod, terminatePod } from './pod-sync.js';
import { PodWorkers } from './pod-workers.js';
import { RuntimeState } from './runtime-state.js';
import { streamingBackend } from './streaming-backend.js';

export interface CriKubeletOptions {
  client: RestClient;
  dataDir: string;
  nodeName?: string;
  podCIDR?: string;
  /** The CNI bridge (default skiff0). Tests running beside another kubelet pass their own, with their own podCIDR. */
  bridgeName?: string;
  /** 0 = any free port. Default 10250. */
  kubeletPort?: number;
  tls: { certPem: string; keyPem: string; caPem: string };
  clusterDNS?: string[];
  clusterDomain?: string;
  /** Log rotation (kubelet config fields; defaults 10Mi, 5 files, every 10s). */
  containerLogs?: ContainerLogKubeletConfig;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export interface CriKubeletHandle {
  nodeName: string;
  containerd: ContainerdHandle;
  kubeletPort: number;
  /** Stops the kubelet; containerd and the containers keep running unless `stopContainerd`. */
  stop(opts?: { stopContainerd?: boolean }): Promise<void>;
}

export const DEFAULT_POD_CIDR = '10.42.0.0/24';

function specOrMetaChanged(a: KubeObject, b: KubeObject): boolean {
  const meta = ({ resourceVersion: _rv, managedFields: _mf, ...rest }: Record<string, unknown>) => rest;
  return JSON.stringify(a.spec) !== JSON.stringify(b.spec) || JSON.stringify(meta((a.metadata ?? {}) as Record<string, unknown>)) !== JSON.stringify(meta((b.metadata ?? {}) as Record<string, unknown>));
}

export async function startCriKubelet(opts: CriKubeletOptions): Promise<CriKubeletHandle> {
  const log = opts.log ?? (() => {});
  const nodeName = (opts.nodeName ?? hostname()).toLowerCase();
  const podCIDR = opts.podCIDR ?? DEFAULT_POD_CIDR;
  const containerd = await startContainerd({ dir: join(opts.dataDir, 'containerd'), podCidr: podCIDR, log, ...(opts.bridgeName ? { bridgeName: opts.bridgeName } : {}) });
  const cri = containerd.client;
  const getter = apiObjectGetter(opts.client);
  const pods = new Informer(opts.client, { path: '/api/v1/pods', fieldSelector: `spec.nodeName=${nodeName}` });
  const memory = new Map<string, PodMemory>();
  const memOf = (uid: string) => memory.get(uid) ?? (memory.set(uid, newPodMemory()), memory.get(uid)!);
  const byUid = new Map<string, KubeObject>();
  const evicted = new Map<string, EvictionMemory>();

  let workers: PodWorkers;
  const state = new RuntimeState(cri, (uid) => workers?.trigger(uid), (err) => log('relist failed', { error: String(err) }));
  const events = new EventRecorder(opts.client, { component: 'kubelet', host: nodeName });
  const probes = new ProbeManager({
    onChange(uid, name, kind, result) {
      // A liveness or startup failure past its threshold asks for a restart of that container.
      if (result === 'failure' && kind !== 'readiness') {
        const id = memOf(uid).probed.get(name);
        if (id) memOf(uid).restartRequested.add(id);
      }
      workers?.trigger(uid);
    },
    onEvent(uid, _name, event) {
      const pod = byUid.get(uid);
      if (pod) void events.record(pod, event.type, event.reason, event.message);
    },
  });
  const hostIP = primaryIPv4();
  let nodeAgent: NodeAgent | undefined;
  const parts: KubeletParts = {
    cri,
    state,
    volumes: new VolumeManager({ rootDir: join(opts.dataDir, 'kubelet', 'pods'), sources: getter, nodeName, log: (msg, fields) => log(msg, fields as Record<string, unknown>) }),
    probes,
    backoff: new RestartBackoff(),
    images: new ImagePuller(cri, getter),
    getter,
    events,
    writer: apiPodWriter(opts.client),
    node: {
      nodeName,
      hostIP: () => hostIP,
      clusterDNS: opts.clusterDNS ?? ['10.96.0.10'],
      clusterDomain: opts.clusterDomain ?? 'cluster.local',
      logRoot: join(opts.dataDir, 'kubelet', 'logs'),
      allocatable: () => (nodeAgent?.node()?.status as { allocatable?: Record<string, string> } | undefined)?.allocatable ?? {},
    },
    log,
  };

  workers = new PodWorkers(
    async (uid) => {
      const pod = byUid.get(uid);
      if (!pod) {
        if (synced) {
          await removePodResources(parts, uid);
          memory.delete(uid);
          evicted.delete(uid);
          workers.forget(uid);
        }
        return;
      }
      if (pod.metadata?.deletionTimestamp) return terminatePod(parts, pod, memOf(uid));
      const eviction = evicted.get(uid);
      if (eviction) return evictPod(parts, pod, memOf(uid), eviction);
      const result = await syncPod(parts, pod, memOf(uid));
      // Running pods get their configMap/secret/downwardAPI volumes refreshed and are resynced periodically.
      return { requeueAfterMs: Math.min(result?.requeueAfterMs ?? 10_000, 10_000) };
    },
    (uid, err) => log('pod sync failed', { uid, error: String((err as Error)?.stack ?? err) }),
  );

  let synced = false;
  const update = (pod: KubeObject) => {
    const uid = pod.metadata?.uid;
    if (!uid) return;
    byUid.set(uid, pod);
    workers.trigger(uid);
  };
  pods.addHandlers({
    onAdd: update,
    // Our own status writes come back as updates: only a change of spec or metadata needs a sync.
    onUpdate: (old, pod) => (specOrMetaChanged(old, pod) ? update(pod) : void byUid.set(pod.metadata?.uid ?? '', pod)),
    onDelete: (pod) => {
      const uid = pod.metadata?.uid;
      if (!uid) return;
      byUid.delete(uid);
      workers.trigger(uid);
    },
  });

  const storageEviction = new LocalStorageEviction({
    cri,
    pods: () => [...byUid.values()],
    podDir: (uid) => parts.volumes.podDir(uid),
    logRoot: parts.node.logRoot,
    onEvict: (pod, decision) => {
      const uid = pod.metadata?.uid ?? '';
      log('evicting pod', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, reason: decision.signal, message: decision.message });
      evicted.set(uid, { decision, written: false });
      workers.trigger(uid);
    },
    log,
  });
  const logRotation = new ContainerLogManager({ cri, log, ...containerLogSettings(opts.containerLogs) });
  parts.logs = logRotation;
  const stats = new NodeStats(cri, { nodeName, onError: (err) => log('stats failed', { error: String(err) }) });
  stats.start();
  const server = await startKubeletServer({
    port: opts.kubeletPort ?? 10250,
    bind: '0.0.0.0',
    tls: opts.tls,
    backend: streamingBackend(cri, state, () => [...byUid.values()], parts.node.logRoot),
    routes: [handleStatsSummary(stats)],
  });
  nodeAgent = await startNodeAgent({
    client: opts.client,
    nodeName,
    podCIDR,
    kubeletPort: server.port,
    runtimeVersion: `containerd://${containerd.version}`,
    dataDir: opts.dataDir,
    address: hostIP,
    images: async () => (await cri.listImages()).map((i) => ({ names: [...i.repo_digests, ...i.repo_tags], sizeBytes: i.size })),
    runtimeStatus: async () => {
      const st = await cri.status().catch((err: Error) => ({ error: err.message }));
      if ('error' in st) return `container runtime is down: ${st.error}`;
      const down = (st.status?.conditions ?? []).filter((c) => !c.status);
      return down.length ? `container runtime network not ready: ${down.map((c) => `${c.type}=false reason:${c.reason} message:${c.message}`).join(', ')}` : undefined;
    },
    log: { warn: (msg, fields) => log(msg, fields), info: (msg, fields) => log(msg, fields) },
  });
  await state.relist();
  pods.start();
  await pods.waitForSync();
  synced = true;
  state.start(1000);
  logRotation.start();
  storageEviction.start();
  // Containers of pods that no longer exist (deleted while Skiff was down) are removed.
  for (const uid of new Set([...state.podUids(), ...parts.volumes.podUidsOnDisk()])) if (!byUid.has(uid)) workers.trigger(uid);
  log('kubelet started', { node: nodeName, containerd: containerd.version, kubeletPort: server.port });

  return {
    nodeName,
    containerd,
    kubeletPort: server.port,
    async stop(stopOpts = {}) {
      state.stop();
      pods.stop();
      workers.close();
      probes.stop();
      stats.stop();
      await logRotation.stop();
      await storageEviction.stop();
      nodeAgent?.stop();
      await server.close();
      if (stopOpts.stopContainerd) await containerd.stop();
      else containerd.detach();
    },
  };
}
