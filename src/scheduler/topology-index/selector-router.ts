/**
 * SelectorRouter: a set of items, each with a label selector, that answers "which items might
 * select a pod with these labels" without testing every item. An item whose selector requires
 * `key=value` (or `key in (values)`) is filed under those label pairs, so a pod only reaches the
 * items naming one of its own labels; the rest are candidates for every pod. Callers still test
 * the full selector (and namespace) on the candidates. Selectors that match nothing are never
 * candidates. Also: canonical string keys for selectors, so equal selectors share an index entry.
 */
import { requirementToString, type LabelSelector } from '../../machinery/labels.js';

const pairKey = (key: string, value: string): string => `${key}\u0000${value}`;

/** One string per distinct selector (requirement order does not matter). */
export function selectorKey(sel: LabelSelector): string {
  if (sel.nothing) return '\u0000nothing';
  return sel.requirements.map(requirementToString).sort().join(',');
}

function routeOf(sel: LabelSelector): { key: string; values: readonly string[] } | undefined {
  for (const r of sel.requirements) {
    if (r.operator === '=' || r.operator === '==' || r.operator === 'in') return { key: r.key, values: r.values };
  }
  return undefined;
}

export class SelectorRouter<T> {
  private readonly routed = new Map<string, Set<T>>();
  private readonly unrouted = new Set<T>();
  private size_ = 0;

  get size(): number {
    return this.size_;
  }

  add(item: T, sel: LabelSelector): void {
    this.size_++;
    if (sel.nothing) return;
    const route = routeOf(sel);
    if (!route) return void this.unrouted.add(item);
    for (const v of new Set(route.values)) {
      const k = pairKey(route.key, v);
      let set = this.routed.get(k);
      if (!set) this.routed.set(k, (set = new Set()));
      set.add(item);
    }
  }

  remove(item: T, sel: LabelSelector): void {
    this.size_--;
    if (sel.nothing) return;
    const route = routeOf(sel);
    if (!route) return void this.unrouted.delete(item);
    for (const v of new Set(route.values)) {
      const k = pairKey(route.key, v);
      const set = this.routed.get(k);
      set?.delete(item);
      if (set?.size === 0) this.routed.delete(k);
    }
  }

  /** Items that may select a pod with these labels (each at most once). */
  *candidates(labels: Readonly<Record<string, string>> | undefined): Generator<T> {
    yield* this.unrouted;
    if (!labels || this.routed.size === 0) return;
    for (const k in labels) {
      const set = this.routed.get(pairKey(k, labels[k]!));
      if (set) yield* set;
    }
  }
}
