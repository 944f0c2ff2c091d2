/**
 * The endpoints a Service should have, as EndpointSlice entries (upstream endpointslice reconciler's
 * podToEndpoint): one per selected pod and address family, with ready / serving / terminating
 * conditions, hostname, nodeName, zone and targetRef, grouped by address type and the pod's resolved ports
 * (pods resolving a named port differently land in different slices).
 */
import { hostnameFor, ipFamilyOf, podIPs, podReady, podRef, podTerminating, resolveTargetPort, selectedPods, shouldPodBeInEndpoints, type Pod, type Service } from '../endpoints/pods.js';

export type AddressType = 'IPv4' | 'IPv6';

export interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind: string; namespace: string; name: string; uid: string };
}

export interface SlicePort {
  name: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface EndpointGroup {
  addressType: AddressType;
  ports: SlicePort[];
  endpoints: SliceEndpoint[];
}

export const groupKey = (addressType: string, ports: readonly SlicePort[]): string =>
  `${addressType}|${JSON.stringify([...ports].sort((a, b) => a.name.localeCompare(b.name) || a.port - b.port || a.protocol.localeCompare(b.protocol)).map((p) => [p.name, p.port, p.protocol, p.appProtocol ?? '']))}`;

/** Identity of an endpoint across syncs: its pod and address. */
export const endpointId = (e: SliceEndpoint): string => `${e.targetRef?.uid ?? ''}/${e.addresses[0] ?? ''}`;

function slicePorts(pod: Pod, svc: Service): SlicePort[] | undefined {
  const out: SlicePort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  if ((svc.spec?.ports ?? []).length && !out.length) return undefined;
  return out;
}

/** `zoneOf` maps a node name to its topology.kubernetes.io/zone label, when known. */
export function desiredEndpoints(svc: Service, pods: readonly Pod[], zoneOf: (nodeName: string) => string | undefined = () => undefined): Map<string, EndpointGroup> {
  const families = (svc.spec?.ipFamilies?.length ? svc.spec.ipFamilies : ['IPv4']) as AddressType[];
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, EndpointGroup>();
  for (const pod of selectedPods(svc, pods)) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = slicePorts(pod, svc);
    if (!ports) continue;
    const terminating = podTerminating(pod);
    const serving = publishNotReady || podReady(pod);
    const hostname = hostnameFor(pod, svc);
    const zone = pod.spec?.nodeName ? zoneOf(pod.spec.nodeName) : undefined;
    for (const family of families) {
      const ip = podIPs(pod).find((a) => ipFamilyOf(a) === family);
      if (!ip) continue;
      const key = groupKey(family, ports);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { addressType: family, ports, endpoints: [] }));
      g.endpoints.push({
        addresses: [ip],
        conditions: { ready: publishNotReady || (serving && !terminating), serving, terminating },
        ...(hostname ? { hostname } : {}),
        ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
        ...(zone ? { zone } : {}),
        targetRef: podRef(pod),
      });
    }
  }
  for (const g of groups.values()) g.endpoints.sort((a, b) => a.addresses[0]!.localeCompare(b.addresses[0]!));
  return groups;
}
