/**
 * core/v1 ReplicationController: SetDefaults_ReplicationController (selector and labels from the
 * template's labels, replicas 1, template PodSpec defaults), ValidateReplicationController
 * (selector matches template labels, restartPolicy Always), the scale and status subresources and
 * the `status.replicas` field selector.
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { at, coreResource } from './core-resource.js';
import { defaultPodSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import { asObj, checkEnum, checkLabelMap, checkNonNegative, forbidden, invalid, required, type Obj } from './validation-helpers.js';

function defaults(obj: KubeObject): void {
  const spec = asObj(obj.spec) ?? (obj.spec = {} as Obj);
  const template = asObj(spec.template);
  const labels = asObj(asObj(template?.metadata)?.labels);
  if (labels) {
    if (!asObj(spec.selector) || Object.keys(asObj(spec.selector)!).length === 0) spec.selector = { ...labels };
    const meta = obj.metadata ?? (obj.metadata = {});
    if (!meta.labels || Object.keys(meta.labels).length === 0) meta.labels = { ...(labels as Record<string, string>) };
  }
  if (spec.replicas === undefined) spec.replicas = 1;
  const podSpec = asObj(template?.spec);
  if (podSpec) defaultPodSpec(podSpec);
}

function validate(obj: KubeObject): FieldError[] {
  const spec = asObj(obj.spec) ?? {};
  const errs = [...checkNonNegative('spec.replicas', spec.replicas), ...checkNonNegative('spec.minReadySeconds', spec.minReadySeconds)];
  const selector = asObj(spec.selector) ?? {};
  if (Object.keys(selector).length === 0) errs.push(required('spec.selector'));
  else errs.push(...checkLabelMap(selector, 'spec.selector'));
  const template = asObj(spec.template);
  if (!template) return [...errs, required('spec.template')];
  const labels = asObj(asObj(template.metadata)?.labels) ?? {};
  if (Object.keys(selector).length > 0 && !Object.entries(selector).every(([k, v]) => labels[k] === v)) {
    errs.push(invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, 'spec.template'));
  const podSpec = asObj(template.spec) ?? {};
  if (podSpec.restartPolicy !== 'Always' && podSpec.restartPolicy !== undefined) {
    errs.push(...checkEnum('spec.template.spec.restartPolicy', podSpec.restartPolicy, ['Always']));
  }
  if (podSpec.activeDeadlineSeconds !== undefined) {
    errs.push(forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicationController is not Supported'));
  }
  return errs;
}

function validateStatus(obj: KubeObject): FieldError[] {
  const status = asObj(obj.status) ?? {};
  return ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'].flatMap((k) =>
    checkNonNegative(`status.${k}`, status[k]),
  );
}

export const replicationController: KindDefinition = {
  resource: coreResource('ReplicationController', {
    plural: 'replicationcontrollers',
    namespaced: true,
    shortNames: ['rc'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  model: 'V1ReplicationController',
  defaults,
  validate,
  validateStatus,
  hasStatus: true,
  hasSpec: true,
  // The selector is a plain label map here (not a LabelSelector).
  scale: { specReplicas: ['spec', 'replicas'], statusReplicas: ['status', 'replicas'] },
  fieldSelectors: { 'status.replicas': (o) => String(at(o, 'status', 'replicas') ?? 0) },
};
