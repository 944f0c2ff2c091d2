/**
 * Computes an Endpoints object's subsets from a Service and its pods (upstream endpoints_controller
 * syncService + RepackSubsets): ready pods in addresses, not-ready ones in notReadyAddresses (all in
 * addresses with publishNotReadyAddresses), terminating pods left out unless publishing not-ready;
 * each pod's ports resolved on its own (named target ports), addresses grouped by identical port sets.
 */
import { hostnameFor, podReady, podRef, resolveTargetPort, selectedPods, shouldPodBeInEndpoints, type Pod, type Service } from './pods.js';

export interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: { kind: string; namespace: string; name: string; uid: string };
}

export interface EndpointPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: EndpointPort[];
}

function portsFor(pod: Pod, svc: Service): EndpointPort[] | undefined {
  const ports: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const n = resolveTargetPort(pod, sp);
    if (n === undefined) continue;
    ports.push({ ...(sp.name ? { name: sp.name } : {}), port: n, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  // A service with ports none of which this pod serves: the pod is left out (upstream logs and skips).
  if ((svc.spec?.ports ?? []).length && !ports.length) return undefined;
  return ports;
}

const portsKey = (ports: EndpointPort[]): string =>
  JSON.stringify([...ports].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || a.protocol.localeCompare(b.protocol)));

const byIP = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip) || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');

export function computeSubsets(svc: Service, pods: readonly Pod[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of selectedPods(svc, pods)) {
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ports = portsFor(pod, svc);
    if (!ports) continue;
    const hostname = hostnameFor(pod, svc);
    const addr: EndpointAddress = {
      ip: pod.status!.podIP!,
      ...(hostname ? { hostname } : {}),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      targetRef: podRef(pod),
    };
    const key = portsKey(ports);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { ports: JSON.parse(key) as EndpointPort[], ready: [], notReady: [] }));
    if (publishNotReady || podReady(pod)) g.ready.push(addr);
    else g.notReady.push(addr);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => ({
      ...(g.ready.length ? { addresses: g.ready.sort(byIP) } : {}),
      ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIP) } : {}),
      ...(g.ports.length ? { ports: g.ports } : {}),
    }));
}

/** Upstream's cap on addresses in one Endpoints object; beyond it the object is truncated and annotated. */
export const maxEndpointAddresses = 1000;
export const overCapacityAnnotation = 'endpoints.kubernetes.io/over-capacity';

const countAddresses = (subsets: readonly EndpointSubset[]): number => subsets.reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);

/**
 * Keeps at most `max` addresses (upstream truncateEndpoints): ready addresses are kept before
 * not-ready ones, each subset losing its share in proportion to its size. Returns whether it cut.
 */
export function truncateSubsets(subsets: EndpointSubset[], max = maxEndpointAddresses): { subsets: EndpointSubset[]; truncated: boolean } {
  const total = countAddresses(subsets);
  if (total <= max) return { subsets, truncated: false };
  const readyTotal = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const keepReady = Math.min(readyTotal, max);
  let leftReady = keepReady;
  let leftNotReady = max - keepReady;
  const notReadyTotal = total - readyTotal;
  const out = subsets.map((s, i) => {
    const last = i === subsets.length - 1;
    const r = s.addresses?.length ?? 0;
    const nr = s.notReadyAddresses?.length ?? 0;
    const takeR = last ? Math.min(r, leftReady) : Math.min(r, Math.floor((r / Math.max(readyTotal, 1)) * keepReady));
    const takeNR = last ? Math.min(nr, leftNotReady) : Math.min(nr, Math.floor((nr / Math.max(notReadyTotal, 1)) * (max - keepReady)));
    leftReady -= takeR;
    leftNotReady -= takeNR;
    return {
      ...(takeR ? { addresses: s.addresses!.slice(0, takeR) } : {}),
      ...(takeNR ? { notReadyAddresses: s.notReadyAddresses!.slice(0, takeNR) } : {}),
      ...(s.ports ? { ports: s.ports } : {}),
    };
  });
  return { subsets: out.filter((s) => s.addresses || s.notReadyAddresses), truncated: true };
}
