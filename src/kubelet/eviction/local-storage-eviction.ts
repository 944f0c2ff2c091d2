/**
 * LocalStorageEviction: the local-storage half of upstream's kubelet eviction manager
 * (managerImpl.localStorageEviction). Every `intervalMs` (upstream's housekeeping period, 10 s) it
 * measures each active pod (see pod-usage.ts), applies the three rules of rules.ts in upstream's order
 * and hands every pod that breaks one to `onEvict` once. It decides only: the caller's onEvict marks the
 * pod, kills its containers (upstream gives grace period override 1 s: immediate), records the
 * Warning event `Evicted` with the message, and writes the status from statusForEviction().
 *
 * Upstream facts kept: pods with no running container have no stats and are skipped; critical pods
 * (static, mirror, system-critical priority) are never evicted; terminal pods are not active; every
 * pod breaking a rule in one pass is evicted in that pass. Local-storage evictions upstream carry no
 * DisruptionTarget condition (evictPod gets condition nil; only pressure evictions add one), so the
 * decision has none unless `disruptionTargetCondition: true`.
 */
import type { KubeObject } from '../../api/types.js';
import type { PodCondition } from '../status/index.js';
import { disruptionTargetCondition, EVICTED_REASON } from './eviction-status.js';
import { measurePodUsage, runningContainersByPod, type EvictionCri } from './pod-usage.js';
import { isCriticalPod, podPhase } from './pod-view.js';
import { localStorageViolation, type LocalStorageSignal, type PodStorageUsage } from './rules.js';

/** Upstream immediateEvictionGracePeriodSeconds: 1, since 0 would mean "the pod's own grace period" to the pod workers. */
export const IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS = 1;
export const DEFAULT_EVICTION_INTERVAL_MS = 10_000;

export interface EvictionDecision {
  uid: string;
  namespace: string;
  name: string;
  signal: LocalStorageSignal;
  reason: typeof EVICTED_REASON;
  /** Upstream's message, also the text of the Warning event `Evicted`. */
  message: string;
  /** DisruptionTarget/TerminationByKubelet when `disruptionTargetCondition` is on; upstream sets none here. */
  condition?: PodCondition;
  gracePeriodSeconds: number;
  /** The limit crossed as Quantity.String() prints it, and the usage measured against it. */
  limit: string;
  usedBytes: number;
  volumeName?: string;
  containerName?: string;
}

export interface LocalStorageEvictionOptions {
  cri: EvictionCri;
  /** The pods bound to this node (the kubelet's current view). */
  pods: () => readonly KubeObject[];
  /** `<kubelet pods dir>/<uid>`, where the volume manager keeps the pod's volumes and etc-hosts. */
  podDir: (uid: string) => string;
  /** Root of the CRI container logs (`<logRoot>/<ns>_<pod>_<uid>/<container>/<attempt>.log`). */
  logRoot: string;
  onEvict: (pod: KubeObject, decision: EvictionDecision) => void | Promise<void>;
  intervalMs?: number;
  /** Add a DisruptionTarget condition (reason TerminationByKubelet) to decisions; upstream does not for these evictions. */
  disruptionTargetCondition?: boolean;
  log?: (msg: string, fields?: Record<string, unknown>) => void;
}

export class LocalStorageEviction {
  private readonly opts: LocalStorageEvictionOptions;
  private readonly log: (msg: string, fields?: Record<string, unknown>) => void;
  private readonly evicted = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<EvictionDecision[]> | undefined;
  private stopped = true;

  constructor(opts: LocalStorageEvictionOptions) {
    this.opts = opts;
    this.log = opts.log ?? (() => {});
  }

  /** Runs a pass every intervalMs (the next one starts after the previous finished). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule();
  }

  /** Stops the passes; resolves when a pass under way has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => []);
  }

  /** Whether this pod uid was already evicted by this instance. */
  hasEvicted(uid: string): boolean {
    return this.evicted.has(uid);
  }

  /** One pass: measure, decide, call onEvict for each new eviction. Concurrent calls share one pass. */
  checkOnce(): Promise<EvictionDecision[]> {
    if (!this.running) {
      this.running = this.pass().finally(() => {
        this.running = undefined;
      });
    }
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.checkOnce()
        .catch((err: unknown) => this.log('local storage eviction pass failed', { error: String(err) }))
        .finally(() => this.schedule());
    }, this.opts.intervalMs ?? DEFAULT_EVICTION_INTERVAL_MS);
    this.timer.unref?.();
  }

  private async pass(): Promise<EvictionDecision[]> {
    const pods = this.opts.pods();
    const present = new Set(pods.map((p) => p.metadata?.uid ?? ''));
    for (const uid of this.evicted) if (!present.has(uid)) this.evicted.delete(uid);
    const candidates = pods.filter((p) => {
      const uid = p.metadata?.uid;
      const phase = podPhase(p);
      return !!uid && !this.evicted.has(uid) && phase !== 'Succeeded' && phase !== 'Failed';
    });
    if (candidates.length === 0) return [];
    const running = await runningContainersByPod(this.opts.cri);
    const decisions: EvictionDecision[] = [];
    for (const pod of candidates) {
      const uid = pod.metadata!.uid!;
      const containers = running.get(uid);
      if (!containers?.length) continue;
      let usage: PodStorageUsage;
      try {
        usage = await measurePodUsage(pod, { podDir: this.opts.podDir(uid), logRoot: this.opts.logRoot, running: containers });
      } catch (err) {
        this.log('measuring pod local storage failed', { pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, error: String(err) });
        continue;
      }
      const decision = this.decide(pod, usage);
      if (!decision) continue;
      if (isCriticalPod(pod)) {
        this.log('eviction manager: cannot evict a critical pod', { pod: `${decision.namespace}/${decision.name}`, message: decision.message });
        continue;
      }
      this.evicted.add(uid);
      decisions.push(decision);
      this.log('evicting pod', { pod: `${decision.namespace}/${decision.name}`, uid, message: decision.message });
      try {
        await this.opts.onEvict(pod, decision);
      } catch (err) {
        this.log('eviction manager: pod failed to evict', { pod: `${decision.namespace}/${decision.name}`, error: String(err) });
      }
    }
    return decisions;
  }

  private decide(pod: KubeObject, usage: PodStorageUsage): EvictionDecision | undefined {
    const violation = localStorageViolation(pod, usage);
    if (!violation) return undefined;
    const { signal, message, limit, usedBytes, volumeName, containerName } = violation;
    return {
      uid: pod.metadata?.uid ?? '',
      namespace: pod.metadata?.namespace ?? '',
      name: pod.metadata?.name ?? '',
      signal,
      reason: EVICTED_REASON,
      message,
      ...(this.opts.disruptionTargetCondition ? { condition: disruptionTargetCondition(message) } : {}),
      gracePeriodSeconds: IMMEDIATE_EVICTION_GRACE_PERIOD_SECONDS,
      limit,
      usedBytes,
      ...(volumeName !== undefined ? { volumeName } : {}),
      ...(containerName !== undefined ? { containerName } : {}),
    };
  }
}
