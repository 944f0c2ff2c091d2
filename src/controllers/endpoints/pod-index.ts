/**
 * Pods by namespace, kept current from a pod informer, so a Service sync reads only its namespace's
 * pods instead of scanning every pod in the cluster.
 */
import type { KubeObject } from '../../api/types.js';
import type { Informer } from '../../client/informer.js';
import type { Pod } from './pods.js';

export class PodsByNamespace {
  private readonly byNs = new Map<string, Map<string, Pod>>();

  constructor(informer: Informer) {
    const put = (o: KubeObject): void => {
      const ns = o.metadata?.namespace ?? '';
      let m = this.byNs.get(ns);
      if (!m) this.byNs.set(ns, (m = new Map()));
      m.set(o.metadata?.name ?? '', o as Pod);
    };
    informer.addHandlers({
      onAdd: put,
      onUpdate: (_old, o) => put(o),
      onDelete: (o) => {
        const m = this.byNs.get(o.metadata?.namespace ?? '');
        m?.delete(o.metadata?.name ?? '');
        if (m && m.size === 0) this.byNs.delete(o.metadata?.namespace ?? '');
      },
    });
  }

  in(namespace: string): Pod[] {
    return [...(this.byNs.get(namespace)?.values() ?? [])];
  }
}
