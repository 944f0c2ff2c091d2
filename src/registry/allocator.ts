/**
 * Cluster-wide allocation of service ClusterIPs and NodePorts. Each allocated value is one storage key
 * created only if absent (like upstream's IPAddress objects), so several API servers on one etcd never
 * hand out the same value; deleting the key releases it.
 */
import { StorageError, type Storage } from '../storage/interface.js';

export class Allocator {
  constructor(
    private readonly storage: Storage,
    private readonly prefix: string,
    private readonly size: number,
    private readonly valueAt: (offset: number) => string,
    private readonly offsetOf: (value: string) => number | undefined,
  ) {}

  private key(value: string): string {
    return `${this.prefix}${value}`;
  }

  /** Takes a specific value; false when it is already taken. */
  async allocate(value: string, owner: string): Promise<boolean> {
    try {
      await this.storage.create(this.key(value), JSON.stringify({ owner }));
      return true;
    } catch (err) {
      if (err instanceof StorageError && err.code === 'KeyExists') return false;
      throw err;
    }
  }

  /** Takes any free value: random probes first, then a scan. */
  async allocateNext(owner: string, reserved: (offset: number) => boolean = () => false): Promise<string | undefined> {
    for (let i = 0; i < 32; i++) {
      const off = Math.floor(Math.random() * this.size);
      if (reserved(off)) continue;
      const v = this.valueAt(off);
      if (await this.allocate(v, owner)) return v;
    }
    const taken = new Set((await this.storage.list(this.prefix)).items.map((kv) => kv.key.slice(this.prefix.length)));
    for (let off = 0; off < this.size; off++) {
      if (reserved(off)) continue;
      const v = this.valueAt(off);
      if (!taken.has(v) && (await this.allocate(v, owner))) return v;
    }
    return undefined;
  }

  async release(value: string): Promise<void> {
    try {
      await this.storage.delete(this.key(value));
    } catch (err) {
      if (!(err instanceof StorageError && err.code === 'KeyNotFound')) throw err;
    }
  }

  contains(value: string): boolean {
    const off = this.offsetOf(value);
    return off !== undefined && off >= 0 && off < this.size;
  }
}

function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    n = n * 256 + Number(p);
  }
  return n;
}

function intToIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export interface Cidr {
  base: number;
  bits: number;
}

export function parseCidr(cidr: string): Cidr {
  const [ip, bits] = cidr.split('/');
  const base = ipv4ToInt(ip ?? '');
  const b = Number(bits);
  if (base === undefined || !Number.isInteger(b) || b < 8 || b > 30) throw new Error(`invalid service CIDR ${cidr}`);
  const mask = 2 ** (32 - b);
  return { base: base - (base % mask), bits: b };
}

/** Service IPs: every address of the CIDR but the network and broadcast addresses. */
export function serviceIPAllocator(storage: Storage, cidr: string): Allocator {
  const c = parseCidr(cidr);
  const size = 2 ** (32 - c.bits) - 2;
  return new Allocator(
    storage,
    '/registry/skiff/serviceips/',
    size,
    (off) => intToIpv4(c.base + 1 + off),
    (v) => {
      const n = ipv4ToInt(v);
      return n === undefined ? undefined : n - c.base - 1;
    },
  );
}

export function nodePortAllocator(storage: Storage, first = 30000, last = 32767): Allocator {
  return new Allocator(
    storage,
    '/registry/skiff/nodeports/',
    last - first + 1,
    (off) => String(first + off),
    (v) => (/^\d+$/.test(v) ? Number(v) - first : undefined),
  );
}
