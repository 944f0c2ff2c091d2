/**
 * Atomic payload updates for configMap, secret, downwardAPI and projected volumes (upstream's
 * pkg/volume/util/atomic_writer.go layout).
 *
 * Input: a target directory and a payload (relative path -> bytes + mode). Output: the directory holds
 *   ..2026_11_28_01_02_03.123456789/   the payload's files (a new timestamped dir per change)
 *   ..data -> ..2026_11_28_01_02_03.123456789   swapped with one rename, so readers never see half an update
 *   key -> ..data/key                   one symlink per top-level entry of the payload
 * A reader holding `key` open, or resolving it later, sees either the old or the new content. A bind
 * mount of a resolved file (subPath) keeps the old file, as upstream.
 */
import { randomInt } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface PayloadFile {
  data: Buffer;
  /** Permission bits (e.g. 0o644). */
  mode: number;
}

export type Payload = Map<string, PayloadFile>;

const DATA_DIR = '..data';
const DATA_DIR_TMP = '..data_tmp';

/** Upstream's validatePath: relative, no `..` element, not starting with `..`, at most 4096 chars. */
export function payloadPathError(p: string): string | undefined {
  if (p.length > 4096) return `invalid path: must be less than or equal to 4096 characters`;
  if (path.isAbsolute(p)) return `invalid path: must be relative path: ${p}`;
  if (p.split('/').includes('..')) return `invalid path: must not contain '..': ${p}`;
  if (p.startsWith('..')) return `invalid path: must not start with '..': ${p}`;
  if (p === '') return 'invalid path: must not be empty';
  return undefined;
}

function timestampDirName(now: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}`;
  return `..${stamp}.${String(randomInt(0, 1_000_000_000)).padStart(9, '0')}`;
}

/** The timestamped dir `..data` points at, or undefined before the first write. */
export async function currentDataDir(targetDir: string): Promise<string | undefined> {
  try {
    const link = await fs.readlink(path.join(targetDir, DATA_DIR));
    return path.join(targetDir, link);
  } catch {
    return undefined;
  }
}

async function payloadMatches(dataDir: string, payload: Payload, modeOnDisk: (mode: number) => number): Promise<boolean> {
  const existing = await listFiles(dataDir, '');
  if (existing.length !== payload.size) return false;
  for (const rel of existing) {
    const want = payload.get(rel);
    if (!want) return false;
    const full = path.join(dataDir, rel);
    const [data, st] = await Promise.all([fs.readFile(full), fs.lstat(full)]);
    if (!data.equals(want.data)) return false;
    if ((st.mode & 0o777) !== (modeOnDisk(want.mode) & 0o777)) return false;
  }
  return true;
}

/** Regular files below dir, as paths relative to it. */
async function listFiles(dir: string, rel: string): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, child)));
    else out.push(child);
  }
  return out;
}

function topLevelNames(payload: Payload): Set<string> {
  return new Set([...payload.keys()].map((p) => p.split('/')[0]));
}

/**
 * Writes `payload` into `targetDir` atomically. Returns false (and touches nothing) when the current
 * content already equals the payload. `setPerms` runs on the new timestamped dir before it is published
 * (fsGroup ownership); `modeOnDisk` says what it turns a payload mode into, so an unchanged payload
 * compares equal afterwards.
 */
export async function writePayloadAtomically(
  targetDir: string,
  payload: Payload,
  setPerms?: (dir: string) => Promise<void>,
  modeOnDisk: (mode: number) => number = (m) => m,
): Promise<boolean> {
  for (const p of payload.keys()) {
    const err = payloadPathError(p);
    if (err) throw new Error(err);
  }
  await fs.mkdir(targetDir, { recursive: true });
  const oldDataDir = await currentDataDir(targetDir);
  const oldNames = new Set<string>();
  if (oldDataDir) {
    for (const e of await fs.readdir(oldDataDir).catch(() => [] as string[])) oldNames.add(e);
  }
  if (oldDataDir && (await payloadMatches(oldDataDir, payload, modeOnDisk))) {
    await ensureVisibleLinks(targetDir, payload);
    return false;
  }

  const tsName = await makeTimestampDir(targetDir);
  const tsDir = path.join(targetDir, tsName);
  for (const [rel, file] of payload) {
    const full = path.join(tsDir, rel);
    await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
    await fs.writeFile(full, file.data, { mode: file.mode & 0o777 });
    await fs.chmod(full, file.mode & 0o777);
  }
  if (setPerms) await setPerms(tsDir);

  const tmpLink = path.join(targetDir, DATA_DIR_TMP);
  await fs.rm(tmpLink, { force: true });
  await fs.symlink(tsName, tmpLink);
  await fs.rename(tmpLink, path.join(targetDir, DATA_DIR));

  await ensureVisibleLinks(targetDir, payload);
  const newNames = topLevelNames(payload);
  for (const name of oldNames) {
    if (!newNames.has(name)) await fs.rm(path.join(targetDir, name), { force: true, recursive: true });
  }
  if (oldDataDir && path.basename(oldDataDir) !== tsName) await fs.rm(oldDataDir, { recursive: true, force: true });
  return true;
}

async function makeTimestampDir(targetDir: string): Promise<string> {
  for (;;) {
    const name = timestampDirName(new Date());
    try {
      await fs.mkdir(path.join(targetDir, name), { mode: 0o755 });
      await fs.chmod(path.join(targetDir, name), 0o755);
      return name;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}

/** One `name -> ..data/name` symlink per top-level payload entry (created once; `..data` moves under them). */
async function ensureVisibleLinks(targetDir: string, payload: Payload): Promise<void> {
  for (const name of topLevelNames(payload)) {
    const link = path.join(targetDir, name);
    const want = `${DATA_DIR}/${name}`;
    const have = await fs.readlink(link).catch(() => undefined);
    if (have === want) continue;
    await fs.rm(link, { force: true, recursive: true });
    await fs.symlink(want, link);
  }
}
