/**
 * Endpoints controller (upstream pkg/controller/endpoint).
 *
 * Input: Services, Pods and Endpoints (informers). For every Service with a selector, one Endpoints
 * object of the same name whose subsets list the selected pods (subsets.ts): ready ones in addresses,
 * others in notReadyAddresses, ports resolved per pod. Services without a selector are left alone
 * (the `kubernetes` service's Endpoints belong to the API server). More than 1000 addresses are
 * truncated with the `endpoints.kubernetes.io/over-capacity: truncated` annotation. Output: Endpoints created, updated
 * when they drift, deleted when their Service goes.
 */
import type { KubeObject } from '../../api/types.js';
import { Informer } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { Controller, keyOf } from '../../runtime/index.js';
import { endpointLabels, hasSelector, servicesSelecting, type Pod, type Service } from './pods.js';
import { PodsByNamespace } from './pod-index.js';
import { computeSubsets, overCapacityAnnotation, truncateSubsets, type EndpointSubset } from './subsets.js';

export interface EndpointsControllerOptions {
  workers?: number;
  onError?: (key: string, err: unknown) => void;
}

interface Endpoints extends KubeObject {
  subsets?: EndpointSubset[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function annotationsFor(current: Endpoints | undefined, truncated: boolean): Record<string, string> | undefined {
  const next = { ...(current?.metadata?.annotations ?? {}) };
  if (truncated) next[overCapacityAnnotation] = 'truncated';
  else delete next[overCapacityAnnotation];
  return Object.keys(next).length ? next : undefined;
}

async function writeEndpoints(client: RestClient, svc: Service, all: EndpointSubset[], current: Endpoints | undefined): Promise<void> {
  const { name, namespace } = svc.metadata!;
  const labels = endpointLabels(svc);
  const { subsets, truncated } = truncateSubsets(all);
  const base = `/api/v1/namespaces/${namespace}/endpoints`;
  const upToDate = (e: Endpoints): boolean =>
    same(e.subsets ?? [], subsets) && same(e.metadata?.labels ?? {}, labels) && same(e.metadata?.annotations?.[overCapacityAnnotation], truncated ? 'truncated' : undefined);
  if (current && upToDate(current)) return;
  if (!current) {
    const annotations = annotationsFor(undefined, truncated);
    const res = await client.post(base, { apiVersion: 'v1', kind: 'Endpoints', metadata: { name, namespace, labels, ...(annotations ? { annotations } : {}) }, subsets });
    if (res.status === 201 || res.status === 403 || res.status === 404) return;
    // 409: the informer lags behind an existing object: fall through to update the live one.
    if (res.status !== 409) throw new Error(`create endpoints ${namespace}/${name}: ${res.status} ${res.text.slice(0, 200)}`);
    const live = await client.get<Endpoints>(`${base}/${name}`);
    if (live.status !== 200) throw new Error(`get endpoints ${namespace}/${name}: ${live.status}`);
    current = live.body;
  }
  // The cached copy may be stale (409): retry against the live object.
  for (let attempt = 0; attempt < 4; attempt++) {
    const next: Endpoints = { ...structuredClone(current), subsets };
    next.metadata = { ...next.metadata, labels, annotations: annotationsFor(current, truncated) };
    if (!next.metadata.annotations) delete next.metadata.annotations;
    const res = await client.put(`${base}/${name}`, next);
    if (res.status === 200 || res.status === 404) return;
    if (res.status !== 409) throw new Error(`update endpoints ${namespace}/${name}: ${res.status} ${res.text.slice(0, 200)}`);
    const live = await client.get<Endpoints>(`${base}/${name}`);
    if (live.status === 404) return;
    if (live.status !== 200) throw new Error(`get endpoints ${namespace}/${name}: ${live.status}`);
    current = live.body;
    if (upToDate(current)) return;
  }
  throw new Error(`update endpoints ${namespace}/${name}: conflict persisted`);
}

export async function startEndpointsController(client: RestClient, opts: EndpointsControllerOptions = {}): Promise<{ stop(): void }> {
  const services = new Informer(client, { path: '/api/v1/services' });
  const pods = new Informer(client, { path: '/api/v1/pods' });
  const podIndex = new PodsByNamespace(pods);
  const endpoints = new Informer(client, { path: '/api/v1/endpoints' });
  const informers = [services, pods, endpoints];

  const controller = new Controller({
    name: 'endpoints',
    workers: opts.workers ?? 4,
    onError: opts.onError,
    reconcile: async (_ctx, { namespace, name }) => {
      const key = `${namespace}/${name}`;
      const svc = services.get(key) as Service | undefined;
      if (!svc) {
        const gone = await client.delete(`/api/v1/namespaces/${namespace}/endpoints/${name}`);
        if (gone.status !== 200 && gone.status !== 404) throw new Error(`delete endpoints ${key}: ${gone.status}`);
        return;
      }
      if (!hasSelector(svc)) return;
      const nsPods = podIndex.in(namespace ?? '');
      await writeEndpoints(client, svc, computeSubsets(svc, nsPods), endpoints.get(key) as Endpoints | undefined);
    },
  });
  const selectedBy = (o: KubeObject): string[] => servicesSelecting(o as Pod, services.list() as Service[]).map(keyOf);
  controller
    .watches(services)
    .watches(pods, selectedBy)
    // Drift of an Endpoints object of a selector service (edited or deleted by someone else).
    .watches(endpoints, (o) => {
      const svc = services.get(keyOf(o)) as Service | undefined;
      return svc && hasSelector(svc) ? [keyOf(o)] : [];
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

export { computeSubsets, truncateSubsets, type EndpointAddress, type EndpointPort, type EndpointSubset } from './subsets.js';
