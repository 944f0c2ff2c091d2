/**
 * kube-scheduler for Skiff. Assigns pending pods to nodes, talking to the cluster only through
 * the API (src/client): informers on nodes, pods, PVCs, PVs, StorageClasses, namespaces,
 * PriorityClasses and PodDisruptionBudgets feed the cache and the queue; results are written as
 * pods/binding, pod status (PodScheduled condition, nominatedNodeName), Events, and victim
 * deletions for preemption.
 *
 * `startScheduler({client, config?, logger?})` starts it and resolves once the informers have
 * synced; `stop()` ends it. Pods whose spec.schedulerName names no configured profile are left to
 * other schedulers. Parts: cache.ts (NodeInfo snapshot), topology-index/ (incremental per-domain
 * pod counts for topology spread and inter-pod affinity), queue.ts (active/backoff/unschedulable),
 * framework.ts + plugins/<name>/ (filters and scores), scheduler.ts (the loop), preemption.ts,
 * config.ts (KubeSchedulerConfiguration subset), events.ts.
 */
import type { KubeObject } from '../api/types.js';
import { Informer, objectKey } from '../client/informer.js';
import type { RestClient } from '../client/rest.js';
import { SchedulerCache } from './cache.js';
import { buildProfiles, type SchedulerConfig } from './config.js';
import { EventRecorder } from './events.js';
import { Nominator } from './nominator.js';
import { podInfo } from './node-info.js';
import { SchedulingQueue } from './queue.js';
import { SchedulingLoop, type Logger } from './scheduler.js';
import { podKey, type Node, type Pod, type PodDisruptionBudget } from './types.js';

export type { SchedulerConfig } from './config.js';
export { loadSchedulerConfig, parseSchedulerConfig } from './config.js';
export type { Logger } from './scheduler.js';

export interface SchedulerHandle {
  stop(): void;
  /** Pods bound so far (for tests and benchmarks). */
  scheduledCount(): number;
  /** Resolves when queued Events have been written. */
  flushEvents(): Promise<void>;
}

const silent: Logger = { info: () => undefined, error: () => undefined };

export async function startScheduler(opts: { client: RestClient; config?: SchedulerConfig; logger?: Logger }): Promise<SchedulerHandle> {
  const { client } = opts;
  const config = opts.config ?? {};
  const logger = opts.logger ?? silent;
  const profiles = new Map(buildProfiles(config).map((p) => [p.schedulerName, p] as const));
  const cache = new SchedulerCache();
  const queue = new SchedulingQueue({
    priorityOf: (pod) => cache.priorityOf(pod),
    initialBackoffMs: (config.podInitialBackoffSeconds ?? 1) * 1000,
    maxBackoffMs: (config.podMaxBackoffSeconds ?? 10) * 1000,
  });
  const nominator = new Nominator();
  const events = new EventRecorder(client, { component: [...profiles.keys()][0] ?? 'default-scheduler' });
  const informer = (path: string): Informer => new Informer(client, { path, pageSize: 500 });
  const informers = {
    nodes: informer('/api/v1/nodes'),
    pods: informer('/api/v1/pods'),
    pvcs: informer('/api/v1/persistentvolumeclaims'),
    pvs: informer('/api/v1/persistentvolumes'),
    classes: informer('/apis/storage.k8s.io/v1/storageclasses'),
    namespaces: informer('/api/v1/namespaces'),
    priorityClasses: informer('/apis/scheduling.k8s.io/v1/priorityclasses'),
    pdbs: informer('/apis/policy/v1/poddisruptionbudgets'),
  };
  const moveAll = (): void => queue.moveAllToActiveOrBackoff();
  const isOurs = (pod: Pod): boolean => profiles.has(pod.spec?.schedulerName ?? 'default-scheduler');
  // Pods with scheduling gates wait outside the queue until the gates are removed (an update).
  const pending = (pod: Pod): boolean =>
    !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed' && !pod.spec?.schedulingGates?.length;

  const onPod = (obj: KubeObject): void => {
    const pod = obj as Pod;
    if (pod.spec?.nodeName) {
      // A newly placed pod (or one whose labels changed) may satisfy another pod's affinity or spread.
      const before = cache.placedPod(podKey(pod));
      cache.setPod(pod);
      if (!before || JSON.stringify(before.metadata?.labels) !== JSON.stringify(pod.metadata?.labels)) moveAll();
      queue.delete(podKey(pod));
      nominator.remove(podKey(pod));
    } else if (pending(pod) && isOurs(pod)) {
      queue.update(pod);
      if (pod.status?.nominatedNodeName) nominator.set(podInfo(pod, cache.priorityOf(pod)), pod.status.nominatedNodeName);
    } else queue.delete(podKey(pod));
  };
  informers.pods.addHandlers({
    onAdd: onPod,
    onUpdate: (_old, obj) => onPod(obj),
    onDelete: (obj) => {
      const key = podKey(obj as Pod);
      queue.delete(key);
      nominator.remove(key);
      if (cache.isAssumedOrPlaced(key)) {
        cache.removePod(key);
        moveAll();
      }
    },
  });
  informers.nodes.addHandlers({
    onAdd: (obj) => (cache.setNode(obj as Node), moveAll()),
    onUpdate: (_o, obj) => (cache.setNode(obj as Node), moveAll()),
    onDelete: (obj) => cache.removeNode(obj.metadata?.name ?? ''),
  });
  const mapped = <T extends KubeObject>(map: Map<string, T>, move: boolean) => ({
    onAdd: (obj: KubeObject) => (map.set(objectKey(obj), obj as T), move && moveAll()),
    onUpdate: (_o: KubeObject, obj: KubeObject) => (map.set(objectKey(obj), obj as T), move && moveAll()),
    onDelete: (obj: KubeObject) => map.delete(objectKey(obj)),
  });
  informers.pvcs.addHandlers(mapped(cache.pvcMap, true));
  informers.pvs.addHandlers(mapped(cache.pvMap, true));
  informers.classes.addHandlers(mapped(cache.classMap, true));
  informers.namespaces.addHandlers({
    onAdd: (obj) => cache.setNamespace(obj),
    onUpdate: (_o, obj) => cache.setNamespace(obj),
    onDelete: (obj) => cache.removeNamespace(obj.metadata?.name ?? ''),
  });
  informers.priorityClasses.addHandlers(mapped(cache.priorityClasses, false));

  // Everything but pods first, so queued pods see their PriorityClass and nodes from the start.
  const others = Object.entries(informers).filter(([k]) => k !== 'pods').map(([, i]) => i);
  for (const i of others) i.start();
  await Promise.all(others.map((i) => i.waitForSync()));
  informers.pods.start();
  await informers.pods.waitForSync();

  const loop = new SchedulingLoop({ client, cache, queue, nominator, events, profiles, pdbs: () => informers.pdbs.list() as PodDisruptionBudget[], logger, scheduledEvents: config.scheduledEvents ?? true });
  void loop.run();
  logger.info(`scheduler started with profiles ${[...profiles.keys()].join(', ')}`);
  return {
    stop() {
      loop.stop();
      queue.close();
      for (const i of Object.values(informers)) i.stop();
    },
    scheduledCount: () => loop.scheduled,
    flushEvents: () => events.flush(),
  };
}
