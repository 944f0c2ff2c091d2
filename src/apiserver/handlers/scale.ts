/** The scale subresource: autoscaling/v1 Scale views of kinds with replicas (deployments, replicasets, statefulsets). */
import type { KubeObject } from '../../api/types.js';
import { StatusError, invalid } from '../../machinery/errors.js';
import type { GenericStore } from '../../registry/store.js';
import { checkTypes, decodeError, typeErrorText } from '../../api/decode.js';

function at(obj: unknown, path: string[]): unknown {
  let cur: unknown = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

function selectorString(sel: unknown): string {
  if (typeof sel === 'string') return sel;
  const s = (sel ?? {}) as { matchLabels?: Record<string, string>; matchExpressions?: Array<{ key: string; operator: string; values?: string[] }> };
  const parts = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of s.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${vals})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.sort().join(',');
}

export function toScale(store: GenericStore, obj: KubeObject): KubeObject {
  const scale = store.def.scale!;
  const m = obj.metadata ?? {};
  const status: Record<string, unknown> = { replicas: (at(obj, scale.statusReplicas) as number | undefined) ?? 0 };
  const sel = scale.labelSelector ? at(obj, scale.labelSelector) : (obj.spec as { selector?: unknown } | undefined)?.selector;
  if (sel !== undefined) status.selector = selectorString(sel);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: (at(obj, scale.specReplicas) as number | undefined) ?? 0 },
    status,
  };
}

/** Writes a Scale's spec.replicas into the object (a private copy). */
export function fromScale(store: GenericStore, obj: KubeObject, body: unknown, name: string): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new StatusError('BadRequest', 'the body of the request was not a Scale object');
  const checked = checkTypes('V1Scale', body);
  if (checked.errors.length > 0) throw decodeError('Scale', 'autoscaling/v1', typeErrorText(checked) ?? 'invalid Scale');
  const scale = body as { kind?: unknown; metadata?: { name?: unknown; resourceVersion?: unknown }; spec?: { replicas?: unknown } };
  if (scale.kind !== undefined && scale.kind !== 'Scale') throw new StatusError('BadRequest', `the kind in the data (${String(scale.kind)}) does not match the expected kind (Scale)`);
  if (scale.metadata?.name !== undefined && scale.metadata.name !== name) {
    throw new StatusError('BadRequest', `the name of the object (${String(scale.metadata.name)}) does not match the name on the URL (${name})`);
  }
  const replicas = scale.spec?.replicas ?? 0;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0 || replicas > 2147483647) {
    throw invalid('Scale', 'autoscaling', name, [{ type: 'Invalid', field: 'spec.replicas', value: replicas, detail: 'must be greater than or equal to 0' }]);
  }
  const path = store.def.scale!.specReplicas;
  let cur = obj as Record<string, unknown>;
  for (const p of path.slice(0, -1)) {
    cur[p] = (cur[p] as Record<string, unknown> | undefined) ?? {};
    cur = cur[p] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = replicas;
  if (typeof scale.metadata?.resourceVersion === 'string' && scale.metadata.resourceVersion) obj.metadata!.resourceVersion = scale.metadata.resourceVersion;
  return obj;
}
