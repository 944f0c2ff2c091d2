/**
 * One informer per deletable resource (upstream's GraphBuilder monitors), feeding the ownership graph
 * and telling the collector which uids to look at after each change. Events are ignored, as upstream.
 * `sync()` re-runs discovery and adds monitors for resources that appeared (custom resources).
 */
import type { KubeObject } from '../../api/types.js';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { canListWatch, discoverResourcesPartial, preferredOnly, resourcePath, type ApiResource } from './discovery.js';
import type { OwnershipGraph } from './graph.js';

const ignored = new Set(['/events', 'events.k8s.io/events']);

export class Monitors {
  private readonly informers = new Map<string, Informer>();
  /** Every discovered resource (all versions), for mapping ownerReferences to paths. */
  resources: ApiResource[] = [];

  constructor(
    private readonly client: RestClient,
    private readonly graph: OwnershipGraph,
    private readonly enqueue: (uid: string) => void,
  ) {}

  /** Resolves with the group versions discovery could not read (monitored next time). */
  async sync(): Promise<string[]> {
    const { resources, failures } = await discoverResourcesPartial(this.client);
    this.resources = resources;
    const added: Informer[] = [];
    for (const r of preferredOnly(this.resources)) {
      const key = `${r.group}/${r.resource}`;
      if (ignored.has(key) || this.informers.has(key) || !canListWatch(r) || !r.verbs.includes('delete')) continue;
      const inf = new Informer(this.client, { path: resourcePath(r) });
      inf.addHandlers({
        onAdd: (o) => this.observe(r, o),
        onUpdate: (_old, o) => this.observe(r, o),
        onDelete: (o) => this.forget(o),
      });
      this.informers.set(key, inf);
      added.push(inf);
      inf.start();
    }
    await Promise.all(added.map((i) => i.waitForSync()));
    return failures;
  }

  stop(): void {
    for (const i of this.informers.values()) i.stop();
  }

  private observe(r: ApiResource, obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    for (const owner of this.graph.upsert(r, obj)) this.enqueue(owner);
    this.enqueue(uid);
  }

  private forget(obj: KubeObject): void {
    const uid = obj.metadata?.uid;
    if (!uid) return;
    const { owners, dependents } = this.graph.remove(uid);
    for (const u of [...owners, ...dependents]) this.enqueue(u);
  }
}
