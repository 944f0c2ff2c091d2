/**
 * apps/v1 StatefulSet: upstream defaults (podManagementPolicy OrderedReady, RollingUpdate with
 * partition 0, PVC retention Retain/Retain, replicas 1, revisionHistoryLimit 10, pod template and
 * volumeClaimTemplates defaults), ValidateStatefulSetSpec, the update rule that only replicas,
 * ordinals, template, updateStrategy, revisionHistoryLimit, persistentVolumeClaimRetentionPolicy and
 * minReadySeconds may change, status validation and the scale subresource.
 */
import type { V1StatefulSet, V1StatefulSetSpec, V1StatefulSetUpdateStrategy } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { defaultPodTemplate } from '../common/pod-template.js';
import { ensureObject, resourceInfo } from '../common/resource.js';
import {
  deepEqual,
  forbidden,
  intOrPercentValue,
  invalidValue,
  nonNegative,
  notMoreThan100Percent,
  notSupported,
  positiveIntOrPercent,
  required,
} from '../common/validation.js';
import { collisionCountNotDecremented, validateReplicaCounters } from './replica-status.js';
import { validateSelectorAndTemplate } from './workload-template.js';

const specOf = (obj: KubeObject): V1StatefulSetSpec | undefined => (obj as unknown as V1StatefulSet).spec;

function defaults(obj: KubeObject): void {
  const spec = ensureObject<V1StatefulSetSpec>(obj, 'spec');
  spec.podManagementPolicy ||= 'OrderedReady';
  const strategy = ensureObject<V1StatefulSetUpdateStrategy>(spec as unknown as Record<string, unknown>, 'updateStrategy');
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ||= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ||= 'Retain';
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template);
  // upstream's PersistentVolumeClaim defaulters run on each claim template too.
  for (const claim of spec.volumeClaimTemplates ?? []) {
    claim.spec ??= {};
    claim.spec.volumeMode ??= 'Filesystem';
    claim.status ??= {};
    claim.status.phase ||= 'Pending';
  }
}

function validateUpdateStrategy(strategy: V1StatefulSetUpdateStrategy | undefined): FieldError[] {
  const fld = path('spec.updateStrategy');
  const errs: FieldError[] = [];
  switch (strategy?.type ?? '') {
    case '':
      errs.push(required(fld));
      break;
    case 'OnDelete':
      if (strategy?.rollingUpdate) errs.push(invalidValue(fld.child('rollingUpdate'), strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
      break;
    case 'RollingUpdate': {
      const ru = strategy?.rollingUpdate;
      if (!ru) break;
      const ruPath = fld.child('rollingUpdate');
      errs.push(...nonNegative(ru.partition, ruPath.child('partition')));
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) {
        errs.push(...positiveIntOrPercent(ru.maxUnavailable, ruPath.child('maxUnavailable')));
        if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(invalidValue(ruPath.child('maxUnavailable'), ru.maxUnavailable, 'cannot be 0'));
        errs.push(...notMoreThan100Percent(ru.maxUnavailable, ruPath.child('maxUnavailable')));
      }
      break;
    }
    default:
      errs.push(invalidValue(fld, strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  }
  return errs;
}

/** upstream ValidateStatefulSetSpec. */
function validate(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const fld = path('spec');
  if (!spec) return [required(fld)];
  const errs: FieldError[] = [];
  const pmp = spec.podManagementPolicy ?? '';
  if (pmp === '') errs.push(required(fld.child('podManagementPolicy')));
  else if (pmp !== 'OrderedReady' && pmp !== 'Parallel') errs.push(invalidValue(fld.child('podManagementPolicy'), pmp, "must be 'OrderedReady' or 'Parallel'"));
  errs.push(...validateUpdateStrategy(spec.updateStrategy));
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (retention) {
    for (const key of ['whenDeleted', 'whenScaled'] as const) {
      const v = retention[key] ?? '';
      if (v !== 'Retain' && v !== 'Delete') errs.push(notSupported(fld.child('persistentVolumeClaimRetentionPolicy').child(key), v, ['Retain', 'Delete']));
    }
  }
  errs.push(...nonNegative(spec.revisionHistoryLimit, fld.child('revisionHistoryLimit')));
  errs.push(...nonNegative(spec.replicas, fld.child('replicas')));
  errs.push(...nonNegative(spec.minReadySeconds, fld.child('minReadySeconds')));
  if (spec.ordinals) errs.push(...nonNegative(spec.ordinals.start ?? 0, fld.child('ordinals.start')));
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, fld, 'StatefulSet'));
  return errs;
}

const MUTABLE_SPEC_FIELDS = ['replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

/** upstream ValidateStatefulSetUpdate: everything else in spec is fixed at creation. */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const strip = (spec: V1StatefulSetSpec | undefined): Record<string, unknown> => {
    const copy: Record<string, unknown> = { ...(spec ?? {}) };
    for (const f of MUTABLE_SPEC_FIELDS) delete copy[f];
    return copy;
  };
  if (deepEqual(strip(specOf(obj)), strip(specOf(old)))) return [];
  return [
    forbidden(
      path('spec'),
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

function validateStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const status = ((obj as unknown as V1StatefulSet).status ?? {}) as unknown as Record<string, number | undefined>;
  const counters = ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount'];
  const errs = validateReplicaCounters(status, path('status'), counters, ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'], 'cannot be greater than status.readyReplicas');
  const collisions = collisionCountNotDecremented(
    (obj as unknown as V1StatefulSet).status?.collisionCount,
    (old as unknown as V1StatefulSet).status?.collisionCount,
    path('status'),
  );
  return [...errs, ...collisions];
}

export const statefulSet: KindDefinition = {
  resource: resourceInfo('apps', 'v1', 'StatefulSet', {
    plural: 'statefulsets',
    namespaced: true,
    shortNames: ['sts'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  model: 'V1StatefulSet',
  // upstream ValidateStatefulSetName: pods are named <set>-<ordinal>, so the name must be a DNS label.
  nameRule: 'label',
  defaults,
  validate,
  validateUpdate,
  validateStatus,
  hasStatus: true,
  hasSpec: true,
  scale: { specReplicas: ['spec', 'replicas'], statusReplicas: ['status', 'replicas'], labelSelector: ['spec', 'selector'] },
};
