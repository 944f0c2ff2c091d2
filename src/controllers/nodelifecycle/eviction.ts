/**
 * Taint-based eviction (upstream pkg/controller/tainteviction): a pod on a node with NoExecute taints
 * is deleted at once when it does not tolerate them, after the shortest tolerationSeconds of the
 * tolerations it uses (counted from the taint's timeAdded), or never when those have no limit.
 * Deletions are graceful (the kubelet, if any, finishes them); the pod first gets a DisruptionTarget
 * condition and an event, as upstream.
 */
import type { KubeObject } from '../../api/types.js';
import type { RestClient } from '../../client/rest.js';
import type { EventRecorder } from '../../runtime/index.js';
import type { Node } from './health.js';
import { tolerationTimeMs, type Toleration } from './tolerations.js';

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; tolerations?: Toleration[] };
}

const keyOf = (p: Pod): string => `${p.metadata?.namespace}/${p.metadata?.name}`;
const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** When the pod must leave the node: ms timestamp, or undefined for never. */
export function evictionTime(pod: Pod, node: Node, nowMs: number): number | undefined {
  const taints = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
  if (!taints.length) return undefined;
  const ms = tolerationTimeMs(pod.spec?.tolerations ?? [], taints);
  if (ms === Infinity) return undefined;
  const added = taints.map((t) => (t.timeAdded ? Date.parse(t.timeAdded) : NaN)).filter((t) => !Number.isNaN(t));
  const start = added.length ? Math.min(...added) : nowMs;
  return start + ms;
}

export class TaintEvictor {
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();

  constructor(
    private readonly client: RestClient,
    private readonly recorder: EventRecorder,
    private readonly lookup: { pod(key: string): Pod | undefined; node(name: string): Node | undefined },
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Re-plans the pod's eviction from the caches. */
  consider(pod: Pod): void {
    const key = keyOf(pod);
    const node = pod.spec?.nodeName ? this.lookup.node(pod.spec.nodeName) : undefined;
    const at = !node || pod.metadata?.deletionTimestamp ? undefined : evictionTime(pod, node, Date.now());
    const prior = this.timers.get(key);
    if (prior && prior.at === at) return;
    if (prior) clearTimeout(prior.timer);
    this.timers.delete(key);
    if (at === undefined) return;
    // Long tolerations: wake up hourly and re-check (setTimeout cannot wait more than ~24.8 days).
    const timer = setTimeout(() => void this.fire(key, at), Math.min(Math.max(0, at - Date.now()), 3_600_000));
    timer.unref();
    this.timers.set(key, { at, timer });
  }

  forget(pod: Pod): void {
    const key = keyOf(pod);
    const prior = this.timers.get(key);
    if (prior) clearTimeout(prior.timer);
    this.timers.delete(key);
  }

  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
  }

  private async fire(key: string, at: number): Promise<void> {
    if (this.timers.get(key)?.at !== at) return;
    this.timers.delete(key);
    const pod = this.lookup.pod(key);
    if (!pod || pod.metadata?.deletionTimestamp) return;
    const node = pod.spec?.nodeName ? this.lookup.node(pod.spec.nodeName) : undefined;
    const due = node ? evictionTime(pod, node, Date.now()) : undefined;
    if (due === undefined) return;
    if (due > Date.now()) return this.consider(pod);
    try {
      await this.evict(pod);
    } catch (e) {
      this.onError(e);
      // Try again shortly.
      const timer = setTimeout(() => void this.fire(key, at), 1000);
      timer.unref();
      this.timers.set(key, { at, timer });
    }
  }

  private async evict(pod: Pod): Promise<void> {
    const path = `/api/v1/namespaces/${pod.metadata?.namespace}/pods/${pod.metadata?.name}`;
    void this.recorder.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${keyOf(pod)}`);
    await this.client.patch(
      `${path}/status`,
      { status: { conditions: [{ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: now() }] } },
      'application/strategic-merge-patch+json',
    );
    const res = await this.client.delete(path, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: pod.metadata?.uid } });
    if (res.status !== 200 && res.status !== 404 && res.status !== 409) throw new Error(`evict ${keyOf(pod)}: ${res.status} ${res.text.slice(0, 200)}`);
  }
}
