/**
 * policy/v1 PodDisruptionBudget: upstream ValidatePodDisruptionBudgetSpec (minAvailable xor
 * maxUnavailable, each a non-negative int or a percent up to 100%, the selector, the unhealthy pod
 * eviction policy) and status counters. No defaults in policy/v1; the spec stays mutable.
 */
import type { V1PodDisruptionBudget, V1PodDisruptionBudgetSpec } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { validateLabelSelector } from '../common/label-selector.js';
import { resourceInfo } from '../common/resource.js';
import { invalidValue, nonNegative, notMoreThan100Percent, notSupported, positiveIntOrPercent } from '../common/validation.js';

const asPdb = (obj: KubeObject): V1PodDisruptionBudget => obj as unknown as V1PodDisruptionBudget;

function validate(obj: KubeObject): FieldError[] {
  const spec: V1PodDisruptionBudgetSpec = asPdb(obj).spec ?? {};
  const fld = path('spec');
  const errs: FieldError[] = [];
  if (spec.minAvailable != null && spec.maxUnavailable != null) errs.push(invalidValue(fld, spec, 'minAvailable and maxUnavailable cannot be both set'));
  for (const key of ['minAvailable', 'maxUnavailable'] as const) {
    const v = spec[key];
    if (v == null) continue;
    errs.push(...positiveIntOrPercent(v, fld.child(key)), ...notMoreThan100Percent(v, fld.child(key)));
  }
  errs.push(...validateLabelSelector(spec.selector, fld.child('selector')));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy != null && policy !== 'IfHealthyBudget' && policy !== 'AlwaysAllow') {
    errs.push(notSupported(fld.child('unhealthyPodEvictionPolicy'), policy, ['AlwaysAllow', 'IfHealthyBudget']));
  }
  return errs;
}

function validateStatus(obj: KubeObject): FieldError[] {
  const status = asPdb(obj).status;
  const fld = path('status');
  return (['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const).flatMap((k) => nonNegative(status?.[k], fld.child(k)));
}

export const podDisruptionBudget: KindDefinition = {
  resource: resourceInfo('policy', 'v1', 'PodDisruptionBudget', { plural: 'poddisruptionbudgets', namespaced: true, shortNames: ['pdb'], subresources: ['status'] }),
  model: 'V1PodDisruptionBudget',
  validate,
  validateStatus,
  hasStatus: true,
  hasSpec: true,
};
