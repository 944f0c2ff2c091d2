/** The scheduling.k8s.io/v1 kinds: PriorityClass. */
import type { KindDefinition } from '../../types.js';
import { priorityClass } from './priority-class.js';

export { priorityClass };
export { HIGHEST_USER_DEFINABLE_PRIORITY, SYSTEM_PRIORITY_CLASSES } from './priority-class.js';
export const kinds: KindDefinition[] = [priorityClass];
