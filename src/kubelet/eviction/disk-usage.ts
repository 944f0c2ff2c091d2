/**
 * Disk usage as the kubelet measures it for volumes and log files (upstream pkg/volume/util/fs
 * DiskUsage): walk the tree with lstat, never follow symlinks, stay on the starting filesystem (a
 * mount point below is not counted, like `du -x`), count each inode once, and sum the blocks actually
 * allocated (st_blocks x 512), so sparse files count what they use and empty dirs their own block.
 *
 * Every step is an awaited fs call and directories are read in small batches, so a large tree never
 * blocks the event loop for long.
 */
import { promises as fs, type BigIntStats } from 'node:fs';
import path from 'node:path';

const BLOCK_BYTES = 512n;
/** Entries of one directory examined concurrently. */
const BATCH = 16;

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function lstatOrUndefined(p: string): Promise<BigIntStats | undefined> {
  try {
    return await fs.lstat(p, { bigint: true });
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

interface Walk {
  device: bigint;
  seen: Set<string>;
}

/** Bytes of one inode, or 0 when it is on another device or a hard link already counted. */
function inodeBytes(st: BigIntStats, walk: Walk): bigint {
  if (st.dev !== walk.device) return 0n;
  if (st.nlink > 1n && !st.isDirectory()) {
    const key = `${st.dev}:${st.ino}`;
    if (walk.seen.has(key)) return 0n;
    walk.seen.add(key);
  }
  return st.blocks * BLOCK_BYTES;
}

async function walkDir(dir: string, walk: Walk): Promise<bigint> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (err) {
    if (isMissing(err)) return 0n;
    throw err;
  }
  let total = 0n;
  for (let i = 0; i < names.length; i += BATCH) {
    const sizes = await Promise.all(names.slice(i, i + BATCH).map((name) => entryUsage(path.join(dir, name), walk)));
    for (const s of sizes) total += s;
  }
  return total;
}

async function entryUsage(p: string, walk: Walk): Promise<bigint> {
  const st = await lstatOrUndefined(p); // removed while we walked: counts nothing
  if (!st) return 0n;
  const own = inodeBytes(st, walk);
  // A directory on another filesystem (a mount point) is skipped whole, as `du -x`.
  if (st.isDirectory() && st.dev === walk.device) return own + (await walkDir(p, walk));
  return own;
}

/**
 * Bytes used on disk by `target` and everything below it (a file counts itself). Throws ENOENT when
 * `target` does not exist.
 */
export async function measureDirUsage(target: string): Promise<number> {
  const st = await fs.lstat(target, { bigint: true });
  const walk: Walk = { device: st.dev, seen: new Set() };
  const own = inodeBytes(st, walk);
  const below = st.isDirectory() ? await walkDir(target, walk) : 0n;
  return Number(own + below);
}

/** Like measureDirUsage, but 0 when `target` does not exist. */
export async function measureUsageOrZero(target: string): Promise<number> {
  try {
    return await measureDirUsage(target);
  } catch (err) {
    if (isMissing(err)) return 0;
    throw err;
  }
}

/**
 * Bytes used by the non-directory entries directly in `dir` (not recursive), as upstream's host
 * stats provider measures log files (fileMetricsByDir). 0 when `dir` does not exist.
 */
export async function measureFilesIn(dir: string): Promise<number> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (isMissing(err)) return 0;
    throw err;
  }
  let total = 0;
  for (const e of entries) {
    if (e.isDirectory()) continue;
    total += await measureUsageOrZero(path.join(dir, e.name));
  }
  return total;
}
