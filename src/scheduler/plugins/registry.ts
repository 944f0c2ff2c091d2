/**
 * The in-tree plugins by name, in upstream's default filter order, with the default profile's
 * score weights (KubeSchedulerConfiguration v1 defaults).
 */
import type { Plugin } from '../framework.js';
import { interPodAffinity } from './inter-pod-affinity/index.js';
import { nodeAffinity } from './node-affinity/index.js';
import { nodeName } from './node-name/index.js';
import { nodePorts } from './node-ports/index.js';
import { nodeResourcesBalancedAllocation } from './node-resources-balanced-allocation/index.js';
import { nodeResourcesFit } from './node-resources-fit/index.js';
import { nodeUnschedulable } from './node-unschedulable/index.js';
import { podTopologySpread } from './pod-topology-spread/index.js';
import { taintToleration } from './taint-toleration/index.js';
import { volumeBinding } from './volume-binding/index.js';

export const IN_TREE_PLUGINS: readonly Plugin[] = [
  nodeUnschedulable,
  nodeName,
  taintToleration,
  nodeAffinity,
  nodePorts,
  nodeResourcesFit,
  volumeBinding,
  podTopologySpread,
  interPodAffinity,
  nodeResourcesBalancedAllocation,
];

export const DEFAULT_SCORE_WEIGHTS: Readonly<Record<string, number>> = {
  TaintToleration: 3,
  NodeAffinity: 2,
  NodeResourcesFit: 1,
  PodTopologySpread: 2,
  InterPodAffinity: 2,
  NodeResourcesBalancedAllocation: 1,
};

export const pluginByName = (name: string): Plugin | undefined => IN_TREE_PLUGINS.find((p) => p.name === name);
