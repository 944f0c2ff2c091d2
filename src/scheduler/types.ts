/**
 * The slices of core/v1 and storage/v1 objects the scheduler reads, typed. Objects arrive from
 * informers as frozen `KubeObject`s; these interfaces describe the fields we use (all optional,
 * as on the wire). Nothing here is mutated.
 */
import type { KubeObject } from '../api/types.js';
import type { LabelSelectorSpec } from '../machinery/labels.js';

export type ResourceList = Readonly<Record<string, string | number>>;

export interface ContainerPort { containerPort?: number; hostPort?: number; protocol?: string; hostIP?: string }
export interface Container {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  ports?: readonly ContainerPort[];
  restartPolicy?: string;
}

export interface Toleration { key?: string; operator?: 'Exists' | 'Equal'; value?: string; effect?: string; tolerationSeconds?: number }
export interface Taint { key: string; value?: string; effect: string }

export interface NodeSelectorRequirement { key: string; operator: string; values?: readonly string[] }
export interface NodeSelectorTerm { matchExpressions?: readonly NodeSelectorRequirement[]; matchFields?: readonly NodeSelectorRequirement[] }
export interface NodeSelector { nodeSelectorTerms?: readonly NodeSelectorTerm[] }
export interface PreferredSchedulingTerm { weight: number; preference: NodeSelectorTerm }

export interface PodAffinityTerm {
  labelSelector?: LabelSelectorSpec | null;
  namespaces?: readonly string[];
  namespaceSelector?: LabelSelectorSpec | null;
  topologyKey: string;
  matchLabelKeys?: readonly string[];
  mismatchLabelKeys?: readonly string[];
}
export interface WeightedPodAffinityTerm { weight: number; podAffinityTerm: PodAffinityTerm }
export interface PodAffinityRules {
  requiredDuringSchedulingIgnoredDuringExecution?: readonly PodAffinityTerm[];
  preferredDuringSchedulingIgnoredDuringExecution?: readonly WeightedPodAffinityTerm[];
}
export interface Affinity {
  nodeAffinity?: {
    requiredDuringSchedulingIgnoredDuringExecution?: NodeSelector;
    preferredDuringSchedulingIgnoredDuringExecution?: readonly PreferredSchedulingTerm[];
  };
  podAffinity?: PodAffinityRules;
  podAntiAffinity?: PodAffinityRules;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector?: LabelSelectorSpec | null;
  minDomains?: number;
  nodeAffinityPolicy?: 'Honor' | 'Ignore';
  nodeTaintsPolicy?: 'Honor' | 'Ignore';
  matchLabelKeys?: readonly string[];
}

export interface Volume { name: string; persistentVolumeClaim?: { claimName: string }; ephemeral?: unknown }

export interface PodSpec {
  nodeName?: string;
  schedulerName?: string;
  priority?: number;
  priorityClassName?: string;
  preemptionPolicy?: string;
  nodeSelector?: Readonly<Record<string, string>>;
  affinity?: Affinity;
  tolerations?: readonly Toleration[];
  containers?: readonly Container[];
  initContainers?: readonly Container[];
  overhead?: ResourceList;
  topologySpreadConstraints?: readonly TopologySpreadConstraint[];
  volumes?: readonly Volume[];
  terminationGracePeriodSeconds?: number;
  schedulingGates?: ReadonlyArray<{ name: string }>;
}
export interface PodStatus { phase?: string; nominatedNodeName?: string; conditions?: ReadonlyArray<{ type: string; status: string; reason?: string }> }
export interface Pod extends KubeObject { spec?: PodSpec; status?: PodStatus }

export interface NodeSpec { unschedulable?: boolean; taints?: readonly Taint[] }
export interface NodeStatus { capacity?: ResourceList; allocatable?: ResourceList }
export interface Node extends KubeObject { spec?: NodeSpec; status?: NodeStatus }

export interface PersistentVolumeClaim extends KubeObject {
  spec?: { volumeName?: string; storageClassName?: string; resources?: { requests?: ResourceList }; accessModes?: readonly string[] };
  status?: { phase?: string };
}
export interface PersistentVolume extends KubeObject {
  spec?: {
    storageClassName?: string;
    claimRef?: { namespace?: string; name?: string };
    capacity?: ResourceList;
    nodeAffinity?: { required?: NodeSelector };
    accessModes?: readonly string[];
  };
  status?: { phase?: string };
}
export interface StorageClass extends KubeObject { provisioner?: string; volumeBindingMode?: string }
export interface PriorityClass extends KubeObject { value?: number; globalDefault?: boolean; preemptionPolicy?: string }
export interface PodDisruptionBudget extends KubeObject {
  spec?: { selector?: LabelSelectorSpec | null };
  status?: { disruptionsAllowed?: number };
}
export interface Namespace extends KubeObject {}

export const podKey = (pod: KubeObject): string => `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
