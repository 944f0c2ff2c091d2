/**
 * apps/v1 DaemonSet: upstream defaults (RollingUpdate with maxUnavailable 1 and maxSurge 0,
 * revisionHistoryLimit 10, pod template defaults), ValidateDaemonSetSpec, the apps/v1 immutable
 * selector and status validation.
 */
import type { V1DaemonSet, V1DaemonSetSpec, V1DaemonSetUpdateStrategy } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { defaultPodTemplate } from '../common/pod-template.js';
import { ensureObject, resourceInfo } from '../common/resource.js';
import {
  deepEqual,
  immutable,
  intOrPercentValue,
  invalidValue,
  nonNegative,
  notMoreThan100Percent,
  notSupported,
  positiveIntOrPercent,
  required,
} from '../common/validation.js';
import { collisionCountNotDecremented } from './replica-status.js';
import { validateSelectorAndTemplate } from './workload-template.js';

const specOf = (obj: KubeObject): V1DaemonSetSpec | undefined => (obj as unknown as V1DaemonSet).spec;

/** apps/v1 carries upstream's internal spec.templateGeneration in this annotation. */
export const TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

function templateGeneration(obj: KubeObject): number {
  const n = Number(obj.metadata?.annotations?.[TEMPLATE_GENERATION_ANNOTATION]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function setTemplateGeneration(obj: KubeObject, n: number): void {
  const meta = (obj.metadata ??= {});
  meta.annotations = { ...(meta.annotations ?? {}), [TEMPLATE_GENERATION_ANNOTATION]: String(n) };
}

/**
 * upstream daemonSetStrategy.PrepareForUpdate's template generation: one more than the old object's
 * when the pod template changed, else the old value. For the registry to call on updates through
 * the main resource (the create-time value 1 is set by `defaults` once the uid is assigned).
 */
export function prepareDaemonSetForUpdate(obj: KubeObject, old: KubeObject): void {
  const before = templateGeneration(old);
  const changed = !deepEqual((obj as unknown as V1DaemonSet).spec?.template, (old as unknown as V1DaemonSet).spec?.template);
  const next = changed ? before + 1 : before;
  if (next > 0) setTemplateGeneration(obj, next);
}

function defaults(obj: KubeObject): void {
  // upstream PrepareForCreate sets templateGeneration 1; the registry assigns the uid before defaulting.
  if (obj.metadata?.uid && templateGeneration(obj) === 0) setTemplateGeneration(obj, 1);
  const spec = ensureObject<V1DaemonSetSpec>(obj, 'spec');
  const strategy = ensureObject<V1DaemonSetUpdateStrategy>(spec as unknown as Record<string, unknown>, 'updateStrategy');
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    strategy.rollingUpdate ??= {};
    strategy.rollingUpdate.maxUnavailable ??= 1;
    strategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template);
}

function validateUpdateStrategy(strategy: V1DaemonSetUpdateStrategy | undefined): FieldError[] {
  const fld = path('spec.updateStrategy');
  switch (strategy?.type) {
    case 'OnDelete':
      return [];
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (!ru) return [required(fld.child('rollingUpdate'))];
      const ruPath = fld.child('rollingUpdate');
      const errs = [
        ...positiveIntOrPercent(ru.maxUnavailable, ruPath.child('maxUnavailable')),
        ...positiveIntOrPercent(ru.maxSurge, ruPath.child('maxSurge')),
        ...notMoreThan100Percent(ru.maxUnavailable, ruPath.child('maxUnavailable')),
        ...notMoreThan100Percent(ru.maxSurge, ruPath.child('maxSurge')),
      ];
      const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
      const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
      if (hasUnavailable && hasSurge) errs.push(invalidValue(ruPath.child('maxSurge'), ru.maxSurge, 'may not be set when maxUnavailable is non-zero'));
      if (!hasUnavailable && !hasSurge) errs.push(required(ruPath.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
      return errs;
    }
    default:
      return [notSupported(fld, strategy ?? {}, ['RollingUpdate', 'OnDelete'])];
  }
}

/** upstream ValidateDaemonSetSpec. */
function validate(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const fld = path('spec');
  if (!spec) return [required(fld)];
  return [
    ...validateSelectorAndTemplate(spec.selector, spec.template, fld, 'DaemonSet'),
    ...nonNegative(spec.minReadySeconds, fld.child('minReadySeconds')),
    ...validateUpdateStrategy(spec.updateStrategy),
    ...nonNegative(spec.revisionHistoryLimit, fld.child('revisionHistoryLimit')),
  ];
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return immutable(specOf(obj)?.selector, specOf(old)?.selector, path('spec.selector'));
}

function validateStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const status = ((obj as unknown as V1DaemonSet).status ?? {}) as unknown as Record<string, number | undefined>;
  const counters = [
    'currentNumberScheduled',
    'numberMisscheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
    'collisionCount',
  ];
  const errs = counters.flatMap((c) => nonNegative(status[c], path('status').child(c)));
  const collisions = collisionCountNotDecremented(
    (obj as unknown as V1DaemonSet).status?.collisionCount,
    (old as unknown as V1DaemonSet).status?.collisionCount,
    path('status'),
  );
  return [...errs, ...collisions];
}

export const daemonSet: KindDefinition = {
  resource: resourceInfo('apps', 'v1', 'DaemonSet', {
    plural: 'daemonsets',
    namespaced: true,
    shortNames: ['ds'],
    categories: ['all'],
    subresources: ['status'],
  }),
  model: 'V1DaemonSet',
  defaults,
  validate,
  validateUpdate,
  validateStatus,
  hasStatus: true,
  hasSpec: true,
};
