/**
 * upstream validateJobSpec: the JobSpec rules shared by Job and a CronJob's jobTemplate
 * (counters non-negative, completion mode, pod template, restartPolicy OnFailure or Never,
 * pod replacement policy).
 */
import type { V1JobSpec } from '@kubernetes/client-node';
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { validatePodTemplate } from '../common/pod-template.js';
import { invalidValue, nonNegative, notSupported, required } from '../common/validation.js';

const MAX_PARALLELISM_FOR_INDEXED_JOB = 100000;

export function validateJobSpecFields(spec: V1JobSpec, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['parallelism', 'completions', 'activeDeadlineSeconds', 'backoffLimit', 'ttlSecondsAfterFinished'] as const) {
    errs.push(...nonNegative(spec[f], fld.child(f)));
  }
  const mode = spec.completionMode;
  if (mode !== undefined && mode !== null) {
    if (mode !== 'NonIndexed' && mode !== 'Indexed') errs.push(notSupported(fld.child('completionMode'), mode, ['NonIndexed', 'Indexed']));
    if (mode === 'Indexed') {
      if (spec.completions === undefined || spec.completions === null) errs.push(required(fld.child('completions'), 'when completion mode is Indexed'));
      if ((spec.parallelism ?? 0) > MAX_PARALLELISM_FOR_INDEXED_JOB) {
        errs.push(invalidValue(fld.child('parallelism'), spec.parallelism, `must be less than or equal to ${MAX_PARALLELISM_FOR_INDEXED_JOB} when completion mode is Indexed`));
      }
    }
  }
  const prp = spec.podReplacementPolicy;
  if (prp !== undefined && prp !== null) {
    if (prp !== 'TerminatingOrFailed' && prp !== 'Failed') errs.push(notSupported(fld.child('podReplacementPolicy'), prp, ['Failed', 'TerminatingOrFailed']));
    else if (spec.podFailurePolicy && prp !== 'Failed') {
      errs.push(notSupported(fld.child('podReplacementPolicy'), prp, ['Failed']));
    }
  }
  const tplPath = fld.child('template');
  errs.push(...validatePodTemplate(spec.template, tplPath));
  const restartPolicy = spec.template?.spec?.restartPolicy ?? '';
  const rpPath = tplPath.child('spec').child('restartPolicy');
  if (restartPolicy === 'Always' || restartPolicy === '') errs.push(required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') errs.push(notSupported(rpPath, restartPolicy, ['OnFailure', 'Never']));
  return errs;
}
