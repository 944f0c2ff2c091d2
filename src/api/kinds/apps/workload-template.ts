/**
 * The selector-and-template rules the apps workloads share (upstream ValidatePodTemplateSpecForReplicaSet
 * and the per-kind copies in ValidateStatefulSetSpec / ValidateDaemonSetSpec): the selector is required,
 * valid and non-empty, it matches the template's labels, the template is a valid pod template whose
 * restartPolicy is Always and which sets no activeDeadlineSeconds.
 */
import type { V1LabelSelector, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { selectorIsEmpty, selectorMatches, validateLabelSelector } from '../common/label-selector.js';
import { validatePodTemplate } from '../common/pod-template.js';
import { forbidden, invalidValue, notSupported, required } from '../common/validation.js';

export interface WorkloadRules {
  /** `deployment`, `statefulset`, `daemonset`: upstream's "empty selector is invalid for <word>". */
  emptySelectorWord: string;
  /** The error for a template that sets activeDeadlineSeconds (each kind words it differently). */
  activeDeadline(fld: FieldPath, value: number): FieldError;
}

export const replicaSetLikeRules: WorkloadRules = {
  emptySelectorWord: 'deployment',
  activeDeadline: (fld, v) => invalidValue(fld, v, 'activeDeadlineSeconds in ReplicaSet is not Supported'),
};
export const statefulSetRules: WorkloadRules = {
  emptySelectorWord: 'statefulset',
  activeDeadline: (fld) => forbidden(fld, 'activeDeadlineSeconds in StatefulSet is not Supported'),
};
export const daemonSetRules: WorkloadRules = {
  emptySelectorWord: 'daemonset',
  activeDeadline: (fld, v) => invalidValue(fld, v, 'activeDeadlineSeconds must be nil for daemons'),
};

/** Validates `selector` and `template` of a workload spec at specPath. */
export function validateSelectorAndTemplate(
  selector: V1LabelSelector | undefined,
  template: V1PodTemplateSpec | undefined,
  specPath: FieldPath,
  rules: WorkloadRules,
): FieldError[] {
  const errs: FieldError[] = [];
  const selPath = specPath.child('selector');
  if (!selector) {
    errs.push(required(selPath));
  } else {
    errs.push(...validateLabelSelector(selector, selPath));
    if (selectorIsEmpty(selector)) errs.push(invalidValue(selPath, selector, `empty selector is invalid for ${rules.emptySelectorWord}`));
  }
  const tplPath = specPath.child('template');
  if (!template) {
    errs.push(required(tplPath));
    return errs;
  }
  if (selector && !selectorIsEmpty(selector) && !selectorMatches(selector, template.metadata?.labels)) {
    errs.push(invalidValue(tplPath.child('metadata').child('labels'), template.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplate(template, tplPath));
  const podSpec = tplPath.child('spec');
  const restartPolicy = template.spec?.restartPolicy;
  if (restartPolicy !== 'Always') errs.push(notSupported(podSpec.child('restartPolicy'), restartPolicy ?? '', ['Always']));
  const ads = template.spec?.activeDeadlineSeconds;
  if (ads !== undefined && ads !== null) errs.push(rules.activeDeadline(podSpec.child('activeDeadlineSeconds'), ads));
  return errs;
}
