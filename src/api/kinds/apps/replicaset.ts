/**
 * apps/v1 ReplicaSet: upstream defaults (replicas 1, pod template defaults), ValidateReplicaSet*,
 * the apps/v1 immutable selector, the scale subresource and the `status.replicas` field selector.
 */
import type { V1ReplicaSet, V1ReplicaSetSpec } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { defaultPodTemplate } from '../common/pod-template.js';
import { ensureObject, resourceInfo } from '../common/resource.js';
import { immutable, nonNegative, required } from '../common/validation.js';
import { validateReplicaCounters } from './replica-status.js';
import { validateSelectorAndTemplate } from './workload-template.js';

const specOf = (obj: KubeObject): V1ReplicaSetSpec | undefined => (obj as unknown as V1ReplicaSet).spec;

function defaults(obj: KubeObject): void {
  const spec = ensureObject<V1ReplicaSetSpec>(obj, 'spec');
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template);
}

function validate(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const fld = path('spec');
  if (!spec) return [required(fld)];
  return [
    ...nonNegative(spec.replicas, fld.child('replicas')),
    ...nonNegative(spec.minReadySeconds, fld.child('minReadySeconds')),
    ...validateSelectorAndTemplate(spec.selector, spec.template, fld, 'ReplicaSet'),
  ];
}

function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return immutable(specOf(obj)?.selector, specOf(old)?.selector, path('spec.selector'));
}

function validateStatus(obj: KubeObject): FieldError[] {
  const status = ((obj as unknown as V1ReplicaSet).status ?? {}) as unknown as Record<string, number | undefined>;
  const counters = ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];
  return validateReplicaCounters(status, path('status'), counters, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']);
}

export const replicaSet: KindDefinition = {
  resource: resourceInfo('apps', 'v1', 'ReplicaSet', {
    plural: 'replicasets',
    namespaced: true,
    shortNames: ['rs'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  model: 'V1ReplicaSet',
  defaults,
  validate,
  validateUpdate,
  validateStatus,
  hasStatus: true,
  hasSpec: true,
  scale: { specReplicas: ['spec', 'replicas'], statusReplicas: ['status', 'replicas'], labelSelector: ['spec', 'selector'] },
  fieldSelectors: {
    'status.replicas': (obj) => String((obj as unknown as V1ReplicaSet).status?.replicas ?? 0),
  },
};
