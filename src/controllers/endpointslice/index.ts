/**
 * EndpointSlice controller (upstream pkg/controller/endpointslice).
 *
 * Input: Services, Pods, Nodes and the EndpointSlices it manages (informers). For every Service with a
 * selector: discovery.k8s.io/v1 EndpointSlices labelled `kubernetes.io/service-name=<svc>` and
 * `endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io`, owned by the Service,
 * holding one endpoint per selected pod (ready/serving/terminating, hostname, nodeName, zone from
 * the node's topology.kubernetes.io/zone label, targetRef),
 * at most `maxEndpointsPerSlice` (100) each, split by address type and resolved ports.
 * Output: slices created / updated / deleted (placement.ts); expectations guard against duplicates
 * while the slice informer lags. Services without a selector are left alone.
 */
import type { KubeObject } from '../../api/types.js';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller, keyOf } from '../../runtime/index.js';
import { endpointLabels, hasSelector, servicesSelecting, type Pod, type Service } from '../endpoints/pods.js';
import { PodsByNamespace } from '../endpoints/pod-index.js';
import { desiredEndpoints, type AddressType, type SliceEndpoint, type SlicePort } from './desired.js';
import { SliceExpectations } from './expectations.js';
import { planSlices, type ExistingSlice } from './placement.js';

export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';
export const managedByValue = 'endpointslice-controller.k8s.io';
export const serviceNameLabel = 'kubernetes.io/service-name';

export interface EndpointSliceControllerOptions {
  maxEndpointsPerSlice?: number;
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

interface EndpointSlice extends KubeObject {
  addressType?: AddressType;
  endpoints?: SliceEndpoint[] | null;
  ports?: SlicePort[] | null;
}

/** Our shape of a stored endpoint (drops server defaults we do not set, fixes key order). */
function normalizeEndpoint(e: SliceEndpoint): SliceEndpoint {
  const c = e.conditions ?? {};
  return {
    addresses: e.addresses,
    conditions: { ready: c.ready ?? false, serving: c.serving ?? false, terminating: c.terminating ?? false },
    ...(e.hostname ? { hostname: e.hostname } : {}),
    ...(e.nodeName ? { nodeName: e.nodeName } : {}),
    ...(e.zone ? { zone: e.zone } : {}),
    ...(e.targetRef ? { targetRef: { kind: e.targetRef.kind, namespace: e.targetRef.namespace, name: e.targetRef.name, uid: e.targetRef.uid } } : {}),
  };
}

function normalizePort(p: SlicePort): SlicePort {
  return { name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP', ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

export async function startEndpointSliceController(client: RestClient, opts: EndpointSliceControllerOptions = {}): Promise<{ stop(): void }> {
  const maxPerSlice = opts.maxEndpointsPerSlice ?? 100;
  const services = new Informer(client, { path: '/api/v1/services' });
  const pods = new Informer(client, { path: '/api/v1/pods' });
  const podIndex = new PodsByNamespace(pods);
  const slices = new Informer(client, { path: '/apis/discovery.k8s.io/v1/endpointslices', labelSelector: `${managedByLabel}=${managedByValue}` });
  const nodes = new Informer(client, { path: '/api/v1/nodes' });
  const informers = [services, pods, slices, nodes];
  const zoneOf = (node: string): string | undefined => nodes.get(node)?.metadata?.labels?.['topology.kubernetes.io/zone'];
  const expectations = new SliceExpectations();
  const ownerKey = (s: KubeObject): string | undefined => {
    const svc = s.metadata?.labels?.[serviceNameLabel];
    return svc ? `${s.metadata?.namespace}/${svc}` : undefined;
  };
  const slicesOf = (key: string): EndpointSlice[] => (slices.list() as EndpointSlice[]).filter((s) => ownerKey(s) === key);

  const reconcile = async (namespace: string, name: string): Promise<{ requeueAfterMs?: number } | void> => {
    const key = `${namespace}/${name}`;
    const base = `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`;
    const current = slicesOf(key);
    if (!expectations.satisfied(key, new Map(current.map((s) => [s.metadata!.name!, s.metadata?.resourceVersion])))) return { requeueAfterMs: 100 };
    const svc = services.get(key) as Service | undefined;
    // Services without a selector get their slices from elsewhere (users, the mirroring controller).
    if (svc && !hasSelector(svc)) return;
    // Deleted services lose their slices (the garbage collector would get them too, via the owner
    // reference); ExternalName services get none (upstream issue 105986).
    if (!svc || svc.spec?.type === 'ExternalName') {
      for (const s of current) {
        const res = await client.delete(`${base}/${s.metadata!.name}`);
        if (res.status !== 200 && res.status !== 404) throw new Error(`delete endpointslice ${s.metadata!.name}: ${res.status}`);
      }
      expectations.expect(key, [], current.map((s) => s.metadata!.name!));
      return;
    }
    const labels = { ...endpointLabels(svc), [serviceNameLabel]: name, [managedByLabel]: managedByValue };
    const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata!.uid!, controller: true, blockOwnerDeletion: true }];
    const existing: ExistingSlice[] = current.map((s) => ({
      name: s.metadata!.name!,
      addressType: s.addressType ?? 'IPv4',
      ports: (s.ports ?? []).map(normalizePort),
      endpoints: (s.endpoints ?? []).map(normalizeEndpoint),
    }));
    const nsPods = podIndex.in(namespace);
    const families = (svc.spec?.ipFamilies?.length ? svc.spec.ipFamilies : ['IPv4']) as AddressType[];
    const plan = planSlices(desiredEndpoints(svc, nsPods, zoneOf), existing, maxPerSlice, families[0]);
    const created: string[] = [];
    const deleted: string[] = [];
    const updated = new Map<string, string>();
    try {
      for (const c of plan.create) {
        const res = await client.post<KubeObject>(base, {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { generateName: `${name.slice(0, 57)}-`, namespace, labels, ownerReferences },
          addressType: c.addressType,
          endpoints: c.endpoints,
          ports: c.ports,
        });
        if (res.status !== 201) throw new Error(`create endpointslice for ${key}: ${res.status} ${res.text.slice(0, 200)}`);
        created.push(res.body.metadata!.name!);
      }
      const updates = new Map(plan.update.map((u) => [u.name, u.endpoints]));
      // Unchanged endpoints may still need the service's new labels or owner.
      for (const n of plan.unchanged) {
        const s = current.find((x) => x.metadata?.name === n)!;
        if (!same(s.metadata?.labels ?? {}, labels) || s.metadata?.ownerReferences?.[0]?.uid !== svc.metadata!.uid) updates.set(n, existing.find((e) => e.name === n)!.endpoints);
      }
      for (const [sliceName, endpoints] of updates) {
        const s = structuredClone(current.find((x) => x.metadata?.name === sliceName)!);
        s.metadata = { ...s.metadata, labels, ownerReferences };
        s.endpoints = endpoints;
        const res = await client.put<KubeObject>(`${base}/${sliceName}`, s);
        if (res.status === 200 && res.body.metadata?.resourceVersion) updated.set(sliceName, res.body.metadata.resourceVersion);
        if (res.status !== 200 && res.status !== 404) throw new Error(`update endpointslice ${sliceName}: ${res.status} ${res.text.slice(0, 200)}`);
      }
      for (const n of plan.delete) {
        const res = await client.delete(`${base}/${n}`);
        if (res.status !== 200 && res.status !== 404) throw new Error(`delete endpointslice ${n}: ${res.status}`);
        deleted.push(n);
      }
    } finally {
      expectations.expect(key, created, deleted, updated);
    }
  };

  const controller = new Controller({
    name: 'endpointslice',
    workers: opts.workers ?? 4,
    onError: opts.onError,
    reconcile: (_ctx, { namespace, name }) => reconcile(namespace ?? '', name),
  });
  controller
    .watches(services)
    .watches(pods, (o) => servicesSelecting(o as Pod, services.list() as Service[]).map(keyOf))
    .watches(slices, (s) => {
      const k = ownerKey(s);
      return k ? [k] : [];
    });
  for (const i of informers) i.start();
  await Promise.all(informers.map((i) => i.waitForSync()));
  controller.start();
  return {
    stop() {
      controller.stop();
      for (const i of informers) i.stop();
    },
  };
}

export { desiredEndpoints, planSlices, type SliceEndpoint, type SlicePort };
