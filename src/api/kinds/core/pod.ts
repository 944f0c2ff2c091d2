/**
 * core/v1 Pod: upstream defaults (SetDefaults_Pod and the PodSpec defaulters, plus the priority
 * admission's priority 0 / PreemptLowerPriority when no priority class is named), ValidatePod,
 * ValidatePodUpdate (spec mostly immutable), status validation and the pod field selectors.
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { at, coreResource, selectable } from './core-resource.js';
import { defaultPod } from './pod-defaults.js';
import { checkAnnotations, validatePodSpec, validatePodSpecUpdate } from './pod-validation.js';
import { asArray, asObj, asString, checkDNSSubdomain, checkEnum, invalid } from './validation-helpers.js';

const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'];

function defaults(obj: KubeObject): void {
  defaultPod(obj);
  const spec = asObj(obj.spec);
  if (spec && !spec.priorityClassName) {
    if (spec.priority === undefined) spec.priority = 0;
    if (spec.preemptionPolicy === undefined) spec.preemptionPolicy = 'PreemptLowerPriority';
  }
}

function validate(obj: KubeObject): FieldError[] {
  return [...checkAnnotations(obj.metadata?.annotations, 'metadata.annotations'), ...validatePodSpec(obj.spec, 'spec')];
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return validatePodSpecUpdate(obj.spec, old.spec, 'spec');
}

/** ValidatePodStatusUpdate (the parts that matter here): phase, nominatedNodeName, IPs. */
function validateStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const status = asObj(obj.status) ?? {};
  const errs: FieldError[] = [];
  if (status.phase !== undefined && status.phase !== '') errs.push(...checkEnum('status.phase', status.phase, POD_PHASES));
  const nominated = asString(status.nominatedNodeName);
  if (nominated) errs.push(...checkDNSSubdomain('status.nominatedNodeName', nominated));
  const oldPhase = at(old, 'status', 'phase');
  if ((oldPhase === 'Succeeded' || oldPhase === 'Failed') && status.phase !== oldPhase) {
    errs.push({ type: 'Forbidden', field: 'status.phase', detail: `cannot transition from ${String(oldPhase)} to ${String(status.phase)}` });
  }
  const podIPs = asArray(status.podIPs);
  if (podIPs.length > 0 && asString(status.podIP) && asString(asObj(podIPs[0])?.ip) !== asString(status.podIP)) {
    errs.push(invalid('status.podIPs[0].ip', asObj(podIPs[0])?.ip, 'must match status.podIP'));
  }
  return errs;
}

function firstPodIP(obj: KubeObject): string {
  const ips = asArray(at(obj, 'status', 'podIPs'));
  return ips.length > 0 ? asString(asObj(ips[0])?.ip) : '';
}

export const pod: KindDefinition = {
  resource: coreResource('Pod', {
    plural: 'pods',
    namespaced: true,
    shortNames: ['po'],
    categories: ['all'],
    subresources: ['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers', 'resize'],
  }),
  model: 'V1Pod',
  defaults,
  validate,
  validateUpdate,
  validateStatus,
  hasStatus: true,
  // Pods carry metadata.generation since PodObservedGenerationTracking (1.33+).
  hasSpec: true,
  fieldSelectors: {
    'spec.nodeName': (o) => selectable(o, 'spec', 'nodeName'),
    'spec.restartPolicy': (o) => selectable(o, 'spec', 'restartPolicy'),
    'spec.schedulerName': (o) => selectable(o, 'spec', 'schedulerName'),
    'spec.serviceAccountName': (o) => selectable(o, 'spec', 'serviceAccountName'),
    'spec.hostNetwork': (o) => String(at(o, 'spec', 'hostNetwork') === true),
    'status.phase': (o) => selectable(o, 'status', 'phase'),
    'status.podIP': firstPodIP,
    'status.nominatedNodeName': (o) => selectable(o, 'status', 'nominatedNodeName'),
  },
};
