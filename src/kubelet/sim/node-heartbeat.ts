/**
 * Registration and heartbeats for many simulated nodes with one interval timer: each node owns a
 * slot of the renewal period (node i renews its Lease on ticks where tick % slots == i % slots), so
 * a 10 s period with a 1 s tick renews a tenth of the nodes each second. Node status heartbeats
 * (conditions' lastHeartbeatTime) use the same scheme over a longer period. Requests share one
 * concurrency limit; a node whose previous renewal is still queued is skipped, not piled up.
 * A node or Lease deleted behind our back is created again (the kubelet re-registers).
 */
import type { KubeObject } from '../../api/types.js';
import type { RestClient, RestResponse } from '../../client/rest.js';
import { formatMicroTime, formatTimestamp } from '../../machinery/duration.js';
import { LEASE_NAMESPACE, buildLease, nodeConditions } from './node-objects.js';
import type { Limiter } from './timer-queue.js';

export interface SimNode {
  name: string;
  index: number;
  /** The Node object to create when it is missing. */
  template: KubeObject;
  uid?: string;
  readyTransition?: string;
  busy?: boolean;
}

export interface HeartbeatOptions {
  leaseRenewMs: number;
  nodeStatusMs: number;
  tickMs: number;
}

const leasePath = (name: string) => `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases/${encodeURIComponent(name)}`;
const nodePath = (name: string) => `/api/v1/nodes/${encodeURIComponent(name)}`;

function expectOk(res: RestResponse, what: string): void {
  if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
}

/** Creates the Node (or takes over an existing one, refreshing its status) and its Lease. */
export async function registerNode(client: RestClient, node: SimNode): Promise<void> {
  let res = await client.post<KubeObject>('/api/v1/nodes', node.template);
  if (res.status === 409) {
    res = await client.get<KubeObject>(nodePath(node.name));
    expectOk(res, `get node ${node.name}`);
    node.uid = res.body.metadata?.uid;
    const status = node.template.status as Record<string, unknown>;
    expectOk(await client.patch(`${nodePath(node.name)}/status`, { status }), `refresh node ${node.name}`);
  } else {
    expectOk(res, `create node ${node.name}`);
    node.uid = res.body.metadata?.uid;
  }
  node.readyTransition = formatTimestamp();
  // Create first: on a fresh cluster that is one write and no failed PATCH per node.
  const lease = await client.post(`/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases`, buildLease(node.name, node.uid));
  if (lease.status === 409) await renewLease(client, node);
  else expectOk(lease, `create lease ${node.name}`);
}

/** PATCHes renewTime, creating the Lease when it does not exist. */
export async function renewLease(client: RestClient, node: SimNode, now = Date.now()): Promise<void> {
  const res = await client.patch(leasePath(node.name), { spec: { holderIdentity: node.name, renewTime: formatMicroTime(now) } });
  if (res.status !== 404) return expectOk(res, `renew lease ${node.name}`);
  const created = await client.post(`/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases`, buildLease(node.name, node.uid, now));
  if (created.status !== 409) expectOk(created, `create lease ${node.name}`);
}

/** PATCHes nodes/{name}/status with fresh lastHeartbeatTime; re-registers a deleted node. */
export async function postNodeStatus(client: RestClient, node: SimNode, now = Date.now()): Promise<void> {
  const at = formatTimestamp(now);
  const res = await client.patch(`${nodePath(node.name)}/status`, { status: { conditions: nodeConditions(at, node.readyTransition ?? at) } });
  if (res.status === 404) return registerNode(client, node);
  expectOk(res, `node status ${node.name}`);
}

export class HeartbeatLoop {
  private tick = 0;
  private timer?: NodeJS.Timeout;
  readonly stats = { leaseRenewals: 0, statusUpdates: 0, skipped: 0, errors: 0 };

  constructor(
    private readonly client: RestClient,
    private readonly nodes: SimNode[],
    private readonly limiter: Limiter,
    private readonly opts: HeartbeatOptions,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  start(): void {
    this.timer = setInterval(() => this.onTick(), this.opts.tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private onTick(): void {
    this.tick++;
    const leaseSlots = Math.max(1, Math.round(this.opts.leaseRenewMs / this.opts.tickMs));
    const statusSlots = Math.max(1, Math.round(this.opts.nodeStatusMs / this.opts.tickMs));
    for (const node of this.nodes) {
      const lease = node.index % leaseSlots === this.tick % leaseSlots;
      const status = node.index % statusSlots === this.tick % statusSlots;
      if (!lease && !status) continue;
      if (node.busy) {
        this.stats.skipped++;
        continue;
      }
      node.busy = true;
      void this.limiter
        .run(async () => {
          if (lease) {
            await renewLease(this.client, node);
            this.stats.leaseRenewals++;
          }
          if (status) {
            await postNodeStatus(this.client, node);
            this.stats.statusUpdates++;
          }
        })
        .catch((err: unknown) => {
          this.stats.errors++;
          this.onError(err);
        })
        .finally(() => {
          node.busy = false;
        });
    }
  }
}
