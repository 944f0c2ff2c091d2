/** The policy/v1 kinds: PodDisruptionBudget (the eviction subresource lives on pods, in core). */
import type { KindDefinition } from '../../types.js';
import { podDisruptionBudget } from './pod-disruption-budget.js';

export { podDisruptionBudget };
export const kinds: KindDefinition[] = [podDisruptionBudget];
