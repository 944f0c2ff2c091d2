/**
 * One rotation of one container log file on disk, in upstream's order
 * (pkg/kubelet/logs/container_log_manager.go rotateLog):
 *   1. remove leftovers of failed rotations (`.tmp`, uncompressed files already gzipped),
 *   2. remove the oldest rotated files so that at most maxFiles-2 remain,
 *   3. gzip every remaining uncompressed rotated file (`<log>.<ts>` -> `<log>.<ts>.gz`, through
 *      `<log>.<ts>.tmp`, with zlib streams so a big file never blocks the event loop),
 *   4. rename the current log to `<log>.<ts>` and ask the runtime to reopen it (containerd creates
 *      a fresh file at the same path); if the reopen fails, rename it back so the next round retries.
 *
 * Input: the absolute log path, the policy, a `reopen()` callback (CRI ReopenContainerLog) and the
 * time. Output: a RotationResult saying what happened; errors from the filesystem or reopen throw.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { access, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import {
  COMPRESS_SUFFIX, TMP_SUFFIX, partitionRotatedLogs, rotatedLogName, selectExcessLogs, type LogRotatePolicy,
} from './rotation-policy.js';

export type RotationResult =
  | { rotated: true; rotatedTo: string; removed: string[]; compressed: string[] }
  /** `name-taken`: a file rotated in the same second already holds the name; the next round rotates. */
  | { rotated: false; reason: 'name-taken'; removed: string[]; compressed: string[] };

/** Every `<log>.*` sibling of the log file (absolute paths, unsorted). */
export async function listRotatedSiblings(log: string): Promise<string[]> {
  const dir = dirname(log);
  const prefix = `${basename(log)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.filter((n) => n.startsWith(prefix)).map((n) => join(dir, n));
}

/**
 * All files of a container log still in use, oldest first, the current log last (upstream's
 * GetAllLogs): what a reader wanting the whole history would read.
 */
export async function allContainerLogs(log: string): Promise<string[]> {
  const { inUse } = partitionRotatedLogs(await listRotatedSiblings(log));
  return [...inUse.sort(), log];
}

async function removeIfPresent(file: string): Promise<void> {
  await rm(file, { force: true });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** Gzips `file` to `file.gz` via `file.tmp`, then removes `file`. The file mode is kept. */
export async function compressLogFile(file: string): Promise<string> {
  const { mode } = await stat(file);
  const tmp = file + TMP_SUFFIX;
  const compressed = file + COMPRESS_SUFFIX;
  try {
    await pipeline(createReadStream(file), createGzip(), createWriteStream(tmp, { mode: mode & 0o7777, flags: 'w' }));
    await rename(tmp, compressed);
  } finally {
    await removeIfPresent(tmp);
  }
  await rm(file);
  return compressed;
}

/** Rotates `log` as described in the file comment. */
export async function rotateLogFile(log: string, policy: LogRotatePolicy, reopen: () => Promise<void>, now: Date = new Date()): Promise<RotationResult> {
  const { inUse, unused } = partitionRotatedLogs(await listRotatedSiblings(log));
  for (const f of unused) await removeIfPresent(f);
  const { remove, keep } = selectExcessLogs(inUse, policy.maxFiles);
  // Oldest first, so a `kubectl logs` reading newer files is not broken.
  for (const f of remove) await removeIfPresent(f);
  const removed = [...unused, ...remove];

  const compressed: string[] = [];
  for (const f of keep) {
    if (f.endsWith(COMPRESS_SUFFIX)) continue;
    compressed.push(await compressLogFile(f));
  }

  const rotated = rotatedLogName(log, now);
  // Upstream would overwrite a same-second rotation's file on its next compression; wait instead.
  if ((await exists(rotated)) || (await exists(rotated + COMPRESS_SUFFIX))) return { rotated: false, reason: 'name-taken', removed, compressed };
  await rename(log, rotated);
  try {
    await reopen();
  } catch (err) {
    // Back in place so the next round can try again (the runtime still writes to this inode).
    try {
      await rename(rotated, log);
    } catch (renameErr) {
      throw new AggregateError([err, renameErr], `reopen of ${log} failed and the rotated file ${rotated} could not be renamed back`);
    }
    throw err;
  }
  return { rotated: true, rotatedTo: rotated, removed, compressed };
}
