/**
 * Taints and tolerations as the node lifecycle controller needs them: matching (upstream
 * v1helper.TolerationsTolerateTaint), how long a pod may stay on a node with NoExecute taints
 * (taint_eviction getMinTolerationTime), and the DefaultTolerationSeconds admission plugin as a pure
 * function (`addDefaultTolerations`) for the API server to call.
 */
import type { KubeObject } from '../../api/types.js';

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export const notReadyTaintKey = 'node.kubernetes.io/not-ready';
export const unreachableTaintKey = 'node.kubernetes.io/unreachable';
export const defaultTolerationSeconds = 300;

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  // An empty key with Exists matches every taint.
  if ((t.operator ?? 'Equal') === 'Exists') return true;
  return !!t.key && (t.value ?? '') === (taint.value ?? '');
}

/**
 * How long a pod with these tolerations may stay on a node with these NoExecute taints:
 * 0 = evict now (some taint not tolerated), Infinity = forever, else milliseconds.
 */
export function tolerationTimeMs(tolerations: readonly Toleration[], taints: readonly Taint[]): number {
  let min = Infinity;
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const used = tolerations.filter((t) => tolerates(t, taint));
    if (!used.length) return 0;
    for (const t of used) if (typeof t.tolerationSeconds === 'number') min = Math.min(min, Math.max(0, t.tolerationSeconds) * 1000);
  }
  return min;
}

interface PodWithTolerations extends KubeObject {
  spec?: { tolerations?: Toleration[]; [k: string]: unknown };
}

/**
 * DefaultTolerationSeconds admission: pods that do not tolerate not-ready / unreachable NoExecute
 * taints get tolerations for them limited to 300 s. Returns a new pod; the input is not changed.
 */
export function addDefaultTolerations<P extends PodWithTolerations>(pod: P, seconds = defaultTolerationSeconds): P {
  const tolerations = pod.spec?.tolerations ?? [];
  const covers = (key: string): boolean => tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const added: Toleration[] = [];
  for (const key of [notReadyTaintKey, unreachableTaintKey]) {
    if (!covers(key)) added.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
  }
  if (!added.length) return pod;
  return { ...pod, spec: { ...(pod.spec ?? {}), tolerations: [...tolerations, ...added] } };
}
