/**
 * What the kubelet reports about the machine it runs on (upstream's nodestatus setters):
 * capacity and allocatable (cpu, memory, ephemeral-storage of the data dir's filesystem, pods 110,
 * hugepages-2Mi 0), addresses, nodeInfo (machine-id, boot id, kernel, OS image...) and the
 * pressure conditions' inputs (available memory and disk).
 *
 * Inputs: the data dir and a few overrides; the host (os module, /etc, /proc, /sys).
 * Outputs: plain values for node-object.ts to put into the Node.
 */
import { readFile, statfs } from 'node:fs/promises';
import os from 'node:os';

/** Upstream's default --eviction-hard memory.available (100Mi) is subtracted from allocatable memory. */
export const EVICTION_HARD_MEMORY_BYTES = 100 * 1024 * 1024;
/** Upstream's default --eviction-hard nodefs.available: 10% of the filesystem. */
export const EVICTION_HARD_NODEFS_FRACTION = 0.1;
export const MAX_PODS = 110;

export interface HostResources {
  cpuCores: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
}

/** A byte count as a canonical binary quantity: `16342180Ki`, or plain bytes when not a whole KiB. */
export function formatByteQuantity(bytes: number): string {
  const n = Math.max(0, Math.floor(bytes));
  return n % 1024 === 0 && n > 0 ? `${n / 1024}Ki` : String(n);
}

export async function filesystemBytes(path: string): Promise<{ capacity: number; available: number }> {
  const s = await statfs(path);
  return { capacity: s.blocks * s.bsize, available: s.bavail * s.bsize };
}

export async function hostResources(dataDir: string): Promise<HostResources> {
  const fs = await filesystemBytes(dataDir);
  return { cpuCores: os.availableParallelism(), memoryBytes: os.totalmem(), ephemeralStorageBytes: fs.capacity };
}

export function capacityOf(r: HostResources): Record<string, string> {
  return {
    cpu: String(r.cpuCores),
    'ephemeral-storage': formatByteQuantity(Math.floor(r.ephemeralStorageBytes / 1024) * 1024),
    'hugepages-2Mi': '0',
    memory: formatByteQuantity(Math.floor(r.memoryBytes / 1024) * 1024),
    pods: String(MAX_PODS),
  };
}

/** Capacity minus the eviction thresholds (no kube/system reservations by default, as upstream). */
export function allocatableOf(r: HostResources): Record<string, string> {
  const memory = Math.max(0, Math.floor(r.memoryBytes / 1024) * 1024 - EVICTION_HARD_MEMORY_BYTES);
  const storage = Math.max(0, Math.floor(r.ephemeralStorageBytes / 1024) * 1024 * (1 - EVICTION_HARD_NODEFS_FRACTION));
  return { ...capacityOf(r), 'ephemeral-storage': formatByteQuantity(storage), memory: formatByteQuantity(memory) };
}

/** The first non-internal IPv4 address of the machine, else 127.0.0.1. */
export function primaryIPv4(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

async function readTrimmed(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** PRETTY_NAME from /etc/os-release (`Debian GNU/Linux 12 (bookworm)`). */
export async function osImage(): Promise<string> {
  const text = (await readTrimmed('/etc/os-release')) ?? (await readTrimmed('/usr/lib/os-release')) ?? '';
  const m = /^PRETTY_NAME=(.*)$/m.exec(text);
  return m ? m[1]!.replace(/^["']|["']$/g, '') : `${os.type()} ${os.release()}`;
}

export function goArch(arch: string = process.arch): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
}

export async function nodeInfo(versions: { kubeletVersion: string; containerRuntimeVersion: string }): Promise<Record<string, string>> {
  const machineID = (await readTrimmed('/etc/machine-id')) ?? (await readTrimmed('/var/lib/dbus/machine-id')) ?? '';
  const systemUUID = (await readTrimmed('/sys/class/dmi/id/product_uuid')) ?? machineID;
  return {
    machineID,
    systemUUID,
    bootID: (await readTrimmed('/proc/sys/kernel/random/boot_id')) ?? '',
    kernelVersion: os.release(),
    osImage: await osImage(),
    containerRuntimeVersion: versions.containerRuntimeVersion,
    kubeletVersion: versions.kubeletVersion,
    kubeProxyVersion: versions.kubeletVersion,
    operatingSystem: process.platform === 'win32' ? 'windows' : process.platform,
    architecture: goArch(),
  };
}

/** MemAvailable from /proc/meminfo in bytes (undefined where there is none). */
export async function availableMemoryBytes(): Promise<number | undefined> {
  const text = await readTrimmed('/proc/meminfo');
  const m = text ? /^MemAvailable:\s+(\d+)\s*kB/m.exec(text) : null;
  return m ? Number(m[1]) * 1024 : undefined;
}
