/**
 * batch/v1 Job: upstream defaults (completions/parallelism 1, backoffLimit 6, NonIndexed,
 * suspend false, manualSelector false, podReplacementPolicy, metadata.labels from the template),
 * the strategy's selector generation (`prepareJobForCreate`), ValidateJob (generated selector,
 * spec, template), the update rules (completions, selector, template, completionMode immutable),
 * status validation and the `status.successful` field selector.
 */
import type { V1Job, V1JobSpec, V1JobStatus, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { selectorMatches, validateLabelSelector } from '../common/label-selector.js';
import { defaultPodTemplate } from '../common/pod-template.js';
import { ensureObject, resourceInfo } from '../common/resource.js';
import { immutable, invalidValue, nonNegative, required } from '../common/validation.js';
import { validateJobSpecFields } from './job-spec.js';

export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';

const asJob = (obj: KubeObject): V1Job => obj as unknown as V1Job;

function defaults(obj: KubeObject): void {
  const spec = ensureObject<V1JobSpec>(obj, 'spec');
  if (spec.completions == null && spec.parallelism == null) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex != null ? 2147483647 : 6;
  // upstream shares the template's label map with the Job (a Go map): the labels prepareJobForCreate
  // adds to the template show up on the Job too. Sharing the JS object keeps that behaviour.
  const meta = ensureObject<Record<string, unknown>>(obj, 'metadata');
  const tplLabels = spec.template?.metadata?.labels;
  if (tplLabels && Object.keys((meta.labels as object | undefined) ?? {}).length === 0) meta.labels = tplLabels;
  spec.completionMode ||= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) pattern.status ||= 'True';
  }
  spec.podReplacementPolicy ||= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  defaultPodTemplate(spec.template);
  // The registry assigns metadata.uid before defaulting, so the create-time selector generation of
  // upstream's PrepareForCreate can run here; it only adds what is missing, so later updates of an
  // object created this way see no change.
  const uid = obj.metadata?.uid;
  if (typeof uid === 'string' && uid !== '') {
    prepareJobForCreate(obj, uid);
    // upstream defaults again when it reads the stored object back, so a Job created without labels
    // is served with its template's (now generated) labels.
    const generated = spec.template?.metadata?.labels;
    if (generated && Object.keys((meta.labels as object | undefined) ?? {}).length === 0) meta.labels = { ...generated };
  }
}

/**
 * upstream jobStrategy.PrepareForCreate's selector generation: unless spec.manualSelector is true,
 * label the pod template with the job's name and uid (legacy and batch.kubernetes.io/ keys, keeping
 * labels the user set) and select on `batch.kubernetes.io/controller-uid=<uid>`. `defaults` calls
 * it when metadata.uid is set (the registry assigns the uid first); callers that default before
 * assigning a uid call it themselves, before validate. Idempotent.
 */
export function prepareJobForCreate(obj: KubeObject, uid: string): void {
  const spec = ensureObject<V1JobSpec>(obj, 'spec');
  if (spec.manualSelector === true) return;
  const name = obj.metadata?.name ?? '';
  spec.template ??= {};
  spec.template.metadata ??= {};
  const labels = (spec.template.metadata.labels ??= {});
  for (const key of [LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL]) if (!(key in labels)) labels[key] = name;
  for (const key of [LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL]) if (!(key in labels)) labels[key] = uid;
  spec.selector ??= {};
  const match = (spec.selector.matchLabels ??= {});
  if (!(CONTROLLER_UID_LABEL in match)) match[CONTROLLER_UID_LABEL] = uid;
}

/** upstream ValidateHasLabel. */
function hasLabel(labels: Record<string, string> | undefined, key: string, expected: string): FieldError[] {
  const fld = path('spec.template.metadata.labels').key(key);
  const actual = labels?.[key];
  if (actual === undefined) return [required(fld, `must be '${expected}'`)];
  return actual === expected ? [] : [invalidValue(fld, actual, `must be '${expected}'`)];
}

/** upstream ValidateGeneratedSelector. */
function validateGeneratedSelector(job: V1Job): FieldError[] {
  const spec = job.spec;
  if (!spec || spec.manualSelector === true || !spec.selector) return [];
  const errs: FieldError[] = [];
  const uid = job.metadata?.uid ?? '';
  const name = job.metadata?.name ?? '';
  if (!uid) errs.push(required(path('metadata.uid')));
  const labels = spec.template?.metadata?.labels;
  errs.push(...hasLabel(labels, LEGACY_CONTROLLER_UID_LABEL, uid), ...hasLabel(labels, LEGACY_JOB_NAME_LABEL, name));
  errs.push(...hasLabel(labels, CONTROLLER_UID_LABEL, uid), ...hasLabel(labels, JOB_NAME_LABEL, name));
  const expected = { [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name, [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name };
  if (!selectorMatches(spec.selector, expected)) errs.push(invalidValue(path('spec.selector'), spec.selector, '`selector` not auto-generated'));
  return errs;
}

/** upstream ValidateJob (minus ObjectMeta, which the registry checks). */
function validate(obj: KubeObject): FieldError[] {
  const job = asJob(obj);
  const spec = job.spec;
  const fld = path('spec');
  if (!spec) return [required(fld)];
  const errs = validateGeneratedSelector(job);
  errs.push(...validateJobSpecFields(spec, fld));
  if (!spec.selector) errs.push(required(fld.child('selector')));
  else {
    errs.push(...validateLabelSelector(spec.selector, fld.child('selector')));
    if (!selectorMatches(spec.selector, spec.template?.metadata?.labels)) {
      errs.push(invalidValue(fld.child('template').child('metadata').child('labels'), spec.template?.metadata?.labels ?? {}, '`selector` does not match template `labels`'));
    }
  }
  return errs;
}

/**
 * upstream validateCompletions: immutable, except that an Indexed Job may change completions
 * together with parallelism (elastic indexed jobs, GA).
 */
function validateCompletions(now: V1JobSpec | undefined, before: V1JobSpec | undefined): FieldError[] {
  const fld = path('spec.completions');
  if (now?.completionMode !== 'Indexed') return immutable(now?.completions, before?.completions, fld);
  if (now.completions === before?.completions || now.completions == null) return [];
  return now.completions === now.parallelism ? [] : [invalidValue(fld, now.completions, 'can only be modified in tandem with spec.parallelism')];
}

/**
 * upstream validatePodTemplateUpdate: the template is immutable, except that a suspended Job that
 * never started may change its scheduling directives (node affinity, node selector, tolerations,
 * scheduling gates, template labels and annotations).
 */
function validateTemplateUpdate(now: V1Job, before: V1Job): FieldError[] {
  const tpl = now.spec?.template;
  let oldTpl = before.spec?.template;
  const mutableScheduling = before.spec?.suspend === true && !before.status?.startTime;
  if (mutableScheduling && oldTpl) {
    const copy = structuredClone(oldTpl) as V1PodTemplateSpec;
    copy.spec ??= { containers: [] };
    const spec = tpl?.spec;
    const affinity = spec?.affinity;
    if (!affinity && copy.spec.affinity) {
      delete copy.spec.affinity.nodeAffinity;
      if (Object.keys(copy.spec.affinity).length === 0) delete copy.spec.affinity;
    } else if (affinity) {
      copy.spec.affinity = { ...(copy.spec.affinity ?? {}), nodeAffinity: affinity.nodeAffinity };
      if (affinity.nodeAffinity === undefined) delete copy.spec.affinity.nodeAffinity;
    }
    copy.spec.nodeSelector = spec?.nodeSelector;
    copy.spec.tolerations = spec?.tolerations;
    copy.spec.schedulingGates = spec?.schedulingGates;
    copy.metadata = { ...(copy.metadata ?? {}), annotations: tpl?.metadata?.annotations, labels: tpl?.metadata?.labels };
    oldTpl = copy;
  }
  return immutable(tpl, oldTpl, path('spec.template'));
}

/** upstream ValidateJobSpecUpdate's transition rules. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const now = asJob(obj).spec;
  const before = asJob(old).spec;
  return [
    ...validateCompletions(now, before),
    ...immutable(now?.selector, before?.selector, path('spec.selector')),
    ...validateTemplateUpdate(asJob(obj), asJob(old)),
    ...immutable(now?.completionMode, before?.completionMode, path('spec.completionMode')),
    ...immutable(now?.podFailurePolicy, before?.podFailurePolicy, path('spec.podFailurePolicy')),
    ...immutable(now?.backoffLimitPerIndex, before?.backoffLimitPerIndex, path('spec.backoffLimitPerIndex')),
  ];
}

function validateStatus(obj: KubeObject): FieldError[] {
  const status: V1JobStatus = asJob(obj).status ?? {};
  const fld = path('status');
  return [
    ...nonNegative(status.active, fld.child('active')),
    ...nonNegative(status.succeeded, fld.child('succeeded')),
    ...nonNegative(status.failed, fld.child('failed')),
    ...nonNegative(status.ready, fld.child('ready')),
    ...nonNegative(status.terminating, fld.child('terminating')),
  ];
}

export const job: KindDefinition = {
  resource: resourceInfo('batch', 'v1', 'Job', { plural: 'jobs', namespaced: true, categories: ['all'], subresources: ['status'] }),
  model: 'V1Job',
  defaults,
  validate,
  validateUpdate,
  validateStatus,
  hasStatus: true,
  hasSpec: true,
  fieldSelectors: {
    'status.successful': (obj) => String(asJob(obj).status?.succeeded ?? 0),
  },
};
