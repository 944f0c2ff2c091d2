/**
 * NodeAffinity: spec.nodeSelector and required node affinity must match the node (filter,
 * `node(s) didn't match Pod's node affinity/selector`, not fixable by preemption); preferred terms
 * add their weight when they match (score, normalised so the best node gets 100).
 * Term semantics as upstream: terms are ORed, a term's expressions and fields are ANDed, an empty
 * term matches nothing; matchFields supports `metadata.name`.
 */
import { defaultNormalize, SKIP, unresolvable, type Plugin, type Result } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../types.js';

export const NAME = 'NodeAffinity';
export const ERR_REASON = "node(s) didn't match Pod's node affinity/selector";

const INT = /^-?\d+$/;

export function requirementMatches(req: NodeSelectorRequirement, values: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, req.key);
  const v = has ? values[req.key]! : '';
  const vals = req.values ?? [];
  switch (req.operator) {
    case 'In':
      return has && vals.includes(v);
    case 'NotIn':
      return !has || !vals.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (!has || vals.length !== 1 || !INT.test(v) || !INT.test(vals[0]!)) return false;
      const left = BigInt(v);
      const right = BigInt(vals[0]!);
      return req.operator === 'Gt' ? left > right : left < right;
    }
    default:
      return false;
  }
}

export function termMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  if (!exprs.every((r) => requirementMatches(r, labels))) return false;
  const fieldValues = { 'metadata.name': node.metadata?.name ?? '' };
  return fields.every((r) => r.key === 'metadata.name' && requirementMatches(r, fieldValues));
}

export const nodeSelectorMatches = (sel: NodeSelector, node: Node): boolean => (sel.nodeSelectorTerms ?? []).some((t) => termMatches(t, node));

/** nodeSelector plus required node affinity (upstream's GetRequiredNodeAffinity().Match). */
export function matchesRequiredAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return !required || nodeSelectorMatches(required, node);
}

export function preferredScore(pod: Pod, node: Node): number {
  let sum = 0;
  for (const p of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (p.weight !== 0 && termMatches(p.preference, node)) sum += p.weight;
  }
  return sum;
}

export const nodeAffinity: Plugin = {
  name: NAME,
  preFilter(_ctx, pod) {
    const hasSelector = pod.spec?.nodeSelector && Object.keys(pod.spec.nodeSelector).length > 0;
    return hasSelector || pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution ? undefined : SKIP;
  },
  preScore(_ctx, pod) {
    return pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ? undefined : SKIP;
  },
  filter(_ctx, pod: Pod, node: NodeInfo): Result {
    return node.node && matchesRequiredAffinity(pod, node.node) ? undefined : unresolvable(ERR_REASON);
  },
  score(_ctx, pod, node) {
    return node.node ? preferredScore(pod, node.node) : 0;
  },
  normalizeScore(_ctx, _pod, scores) {
    defaultNormalize(scores, false);
  },
};
