/**
 * Compiled pod (anti-)affinity terms: the label selector (with matchLabelKeys/mismatchLabelKeys
 * folded in from the owning pod's labels), the namespaces it applies to (the owner's namespace by
 * default; `namespaceSelector: {}` means all), and the topology key. Memoised per pod object.
 */
import { matches, selectorFromLabelSelector, type LabelSelector } from '../../../machinery/labels.js';
import type { ClusterSnapshot } from '../../framework.js';
import type { Pod, PodAffinityTerm } from '../../types.js';

export interface CompiledTerm {
  selector: LabelSelector;
  namespaces: ReadonlySet<string>;
  namespaceSelector?: LabelSelector;
  topologyKey: string;
  weight: number;
}

export interface CompiledAffinity {
  requiredAffinity: CompiledTerm[];
  requiredAntiAffinity: CompiledTerm[];
  preferredAffinity: CompiledTerm[];
  preferredAntiAffinity: CompiledTerm[];
}

function safeSelector(spec: PodAffinityTerm['labelSelector']): LabelSelector {
  try {
    return selectorFromLabelSelector(spec);
  } catch {
    return { requirements: [], nothing: true };
  }
}

function compile(pod: Pod, term: PodAffinityTerm, weight: number): CompiledTerm {
  const selector = safeSelector(term.labelSelector);
  const labels = pod.metadata?.labels ?? {};
  if (!selector.nothing) {
    for (const k of term.matchLabelKeys ?? []) if (k in labels) selector.requirements.push({ key: k, operator: 'in', values: [labels[k]!] });
    for (const k of term.mismatchLabelKeys ?? []) if (k in labels) selector.requirements.push({ key: k, operator: 'notin', values: [labels[k]!] });
  }
  const hasNs = (term.namespaces ?? []).length > 0;
  const namespaces = new Set(hasNs || term.namespaceSelector ? (term.namespaces ?? []) : [pod.metadata?.namespace ?? '']);
  const namespaceSelector = term.namespaceSelector ? safeSelector(term.namespaceSelector) : undefined;
  return { selector, namespaces, namespaceSelector, topologyKey: term.topologyKey, weight };
}

const memo = new WeakMap<object, CompiledAffinity>();

export function compiledAffinity(pod: Pod): CompiledAffinity {
  let c = memo.get(pod);
  if (c) return c;
  const a = pod.spec?.affinity;
  c = {
    requiredAffinity: (a?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compile(pod, t, 1)),
    requiredAntiAffinity: (a?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compile(pod, t, 1)),
    preferredAffinity: (a?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compile(pod, t.podAffinityTerm, t.weight)),
    preferredAntiAffinity: (a?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compile(pod, t.podAffinityTerm, t.weight)),
  };
  memo.set(pod, c);
  return c;
}

/** Whether `target` is selected by `term` (namespace and labels). */
export function termMatchesPod(term: CompiledTerm, target: Pod, snapshot: ClusterSnapshot): boolean {
  const ns = target.metadata?.namespace ?? '';
  let nsOk = term.namespaces.has(ns);
  if (!nsOk && term.namespaceSelector) nsOk = matches(term.namespaceSelector, snapshot.namespace(ns)?.metadata?.labels ?? {});
  return nsOk && matches(term.selector, target.metadata?.labels);
}
