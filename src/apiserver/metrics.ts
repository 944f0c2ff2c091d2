/**
 * API server metrics in Prometheus text format, under upstream kube-apiserver's metric and label
 * names so existing dashboards and queries work:
 *
 *   apiserver_request_total{verb,dry_run,group,version,resource,subresource,scope,component,code}   counter
 *   apiserver_request_duration_seconds{verb,dry_run,group,version,resource,subresource,scope,component} histogram
 *   apiserver_longrunning_requests{verb,group,version,resource,subresource,scope,component}          gauge (open watches)
 *   etcd_request_duration_seconds{operation,type}     histogram, one observation per storage call
 *   etcd_requests_total{operation,type}, etcd_request_errors_total{operation,type}   counters
 *
 * Each server owns one ApiMetrics (its own prom-client Registry: no global state, so several
 * servers in one process or test do not collide). The HTTP layer calls observeRequest once per
 * finished request and watchOpened/watchClosed around watch streams; `instrumentStorage` wraps the
 * storage backend; `render` produces the body of GET /metrics.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Storage } from '../storage/interface.js';

/** One finished API request, as the router classified it. */
export interface RequestObservation {
  /** Upstream's verbs: GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE, DELETECOLLECTION, APPLY, CONNECT (or POST/PUT... for non-resource paths). */
  verb: string;
  group?: string;
  version?: string;
  /** '' for non-resource requests such as /healthz. */
  resource: string;
  subresource?: string;
  /** 'resource' (one named object), 'namespace', 'cluster', or '' for non-resource requests. */
  scope: string;
  /** HTTP status code sent. */
  code: number;
  seconds: number;
  dryRun?: boolean;
}

/** Identifies a watch stream for the long-running gauge. */
export interface WatchInfo {
  group?: string;
  version?: string;
  subresource?: string;
  scope?: string;
}

export interface ApiMetrics {
  readonly registry: Registry;
  observeRequest(o: RequestObservation): void;
  watchOpened(resource: string, info?: WatchInfo): void;
  watchClosed(resource: string, info?: WatchInfo): void;
  /** A Storage whose every call is timed into etcd_request_duration_seconds. */
  instrumentStorage(store: Storage): Storage;
  render(): Promise<{ contentType: string; body: string }>;
}

export interface ApiMetricsOptions {
  /** Also export prom-client's process_* and nodejs_* metrics (off by default: they start an event-loop monitor per registry). */
  processMetrics?: boolean;
}

/** Upstream's buckets for both apiserver_request_duration_seconds and etcd_request_duration_seconds. */
const LATENCY_BUCKETS = [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60];
const COMPONENT = 'apiserver';

const REQUEST_LABELS = ['verb', 'dry_run', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
const LONGRUNNING_LABELS = ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'component'] as const;
const STORAGE_LABELS = ['operation', 'type'] as const;

/**
 * The object type a storage key belongs to, as the `type` label (upstream's group-resource string),
 * for the registry's key layout `/registry/<group or core>/<plural>/...` (src/registry/keys.ts):
 * `/registry/core/pods/ns/web` -> `pods`, `/registry/apps/deployments/ns/web` -> `deployments.apps`.
 * Keys outside that layout give their first segment.
 */
export function storageTypeOfKey(key: string): string {
  const segments = key.split('/').filter((s) => s !== '');
  if (segments[0] !== 'registry') return segments[0] ?? '';
  const group = segments[1] ?? '';
  const plural = segments[2];
  if (plural === undefined) return group;
  return group === 'core' ? plural : `${plural}.${group}`;
}

export function createApiMetrics(opts: ApiMetricsOptions = {}): ApiMetrics {
  const registry = new Registry();
  if (opts.processMetrics) collectDefaultMetrics({ register: registry });

  const requestTotal = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    labelNames: [...REQUEST_LABELS, 'code'],
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    labelNames: REQUEST_LABELS,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const longRunning = new Gauge({
    name: 'apiserver_longrunning_requests',
    help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.',
    labelNames: LONGRUNNING_LABELS,
    registers: [registry],
  });
  const storageDuration = new Histogram({
    name: 'etcd_request_duration_seconds',
    help: 'Etcd request latency in seconds for each operation and object type.',
    labelNames: STORAGE_LABELS,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const storageTotal = new Counter({
    name: 'etcd_requests_total',
    help: 'Etcd request counts for each operation and object type.',
    labelNames: STORAGE_LABELS,
    registers: [registry],
  });
  const storageErrors = new Counter({
    name: 'etcd_request_errors_total',
    help: 'Etcd failed request counts for each operation and object type.',
    labelNames: STORAGE_LABELS,
    registers: [registry],
  });

  function watchLabels(resource: string, info: WatchInfo = {}) {
    return {
      verb: 'WATCH',
      group: info.group ?? '',
      version: info.version ?? '',
      resource,
      subresource: info.subresource ?? '',
      scope: info.scope ?? '',
      component: COMPONENT,
    };
  }

  /** Times one storage call (sync or async) and records it under `operation` and the key's type. */
  async function timed<T>(operation: string, key: string, call: () => Promise<T>): Promise<T> {
    const labels = { operation, type: storageTypeOfKey(key) };
    const start = performance.now();
    try {
      return await call();
    } catch (err) {
      storageErrors.inc(labels);
      throw err;
    } finally {
      storageDuration.observe(labels, (performance.now() - start) / 1000);
      storageTotal.inc(labels);
    }
  }

  return {
    registry,
    observeRequest(o) {
      const labels = {
        verb: o.verb,
        dry_run: o.dryRun ? 'All' : '',
        group: o.group ?? '',
        version: o.version ?? '',
        resource: o.resource,
        subresource: o.subresource ?? '',
        scope: o.scope,
        component: COMPONENT,
      };
      requestTotal.inc({ ...labels, code: String(o.code) });
      requestDuration.observe(labels, o.seconds);
    },
    watchOpened(resource, info) {
      longRunning.inc(watchLabels(resource, info));
    },
    watchClosed(resource, info) {
      longRunning.dec(watchLabels(resource, info));
    },
    instrumentStorage(store) {
      return {
        currentRevision: () => timed('currentRevision', '', () => store.currentRevision()),
        get: (key) => timed('get', key, () => store.get(key)),
        list: (prefix, listOpts) => timed('list', prefix, () => store.list(prefix, listOpts)),
        count: (prefix) => timed('count', prefix, () => store.count(prefix)),
        create: (key, value) => timed('create', key, () => store.create(key, value)),
        update: (key, value, pre) => timed('update', key, () => store.update(key, value, pre)),
        delete: (key, pre) => timed('delete', key, () => store.delete(key, pre)),
        // A watch is long-running: count its start (synchronous), not its lifetime.
        watch: (prefix, watchOpts, onEvent, onError) => {
          storageTotal.inc({ operation: 'watch', type: storageTypeOfKey(prefix) });
          return store.watch(prefix, watchOpts, onEvent, onError);
        },
        compact: (revision) => timed('compact', '', () => store.compact(revision)),
        compactedRevision: () => timed('compactedRevision', '', () => store.compactedRevision()),
        close: () => store.close(),
      };
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
