/**
 * NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
 * `node.kubernetes.io/unschedulable:NoSchedule` taint. Filter only, not fixable by preemption.
 */
import { unresolvable, type Plugin, type Result } from '../../framework.js';
import { tolerated } from '../taint-toleration/index.js';

export const NAME = 'NodeUnschedulable';
export const ERR_REASON = 'node(s) were unschedulable';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulable: Plugin = {
  name: NAME,
  filter(_ctx, pod, node): Result {
    if (!node.node?.spec?.unschedulable) return undefined;
    return tolerated(pod.spec?.tolerations, UNSCHEDULABLE_TAINT) ? undefined : unresolvable(ERR_REASON);
  },
};
