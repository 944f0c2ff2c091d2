/**
 * autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscaler conversion. The registry stores v2;
 * v1 carries only a CPU utilization target, so (as upstream's autoscaling/v1 conversion does) what
 * v1 cannot express travels in annotations: other metrics, behavior, status conditions and other
 * current metrics. Round trips v2 -> v1 -> v2 are lossless. The annotation values are v2 JSON (upstream
 * writes the older v1 alpha metric shapes there; only Skiff reads them back).
 *
 * Both functions return new objects and never mutate their input.
 */
import type { KubeObject } from '../../types.js';

export const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
export const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';
export const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
export const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const asList = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter((x): x is Obj => asObj(x) !== undefined) : []);

function isCpuUtilization(m: Obj): boolean {
  const r = asObj(m.resource);
  return m.type === 'Resource' && r?.name === 'cpu' && asObj(r.target)?.type === 'Utilization' && typeof asObj(r.target)?.averageUtilization === 'number';
}

function isCpuCurrent(m: Obj): boolean {
  const r = asObj(m.resource);
  return m.type === 'Resource' && r?.name === 'cpu' && typeof asObj(r.current)?.averageUtilization === 'number';
}

function parseList(text: string | undefined): Obj[] {
  if (!text) return [];
  try {
    return asList(JSON.parse(text));
  } catch {
    return [];
  }
}

function withoutKeys(annotations: Record<string, string> | undefined, keys: string[]): Record<string, string> | undefined {
  if (!annotations) return undefined;
  const out = { ...annotations };
  for (const k of keys) delete out[k];
  return Object.keys(out).length ? out : undefined;
}

function cloneMeta(obj: KubeObject): Obj {
  return structuredClone((obj.metadata ?? {}) as Obj);
}

/** autoscaling/v2 HorizontalPodAutoscaler -> autoscaling/v1. */
export function hpaV2ToV1(v2: KubeObject): KubeObject {
  const spec = asObj(v2.spec) ?? {};
  const status = asObj(v2.status);
  const metadata = cloneMeta(v2);
  const annotations: Record<string, string> = { ...((metadata.annotations as Record<string, string> | undefined) ?? {}) };
  const metrics = asList(spec.metrics);
  const cpuIndex = metrics.findIndex(isCpuUtilization);
  const others = metrics.filter((_, i) => i !== cpuIndex);
  if (others.length) annotations[METRICS_ANNOTATION] = JSON.stringify(others);
  if (spec.behavior != null) annotations[BEHAVIOR_ANNOTATION] = JSON.stringify(spec.behavior);
  const v1Spec: Obj = { scaleTargetRef: structuredClone(spec.scaleTargetRef), maxReplicas: spec.maxReplicas };
  if (spec.minReplicas != null) v1Spec.minReplicas = spec.minReplicas;
  if (cpuIndex >= 0) v1Spec.targetCPUUtilizationPercentage = asObj(asObj(metrics[cpuIndex]?.resource)?.target)?.averageUtilization;
  const out: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata, spec: v1Spec };
  if (status) {
    const v1Status: Obj = {};
    for (const k of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']) if (status[k] !== undefined) v1Status[k] = status[k];
    v1Status.currentReplicas ??= 0;
    v1Status.desiredReplicas ??= 0;
    const current = asList(status.currentMetrics);
    const cpuCurrent = current.findIndex(isCpuCurrent);
    if (cpuCurrent >= 0) v1Status.currentCPUUtilizationPercentage = asObj(asObj(current[cpuCurrent]?.resource)?.current)?.averageUtilization;
    const otherCurrent = current.filter((_, i) => i !== cpuCurrent);
    if (otherCurrent.length) annotations[CURRENT_METRICS_ANNOTATION] = JSON.stringify(otherCurrent);
    if (asList(status.conditions).length) annotations[CONDITIONS_ANNOTATION] = JSON.stringify(status.conditions);
    out.status = v1Status;
  }
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  return out;
}

/** autoscaling/v1 HorizontalPodAutoscaler -> autoscaling/v2 (the stored shape). */
export function hpaV1ToV2(v1: KubeObject): KubeObject {
  const spec = asObj(v1.spec) ?? {};
  const status = asObj(v1.status);
  const metadata = cloneMeta(v1);
  const annotations = metadata.annotations as Record<string, string> | undefined;
  const metrics = parseList(annotations?.[METRICS_ANNOTATION]);
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } });
  }
  const v2Spec: Obj = { scaleTargetRef: structuredClone(spec.scaleTargetRef), maxReplicas: spec.maxReplicas };
  if (spec.minReplicas != null) v2Spec.minReplicas = spec.minReplicas;
  if (metrics.length) v2Spec.metrics = metrics;
  const behavior = annotations?.[BEHAVIOR_ANNOTATION];
  if (behavior) {
    try {
      v2Spec.behavior = JSON.parse(behavior) as unknown;
    } catch {
      // an unreadable annotation is dropped, as upstream drops what it cannot decode
    }
  }
  const out: KubeObject = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: v2Spec };
  if (status) {
    const v2Status: Obj = {};
    for (const k of ['observedGeneration', 'lastScaleTime', 'currentReplicas', 'desiredReplicas']) if (status[k] !== undefined) v2Status[k] = status[k];
    const current = parseList(annotations?.[CURRENT_METRICS_ANNOTATION]);
    if (typeof status.currentCPUUtilizationPercentage === 'number') {
      current.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } });
    }
    if (current.length) v2Status.currentMetrics = current;
    const conditions = parseList(annotations?.[CONDITIONS_ANNOTATION]);
    if (conditions.length) v2Status.conditions = conditions;
    out.status = v2Status;
  }
  const rest = withoutKeys(annotations, [METRICS_ANNOTATION, BEHAVIOR_ANNOTATION, CONDITIONS_ANNOTATION, CURRENT_METRICS_ANNOTATION]);
  if (rest) metadata.annotations = rest;
  else delete metadata.annotations;
  return out;
}
