/**
 * Pods nominated to a node by preemption (status.nominatedNodeName) and not yet bound. Filters
 * for other pods count nominated pods of equal or higher priority as if they were already on the
 * node, so the room preemption made is not taken by someone else.
 */
import type { PodInfo } from './node-info.js';

export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  set(info: PodInfo, nodeName: string | undefined): void {
    this.remove(info.key);
    if (!nodeName) return;
    let m = this.byNode.get(nodeName);
    if (!m) this.byNode.set(nodeName, (m = new Map()));
    m.set(info.key, info);
    this.nodeOf.set(info.key, nodeName);
  }

  remove(key: string): void {
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const m = this.byNode.get(node);
    m?.delete(key);
    if (m && m.size === 0) this.byNode.delete(node);
  }

  nodeFor(key: string): string | undefined {
    return this.nodeOf.get(key);
  }

  /** Nominated pods on `nodeName` that `forKey` (of `priority`) must leave room for. */
  podsToRespect(nodeName: string, forKey: string, priority: number): PodInfo[] | undefined {
    if (this.byNode.size === 0) return undefined;
    const m = this.byNode.get(nodeName);
    if (!m) return undefined;
    return [...m.values()].filter((p) => p.key !== forKey && p.priority >= priority);
  }
}
