/**
 * NodeName: a pod that names its node (spec.nodeName) fits only that node.
 * Filter only; the failure cannot be fixed by preemption.
 */
import { SKIP, unresolvable, type Plugin, type Result } from '../../framework.js';
import type { NodeInfo } from '../../node-info.js';
import type { Pod } from '../../types.js';

export const NAME = 'NodeName';
export const ERR_REASON = "node(s) didn't match the requested node name";

export function fitsNodeName(pod: Pod, node: NodeInfo): boolean {
  const wanted = pod.spec?.nodeName;
  return !wanted || wanted === node.name;
}

export const nodeName: Plugin = {
  name: NAME,
  preFilter: (_ctx, pod) => (pod.spec?.nodeName ? undefined : SKIP),
  filter(_ctx, pod, node): Result {
    return fitsNodeName(pod, node) ? undefined : unresolvable(ERR_REASON);
  },
};
