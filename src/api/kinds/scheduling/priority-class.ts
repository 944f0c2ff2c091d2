/**
 * scheduling.k8s.io/v1 PriorityClass (cluster-scoped, no spec): upstream default preemptionPolicy
 * PreemptLowerPriority, ValidatePriorityClass (`system-` names reserved for the two built-in
 * classes, user values at most one billion) and the immutable value and preemption policy.
 */
import type { V1PriorityClass } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { resourceInfo } from '../common/resource.js';
import { forbidden, immutable, notSupported, required } from '../common/validation.js';

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

const asClass = (obj: KubeObject): V1PriorityClass => obj as unknown as V1PriorityClass;

/** upstream IsKnownSystemPriorityClass: undefined when it is one, else the reason. */
function systemClassProblem(name: string, value: number, globalDefault: boolean): string | undefined {
  const expected = SYSTEM_PRIORITY_CLASSES[name];
  if (expected === undefined) return `${name} is not a known system priority class`;
  if (value !== expected) return `value of ${name} PriorityClass must be ${expected}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

function validate(obj: KubeObject): FieldError[] {
  const pc = asClass(obj);
  const name = pc.metadata?.name ?? '';
  const value = pc.value ?? 0;
  const errs: FieldError[] = [];
  if (name.startsWith('system-')) {
    const problem = systemClassProblem(name, value, pc.globalDefault === true);
    if (problem) errs.push(forbidden(path('metadata.name'), `priority class names with 'system-' prefix are reserved for system use only. error: ${problem}`));
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(forbidden(path('value'), `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const policy = pc.preemptionPolicy;
  if (policy == null) errs.push(required(path('preemptionPolicy')));
  else if (policy !== 'PreemptLowerPriority' && policy !== 'Never') errs.push(notSupported(path('preemptionPolicy'), policy, ['PreemptLowerPriority', 'Never']));
  return errs;
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  if (asClass(obj).value !== asClass(old).value) errs.push(forbidden(path('value'), 'may not be changed in an update.'));
  errs.push(...immutable(asClass(obj).preemptionPolicy, asClass(old).preemptionPolicy, path('preemptionPolicy')));
  return errs;
}

export const priorityClass: KindDefinition = {
  resource: resourceInfo('scheduling.k8s.io', 'v1', 'PriorityClass', { plural: 'priorityclasses', namespaced: false, shortNames: ['pc'] }),
  model: 'V1PriorityClass',
  defaults: (obj) => {
    asClass(obj).preemptionPolicy ??= 'PreemptLowerPriority';
  },
  validate,
  validateUpdate,
  hasStatus: false,
  hasSpec: false,
};
