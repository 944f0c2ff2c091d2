/**
 * The node agent of the containerd kubelet: registers this machine as a Node (or takes over the
 * existing Node of that name), keeps its Lease in kube-node-lease renewed every 10 s, and posts
 * the node status every 10 s when it changed and at least every 60 s otherwise (upstream's
 * nodeStatusUpdateFrequency / nodeStatusReportFrequency, the latter shortened from 5 minutes).
 * A Node or Lease deleted behind its back is created again, as the kubelet re-registers.
 *
 * Inputs: a REST client, the node's name, pod CIDR, kubelet port, runtime version, data dir, an
 * image lister (CRI ListImages) and optionally extra labels, an address, a runtime health check.
 * Outputs: `node()` (the last Node object the API server returned) and `stop()`.
 */
import os from 'node:os';
import type { KubeObject } from '../../api/types.js';
import type { RestClient, RestResponse } from '../../client/rest.js';
import { formatTimestamp } from '../../machinery/duration.js';
import { LEASE_NAMESPACE, buildLease } from '../sim/node-objects.js';
import { renewLease, type SimNode } from '../sim/node-heartbeat.js';
import { EVICTION_HARD_MEMORY_BYTES, EVICTION_HARD_NODEFS_FRACTION, allocatableOf, availableMemoryBytes, capacityOf, filesystemBytes, hostResources, nodeInfo, primaryIPv4 } from './host-facts.js';
import { buildNode, nodeLabels, nodeStatus, statusFingerprint, type ConditionTimes, type NodeFacts, type NodeHealth, type NodeImage } from './node-status.js';

export interface NodeAgentLog {
  warn(msg: string, fields?: Record<string, unknown>): void;
  info?(msg: string, fields?: Record<string, unknown>): void;
}

export interface NodeAgentOptions {
  client: RestClient;
  nodeName: string;
  podCIDR: string;
  kubeletPort: number;
  /** e.g. `containerd://1.6.20~ds1`. */
  runtimeVersion: string;
  dataDir: string;
  images: () => Promise<NodeImage[]>;
  labels?: Record<string, string>;
  /** Whether this is a control-plane node (label node-role.kubernetes.io/control-plane=""); default true. */
  controlPlane?: boolean;
  /** InternalIP; default: the first non-internal IPv4 address, else 127.0.0.1. */
  address?: string;
  /** Resolves to an error text while the container runtime is not ready (Ready=False, KubeletNotReady). */
  runtimeStatus?: () => Promise<string | undefined>;
  log?: NodeAgentLog;
  /** Test knobs: lease renewal, status check and forced status report periods. */
  leaseRenewMs?: number;
  statusUpdateMs?: number;
  statusReportMs?: number;
}

export interface NodeAgent {
  node(): KubeObject | undefined;
  stop(): void;
}

const nodePath = (name: string) => `/api/v1/nodes/${encodeURIComponent(name)}`;

function expectOk(res: RestResponse, what: string): void {
  if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
}

async function kubeletVersion(client: RestClient): Promise<string> {
  const res = await client.get<{ gitVersion?: string }>('/version');
  expectOk(res, 'GET /version');
  return res.body.gitVersion ?? 'v0.0.0';
}

export async function startNodeAgent(opts: NodeAgentOptions): Promise<NodeAgent> {
  const { client, nodeName } = opts;
  const version = await kubeletVersion(client);
  const info = await nodeInfo({ kubeletVersion: version, containerRuntimeVersion: opts.runtimeVersion });
  const times: ConditionTimes = { heartbeat: formatTimestamp(), transitions: new Map() };
  let current: KubeObject | undefined;
  let lastPosted = '';
  let lastPostAt = 0;
  let stopped = false;

  const facts = async (): Promise<NodeFacts> => {
    const resources = await hostResources(opts.dataDir);
    const images = await opts.images().catch((err: unknown) => {
      opts.log?.warn('listing images for the node status failed', { err: String(err) });
      return [];
    });
    return {
      nodeName,
      podCIDR: opts.podCIDR,
      kubeletPort: opts.kubeletPort,
      internalIP: opts.address ?? primaryIPv4(),
      hostname: os.hostname(),
      capacity: capacityOf(resources),
      allocatable: allocatableOf(resources),
      nodeInfo: info,
      images,
      labels: opts.labels,
      controlPlane: opts.controlPlane,
    };
  };

  const health = async (): Promise<NodeHealth> => {
    const available = await availableMemoryBytes();
    const fs = await filesystemBytes(opts.dataDir).catch(() => undefined);
    const runtimeError = opts.runtimeStatus ? await opts.runtimeStatus().catch((err: unknown) => `container runtime status check failed: ${String(err)}`) : undefined;
    return {
      memoryPressure: available !== undefined && available < EVICTION_HARD_MEMORY_BYTES,
      diskPressure: fs !== undefined && fs.available < fs.capacity * EVICTION_HARD_NODEFS_FRACTION,
      ...(runtimeError ? { runtimeError } : {}),
    };
  };

  const lease: SimNode = { name: nodeName, index: 0, template: {} };

  /** Creates the Node, or takes over the existing one: our labels, podCIDR if unset, fresh status. */
  const register = async (): Promise<void> => {
    times.heartbeat = formatTimestamp();
    const f = await facts();
    const status = nodeStatus(f, await health(), times);
    const created = await client.post<KubeObject>('/api/v1/nodes', buildNode(f, status));
    if (created.status === 409) {
      const existing = await client.get<KubeObject>(nodePath(nodeName));
      expectOk(existing, `get node ${nodeName}`);
      const spec = (existing.body.spec ?? {}) as { podCIDR?: string };
      const patch: Record<string, unknown> = { metadata: { labels: nodeLabels(f) } };
      if (!spec.podCIDR) patch.spec = { podCIDR: f.podCIDR, podCIDRs: [f.podCIDR] };
      expectOk(await client.patch(nodePath(nodeName), patch), `update node ${nodeName}`);
      const res = await client.patch<KubeObject>(`${nodePath(nodeName)}/status`, { status });
      expectOk(res, `node status ${nodeName}`);
      current = res.body;
    } else {
      expectOk(created, `create node ${nodeName}`);
      current = created.body;
    }
    lease.uid = current.metadata?.uid;
    lastPosted = statusFingerprint(status);
    lastPostAt = Date.now();
    const leaseRes = await client.post(`/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases`, buildLease(nodeName, lease.uid));
    if (leaseRes.status === 409) await renewLease(client, lease);
    else expectOk(leaseRes, `create lease ${nodeName}`);
    opts.log?.info?.('node registered', { node: nodeName });
  };

  const updateStatus = async (): Promise<void> => {
    const f = await facts();
    const h = await health();
    times.heartbeat = formatTimestamp();
    const status = nodeStatus(f, h, times);
    const fingerprint = statusFingerprint(status);
    if (fingerprint === lastPosted && Date.now() - lastPostAt < (opts.statusReportMs ?? 60_000)) return;
    const res = await client.patch<KubeObject>(`${nodePath(nodeName)}/status`, { status });
    if (res.status === 404) return register();
    expectOk(res, `node status ${nodeName}`);
    current = res.body;
    lastPosted = fingerprint;
    lastPostAt = Date.now();
  };

  await register();

  const every = (ms: number, what: string, fn: () => Promise<void>): NodeJS.Timeout => {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      fn()
        .catch((err: unknown) => opts.log?.warn(`${what} failed`, { node: nodeName, err: err instanceof Error ? err.message : String(err) }))
        .finally(() => {
          busy = false;
        });
    }, ms);
    timer.unref?.();
    return timer;
  };
  const timers = [every(opts.leaseRenewMs ?? 10_000, 'lease renewal', () => renewLease(client, lease)), every(opts.statusUpdateMs ?? 10_000, 'node status update', updateStatus)];

  return {
    node: () => current,
    stop() {
      stopped = true;
      for (const t of timers) clearInterval(t);
    },
  };
}
