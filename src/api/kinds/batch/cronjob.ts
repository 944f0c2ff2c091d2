/**
 * batch/v1 CronJob: upstream defaults (concurrencyPolicy Allow, suspend false, history limits 3
 * and 1, pod template defaults inside jobTemplate), validateCronJobSpec (schedule, timeZone,
 * concurrencyPolicy, jobTemplate whose selector is always generated) and the 52-character name
 * limit (the controller appends an 11-character suffix to job names).
 */
import type { V1CronJob, V1CronJobSpec } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { defaultPodTemplate } from '../common/pod-template.js';
import { ensureObject, resourceInfo } from '../common/resource.js';
import { invalidValue, nonNegative, notSupported, required } from '../common/validation.js';
import { cronScheduleError, isValidTimeZone } from './cron-schedule.js';
import { validateJobSpecFields } from './job-spec.js';

/** IANA naming rules for one path component (digits and + tolerated for legacy names). */
const TIME_ZONE_PART = /^[A-Za-z.\-_0-9+]{1,14}$/;

const asCronJob = (obj: KubeObject): V1CronJob => obj as unknown as V1CronJob;

function defaults(obj: KubeObject): void {
  const spec = ensureObject<V1CronJobSpec>(obj, 'spec');
  spec.concurrencyPolicy ||= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  defaultPodTemplate(spec.jobTemplate?.spec?.template);
}

function validateTimeZone(tz: string | undefined): FieldError[] {
  if (tz === undefined || tz === null) return [];
  const fld = path('spec.timeZone');
  if (tz === '') return [invalidValue(fld, tz, 'timeZone must be nil or non-empty string')];
  const parts = tz.split('/');
  if (parts.some((p) => p === '.' || p === '..' || p.startsWith('-') || !TIME_ZONE_PART.test(p))) return [invalidValue(fld, tz, `unknown time zone ${tz}`)];
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') errs.push(invalidValue(fld, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  else if (!isValidTimeZone(tz)) errs.push(invalidValue(fld, tz, `unknown time zone ${tz}`));
  return errs;
}

/** upstream validateCronJobSpec. */
function validateSpec(spec: V1CronJobSpec): FieldError[] {
  const fld = path('spec');
  const errs: FieldError[] = [];
  const schedule = spec.schedule ?? '';
  if (schedule === '') errs.push(required(fld.child('schedule')));
  else {
    const err = cronScheduleError(schedule);
    if (err) errs.push(invalidValue(fld.child('schedule'), schedule, err));
    // upstream allows TZ= in a schedule only on objects that already had one (created before
    // spec.timeZone existed); none can be created now, so validate applies the create rule.
    if (schedule.includes('TZ')) errs.push(invalidValue(fld.child('schedule'), schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  errs.push(...nonNegative(spec.startingDeadlineSeconds, fld.child('startingDeadlineSeconds')));
  errs.push(...validateTimeZone(spec.timeZone));
  const cp = spec.concurrencyPolicy ?? '';
  if (cp === '') errs.push(required(fld.child('concurrencyPolicy')));
  else if (!['Allow', 'Forbid', 'Replace'].includes(cp)) errs.push(notSupported(fld.child('concurrencyPolicy'), cp, ['Allow', 'Forbid', 'Replace']));
  const jt = fld.child('jobTemplate');
  const jobSpec = spec.jobTemplate?.spec;
  if (!jobSpec) errs.push(required(jt.child('spec')));
  else {
    errs.push(...validateJobSpecFields(jobSpec, jt.child('spec')));
    if (jobSpec.selector) errs.push(invalidValue(jt.child('spec').child('selector'), jobSpec.selector, '`selector` will be auto-generated'));
    if (jobSpec.manualSelector === true) errs.push(notSupported(jt.child('spec').child('manualSelector'), true, ['nil', 'false']));
  }
  errs.push(...nonNegative(spec.successfulJobsHistoryLimit, fld.child('successfulJobsHistoryLimit')));
  errs.push(...nonNegative(spec.failedJobsHistoryLimit, fld.child('failedJobsHistoryLimit')));
  return errs;
}

function validate(obj: KubeObject): FieldError[] {
  const cj = asCronJob(obj);
  if (!cj.spec) return [required(path('spec'))];
  const errs = validateSpec(cj.spec);
  const name = cj.metadata?.name ?? '';
  if (name.length > 52) errs.push(invalidValue(path('metadata.name'), name, 'must be no more than 52 characters'));
  return errs;
}

export const cronJob: KindDefinition = {
  resource: resourceInfo('batch', 'v1', 'CronJob', {
    plural: 'cronjobs',
    namespaced: true,
    shortNames: ['cj'],
    categories: ['all'],
    subresources: ['status'],
  }),
  model: 'V1CronJob',
  defaults,
  validate,
  hasStatus: true,
  hasSpec: true,
};
