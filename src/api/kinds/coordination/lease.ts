/**
 * coordination.k8s.io/v1 Lease: the leader-election and node-heartbeat record. Upstream
 * ValidateLeaseSpec: positive duration, non-negative transitions, preferredHolder only with a strategy.
 */
import type { V1Lease } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { resourceInfo } from '../common/resource.js';
import { forbidden, invalidValue } from '../common/validation.js';

function validate(obj: KubeObject): FieldError[] {
  const spec = (obj as unknown as V1Lease).spec ?? {};
  const fld = path('spec');
  const errs: FieldError[] = [];
  if (spec.leaseDurationSeconds != null && spec.leaseDurationSeconds <= 0) errs.push(invalidValue(fld.child('leaseDurationSeconds'), spec.leaseDurationSeconds, 'must be greater than 0'));
  if (spec.leaseTransitions != null && spec.leaseTransitions < 0) errs.push(invalidValue(fld.child('leaseTransitions'), spec.leaseTransitions, 'must be greater than or equal to 0'));
  if (spec.preferredHolder && !spec.strategy) errs.push(forbidden(fld.child('preferredHolder'), 'may only be specified if `strategy` is defined'));
  return errs;
}

export const lease: KindDefinition = {
  resource: resourceInfo('coordination.k8s.io', 'v1', 'Lease', { plural: 'leases', namespaced: true }),
  model: 'V1Lease',
  validate,
  hasStatus: false,
  // upstream's lease strategy does not track generation.
  hasSpec: false,
};
