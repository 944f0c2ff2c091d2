/**
 * Services: ClusterIP allocation from the service CIDR (the first address is the `kubernetes`
 * service's) and NodePort allocation from 30000-32767 for NodePort and LoadBalancer services; both
 * released when the service goes or stops needing them.
 */
import type { KubeObject } from '../../api/types.js';
import { invalid, type FieldError } from '../../machinery/errors.js';
import type { Allocator } from '../allocator.js';
import type { ResourceHooks } from '../store.js';

interface ServicePort {
  port?: number;
  nodePort?: number;
}
interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
}

function specOf(obj: KubeObject): ServiceSpec {
  obj.spec = obj.spec ?? {};
  return obj.spec as ServiceSpec;
}

function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

function ownerOf(obj: KubeObject): string {
  return `${obj.metadata?.namespace}/${obj.metadata?.name}`;
}

export function serviceHooks(ips: Allocator, ports: Allocator): ResourceHooks {
  const fail = (obj: KubeObject, errs: FieldError[]): never => {
    throw invalid('Service', '', obj.metadata?.name ?? '', errs);
  };

  async function allocateIP(obj: KubeObject, taken: string[]): Promise<void> {
    const spec = specOf(obj);
    if (spec.type === 'ExternalName' || spec.clusterIP === 'None') return;
    if (spec.clusterIP) {
      if (!ips.contains(spec.clusterIP)) {
        fail(obj, [{ type: 'Invalid', field: 'spec.clusterIPs', value: [spec.clusterIP], detail: `failed to allocate IP ${spec.clusterIP}: the provided IP (${spec.clusterIP}) is not in the valid range. The range of valid IPs is ${'the service CIDR'}` }]);
      }
      if (!(await ips.allocate(spec.clusterIP, ownerOf(obj)))) {
        fail(obj, [{ type: 'Invalid', field: 'spec.clusterIPs', value: [spec.clusterIP], detail: `failed to allocate IP ${spec.clusterIP}: provided IP is already allocated` }]);
      }
      taken.push(spec.clusterIP);
    } else {
      // The first address belongs to the kubernetes service.
      const ip = await ips.allocateNext(ownerOf(obj), (off) => off === 0);
      if (!ip) fail(obj, [{ type: 'Invalid', field: 'spec.clusterIPs', value: [], detail: 'failed to allocate IP: range is full' }]);
      spec.clusterIP = ip;
      taken.push(ip!);
    }
    spec.clusterIPs = [spec.clusterIP!];
  }

  async function allocatePorts(obj: KubeObject, old: ServiceSpec | undefined, taken: string[]): Promise<void> {
    const spec = specOf(obj);
    if (!needsNodePorts(spec)) {
      for (const p of spec.ports ?? []) delete p.nodePort;
      return;
    }
    const kept = new Set((old?.ports ?? []).map((p) => p.nodePort).filter((n): n is number => !!n));
    for (const [i, p] of (spec.ports ?? []).entries()) {
      if (p.nodePort) {
        if (kept.has(p.nodePort)) continue;
        if (!ports.contains(String(p.nodePort))) {
          fail(obj, [{ type: 'Invalid', field: `spec.ports[${i}].nodePort`, value: p.nodePort, detail: 'provided port is not in the valid range. The range of valid ports is 30000-32767' }]);
        }
        if (!(await ports.allocate(String(p.nodePort), ownerOf(obj)))) {
          fail(obj, [{ type: 'Invalid', field: `spec.ports[${i}].nodePort`, value: p.nodePort, detail: 'provided port is already allocated' }]);
        }
      } else {
        const v = await ports.allocateNext(ownerOf(obj));
        if (!v) fail(obj, [{ type: 'Invalid', field: `spec.ports[${i}].nodePort`, value: 0, detail: 'failed to allocate a nodePort: range is full' }]);
        p.nodePort = Number(v);
      }
      taken.push(String(p.nodePort));
    }
  }

  async function releaseAll(spec: ServiceSpec, keepIP?: string, keepPorts: Set<number> = new Set()): Promise<void> {
    if (spec.clusterIP && spec.clusterIP !== 'None' && spec.clusterIP !== keepIP) await ips.release(spec.clusterIP);
    for (const p of spec.ports ?? []) if (p.nodePort && !keepPorts.has(p.nodePort)) await ports.release(String(p.nodePort));
  }

  return {
    async beforeCreate(obj) {
      const takenIPs: string[] = [];
      const takenPorts: string[] = [];
      try {
        await allocateIP(obj, takenIPs);
        await allocatePorts(obj, undefined, takenPorts);
      } catch (err) {
        for (const ip of takenIPs) await ips.release(ip);
        for (const p of takenPorts) await ports.release(p);
        throw err;
      }
    },
    async createFailed(obj) {
      await releaseAll(specOf(obj));
    },
    async beforeUpdate(obj, old) {
      const spec = specOf(obj);
      const oldSpec = (old.spec ?? {}) as ServiceSpec;
      // clusterIP is immutable once set (validation says so); carry it over when omitted.
      if (!spec.clusterIP && oldSpec.clusterIP && spec.type !== 'ExternalName') {
        spec.clusterIP = oldSpec.clusterIP;
        spec.clusterIPs = oldSpec.clusterIPs;
      }
      // Keep node ports the user left out when the type still needs them.
      if (needsNodePorts(spec)) {
        for (const p of spec.ports ?? []) {
          if (!p.nodePort) {
            const prev = (oldSpec.ports ?? []).find((o) => o.port === p.port && o.nodePort);
            if (prev) p.nodePort = prev.nodePort;
          }
        }
      }
      await allocatePorts(obj, oldSpec, []);
      const stillUsed = new Set((spec.ports ?? []).map((p) => p.nodePort).filter((n): n is number => !!n));
      for (const p of oldSpec.ports ?? []) if (p.nodePort && !stillUsed.has(p.nodePort)) await ports.release(String(p.nodePort));
    },
    async afterDelete(obj) {
      await releaseAll(specOf(obj));
    },
  };
}
