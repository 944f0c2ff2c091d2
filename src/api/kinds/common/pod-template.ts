/**
 * The one place the non-core kinds reach into core/v1 pod handling: defaulting and validating the
 * pod templates embedded in Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs
 * (upstream's SetObjectDefaults_<Kind> run the PodSpec defaulters on templates; Validate<Kind> runs
 * ValidatePodTemplateSpec). The core kinds own the pod rules; this file only adapts paths.
 */
import type { FieldError, FieldPath } from '../../../machinery/errors.js';
import { defaultPodSpec } from '../core/pod-defaults.js';
import { validatePodTemplateSpec } from '../core/pod-validation.js';

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** Applies the pod defaults to template.spec (creating template/spec when absent is not done: nothing to default). */
export function defaultPodTemplate(template: unknown): void {
  const spec = asRecord(asRecord(template)?.spec);
  if (spec) defaultPodSpec(spec);
}

/** upstream ValidatePodTemplateSpec at fld (e.g. `spec.template`). */
export function validatePodTemplate(template: unknown, fld: FieldPath): FieldError[] {
  return validatePodTemplateSpec(template, fld.text);
}
