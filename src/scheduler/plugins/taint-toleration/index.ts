/**
 * TaintToleration: filter out nodes with a NoSchedule/NoExecute taint the pod does not tolerate
 * (reason `node(s) had untolerated taint {key: value}`), and prefer nodes with fewer untolerated
 * PreferNoSchedule taints (score: the count, normalised so fewer is better).
 */
import { defaultNormalize, unresolvable, type Plugin, type Result } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import type { Pod, Taint, Toleration } from '../../types.js';

export const NAME = 'TaintToleration';

/** v1.Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

export const tolerated = (tolerations: readonly Toleration[] | undefined, taint: Taint): boolean =>
  (tolerations ?? []).some((t) => toleratesTaint(t, taint));

/** The first NoSchedule/NoExecute taint the tolerations do not cover. */
export function firstUntoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined): Taint | undefined {
  return (taints ?? []).find((taint) => (taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerated(tolerations, taint));
}

export function countIntolerablePreferNoSchedule(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined): number {
  if (!taints?.length) return 0;
  const relevant = (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
  return taints.filter((taint) => taint.effect === 'PreferNoSchedule' && !tolerated(relevant, taint)).length;
}

export const taintToleration: Plugin = {
  name: NAME,
  filter(_ctx, pod: Pod, node: NodeInfo): Result {
    if (!node.node?.spec?.taints?.length) return undefined;
    const taint = firstUntoleratedTaint(node.node?.spec?.taints, pod.spec?.tolerations);
    return taint ? unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`) : undefined;
  },
  score(_ctx, pod, node) {
    return countIntolerablePreferNoSchedule(node.node?.spec?.taints, pod.spec?.tolerations);
  },
  normalizeScore(_ctx, _pod, scores) {
    defaultNormalize(scores, true);
  },
};
