import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { fieldErrorMessage, type FieldError } from '../../../machinery/errors.js';
import type { KubeObject } from '../../types.js';
import { deployment } from '../apps/deployment.js';
import { applyScale, horizontalPodAutoscaler, horizontalPodAutoscalerV1, hpaV1ToV2, hpaV2ToV1, toScale, validateScale } from './index.js';

const messages = (errs: FieldError[]): string[] => errs.map(fieldErrorMessage);

function minimalHpa(): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
  };
}

test('HPA v2 defaults: minReplicas 1 and a CPU 80% utilization metric; no behavior unless given', () => {
  const obj = minimalHpa();
  horizontalPodAutoscaler.defaults?.(obj);
  assert.deepEqual(obj.spec, {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    maxReplicas: 5,
    minReplicas: 1,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
  });
  assert.deepEqual(horizontalPodAutoscaler.validate?.(obj), []);
});

test('HPA v2 behavior defaults fill only what the user left out', () => {
  const obj = minimalHpa();
  (obj.spec as Record<string, unknown>).behavior = { scaleDown: { stabilizationWindowSeconds: 300 } };
  horizontalPodAutoscaler.defaults?.(obj);
  assert.deepEqual((obj.spec as Record<string, unknown>).behavior, {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], stabilizationWindowSeconds: 300 },
  });
});

test('HPA validation messages', () => {
  const obj = minimalHpa();
  horizontalPodAutoscaler.defaults?.(obj);
  const spec = obj.spec as Record<string, any>;
  spec.minReplicas = 6;
  spec.scaleTargetRef = { kind: 'Deployment' };
  spec.metrics = [
    { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization' } } },
    { type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 5 } }, external: { metric: { name: 'q' }, target: { type: 'Value', value: '1' } } },
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } },
  ];
  spec.behavior = { scaleUp: { policies: [], selectPolicy: 'Sometimes' }, scaleDown: { policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] } };
  assert.deepEqual(messages(horizontalPodAutoscaler.validate?.(obj) ?? []), [
    'spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`',
    'spec.scaleTargetRef.name: Required value',
    'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
    'spec.metrics[1].pods: Required value: must populate information for the given metric source',
    'spec.metrics[1].external: Forbidden: must populate the given metric source only',
    'spec.metrics[1].resource: Forbidden: must populate the given metric source only',
    'spec.metrics[2].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Sometimes": supported values: "Disabled", "Max", "Min"',
    'spec.behavior.scaleUp.policies: Required value: must specify at least one Policy',
    'spec.behavior.scaleDown.policies[0].value: Invalid value: 0: must be greater than zero',
    'spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800',
  ]);
  spec.minReplicas = 0;
  spec.maxReplicas = 0;
  const msgs = messages(horizontalPodAutoscaler.validate?.(obj) ?? []);
  assert.ok(msgs.includes('spec.minReplicas: Invalid value: 0: must be greater than or equal to 1'));
  assert.ok(msgs.includes('spec.maxReplicas: Invalid value: 0: must be greater than 0'));
});

test('HPA v1 <-> v2: CPU target maps to a Resource metric; the rest rides in annotations and round-trips', () => {
  const v1: KubeObject = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', annotations: { team: 'a' } },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 50 },
    status: { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 70 },
  };
  const v2 = hpaV1ToV2(v1);
  assert.deepEqual(v2.spec, {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    maxReplicas: 5,
    minReplicas: 2,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
  });
  assert.deepEqual(v2.status, { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 70 } } }] });
  assert.deepEqual(hpaV2ToV1(v2), v1);

  const rich = minimalHpa();
  (rich.spec as Record<string, unknown>).metrics = [
    { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
    { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
  ];
  (rich.spec as Record<string, unknown>).behavior = { scaleDown: { stabilizationWindowSeconds: 30 } };
  rich.status = { currentReplicas: 1, desiredReplicas: 1, conditions: [{ type: 'AbleToScale', status: 'True' }] };
  const asV1 = hpaV2ToV1(rich);
  assert.equal((asV1.spec as Record<string, unknown>).targetCPUUtilizationPercentage, 60);
  assert.ok(asV1.metadata?.annotations?.['autoscaling.alpha.kubernetes.io/metrics']);
  const back = hpaV1ToV2(asV1);
  assert.deepEqual(back.spec, rich.spec);
  assert.deepEqual(back.status, rich.status);
  assert.equal(back.metadata?.annotations, undefined);
  assert.equal(rich.apiVersion, 'autoscaling/v2', 'input not mutated');
});

test('HPA v1 definition: same plural, v1 defaults, validation through v2', () => {
  assert.equal(horizontalPodAutoscalerV1.resource.plural, horizontalPodAutoscaler.resource.plural);
  assert.equal(horizontalPodAutoscalerV1.resource.version, 'v1');
  assert.deepEqual(horizontalPodAutoscaler.resource.shortNames, ['hpa']);
  const v1: KubeObject = { metadata: { name: 'x' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 3, targetCPUUtilizationPercentage: 0 } };
  horizontalPodAutoscalerV1.defaults?.(v1);
  assert.equal((v1.spec as Record<string, unknown>).minReplicas, 1);
  assert.deepEqual(messages(horizontalPodAutoscalerV1.validate?.(v1) ?? []), ['spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0']);
});

test('Scale view of a Deployment and applying a Scale back', () => {
  const d: KubeObject = {
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', labels: { a: 'b' } },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] } },
    status: { replicas: 2 },
  };
  assert.deepEqual(toScale(d, deployment), {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7' },
    spec: { replicas: 3 },
    status: { replicas: 2, selector: 'app=web,tier in (a,b)' },
  });
  applyScale(d, { spec: { replicas: 9 } }, deployment);
  assert.equal((d.spec as Record<string, unknown>).replicas, 9);
  assert.deepEqual(messages(validateScale({ spec: { replicas: -1 } })), ['spec.replicas: Invalid value: -1: must be greater than or equal to 0']);
});

test('HPA metric sources: each source checked as upstream, unknown types reported twice as upstream does', () => {
  const obj = minimalHpa();
  (obj.spec as Record<string, unknown>).metrics = [
    { type: 'Pods', pods: { metric: {}, target: { type: 'AverageValue' } } },
    { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10', averageValue: '-1' } } },
    { type: 'Object', object: { describedObject: { kind: 'Ingress' }, metric: { name: 'rps' }, target: { type: 'Value' } } },
    { type: 'Custom' },
  ];
  assert.deepEqual(messages(horizontalPodAutoscaler.validate?.(obj) ?? []), [
    'spec.metrics[0].pods.metric.name: Required value: must specify a metric name',
    'spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue',
    'spec.metrics[1].external.target.averageValue: Invalid value: "-1": must be positive',
    'spec.metrics[1].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target',
    'spec.metrics[2].object.describedObject.name: Required value',
    'spec.metrics[2].object.target.averageValue: Required value: must set either a target value or averageValue',
    'spec.metrics[3].type: Unsupported value: "Custom": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    'spec.metrics[3].type: Unsupported value: "Custom": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
  ]);
});
