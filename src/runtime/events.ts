/**
 * Event recording (client-go's EventRecorder): what users see in `kubectl describe`. Repeated events
 * for the same object, reason and message are folded into one Event whose count goes up, as upstream.
 */
import type { KubeObject } from '../api/types.js';
import type { RestClient } from '../client/rest.js';

export interface EventSource {
  component: string;
  host?: string;
}

function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class EventRecorder {
  private readonly seen = new Map<string, { name: string; namespace: string; count: number }>();

  constructor(
    private readonly client: RestClient,
    private readonly source: EventSource,
  ) {}

  /** Records an event; failures are swallowed (events are best effort, as upstream). */
  async record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const m = obj.metadata ?? {};
    const namespace = m.namespace || 'default';
    const key = `${m.uid}/${reason}/${message}`;
    const prior = this.seen.get(key);
    try {
      if (prior) {
        prior.count++;
        const res = await this.client.patch(`/api/v1/namespaces/${prior.namespace}/events/${prior.name}`, { count: prior.count, lastTimestamp: now() });
        if (res.status === 200) return;
      }
      const name = `${m.name}.${Date.now().toString(16)}${Math.floor(Math.random() * 0xffff).toString(16)}`;
      const event = {
        metadata: { name, namespace },
        involvedObject: { kind: obj.kind, namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: obj.apiVersion, resourceVersion: m.resourceVersion },
        reason,
        message,
        type,
        source: this.source,
        firstTimestamp: now(),
        lastTimestamp: now(),
        count: 1,
        reportingComponent: this.source.component,
        reportingInstance: this.source.host ?? '',
      };
      const res = await this.client.post(`/api/v1/namespaces/${namespace}/events`, event);
      if (res.status === 201) this.seen.set(key, { name, namespace, count: 1 });
      if (this.seen.size > 10_000) this.seen.delete(this.seen.keys().next().value as string);
    } catch {
      // best effort
    }
  }
}
