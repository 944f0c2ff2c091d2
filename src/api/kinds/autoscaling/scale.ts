/**
 * autoscaling/v1 Scale, the body of every `/scale` subresource (not a stored kind): built from the
 * scaled object through its KindDefinition's ScaleInfo paths, and applied back onto it.
 * Built-in workloads keep their selector as a LabelSelector at spec.selector; custom resources give
 * a string path (labelSelectorPath). Both end up as Scale.status.selector in string form.
 */
import type { FieldError } from '../../../machinery/errors.js';
import { path } from '../../../machinery/errors.js';
import type { KindDefinition, KubeObject } from '../../types.js';
import { selectorToString, type LabelSelector } from '../common/label-selector.js';
import { nonNegative, required } from '../common/validation.js';

export const SCALE_MODEL = 'V1Scale';

function getPath(obj: unknown, segments: string[]): unknown {
  let cur: unknown = obj;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[s];
  }
  return cur;
}

/** The Scale view of obj (a Deployment, ReplicaSet, StatefulSet or scalable custom resource). */
export function toScale(obj: KubeObject, def: KindDefinition): KubeObject {
  const info = def.scale;
  if (!info) throw new Error(`${def.resource.plural} has no scale subresource`);
  const m = obj.metadata ?? {};
  const metadata: Record<string, unknown> = {};
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp'] as const) if (m[k] !== undefined) metadata[k] = m[k];
  const replicas = getPath(obj, info.specReplicas);
  const statusReplicas = getPath(obj, info.statusReplicas);
  const status: Record<string, unknown> = { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0 };
  const sel = info.labelSelector ? getPath(obj, info.labelSelector) : undefined;
  const selector = typeof sel === 'string' ? sel : sel && typeof sel === 'object' ? selectorToString(sel as LabelSelector) : '';
  if (selector) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: typeof replicas === 'number' ? { replicas } : {},
    status,
  };
}

/** Writes Scale.spec.replicas into obj at the definition's spec replicas path (mutates obj). */
export function applyScale(obj: KubeObject, scale: KubeObject, def: KindDefinition): void {
  const info = def.scale;
  if (!info) throw new Error(`${def.resource.plural} has no scale subresource`);
  const replicas = (scale.spec as Record<string, unknown> | undefined)?.replicas;
  let cur = obj as Record<string, unknown>;
  info.specReplicas.slice(0, -1).forEach((s) => {
    const next = cur[s];
    cur = next !== null && typeof next === 'object' ? (next as Record<string, unknown>) : (cur[s] = {});
  });
  cur[info.specReplicas[info.specReplicas.length - 1] as string] = typeof replicas === 'number' ? replicas : 0;
}

/** upstream ValidateScale: spec.replicas >= 0 (name is checked by the registry). */
export function validateScale(scale: KubeObject): FieldError[] {
  const spec = scale.spec as Record<string, unknown> | undefined;
  if (!spec) return [required(path('spec'))];
  return nonNegative(typeof spec.replicas === 'number' ? spec.replicas : 0, path('spec.replicas'));
}
