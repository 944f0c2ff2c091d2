/**
 * Host mount table helpers for the volume manager: which mount points lie under a directory
 * (/proc/self/mountinfo), tmpfs mounts for memory-backed emptyDirs, and unmounting at tearDown.
 * Uses the mount(8)/umount(8) binaries, as upstream's mount-utils does on Linux, run by one helper
 * shell (mount-helper.ts) rather than a child process of the kubelet per mount.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { mountHelper } from './mount-helper.js';

/** mountinfo escapes space, tab, newline and backslash as octal (\040...). */
function unescapeMountPath(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

/** Every mount point of this mount namespace, in mount order. */
export async function listMountPoints(): Promise<Array<{ mountPoint: string; fsType: string; options: string }>> {
  const text = await fs.readFile('/proc/self/mountinfo', 'utf8').catch(() => '');
  const out: Array<{ mountPoint: string; fsType: string; options: string }> = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    const [left, right] = line.split(' - ');
    const fields = left.split(' ');
    const rightFields = (right ?? '').split(' ');
    out.push({ mountPoint: unescapeMountPath(fields[4] ?? ''), fsType: rightFields[0] ?? '', options: rightFields[2] ?? '' });
  }
  return out;
}

export async function isMountPoint(dir: string): Promise<boolean> {
  const abs = path.resolve(dir);
  return (await listMountPoints()).some((m) => m.mountPoint === abs);
}

/** Mount points at or below dir, deepest first (the order to unmount them in). */
export async function mountPointsUnder(dir: string): Promise<string[]> {
  const abs = path.resolve(dir);
  const found = (await listMountPoints()).map((m) => m.mountPoint).filter((m) => m === abs || m.startsWith(`${abs}/`));
  return [...new Set(found)].sort((a, b) => b.length - a.length);
}

export async function mountTmpfs(dir: string, sizeBytes: number): Promise<void> {
  await mountHelper.run(['mount', '-t', 'tmpfs', '-o', `size=${Math.max(1, Math.floor(sizeBytes))}`, 'tmpfs', dir]);
}

export async function unmount(dir: string): Promise<void> {
  await mountHelper.run(['umount', dir]);
}
