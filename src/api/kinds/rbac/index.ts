/** The rbac API group's kinds (placeholder until its definitions land). */
import type { KindDefinition } from '../../types.js';

export const kinds: KindDefinition[] = [];
