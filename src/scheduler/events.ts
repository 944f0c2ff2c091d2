/**
 * Event recording for the scheduler: core/v1 Events about pods (Scheduled, FailedScheduling,
 * Preempted), written asynchronously with bounded concurrency so scheduling never waits on them.
 * A repeat of the same (object, reason, message) bumps `count` and `lastTimestamp` on the existing
 * Event, as client-go's event correlator does. Events beyond `maxPending` are dropped (events are
 * best effort upstream too).
 */
import { randomBytes } from 'node:crypto';
import type { RestClient } from '../client/rest.js';
import type { Pod } from './types.js';

export interface EventRecorderOptions {
  component: string;
  concurrency?: number;
  maxPending?: number;
}

const nowIso = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class EventRecorder {
  private readonly pending: Array<() => Promise<void>> = [];
  private running = 0;
  private readonly seen = new Map<string, { name: string; namespace: string; count: number }>();
  private idleWaiters: Array<() => void> = [];
  dropped = 0;

  constructor(
    private readonly client: RestClient,
    private readonly opts: EventRecorderOptions,
  ) {}

  record(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, action = 'Scheduling'): void {
    if (this.pending.length >= (this.opts.maxPending ?? 10_000)) {
      this.dropped++;
      return;
    }
    this.pending.push(() => this.write(pod, type, reason, message, action));
    this.pump();
  }

  /** Resolves when every queued event has been written (or failed). */
  flush(): Promise<void> {
    if (this.running === 0 && this.pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running < (this.opts.concurrency ?? 8) && this.pending.length) {
      const job = this.pending.shift()!;
      this.running++;
      void job()
        .catch(() => undefined)
        .finally(() => {
          this.running--;
          this.pump();
          if (this.running === 0 && this.pending.length === 0) for (const w of this.idleWaiters.splice(0)) w();
        });
    }
  }

  private async write(pod: Pod, type: string, reason: string, message: string, action: string): Promise<void> {
    const namespace = pod.metadata?.namespace ?? 'default';
    const podName = pod.metadata?.name ?? '';
    const key = `${pod.metadata?.uid}/${reason}/${message}`;
    const now = nowIso();
    const prior = this.seen.get(key);
    if (prior) {
      prior.count++;
      const res = await this.client.patch(`/api/v1/namespaces/${prior.namespace}/events/${prior.name}`, { count: prior.count, lastTimestamp: now });
      if (res.status < 300) return;
    }
    const name = `${podName}.${randomBytes(8).toString('hex')}`;
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace, name: podName, uid: pod.metadata?.uid, resourceVersion: pod.metadata?.resourceVersion },
      reason,
      message,
      type,
      action,
      source: { component: this.opts.component },
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.component,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    const res = await this.client.post(`/api/v1/namespaces/${namespace}/events`, event);
    if (res.status < 300 && type === 'Warning') {
      if (this.seen.size > 10_000) this.seen.clear();
      this.seen.set(key, { name, namespace, count: 1 });
    }
  }
}
