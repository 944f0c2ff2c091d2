/**
 * autoscaling HorizontalPodAutoscaler: the v2 definition (the stored version: defaults minReplicas 1,
 * a CPU 80% utilization metric when none is given, scaling behavior defaults) and the v1 definition
 * served from the same storage through convert.ts (v1 defaults minReplicas 1; v1 objects are
 * validated by converting them to v2).
 */
import type { V2HorizontalPodAutoscaler, V2HorizontalPodAutoscalerSpec, V2HPAScalingRules } from '@kubernetes/client-node';
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { ensureObject, resourceInfo } from '../common/resource.js';
import { nonNegative } from '../common/validation.js';
import { hpaV1ToV2 } from './convert.js';
import { validateHpaSpec } from './hpa-validation.js';

export const DEFAULT_CPU_UTILIZATION = 80;

const scaleUpDefaults = (): V2HPAScalingRules => ({
  stabilizationWindowSeconds: 0,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
});
const scaleDownDefaults = (): V2HPAScalingRules => ({
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
});

/** upstream copyHPAScalingRules: the user's non-nil fields over the defaults. */
function withRuleDefaults(given: V2HPAScalingRules | undefined, defaults: V2HPAScalingRules): V2HPAScalingRules {
  if (!given) return defaults;
  const out = defaults;
  if (given.selectPolicy != null) out.selectPolicy = given.selectPolicy;
  if (given.stabilizationWindowSeconds != null) out.stabilizationWindowSeconds = given.stabilizationWindowSeconds;
  if (given.policies != null) out.policies = given.policies;
  for (const [k, v] of Object.entries(given)) if (!(k in out)) (out as Record<string, unknown>)[k] = v;
  return out;
}

function defaultsV2(obj: KubeObject): void {
  const spec = ensureObject<V2HorizontalPodAutoscalerSpec>(obj, 'spec');
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } }];
  }
  if (spec.behavior) {
    spec.behavior.scaleUp = withRuleDefaults(spec.behavior.scaleUp, scaleUpDefaults());
    spec.behavior.scaleDown = withRuleDefaults(spec.behavior.scaleDown, scaleDownDefaults());
  }
}

function validateStatus(obj: KubeObject): FieldError[] {
  const status = (obj as unknown as V2HorizontalPodAutoscaler).status;
  return [...nonNegative(status?.currentReplicas, path('status.currentReplicas')), ...nonNegative(status?.desiredReplicas, path('status.desiredReplicas'))];
}

const hpaResource = (version: string) =>
  resourceInfo('autoscaling', version, 'HorizontalPodAutoscaler', {
    plural: 'horizontalpodautoscalers',
    namespaced: true,
    shortNames: ['hpa'],
    categories: ['all'],
    subresources: ['status'],
  });

export const horizontalPodAutoscaler: KindDefinition = {
  resource: hpaResource('v2'),
  model: 'V2HorizontalPodAutoscaler',
  defaults: defaultsV2,
  validate: (obj) => validateHpaSpec((obj as unknown as V2HorizontalPodAutoscaler).spec),
  validateStatus,
  hasStatus: true,
  hasSpec: true,
};

/** autoscaling/v1: same plural and storage; requests are converted with hpaV1ToV2 / hpaV2ToV1. */
export const horizontalPodAutoscalerV1: KindDefinition = {
  resource: hpaResource('v1'),
  model: 'V1HorizontalPodAutoscaler',
  defaults: (obj) => {
    ensureObject<Record<string, unknown>>(obj, 'spec').minReplicas ??= 1;
  },
  validate: (obj) => validateHpaSpec((hpaV1ToV2(obj) as unknown as V2HorizontalPodAutoscaler).spec),
  validateStatus: (obj) => validateStatus(hpaV1ToV2(obj)),
  hasStatus: true,
  hasSpec: true,
};
