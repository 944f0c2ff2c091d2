/**
 * The pure rules of container log rotation, as upstream's kubelet applies them
 * (pkg/kubelet/logs/container_log_manager.go): names of rotated files, which leftovers are unused,
 * and which rotated files must go so that at most `maxFiles` files remain.
 *
 * A container log `<dir>/<name>/<attempt>.log` rotates into `<log>.<YYYYMMDD-hhmmss>` (local time,
 * Go layout `20060102-150405`), which is later gzipped to `<log>.<timestamp>.gz`. Compression goes
 * through `<file>.tmp`; a `.tmp` left by a crash, or an uncompressed file whose `.gz` already
 * exists, is unused and removed on the next rotation.
 */

/** Go layout of the rotated-file suffix. */
export const ROTATION_TIMESTAMP_LAYOUT = '20060102-150405';
export const COMPRESS_SUFFIX = '.gz';
export const TMP_SUFFIX = '.tmp';

export interface LogRotatePolicy {
  /** Rotate once the current file has at least this many bytes; negative disables rotation. */
  maxSize: number;
  /** Most files kept per container log, the current one included; must be > 1. */
  maxFiles: number;
}

/** Kubelet config defaults: containerLogMaxSize 10Mi, containerLogMaxFiles 5. */
export const DEFAULT_LOG_ROTATE_POLICY: Readonly<LogRotatePolicy> = { maxSize: 10 * 1024 * 1024, maxFiles: 5 };

/** Throws when the policy is one upstream refuses (maxFiles <= 1, sizes that are not integers). */
export function validateLogRotatePolicy(policy: LogRotatePolicy): void {
  if (!Number.isInteger(policy.maxFiles) || policy.maxFiles <= 1) throw new Error(`invalid MaxFiles ${policy.maxFiles}, must be > 1`);
  if (!Number.isSafeInteger(policy.maxSize)) throw new Error(`invalid max log size ${policy.maxSize}`);
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `time` formatted as Go's `20060102-150405` in local time (Go's time.Now() is local). */
export function rotationTimestamp(time: Date): string {
  return (
    `${pad(time.getFullYear(), 4)}${pad(time.getMonth() + 1)}${pad(time.getDate())}-` +
    `${pad(time.getHours())}${pad(time.getMinutes())}${pad(time.getSeconds())}`
  );
}

/** The name the current log is renamed to when it rotates at `time`. */
export function rotatedLogName(log: string, time: Date): string {
  return `${log}.${rotationTimestamp(time)}`;
}

/**
 * Whether one of `files` (all `<log>.*` siblings) is still in use: temporaries never are,
 * compressed files always are, an uncompressed file is unless its `.gz` exists.
 */
export function isLogInUse(file: string, files: readonly string[]): boolean {
  if (file.endsWith(TMP_SUFFIX)) return false;
  if (file.endsWith(COMPRESS_SUFFIX)) return true;
  return !files.includes(file + COMPRESS_SUFFIX);
}

/** Splits the `<log>.*` siblings into those in use and leftovers to delete. */
export function partitionRotatedLogs(files: readonly string[]): { inUse: string[]; unused: string[] } {
  const inUse: string[] = [];
  const unused: string[] = [];
  for (const f of files) (isLogInUse(f, files) ? inUse : unused).push(f);
  return { inUse, unused };
}

/**
 * Given the rotated files in use, which to remove (oldest first) and which to keep, so that after
 * the current log rotates and the runtime opens a fresh one, at most maxFiles files exist: the new
 * current file and the just-rotated one are two of them, leaving room for maxFiles-2 older ones.
 * Sorting by name is oldest-first because the timestamp suffix has fixed width.
 */
export function selectExcessLogs(inUse: readonly string[], maxFiles: number): { remove: string[]; keep: string[] } {
  const sorted = [...inUse].sort();
  const keepCount = Math.max(0, maxFiles - 2);
  const cut = Math.max(0, sorted.length - keepCount);
  return { remove: sorted.slice(0, cut), keep: sorted.slice(cut) };
}
