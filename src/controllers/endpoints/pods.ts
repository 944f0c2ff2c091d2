/**
 * What the Endpoints and EndpointSlice controllers share about pods behind a Service (upstream
 * pkg/controller/util/endpoint): which pods a Service selects, whether a pod belongs in its endpoints,
 * readiness, a Service port's target port resolved for one pod (named ports per pod), and the
 * DNS hostname a pod gets in a headless service.
 */
import type { KubeObject } from '../../api/types.js';
import { matches, selectorFromSet } from '../../machinery/labels.js';

export interface ServicePort {
  name?: string;
  protocol?: string;
  port: number;
  targetPort?: number | string;
  appProtocol?: string;
}

export interface Service extends KubeObject {
  spec?: {
    selector?: Record<string, string>;
    ports?: ServicePort[];
    clusterIP?: string;
    type?: string;
    publishNotReadyAddresses?: boolean;
    ipFamilies?: string[];
  };
}

export interface Pod extends KubeObject {
  spec?: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    restartPolicy?: string;
    containers?: Array<{ name: string; ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }>;
  };
  status?: {
    phase?: string;
    podIP?: string;
    podIPs?: Array<{ ip: string }>;
    conditions?: Array<{ type: string; status: string }>;
  };
}

export const isHeadless = (svc: Service): boolean => svc.spec?.clusterIP === 'None';

/** Services whose endpoints a controller maintains: those with a selector. */
export const hasSelector = (svc: Service): boolean => !!svc.spec?.selector && Object.keys(svc.spec.selector).length > 0;

export function selectedPods(svc: Service, pods: readonly Pod[]): Pod[] {
  const sel = selectorFromSet(svc.spec?.selector ?? {});
  return pods.filter((p) => p.metadata?.namespace === svc.metadata?.namespace && matches(sel, p.metadata?.labels));
}

export function podReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export const podTerminating = (pod: Pod): boolean => !!pod.metadata?.deletionTimestamp;

/** Upstream ShouldPodBeInEndpoints: has an IP, not in a terminal phase, not terminating unless asked. */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (!pod.status?.podIP) return false;
  if (pod.status.phase === 'Failed' || pod.status.phase === 'Succeeded') return false;
  if (!includeTerminating && podTerminating(pod)) return false;
  return true;
}

/** The pod's IPs, IPv4 and IPv6. */
export function podIPs(pod: Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  if (!ips.length && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips;
}

export const ipFamilyOf = (ip: string): 'IPv4' | 'IPv6' => (ip.includes(':') ? 'IPv6' : 'IPv4');

/** The port number a Service port targets on this pod; undefined when a named port is not found. */
export function resolveTargetPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const cp of c.ports ?? []) if (cp.name === target && (cp.protocol ?? 'TCP') === protocol) return cp.containerPort;
  }
  return undefined;
}

/** A pod's DNS hostname in this service: set when its hostname is set and its subdomain names the service. */
export function hostnameFor(pod: Pod, svc: Service): string | undefined {
  const h = pod.spec?.hostname;
  if (h && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace) return h;
  return undefined;
}

export function podRef(pod: Pod): { kind: 'Pod'; namespace: string; name: string; uid: string } {
  return { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' };
}

/** Labels copied from the service, plus the headless marker as upstream. */
export function endpointLabels(svc: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
  if (isHeadless(svc)) labels['service.kubernetes.io/headless'] = '';
  else delete labels['service.kubernetes.io/headless'];
  return labels;
}

/** Pods of a namespace that a service could select (for informer-driven mapping pod -> services). */
export function servicesSelecting(pod: Pod, services: readonly Service[]): Service[] {
  return services.filter((s) => hasSelector(s) && s.metadata?.namespace === pod.metadata?.namespace && matches(selectorFromSet(s.spec!.selector!), pod.metadata?.labels));
}
