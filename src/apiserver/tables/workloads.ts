/**
 * Printers for workload kinds (apps/v1, batch/v1, autoscaling, core ReplicationController and
 * PodTemplate): Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision, Job, CronJob,
 * HorizontalPodAutoscaler (v1 and v2 shapes), ReplicationController, PodTemplate. Columns and cells as
 * upstream's printers.go (wide cells always included, as the server prints with Wide=true).
 */
import type { KubeObject } from '../../api/types.js';
import { ageColumn, col, nameColumn, type Printer } from './types.js';
import { at, boolWord, containerCells, formatLabelSelector, formatLabels, has, humanBetween, int, name, objectAge, rec, recs, selectorString, since, str, timeOf } from './format.js';

const CONTAINERS = col('Containers', 'string', 'Names of each container in the template.', 1);
const IMAGES = col('Images', 'string', 'Images referenced by each container in the template.', 1);
const templateContainers = (obj: KubeObject, ...path: string[]): [string, string] => containerCells(at(obj, ...path, 'template', 'spec', 'containers'));

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', { model: 'V1DeploymentStatus', field: 'updatedReplicas' }),
    col('Available', 'string', { model: 'V1DeploymentStatus', field: 'availableReplicas' }),
    ageColumn,
    CONTAINERS,
    IMAGES,
    col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
  ],
  cells(obj, now) {
    const status = rec(obj.status);
    const [names, images] = templateContainers(obj, 'spec');
    const selector = selectorString(at(obj, 'spec', 'selector')) ?? '<invalid>';
    return [name(obj), `${int(status.readyReplicas)}/${int(at(obj, 'spec', 'replicas'))}`, int(status.updatedReplicas), int(status.availableReplicas), objectAge(obj, now), names, images, selector];
  },
};

const REPLICASET_SELECTOR = 'Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';
const JOB_SELECTOR = 'A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors';

const replicaColumns = (model: string) => [
  nameColumn,
  col('Desired', 'integer', { model: `${model}Spec`, field: 'replicas' }),
  col('Current', 'integer', { model: `${model}Status`, field: 'replicas' }),
  col('Ready', 'integer', { model: `${model}Status`, field: 'readyReplicas' }),
  ageColumn,
  CONTAINERS,
  IMAGES,
  col('Selector', 'string', model === 'V1ReplicaSet' ? REPLICASET_SELECTOR : { model: `${model}Spec`, field: 'selector' }, 1),
];

export const replicaSetPrinter: Printer = {
  columns: replicaColumns('V1ReplicaSet'),
  cells(obj, now) {
    const status = rec(obj.status);
    const [names, images] = templateContainers(obj, 'spec');
    return [name(obj), int(at(obj, 'spec', 'replicas')), int(status.replicas), int(status.readyReplicas), objectAge(obj, now), names, images, formatLabelSelector(at(obj, 'spec', 'selector'))];
  },
};

export const replicationControllerPrinter: Printer = {
  columns: replicaColumns('V1ReplicationController'),
  cells(obj, now) {
    const status = rec(obj.status);
    const [names, images] = templateContainers(obj, 'spec');
    return [name(obj), int(at(obj, 'spec', 'replicas')), int(status.replicas), int(status.readyReplicas), objectAge(obj, now), names, images, formatLabels(at(obj, 'spec', 'selector'))];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [nameColumn, col('Ready', 'string', 'Number of the pod with ready state'), ageColumn, CONTAINERS, IMAGES],
  cells(obj, now) {
    const [names, images] = templateContainers(obj, 'spec');
    return [name(obj), `${int(at(obj, 'status', 'readyReplicas'))}/${int(at(obj, 'spec', 'replicas'))}`, objectAge(obj, now), names, images];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', { model: 'V1DaemonSetStatus', field: 'desiredNumberScheduled' }),
    col('Current', 'integer', { model: 'V1DaemonSetStatus', field: 'currentNumberScheduled' }),
    col('Ready', 'integer', { model: 'V1DaemonSetStatus', field: 'numberReady' }),
    col('Up-to-date', 'integer', { model: 'V1DaemonSetStatus', field: 'updatedNumberScheduled' }),
    col('Available', 'integer', { model: 'V1DaemonSetStatus', field: 'numberAvailable' }),
    col('Node Selector', 'string', { model: 'V1PodSpec', field: 'nodeSelector' }),
    ageColumn,
    CONTAINERS,
    IMAGES,
    col('Selector', 'string', 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', 1),
  ],
  cells(obj, now) {
    const s = rec(obj.status);
    const [names, images] = templateContainers(obj, 'spec');
    return [
      name(obj), int(s.desiredNumberScheduled), int(s.currentNumberScheduled), int(s.numberReady), int(s.updatedNumberScheduled), int(s.numberAvailable),
      formatLabels(at(obj, 'spec', 'template', 'spec', 'nodeSelector')), objectAge(obj, now), names, images, formatLabelSelector(at(obj, 'spec', 'selector')),
    ];
  },
};

/** formatResourceName(GroupKind, name, withKind=true): `daemonset.apps/web`. */
function controllerName(obj: KubeObject): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0]! : '';
  const groupKind = group ? `${ref.kind}.${group}` : ref.kind;
  return groupKind ? `${groupKind.toLowerCase()}/${ref.name}` : ref.name;
}

export const controllerRevisionPrinter: Printer = {
  columns: [nameColumn, col('Controller', 'string', 'Controller of the object'), col('Revision', 'string', { model: 'V1ControllerRevision', field: 'revision' }), ageColumn],
  cells: (obj, now) => [name(obj), controllerName(obj), int(obj.revision), objectAge(obj, now)],
};

const jobCondition = (obj: KubeObject, type: string): boolean => {
  const c = recs(at(obj, 'status', 'conditions')).find((x) => x.type === type);
  return c?.status === 'True';
};

function jobStatus(obj: KubeObject): string {
  if (jobCondition(obj, 'Complete')) return 'Complete';
  if (jobCondition(obj, 'Failed')) return 'Failed';
  if (has(obj.metadata?.deletionTimestamp)) return 'Terminating';
  if (jobCondition(obj, 'Suspended')) return 'Suspended';
  if (jobCondition(obj, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', { model: 'V1JobStatus', field: 'succeeded' }),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageColumn,
    CONTAINERS,
    IMAGES,
    col('Selector', 'string', JOB_SELECTOR, 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const succeeded = int(at(obj, 'status', 'succeeded'));
    let completions: string;
    if (has(spec.completions)) completions = `${succeeded}/${int(spec.completions)}`;
    else completions = int(spec.parallelism) > 1 ? `${succeeded}/1 of ${int(spec.parallelism)}` : `${succeeded}/1`;
    const start = timeOf(at(obj, 'status', 'startTime'));
    const end = timeOf(at(obj, 'status', 'completionTime'));
    const duration = start === undefined ? '' : humanBetween(start, end ?? now);
    const [names, images] = templateContainers(obj, 'spec');
    return [name(obj), jobStatus(obj), completions, duration, objectAge(obj, now), names, images, formatLabelSelector(spec.selector)];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn,
    col('Schedule', 'string', { model: 'V1CronJobSpec', field: 'schedule' }),
    col('Timezone', 'string', { model: 'V1CronJobSpec', field: 'timeZone' }),
    col('Suspend', 'boolean', { model: 'V1CronJobSpec', field: 'suspend' }),
    col('Active', 'integer', { model: 'V1CronJobStatus', field: 'active' }),
    col('Last Schedule', 'string', { model: 'V1CronJobStatus', field: 'lastScheduleTime' }),
    ageColumn,
    CONTAINERS,
    IMAGES,
    col('Selector', 'string', JOB_SELECTOR, 1),
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const last = at(obj, 'status', 'lastScheduleTime');
    const [names, images] = containerCells(at(spec, 'jobTemplate', 'spec', 'template', 'spec', 'containers'));
    return [
      name(obj), str(spec.schedule), has(spec.timeZone) ? str(spec.timeZone) : '<none>', boolWord(spec.suspend), recs(at(obj, 'status', 'active')).length,
      has(last) ? since(last, now) : '<none>', objectAge(obj, now), names, images, formatLabelSelector(at(spec, 'jobTemplate', 'spec', 'selector')),
    ];
  },
};

interface MetricTarget { type?: string; averageValue?: string; averageUtilization?: number; value?: string }

/** formatHPAMetrics over autoscaling/v2 metric specs and statuses. */
function formatMetrics(specs: Record<string, unknown>[], statuses: Record<string, unknown>[]): string {
  if (specs.length === 0) return '<none>';
  const list = specs.map((spec, i) => {
    const type = str(spec.type);
    const key = ({ External: 'external', Pods: 'pods', Object: 'object', Resource: 'resource', ContainerResource: 'containerResource' } as Record<string, string>)[type];
    if (!key) return '<unknown type>';
    const source = rec(spec[key]);
    const target = rec(source.target) as MetricTarget;
    const status = statuses[i]?.[key] !== undefined ? rec(statuses[i]![key]) : undefined;
    const current = rec(status?.current) as MetricTarget;
    const unknown = '<unknown>';
    if (type === 'Pods') return `${status ? str(current.averageValue) : unknown}/${str(target.averageValue)}`;
    if (type === 'External' || type === 'Object') {
      if (has(target.averageValue)) return `${status && has(current.averageValue) ? str(current.averageValue) : unknown}/${str(target.averageValue)} (avg)`;
      return `${status ? str(current.value) : unknown}/${str(target.value)}`;
    }
    const resource = str(source.name);
    if (has(target.averageValue)) return `${resource}: ${status ? str(current.averageValue) : unknown}/${str(target.averageValue)}`;
    const cur = status && has(current.averageUtilization) ? `${int(current.averageUtilization)}%` : unknown;
    const tgt = has(target.averageUtilization) ? `${int(target.averageUtilization)}%` : '<auto>';
    return `${resource}: ${cur}/${tgt}`;
  });
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

/** autoscaling/v1 objects carry one CPU target; upstream converts it to a Resource metric. */
function hpaMetrics(obj: KubeObject): string {
  const spec = rec(obj.spec);
  const status = rec(obj.status);
  if (Array.isArray(spec.metrics) || !has(spec.targetCPUUtilizationPercentage)) return formatMetrics(recs(spec.metrics), recs(status.currentMetrics));
  const current = has(status.currentCPUUtilizationPercentage) ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }] : [];
  return formatMetrics([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }], current);
}

export const hpaPrinter: Printer = {
  columns: [
    nameColumn,
    col('Reference', 'string', 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    col('Targets', 'string', { model: 'V2HorizontalPodAutoscalerSpec', field: 'metrics' }),
    col('MinPods', 'string', { model: 'V2HorizontalPodAutoscalerSpec', field: 'minReplicas' }),
    col('MaxPods', 'string', { model: 'V2HorizontalPodAutoscalerSpec', field: 'maxReplicas' }),
    col('Replicas', 'string', { model: 'V2HorizontalPodAutoscalerStatus', field: 'currentReplicas' }),
    ageColumn,
  ],
  cells(obj, now) {
    const spec = rec(obj.spec);
    const ref = rec(spec.scaleTargetRef);
    return [
      name(obj), `${str(ref.kind)}/${str(ref.name)}`, hpaMetrics(obj), has(spec.minReplicas) ? String(int(spec.minReplicas)) : '<unset>',
      int(spec.maxReplicas), int(at(obj, 'status', 'currentReplicas')), objectAge(obj, now),
    ];
  },
};

export const podTemplatePrinter: Printer = {
  columns: [
    nameColumn,
    col('Containers', 'string', 'Names of each container in the template.'),
    col('Images', 'string', 'Images referenced by each container in the template.'),
    col('Pod Labels', 'string', 'The labels for the pod template.'),
  ],
  cells(obj) {
    const [names, images] = containerCells(at(obj, 'template', 'spec', 'containers'));
    return [name(obj), names, images, formatLabels(at(obj, 'template', 'metadata', 'labels'))];
  },
};
