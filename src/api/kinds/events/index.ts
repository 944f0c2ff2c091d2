/**
 * The events.k8s.io/v1 kinds: Event. Upstream serves it from the same storage as core/v1 events;
 * `eventsV1ToCore` / `coreToEventsV1` convert between the two shapes.
 */
import type { KindDefinition } from '../../types.js';
import { event } from './event.js';

export { event };
export { coreToEventsV1, eventsV1ToCore } from './convert.js';
export const kinds: KindDefinition[] = [event];
