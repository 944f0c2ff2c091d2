/**
 * apps/v1 Deployment: upstream's defaults (pkg/apis/apps/v1/defaults.go), validation
 * (pkg/apis/apps/validation ValidateDeployment*), the apps/v1 strategy's immutable selector, and the
 * scale subresource. Input: a decoded Deployment as plain JSON; output: FieldErrors with paths.
 */
import type { V1Deployment, V1DeploymentSpec, V1DeploymentStatus, V1DeploymentStrategy } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { defaultPodTemplate } from '../common/pod-template.js';
import { ensureObject, resourceInfo } from '../common/resource.js';
import {
  forbidden,
  immutable,
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

const specOf = (obj: KubeObject): V1DeploymentSpec | undefined => (obj as unknown as V1Deployment).spec;

function defaults(obj: KubeObject): void {
  const spec = ensureObject<V1DeploymentSpec>(obj, 'spec');
  spec.replicas ??= 1;
  const strategy = ensureObject<V1DeploymentStrategy>(spec as unknown as Record<string, unknown>, 'strategy');
  strategy.type ||= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    strategy.rollingUpdate ??= {};
    strategy.rollingUpdate.maxUnavailable ??= '25%';
    strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template);
}

function validateStrategy(strategy: V1DeploymentStrategy | undefined): FieldError[] {
  const fld = path('spec.strategy');
  const errs: FieldError[] = [];
  switch (strategy?.type) {
    case 'Recreate':
      if (strategy.rollingUpdate) errs.push(forbidden(fld.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate': {
      const ru = strategy.rollingUpdate;
      if (!ru) {
        errs.push(required(fld.child('rollingUpdate'), 'this should be defaulted and never be nil'));
        break;
      }
      const ruPath = fld.child('rollingUpdate');
      errs.push(...positiveIntOrPercent(ru.maxUnavailable, ruPath.child('maxUnavailable')));
      errs.push(...positiveIntOrPercent(ru.maxSurge, ruPath.child('maxSurge')));
      if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
        errs.push(invalidValue(ruPath.child('maxUnavailable'), ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...notMoreThan100Percent(ru.maxUnavailable, ruPath.child('maxUnavailable')));
      break;
    }
    default:
      errs.push(notSupported(fld, strategy ?? {}, ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

/** upstream ValidateDeploymentSpec. */
function validate(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const fld = path('spec');
  if (!spec) return [required(fld)];
  const errs: FieldError[] = [];
  errs.push(...nonNegative(spec.replicas, fld.child('replicas')));
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, fld, 'Deployment'));
  errs.push(...validateStrategy(spec.strategy));
  errs.push(...nonNegative(spec.minReadySeconds, fld.child('minReadySeconds')));
  errs.push(...nonNegative(spec.revisionHistoryLimit, fld.child('revisionHistoryLimit')));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, fld.child('progressDeadlineSeconds')));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalidValue(fld.child('progressDeadlineSeconds'), spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** apps/v1 makes the selector immutable (upstream deploymentStrategy.ValidateUpdate). */
function validateUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return immutable(specOf(obj)?.selector, specOf(old)?.selector, path('spec.selector'));
}

function validateStatus(obj: KubeObject, old: KubeObject): FieldError[] {
  const status = ((obj as unknown as V1Deployment).status ?? {}) as V1DeploymentStatus & Record<string, number | undefined>;
  const fld = path('status');
  const counters = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount'];
  const errs = validateReplicaCounters(status, fld, counters, ['updatedReplicas', 'readyReplicas', 'availableReplicas']);
  const collisions = collisionCountNotDecremented(
    (obj as unknown as V1Deployment).status?.collisionCount,
    (old as unknown as V1Deployment).status?.collisionCount,
    path('status'),
  );
  return [...errs, ...collisions];
}

export const deployment: KindDefinition = {
  resource: resourceInfo('apps', 'v1', 'Deployment', {
    plural: 'deployments',
    namespaced: true,
    shortNames: ['deploy'],
    categories: ['all'],
    subresources: ['status', 'scale'],
  }),
  model: 'V1Deployment',
  defaults,
  validate,
  validateUpdate,
  validateStatus,
  hasStatus: true,
  hasSpec: true,
  scale: { specReplicas: ['spec', 'replicas'], statusReplicas: ['status', 'replicas'], labelSelector: ['spec', 'selector'] },
};
