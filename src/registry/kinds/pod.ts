/**
 * Pods: initial status (Pending, QoS class), graceful deletion for pods bound to a node, and the
 * binding subresource used by the scheduler.
 */
import type { KubeObject } from '../../api/types.js';
import { StatusError, conflict } from '../../machinery/errors.js';
import type { GenericStore, ResourceHooks } from '../store.js';
import { admitPod, type PriorityClassLookup, type ServiceAccountLookup } from './pod-admission.js';
import { nowRfc3339 } from '../strategy.js';

interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}
interface Container {
  resources?: Resources;
}
interface PodSpec {
  nodeName?: string;
  terminationGracePeriodSeconds?: number;
  containers?: Container[];
  initContainers?: Container[];
}

/** Upstream's GetPodQOS: Guaranteed, Burstable or BestEffort from requests and limits. */
export function podQOSClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined) guaranteed = false;
      else if (req[r] !== undefined && req[r] !== lim[r]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function phaseOf(obj: KubeObject): string | undefined {
  return (obj.status as { phase?: string } | undefined)?.phase;
}

export function podHooks(classes: PriorityClassLookup, accounts?: ServiceAccountLookup): ResourceHooks {
  return {
  async beforeCreate(obj) {
    await admitPod(obj, classes, accounts);
    obj.status = { phase: 'Pending', qosClass: podQOSClass((obj.spec ?? {}) as PodSpec) };
  },
  gracePeriod(obj, requested) {
    const spec = (obj.spec ?? {}) as PodSpec;
    const phase = phaseOf(obj);
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    if (requested !== undefined) return Math.max(0, requested);
    return spec.terminationGracePeriodSeconds ?? 30;
  },
  };
}

interface Binding {
  metadata?: { name?: string };
  target?: { kind?: string; name?: string };
}

/** POST pods/{name}/binding: sets spec.nodeName once and marks the pod scheduled. */
export async function bindPod(pods: GenericStore, namespace: string, name: string, body: unknown): Promise<void> {
  const binding = (body ?? {}) as Binding;
  const node = binding.target?.name;
  if (!node) {
    throw new StatusError('Invalid', `Binding.meta.k8s.io "${name}" is invalid: target.name: Required value`, { name, kind: 'Binding', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'target.name' }] });
  }
  if (binding.metadata?.name && binding.metadata.name !== name) {
    throw new StatusError('BadRequest', `the name of the object (${binding.metadata.name}) does not match the name on the URL (${name})`);
  }
  await pods.mutateRaw(namespace, name, (pod) => {
    const spec = (pod.spec ?? {}) as PodSpec;
    if (pod.metadata?.deletionTimestamp) throw conflict(pods.ref, name, 'pod is being deleted, cannot be assigned to a host');
    if (spec.nodeName) throw conflict(pods.ref, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    spec.nodeName = node;
    pod.spec = spec;
    const status = (pod.status ?? {}) as { conditions?: Array<Record<string, unknown>> };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowRfc3339() });
    pod.status = { ...status, conditions };
    return pod;
  });
}
