/**
 * upstream ValidateHorizontalPodAutoscaler (pkg/apis/autoscaling/validation) on the autoscaling/v2
 * shape: scale target reference, replica bounds, metric sources and targets, scaling behavior.
 */
import type {
  V2CrossVersionObjectReference,
  V2HPAScalingRules,
  V2HorizontalPodAutoscalerSpec,
  V2MetricSpec,
  V2MetricTarget,
} from '@kubernetes/client-node';
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import { isDNS1123Label, isValidPathSegmentName } from '../../../machinery/names.js';
import { forbidden, invalidEach, invalidValue, notSupported, required } from '../common/validation.js';

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
const METRIC_SOURCE_FIELDS: Record<string, keyof V2MetricSpec> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};

function validateScaleTargetRef(ref: V2CrossVersionObjectReference | undefined, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!ref?.kind) errs.push(required(fld.child('kind')));
  else errs.push(...invalidEach(fld.child('kind'), ref.kind, isValidPathSegmentName(ref.kind)));
  if (!ref?.name) errs.push(required(fld.child('name')));
  else errs.push(...invalidEach(fld.child('name'), ref.name, isValidPathSegmentName(ref.name)));
  return errs;
}

/** A quantity's sign from its string form (`-1`, `0`, `500m`): enough for "must be positive". */
function isPositiveQuantity(q: string | number): boolean {
  const n = Number.parseFloat(String(q));
  return Number.isFinite(n) && n > 0;
}

function validateMetricTarget(t: V2MetricTarget | undefined, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = t?.type ?? '';
  if (type === '') errs.push(required(fld.child('type'), 'must specify a metric target type'));
  if (type !== 'Utilization' && type !== 'Value' && type !== 'AverageValue') {
    errs.push(invalidValue(fld.child('type'), type, 'must be either Utilization, Value, or AverageValue'));
  }
  if (t?.value != null && !isPositiveQuantity(t.value)) errs.push(invalidValue(fld.child('value'), t.value, 'must be positive'));
  if (t?.averageValue != null && !isPositiveQuantity(t.averageValue)) errs.push(invalidValue(fld.child('averageValue'), t.averageValue, 'must be positive'));
  if (t?.averageUtilization != null && t.averageUtilization < 1) errs.push(invalidValue(fld.child('averageUtilization'), t.averageUtilization, 'must be greater than 0'));
  return errs;
}

/** upstream validateMetricIdentifier. */
function validateMetricIdentifier(name: string | undefined, fld: FieldPath): FieldError[] {
  if (!name) return [required(fld.child('name'), 'must specify a metric name')];
  return invalidEach(fld.child('name'), name, isValidPathSegmentName(name));
}

/** The utilization-or-raw-value rule of resource and container resource sources. */
function utilizationOrValue(target: V2MetricTarget | undefined, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (target?.averageUtilization == null && target?.averageValue == null) {
    errs.push(required(fld.child('target').child('averageUtilization'), 'must set either a target raw value or a target utilization'));
  }
  if (target?.averageUtilization != null && target?.averageValue != null) {
    errs.push(forbidden(fld.child('target').child('averageValue'), 'may not set both a target raw value and a target utilization'));
  }
  return errs;
}

/** The per-source checks (upstream validateObjectSource, validateExternalSource, ...). */
function validateSource(kind: keyof V2MetricSpec, m: V2MetricSpec, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  switch (kind) {
    case 'object': {
      const src = m.object;
      errs.push(...validateScaleTargetRef(src?.describedObject, fld.child('describedObject')));
      errs.push(...validateMetricIdentifier(src?.metric?.name, fld.child('metric')), ...validateMetricTarget(src?.target, fld.child('target')));
      if (src?.target?.value == null && src?.target?.averageValue == null) {
        errs.push(required(fld.child('target').child('averageValue'), 'must set either a target value or averageValue'));
      }
      break;
    }
    case 'external': {
      const src = m.external;
      errs.push(...validateMetricIdentifier(src?.metric?.name, fld.child('metric')), ...validateMetricTarget(src?.target, fld.child('target')));
      if (src?.target?.value == null && src?.target?.averageValue == null) {
        errs.push(required(fld.child('target').child('averageValue'), 'must set either a target value for metric or a per-pod target'));
      }
      if (src?.target?.value != null && src?.target?.averageValue != null) {
        errs.push(forbidden(fld.child('target').child('value'), 'may not set both a target value for metric and a per-pod target'));
      }
      break;
    }
    case 'pods': {
      const src = m.pods;
      errs.push(...validateMetricIdentifier(src?.metric?.name, fld.child('metric')), ...validateMetricTarget(src?.target, fld.child('target')));
      if (src?.target?.averageValue == null) errs.push(required(fld.child('target').child('averageValue'), 'must specify a positive target averageValue'));
      break;
    }
    case 'resource': {
      const src = m.resource;
      if (!src?.name) errs.push(required(fld.child('name'), 'must specify a resource name'));
      errs.push(...validateMetricTarget(src?.target, fld.child('target')), ...utilizationOrValue(src?.target, fld));
      break;
    }
    case 'containerResource': {
      const src = m.containerResource;
      if (!src?.name) errs.push(required(fld.child('name'), 'must specify a resource name'));
      if (!src?.container) errs.push(required(fld.child('container'), 'must specify a container'));
      else errs.push(...invalidEach(fld.child('container'), src.container, isDNS1123Label(src.container)));
      errs.push(...validateMetricTarget(src?.target, fld.child('target')), ...utilizationOrValue(src?.target, fld));
      break;
    }
    default:
      break;
  }
  return errs;
}

const SOURCE_ORDER: Array<keyof V2MetricSpec> = ['object', 'external', 'pods', 'resource', 'containerResource'];
const SOURCE_TYPES = Object.keys(METRIC_SOURCE_FIELDS).sort();

/** upstream validateMetricSpec (an unknown type is reported twice there too). */
function validateMetric(m: V2MetricSpec, fld: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const type = m.type ?? '';
  if (type === '') errs.push(required(fld.child('type'), 'must specify a metric source type'));
  const expected = METRIC_SOURCE_FIELDS[type];
  if (!expected) errs.push(notSupported(fld.child('type'), type, SOURCE_TYPES));
  const present = SOURCE_ORDER.filter((k) => m[k] != null);
  if (present[0]) errs.push(...validateSource(present[0], m, fld.child(present[0])));
  if (!expected) errs.push(notSupported(fld.child('type'), type, SOURCE_TYPES));
  else if (m[expected] == null) errs.push(required(fld.child(expected), 'must populate information for the given metric source'));
  if (present.length !== 1) {
    for (const k of [...present].sort()) if (k !== expected) errs.push(forbidden(fld.child(k), 'must populate the given metric source only'));
  }
  return errs;
}

function validateScalingRules(rules: V2HPAScalingRules | undefined, fld: FieldPath): FieldError[] {
  if (!rules) return [];
  const errs: FieldError[] = [];
  const sws = rules.stabilizationWindowSeconds;
  if (sws != null && sws < 0) errs.push(invalidValue(fld.child('stabilizationWindowSeconds'), sws, 'must be greater than or equal to zero'));
  if (sws != null && sws > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(invalidValue(fld.child('stabilizationWindowSeconds'), sws, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (rules.selectPolicy != null && !['Max', 'Min', 'Disabled'].includes(rules.selectPolicy)) {
    errs.push(notSupported(fld.child('selectPolicy'), rules.selectPolicy, ['Disabled', 'Max', 'Min']));
  }
  const policies = rules.policies ?? [];
  if (policies.length === 0) errs.push(required(fld.child('policies'), 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const pf = fld.child('policies').index(i);
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(notSupported(pf.child('type'), p.type ?? '', ['Percent', 'Pods']));
    if (!((p.value ?? 0) > 0)) errs.push(invalidValue(pf.child('value'), p.value ?? 0, 'must be greater than zero'));
    if (!((p.periodSeconds ?? 0) > 0)) errs.push(invalidValue(pf.child('periodSeconds'), p.periodSeconds ?? 0, 'must be greater than zero'));
    if ((p.periodSeconds ?? 0) > MAX_PERIOD_SECONDS) errs.push(invalidValue(pf.child('periodSeconds'), p.periodSeconds, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

/** upstream validateHorizontalPodAutoscalerSpec (minReplicas lower bound 1: HPAScaleToZero is alpha, off). */
export function validateHpaSpec(spec: V2HorizontalPodAutoscalerSpec | undefined): FieldError[] {
  const fld = path('spec');
  if (!spec) return [required(fld)];
  const errs: FieldError[] = [];
  if (spec.minReplicas != null && spec.minReplicas < 1) errs.push(invalidValue(fld.child('minReplicas'), spec.minReplicas, 'must be greater than or equal to 1'));
  if (!(spec.maxReplicas >= 1)) errs.push(invalidValue(fld.child('maxReplicas'), spec.maxReplicas ?? 0, 'must be greater than 0'));
  if (spec.minReplicas != null && spec.maxReplicas < spec.minReplicas) {
    errs.push(invalidValue(fld.child('maxReplicas'), spec.maxReplicas, 'must be greater than or equal to `minReplicas`'));
  }
  errs.push(...validateScaleTargetRef(spec.scaleTargetRef, fld.child('scaleTargetRef')));
  const metrics = spec.metrics ?? [];
  metrics.forEach((m, i) => errs.push(...validateMetric(m, fld.child('metrics').index(i))));
  if (spec.minReplicas === 0 && !metrics.some((m) => m.type === 'Object' || m.type === 'External')) {
    errs.push(forbidden(fld.child('metrics'), 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  errs.push(...validateScalingRules(spec.behavior?.scaleUp, fld.child('behavior').child('scaleUp')));
  errs.push(...validateScalingRules(spec.behavior?.scaleDown, fld.child('behavior').child('scaleDown')));
  return errs;
}
