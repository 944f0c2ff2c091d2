/** The discovery.k8s.io/v1 kinds: EndpointSlice. */
import type { KindDefinition } from '../../types.js';
import { endpointSlice } from './endpoint-slice.js';

export { endpointSlice };
export const kinds: KindDefinition[] = [endpointSlice];
