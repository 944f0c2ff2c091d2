/** The coordination.k8s.io/v1 kinds: Lease. */
import type { KindDefinition } from '../../types.js';
import { lease } from './lease.js';

export { lease };
export const kinds: KindDefinition[] = [lease];
