/**
 * The registry: one GenericStore per served kind, wired to per-kind hooks, over one RegistryStorage.
 * Inputs: storage (normally the watch cache over sqlite or etcd) and cluster settings (service CIDR).
 * Outputs: `storeFor(group, version, plural)` for the HTTP layer, and bootstrap of the initial
 * namespaces and the `kubernetes` service. Kinds can be added at runtime (`addKind`/`removeKind`):
 * the CRD controller (kinds/crd.ts, started by bootstrap) serves every established CRD that way.
 */
import { allKinds } from '../api/index.js';
import { customResourceDefinition } from '../api/crd/index.js';
import type { KindDefinition, KubeObject } from '../api/types.js';
import { StatusError, notFound, type ResourceRef } from '../machinery/errors.js';
import { nodePortAllocator, serviceIPAllocator } from './allocator.js';
import { withAdmission } from './admission/index.js';
import { defaultStorageClassHooks } from './admission/default-storage-class.js';
import { CrdController, crdHooks } from './kinds/crd.js';
import { initialNamespaces, namespaceHooks } from './kinds/namespace.js';
import { podHooks } from './kinds/pod.js';
import { systemPriorityClasses, type PriorityClassLookup, type ServiceAccountLookup } from './kinds/pod-admission.js';
import { serviceHooks } from './kinds/service.js';
import { resourcePrefix } from './keys.js';
import { convertingStorage, type Conversion } from './converting-storage.js';
import { hpaV1ToV2, hpaV2ToV1 } from '../api/kinds/autoscaling/index.js';
import { coreToEventsV1, eventsV1ToCore } from '../api/kinds/events/index.js';
import { GenericStore, type RegistryStorage, type ResourceHooks, type StoreContext } from './store.js';

export interface RegistryOptions {
  serviceCIDR?: string;
}

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

export class Registry {
  private readonly stores = new Map<string, GenericStore>();
  private readonly byKind = new Map<string, GenericStore>();
  private readonly ctx: StoreContext;
  /** Every served kind; kinds added at runtime (CRDs) are pushed into this same array. */
  readonly kinds: KindDefinition[];
  /** Serves the kinds CustomResourceDefinitions define (started by bootstrap). */
  readonly crds: CrdController;

  constructor(
    readonly storage: RegistryStorage,
    opts: RegistryOptions = {},
  ) {
    const ips = serviceIPAllocator(storage, opts.serviceCIDR ?? DEFAULT_SERVICE_CIDR);
    const ports = nodePortAllocator(storage);
    const hooks: Record<string, ResourceHooks> = {
      '/namespaces': namespaceHooks,
      '/pods': podHooks(this.priorityClasses(), this.serviceAccounts()),
      '/services': serviceHooks(ips, ports),
      '/persistentvolumeclaims': defaultStorageClassHooks(this),
      'apiextensions.k8s.io/customresourcedefinitions': crdHooks,
    };
    // Versions served from another version's storage, as upstream stores them.
    const conversions: Record<string, Conversion> = {
      'autoscaling/v1/horizontalpodautoscalers': {
        servedPrefix: '/registry/autoscaling/horizontalpodautoscalers/',
        storedPrefix: '/registry/autoscaling/horizontalpodautoscalers/',
        toServed: (o) => (o.apiVersion === 'autoscaling/v1' ? o : hpaV2ToV1(o)),
        toStored: (o) => (o.apiVersion === 'autoscaling/v2' ? o : hpaV1ToV2(o)),
      },
      'events.k8s.io/v1/events': {
        servedPrefix: '/registry/events.k8s.io/events/',
        storedPrefix: '/registry/core/events/',
        toServed: (o) => (o.apiVersion === 'events.k8s.io/v1' ? o : coreToEventsV1(o)),
        toStored: (o) => (o.apiVersion === 'v1' ? o : eventsV1ToCore(o)),
      },
    };
    this.ctx = {
      storage,
      checkNamespace: (ns, ref, name) => this.checkNamespace(ns, ref, name),
    };
    this.kinds = [...allKinds().filter((k) => k.resource.group !== customResourceDefinition.resource.group), customResourceDefinition];
    for (const def of this.kinds) {
      const r = def.resource;
      const conversion = conversions[`${r.group}/${r.version}/${r.plural}`];
      const ctx = conversion ? { ...this.ctx, storage: convertingStorage(storage, conversion) } : this.ctx;
      const store = new GenericStore(def, ctx, withAdmission(this, def, hooks[`${r.group}/${r.plural}`]));
      this.stores.set(`${r.group}/${r.version}/${r.plural}`, store);
      this.byKind.set(`${r.group}/${r.version}/${r.kind}`, store);
    }
    this.crds = new CrdController(this);
  }

  /**
   * Serves a kind added at runtime (a CRD version); replaces one with the same group/version/plural.
   * `storage` overrides the registry's storage for this kind's store (CRDs serve other versions' objects).
   */
  addKind(def: KindDefinition, opts: { hooks?: ResourceHooks; storage?: RegistryStorage } = {}): GenericStore {
    const r = def.resource;
    this.removeKind(r.group, r.version, r.plural);
    const store = new GenericStore(def, opts.storage ? { ...this.ctx, storage: opts.storage } : this.ctx, withAdmission(this, def, opts.hooks));
    this.stores.set(`${r.group}/${r.version}/${r.plural}`, store);
    this.byKind.set(`${r.group}/${r.version}/${r.kind}`, store);
    this.kinds.push(def);
    return store;
  }

  /** Stops serving a kind added with addKind. */
  removeKind(group: string, version: string, plural: string): void {
    const store = this.stores.get(`${group}/${version}/${plural}`);
    if (!store) return;
    this.stores.delete(`${group}/${version}/${plural}`);
    const r = store.def.resource;
    if (this.byKind.get(`${group}/${version}/${r.kind}`) === store) this.byKind.delete(`${group}/${version}/${r.kind}`);
    const i = this.kinds.indexOf(store.def);
    if (i >= 0) this.kinds.splice(i, 1);
  }

  storeFor(group: string, version: string, plural: string): GenericStore | undefined {
    return this.stores.get(`${group}/${version}/${plural}`);
  }

  storeForKind(group: string, version: string, kind: string): GenericStore | undefined {
    return this.byKind.get(`${group}/${version}/${kind}`);
  }

  allStores(): GenericStore[] {
    return [...this.stores.values()];
  }

  /** PriorityClass lookups for pod admission, straight from storage. */
  /** ServiceAccounts as admission reads them: from the watch cache (resourceVersion 0), absent = undefined. */
  private serviceAccounts(): ServiceAccountLookup {
    return {
      get: async (namespace, name) => {
        const store = this.storeFor('', 'v1', 'serviceaccounts');
        if (!store) return undefined;
        const res = this.storage.getWithRV ? await this.storage.getWithRV(`${resourcePrefix(store.def.resource)}${namespace}/${name}`, '0').catch(() => undefined) : await this.storage.get(`${resourcePrefix(store.def.resource)}${namespace}/${name}`);
        return res?.value ? (JSON.parse(res.value) as KubeObject) : undefined;
      },
    };
  }

  private priorityClasses(): PriorityClassLookup {
    const read = async (): Promise<KubeObject[]> => {
      const store = this.storeFor('scheduling.k8s.io', 'v1', 'priorityclasses');
      if (!store) return [];
      const res = await this.storage.listWithRV(resourcePrefix(store.def.resource), { resourceVersion: '0' });
      return res.items.map((kv) => JSON.parse(kv.value) as KubeObject);
    };
    return {
      get: async (name) => (await read()).find((c) => c.metadata?.name === name),
      globalDefault: async () => (await read()).find((c) => (c as { globalDefault?: boolean }).globalDefault === true),
    };
  }

  private namespaces(): GenericStore {
    return this.storeFor('', 'v1', 'namespaces')!;
  }

  async checkNamespace(namespace: string, ref: ResourceRef, name: string): Promise<void> {
    // Like upstream's NamespaceLifecycle admission, read the namespace from the cache (an informer
    // upstream); only a miss is confirmed against storage, so a just-created namespace is never refused.
    const key = this.namespaces().key(undefined, namespace);
    const kv = (await this.storage.getWithRV?.(key, '0')) ?? (await this.storage.get(key));
    if (!kv) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    const ns = JSON.parse(kv.value) as KubeObject;
    if (ns.metadata?.deletionTimestamp) {
      const what = ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
      throw new StatusError('Forbidden', `${what} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`, {
        name,
        kind: ref.resource,
        ...(ref.group ? { group: ref.group } : {}),
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  }

  /** Starts the watch cache for every resource (when the storage has one). */
  async warmCaches(): Promise<void> {
    if (!this.storage.cacheResource) return;
    const prefixes = new Set(this.kinds.map((k) => resourcePrefix(k.resource)));
    for (const p of prefixes) await this.storage.cacheResource(p);
  }

  /** Creates what a new cluster has: the initial namespaces and the `kubernetes` service. */
  async bootstrap(apiPort: number, address = '127.0.0.1'): Promise<void> {
    await this.crds.start();
    for (const name of initialNamespaces) {
      await this.createIfMissing('', 'v1', 'namespaces', undefined, { metadata: { name } });
    }
    for (const pc of systemPriorityClasses) {
      await this.createIfMissing('scheduling.k8s.io', 'v1', 'priorityclasses', undefined, { metadata: { name: pc.name }, value: pc.value, description: pc.description, preemptionPolicy: 'PreemptLowerPriority' });
    }
    await this.createIfMissing('', 'v1', 'services', 'default', {
      metadata: { name: 'kubernetes', labels: { component: 'apiserver', provider: 'kubernetes' } },
      spec: { type: 'ClusterIP', clusterIP: firstServiceIP(DEFAULT_SERVICE_CIDR), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: apiPort }], sessionAffinity: 'None' },
    });
    await this.apiServerEndpoints(apiPort, address);
  }

  /** The `kubernetes` service's endpoints: this API server (rewritten at every start: the port may change). */
  private async apiServerEndpoints(apiPort: number, address: string): Promise<void> {
    const ports = [{ name: 'https', port: apiPort, protocol: 'TCP' }];
    const endpoints = { metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip: address }], ports }] };
    const slice = {
      metadata: { name: 'kubernetes', labels: { 'kubernetes.io/service-name': 'kubernetes', 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: [address], conditions: { ready: true } }],
      ports,
    };
    for (const [group, plural, body] of [['', 'endpoints', endpoints], ['discovery.k8s.io', 'endpointslices', slice]] as const) {
      const store = this.storeFor(group, 'v1', plural);
      if (!store) continue;
      const existing = await this.storage.get(store.key('default', 'kubernetes'));
      if (!existing) await store.create('default', structuredClone(body), {});
      else await store.updateWith('default', 'kubernetes', (cur) => ({ ...cur, ...structuredClone(body), metadata: { ...cur.metadata, labels: body.metadata.labels } }), {});
    }
  }

  private async createIfMissing(group: string, version: string, plural: string, namespace: string | undefined, body: KubeObject): Promise<void> {
    const store = this.storeFor(group, version, plural)!;
    if (await this.storage.get(store.key(namespace, body.metadata!.name!))) return;
    try {
      await store.create(namespace, body, {});
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
    }
  }
}

function firstServiceIP(cidr: string): string {
  const [ip] = cidr.split('/');
  const parts = ip!.split('.').map(Number);
  parts[3] = parts[3]! + 1;
  return parts.join('.');
}
