/**
 * Leader election through a coordination.k8s.io/v1 Lease (client-go's leaderelection): the holder renews
 * the lease; others take it over only after leaseDurationSeconds without renewal. Optimistic concurrency
 * on the Lease's resourceVersion makes sure two candidates never both win.
 */
import type { RestClient } from '../client/rest.js';

export interface LeaderElectionOptions {
  client: RestClient;
  namespace?: string;
  name: string;
  identity: string;
  leaseDurationSeconds?: number;
  renewIntervalMs?: number;
  onStartedLeading(): void;
  onStoppedLeading(): void;
}

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

function microNow(): string {
  return new Date().toISOString().replace('Z', '000Z');
}

export function startLeaderElection(opts: LeaderElectionOptions): { stop(): void; isLeader(): boolean } {
  const ns = opts.namespace ?? 'kube-system';
  const duration = opts.leaseDurationSeconds ?? 15;
  const path = `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`;
  let leading = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const tryAcquireOrRenew = async (): Promise<boolean> => {
    const got = await opts.client.get<Lease>(`${path}/${opts.name}`);
    const now = microNow();
    if (got.status === 404) {
      const res = await opts.client.post(path, {
        metadata: { name: opts.name, namespace: ns },
        spec: { holderIdentity: opts.identity, leaseDurationSeconds: duration, acquireTime: now, renewTime: now, leaseTransitions: 0 },
      });
      return res.status === 201;
    }
    if (got.status !== 200) return false;
    const lease = got.body;
    const holder = lease.spec.holderIdentity;
    const renewed = lease.spec.renewTime ? Date.parse(lease.spec.renewTime) : 0;
    const expired = Date.now() - renewed > (lease.spec.leaseDurationSeconds ?? duration) * 1000;
    if (holder && holder !== opts.identity && !expired) return false;
    const spec = { ...lease.spec, holderIdentity: opts.identity, leaseDurationSeconds: duration, renewTime: now };
    if (holder !== opts.identity) {
      spec.acquireTime = now;
      spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + 1;
    }
    const res = await opts.client.put(`${path}/${opts.name}`, { ...lease, spec });
    return res.status === 200;
  };

  const loop = async (): Promise<void> => {
    if (stopped) return;
    let ok = false;
    try {
      ok = await tryAcquireOrRenew();
    } catch {
      ok = false;
    }
    // stop() may have been called while the request was in flight: it already said goodbye.
    if (stopped) return;
    if (ok && !leading) {
      leading = true;
      opts.onStartedLeading();
    } else if (!ok && leading) {
      leading = false;
      opts.onStoppedLeading();
    }
    if (!stopped) timer = setTimeout(() => void loop(), opts.renewIntervalMs ?? 2000);
  };
  void loop();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (leading) {
        leading = false;
        opts.onStoppedLeading();
      }
    },
    isLeader: () => leading,
  };
}
