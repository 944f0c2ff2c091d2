/**
 * The selector-and-template rules of the apps workloads, each shaped as upstream writes it:
 * - ReplicaSet and Deployment (ValidatePodTemplateSpecForReplicaSet): selector required, valid and
 *   non-empty; matching template labels; a full pod template validation.
 * - StatefulSet (ValidatePodTemplateSpecForStatefulSet): the same selector rules, but only the
 *   template's labels and annotations are checked (upstream leaves the pod spec to the pods).
 * - DaemonSet (ValidateDaemonSetSpec): the selector may be absent (it then matches nothing).
 * All three require restartPolicy Always and forbid activeDeadlineSeconds.
 */
import type { V1LabelSelector, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { selectorIsEmpty, selectorMatches, validateLabelSelector } from '../common/label-selector.js';
import { validatePodTemplate } from '../common/pod-template.js';
import { forbidden, invalidValue, notSupported, required, validateLabels } from '../common/validation.js';
import { checkAnnotations } from '../core/pod-validation.js';

export type WorkloadKind = 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';

const MISMATCH = '`selector` does not match template `labels`';

/** A nil selector selects nothing (labels.Nothing()); an empty one everything. */
function selects(selector: V1LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector) return false;
  return selectorIsEmpty(selector) || selectorMatches(selector, labels);
}

/** restartPolicy Always, no activeDeadlineSeconds (the message names the controller). */
function podSpecRules(template: V1PodTemplateSpec, tplPath: FieldPath, controller: string): FieldError[] {
  const errs: FieldError[] = [];
  const podSpec = tplPath.child('spec');
  const restartPolicy = template.spec?.restartPolicy ?? '';
  if (restartPolicy !== 'Always') errs.push(notSupported(podSpec.child('restartPolicy'), restartPolicy, ['Always']));
  if (template.spec?.activeDeadlineSeconds != null) {
    errs.push(forbidden(podSpec.child('activeDeadlineSeconds'), `activeDeadlineSeconds in ${controller} is not Supported`));
  }
  return errs;
}

/** Selector required, strictly valid and non-empty (Deployment, ReplicaSet, StatefulSet). */
function requiredSelector(selector: V1LabelSelector | undefined, selPath: FieldPath, word: string): FieldError[] {
  if (!selector) return [required(selPath)];
  const errs = validateLabelSelector(selector, selPath);
  if (selectorIsEmpty(selector)) errs.push(invalidValue(selPath, selector, `empty selector is invalid for ${word}`));
  return errs;
}

/** Validates `selector` and `template` of a workload spec at specPath, as upstream does for that kind. */
export function validateSelectorAndTemplate(
  selector: V1LabelSelector | undefined,
  template: V1PodTemplateSpec | undefined,
  specPath: FieldPath,
  kind: WorkloadKind,
): FieldError[] {
  const selPath = specPath.child('selector');
  const tplPath = specPath.child('template');
  const tpl: V1PodTemplateSpec = template ?? {};
  const labels = tpl.metadata?.labels;
  const labelsPath = tplPath.child('metadata').child('labels');
  const errs: FieldError[] = [];
  if (kind === 'DaemonSet') {
    errs.push(...validateLabelSelector(selector, selPath));
    if (!selects(selector, labels)) errs.push(invalidValue(labelsPath, labels ?? {}, MISMATCH));
    if (selector && selectorIsEmpty(selector)) errs.push(invalidValue(selPath, selector, 'empty selector is invalid for daemonset'));
    errs.push(...validatePodTemplate(tpl, tplPath));
    errs.push(...podSpecRules(tpl, tplPath, 'DaemonSet'));
    return errs;
  }
  const word = kind === 'StatefulSet' ? 'statefulset' : 'deployment';
  errs.push(...requiredSelector(selector, selPath, word));
  if (!template) return [...errs, required(tplPath)];
  if (!selector || (!selectorIsEmpty(selector) && !selectorMatches(selector, labels))) errs.push(invalidValue(labelsPath, labels ?? {}, MISMATCH));
  if (kind === 'StatefulSet') {
    errs.push(...validateLabels(labels, tplPath.child('labels')));
    errs.push(...checkAnnotations(tpl.metadata?.annotations, tplPath.child('annotations').text));
    errs.push(...podSpecRules(tpl, tplPath, 'StatefulSet'));
  } else {
    errs.push(...validatePodTemplate(tpl, tplPath));
    errs.push(...podSpecRules(tpl, tplPath, 'ReplicaSet'));
  }
  return errs;
}
