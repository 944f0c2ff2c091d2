/**
 * Removing what a container or a pod leaves on the node, as upstream's container GC does: a removed
 * container takes its log files (rotated ones too) with it, and a pod that is gone takes its log
 * directory `<logRoot>/<namespace>_<name>_<uid>`.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { KubeletParts } from './pod-context.js';

/** Removes the container's logs, then the container. Errors (already gone) are ignored. */
export async function removeContainer(parts: KubeletParts, id: string): Promise<void> {
  await parts.logs?.clean(id).catch(() => {});
  await parts.cri.removeContainer(id).catch(() => {});
}

/** Removes the log directories of the pod with this uid (one per name it had). */
export async function removePodLogDirs(logRoot: string, uid: string): Promise<void> {
  if (!uid) return;
  const names = await readdir(logRoot).catch(() => [] as string[]);
  for (const name of names) if (name.endsWith(`_${uid}`)) await rm(join(logRoot, name), { recursive: true, force: true });
}
