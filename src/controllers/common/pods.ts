/**
 * Pod helpers shared by the Job, StatefulSet and DaemonSet controllers: build a pod from a template
 * with a controller reference, and the few predicates they all need (terminal, terminating, ready).
 */
import { nowRfc3339, type ObjectMeta, type OwnerReference, type Pod, type PodTemplateSpec } from '../replicaset/types.js';

export { isPodActive, isPodReady, isPodAvailable } from '../replicaset/pod-util.js';

export const isPodTerminal = (p: Pod): boolean => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';
export const isPodTerminating = (p: Pod): boolean => !!p.metadata.deletionTimestamp && !isPodTerminal(p);

/** A pod object from a template: deep-copied spec, merged labels/annotations, and the controller reference. */
export function podFromTemplate(template: PodTemplateSpec, owner: OwnerReference, namespace: string, meta: Partial<ObjectMeta> = {}): Pod {
  const t = structuredClone(template) as PodTemplateSpec;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      ...meta,
      namespace,
      labels: { ...(t.metadata?.labels ?? {}), ...(meta.labels ?? {}) },
      annotations: { ...(t.metadata?.annotations ?? {}), ...(meta.annotations ?? {}) },
      ...(t.metadata?.finalizers || meta.finalizers ? { finalizers: [...(t.metadata?.finalizers ?? []), ...(meta.finalizers ?? [])] } : {}),
      ownerReferences: [owner],
    },
    spec: t.spec ?? {},
  };
}

export { nowRfc3339 };
