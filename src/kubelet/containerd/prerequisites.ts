/**
 * Can this machine run real containers through containerd? Checks Linux, root, the containerd and
 * runc binaries and the CNI plugins Skiff's network config uses. Output: ok, what is missing, and
 * the apt-get line that installs it (Debian/Ubuntu package names).
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { CNI_BIN_DIR } from './config.js';

export const CONTAINERD_INSTALL_HINT = 'apt-get install -y containerd runc containernetworking-plugins catatonit iptables';
const REQUIRED_CNI_PLUGINS = ['bridge', 'host-local', 'portmap', 'loopback'];
const EXTRA_BIN_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/sbin', '/bin'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Absolute path of an executable on PATH or in the usual system dirs, or null. */
export function findBinary(name: string): string | null {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...EXTRA_BIN_DIRS];
  for (const d of dirs) {
    const p = join(d, name);
    if (isExecutable(p)) return p;
  }
  return null;
}

export interface ContainerdPrerequisites {
  ok: boolean;
  /** Human-readable items, e.g. "root (running as uid 1000)", "runc binary", "CNI plugin portmap in /usr/lib/cni". */
  missing: string[];
  /** The exact apt-get line that installs the packages (root must be arranged by the user). */
  hint: string;
}

export function checkContainerdPrerequisites(): ContainerdPrerequisites {
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push(`Linux (this is ${process.platform})`);
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1;
  if (uid !== 0) missing.push(`root (running as uid ${uid})`);
  for (const bin of ['containerd', 'runc', 'ctr']) if (!findBinary(bin)) missing.push(`${bin} binary`);
  for (const plugin of REQUIRED_CNI_PLUGINS) {
    if (!isExecutable(join(CNI_BIN_DIR, plugin))) missing.push(`CNI plugin ${plugin} in ${CNI_BIN_DIR}`);
  }
  return { ok: missing.length === 0, missing, hint: CONTAINERD_INSTALL_HINT };
}
