/** Small StatefulSet helpers: selector labels for claims, replica bounds, pod health. */
import { isPodReady } from '../common/pods.js';
import type { Pod, StatefulSet } from './types.js';

export const replicasOf = (set: StatefulSet) => set.spec.replicas ?? 1;
export const startOrdinal = (set: StatefulSet) => set.spec.ordinals?.start ?? 0;
export const isRunningAndReady = (pod: Pod) => pod.status?.phase === 'Running' && isPodReady(pod);
export const isFailed = (pod: Pod) => pod.status?.phase === 'Failed';
export const isTerminating = (pod: Pod) => !!pod.metadata.deletionTimestamp;

/** The set's matchLabels, which claims carry so they can be found by selector. */
export function selectorLabels(set: StatefulSet): Record<string, string> {
  return { ...(set.spec.selector.matchLabels ?? {}) };
}
