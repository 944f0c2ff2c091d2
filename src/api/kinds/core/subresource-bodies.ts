/**
 * Bodies of pod subresources: Binding (pods/binding, also served as the `bindings` resource with
 * only `create`) and policy/v1 Eviction (pods/eviction). Their definitions type-check and validate
 * the posted body like any kind; Eviction is not a top-level resource and is not in allKinds().
 */
import type { FieldError } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { coreResource } from './core-resource.js';
import { asObj, asString, checkNonNegative, required } from './validation-helpers.js';

/** ValidatePodBinding. */
function validateBinding(obj: KubeObject): FieldError[] {
  const target = asObj(obj.target) ?? {};
  const errs: FieldError[] = [];
  const kind = asString(target.kind);
  if (kind && kind !== 'Node') errs.push({ type: 'NotSupported', field: 'target.kind', value: kind, detail: 'supported values: "Node", "<empty>"' });
  if (!asString(target.name)) errs.push(required('target.name'));
  return errs;
}

export const binding: KindDefinition = {
  resource: coreResource('Binding', { plural: 'bindings', namespaced: true, verbs: ['create'] }),
  model: 'V1Binding',
  validate: validateBinding,
  hasStatus: false,
  hasSpec: false,
};

export const eviction: KindDefinition = {
  resource: coreResource('Eviction', { plural: 'evictions', namespaced: true, verbs: ['create'], group: 'policy', version: 'v1' }),
  model: 'V1Eviction',
  validate: (obj) => checkNonNegative('deleteOptions.gracePeriodSeconds', asObj(obj.deleteOptions)?.gracePeriodSeconds),
  hasStatus: false,
  hasSpec: false,
};
