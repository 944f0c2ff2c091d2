/**
 * NodePorts: a pod asking for a host port fits only nodes where no placed pod holds the same
 * protocol and port on an overlapping IP (0.0.0.0 overlaps every IP). Preemption may help.
 */
import { SKIP, unschedulable, type Plugin, type Result } from '../../framework.js';
import { hostPortsOf, type HostPort, type NodeInfo } from '../../node-info.js';
import type { Pod } from '../../types.js';

export const NAME = 'NodePorts';
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

const conflicts = (a: HostPort, b: HostPort): boolean =>
  a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');

export function fitsPorts(pod: Pod, node: NodeInfo): boolean {
  const wanted = hostPortsOf(pod);
  return wanted.every((w) => !node.usedPorts.some((u) => conflicts(w, u)));
}

export const nodePorts: Plugin = {
  name: NAME,
  preFilter(_ctx, pod) {
    return hostPortsOf(pod).length ? undefined : SKIP;
  },
  filter(_ctx, pod, node): Result {
    return fitsPorts(pod, node) ? undefined : unschedulable(ERR_REASON);
  },
};
