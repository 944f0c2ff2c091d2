/** The networking.k8s.io/v1 kinds: Ingress, IngressClass, NetworkPolicy. */
import type { KindDefinition } from '../../types.js';
import { ingress } from './ingress.js';
import { ingressClass } from './ingress-class.js';
import { networkPolicy } from './network-policy.js';

export { ingress, ingressClass, networkPolicy };
export const kinds: KindDefinition[] = [ingress, ingressClass, networkPolicy];
