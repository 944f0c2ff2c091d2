/**
 * containerd as Skiff's child process (as k3s runs it): writes the config and the CNI conflist,
 * starts `containerd --config <dir>/config.toml` detached in its own session (so a SIGKILL of
 * Skiff leaves it and the runc shims running), waits until CRI reports RuntimeReady and
 * NetworkReady, and imports the locally built pause image when it is missing.
 *
 * A containerd left running by an earlier Skiff on the same dir (pid file + answering socket) is
 * reused, never duplicated, so running pods survive a Skiff restart.
 *
 * Input: { dir, podCidr, log }. Output: a ContainerdHandle with a connected CriClient.
 */
import { execFile, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CriClient } from '../cri/client.js';
import type { RuntimeCondition } from '../cri/types.js';
import { buildPauseImage } from '../images/test-images.js';
import { importImage } from '../images/import.js';
import { PAUSE_IMAGE, canLowerOomScoreAdj, containerdPaths, writeCniConfig, writeContainerdConfig, type ContainerdPaths } from './config.js';
import { checkContainerdPrerequisites, findBinary } from './prerequisites.js';

export type ContainerdLogger = (msg: string, fields?: Record<string, unknown>) => void;

export interface StartContainerdOptions {
  /** Instance dir: config.toml, root/, state/, containerd.sock, cni/, containerd.log, containerd.pid. */
  dir: string;
  /** The node's pod CIDR for the CNI bridge's host-local IPAM, e.g. 10.42.0.0/24. */
  podCidr: string;
  log?: ContainerdLogger;
  /** Pod bridge name (default skiff0); tests running beside a cluster use their own. */
  bridgeName?: string;
  /** How long to wait for the socket and readiness (default 60 s). */
  startTimeoutMs?: number;
}

export interface ContainerdHandle {
  socket: string;
  client: CriClient;
  /** containerd's version as CRI reports it, e.g. "1.6.20~ds1". */
  version: string;
  pid: number;
  paths: ContainerdPaths;
  /** True when a containerd left by an earlier run was reused instead of spawned. */
  reused: boolean;
  /** Milliseconds from the call to ready. */
  startMs: number;
  /** Stops containerd: SIGTERM, SIGKILL after 10 s. Containers (runc shims) keep running. */
  stop(): Promise<void>;
  /** Lets go of containerd without stopping it (what a SIGKILL of Skiff amounts to). */
  detach(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Whether pid is a live process; a zombie (exited, not yet reaped by its parent) counts as dead. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function runsOurConfig(pid: number, paths: ContainerdPaths): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return cmdline.some((a) => a.endsWith('containerd')) && cmdline.includes(paths.config);
  } catch {
    return false;
  }
}

/**
 * The running containerd of this instance dir: the pid file's process if it runs our config,
 * else (pid file lost) any process whose command line is `containerd --config <our config>`.
 */
function ownContainerdPid(paths: ContainerdPaths): number | null {
  try {
    const pid = Number.parseInt(readFileSync(paths.pidFile, 'utf8').trim(), 10);
    if (Number.isInteger(pid) && pid > 1 && isAlive(pid) && runsOurConfig(pid, paths)) return pid;
  } catch {
    // no pid file
  }
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid > 1 && pid !== process.pid && runsOurConfig(pid, paths)) return pid;
  }
  return null;
}

async function terminate(pid: number, log: ContainerdLogger): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000 && isAlive(pid); waited += 100) await sleep(100);
  if (isAlive(pid)) {
    log('containerd did not exit within 10s of SIGTERM; sending SIGKILL', { pid });
    process.kill(pid, 'SIGKILL');
    for (let waited = 0; waited < 5_000 && isAlive(pid); waited += 50) await sleep(50);
  }
}

function runQuiet(cmd: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 10_000 }, (err, _out, stderr) => resolve(err ? (stderr || err.message).trim() : null));
  });
}

/** IP forwarding and bridge netfilter for pod traffic; failures are logged, never fatal. */
async function prepareHostNetworking(log: ContainerdLogger): Promise<void> {
  try {
    writeFileSync('/proc/sys/net/ipv4/ip_forward', '1');
  } catch (err) {
    log('could not enable net.ipv4.ip_forward', { error: String(err) });
  }
  const modprobe = findBinary('modprobe');
  const failure = modprobe ? await runQuiet(modprobe, ['br_netfilter']) : 'modprobe not found';
  if (failure) log('modprobe br_netfilter failed (hairpin Service traffic may not work)', { error: failure });
  try {
    writeFileSync('/proc/sys/net/bridge/bridge-nf-call-iptables', '1');
  } catch {
    // br_netfilter absent: nothing to set.
  }
}

function readTextIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function logTail(paths: ContainerdPaths, lines = 15): string {
  try {
    return readFileSync(paths.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function condition(conds: RuntimeCondition[], type: string): RuntimeCondition | undefined {
  return conds.find((c) => c.type === type);
}

/** Connects to the socket and waits for RuntimeReady and NetworkReady. */
async function waitReady(paths: ContainerdPaths, deadline: number, exited: () => string | null): Promise<CriClient> {
  let client: CriClient | null = null;
  let last = 'socket not there yet';
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit) throw new Error(`containerd exited during start (${exit}); last log lines:\n${logTail(paths)}`);
    if (!client && existsSync(paths.socket)) {
      client = await CriClient.connect(paths.socket, { timeoutMs: 1000 }).catch((err: unknown) => {
        last = String(err);
        return null;
      });
    }
    if (client) {
      try {
        const conds = (await client.status()).status?.conditions ?? [];
        const runtime = condition(conds, 'RuntimeReady');
        const network = condition(conds, 'NetworkReady');
        if (runtime?.status && network?.status) return client;
        last = `RuntimeReady=${runtime?.status ?? '?'} NetworkReady=${network?.status ?? '?'} ${network?.message ?? ''}`;
      } catch (err) {
        last = String(err);
      }
    }
    await sleep(100);
  }
  client?.close();
  throw new Error(`containerd not ready in time: ${last}; last log lines:\n${logTail(paths)}`);
}

async function ensurePauseImage(client: CriClient, paths: ContainerdPaths, log: ContainerdLogger): Promise<void> {
  if (await client.imageStatus(PAUSE_IMAGE)) return;
  const tar = join(paths.dir, 'pause-image.tar');
  await buildPauseImage(tar);
  const names = await importImage(paths.socket, tar);
  rmSync(tar, { force: true });
  log('imported pause image', { names });
  if (!(await client.imageStatus(PAUSE_IMAGE))) throw new Error(`pause image ${PAUSE_IMAGE} still missing after import`);
}

export async function startContainerd(opts: StartContainerdOptions): Promise<ContainerdHandle> {
  const started = Date.now();
  const log: ContainerdLogger = opts.log ?? (() => {});
  const prereq = checkContainerdPrerequisites();
  if (!prereq.ok) throw new Error(`cannot run containerd: missing ${prereq.missing.join(', ')}; ${prereq.hint}`);
  const containerdBin = findBinary('containerd') ?? 'containerd';

  const restrictOomScoreAdj = !canLowerOomScoreAdj();
  if (restrictOomScoreAdj) log('this host refuses negative oom_score_adj; containerd will clamp it (restrict_oom_score_adj)');
  const previousConfig = readTextIfExists(containerdPaths(opts.dir).config);
  const paths = writeContainerdConfig(opts.dir, { restrictOomScoreAdj });
  const configChanged = previousConfig !== null && previousConfig !== readFileSync(paths.config, 'utf8');
  writeCniConfig(opts.dir, opts.podCidr, opts.bridgeName ? { bridgeName: opts.bridgeName } : {});
  await prepareHostNetworking(log);
  const deadline = started + (opts.startTimeoutMs ?? 60_000);

  let pid = ownContainerdPid(paths);
  let reused = false;
  let client: CriClient | null = null;
  if (pid !== null && configChanged) {
    log('containerd config changed since it was started; restarting it (containers keep running)', { pid });
    await terminate(pid, log);
    pid = null;
  }
  if (pid !== null) {
    const livePid = pid;
    client = await waitReady(paths, Math.min(deadline, Date.now() + 5000), () => (isAlive(livePid) ? null : 'gone')).catch(
      () => null,
    );
    if (client) {
      reused = true;
      writeFileSync(paths.pidFile, `${pid}\n`);
      log('reusing running containerd', { pid });
    } else {
      log('containerd from an earlier run does not answer; restarting it', { pid });
      await terminate(pid, log);
      pid = null;
    }
  }
  if (!client) {
    rmSync(paths.socket, { force: true });
    const logFd = openSync(paths.log, 'a');
    const child = spawn(containerdBin, ['--config', paths.config], { detached: true, stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    let exit: string | null = null;
    child.on('exit', (code, signal) => {
      exit = signal ? `signal ${signal}` : `exit code ${code}`;
    });
    child.on('error', (err) => {
      exit = err.message;
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not spawn ${containerdBin}`);
    pid = child.pid;
    writeFileSync(paths.pidFile, `${pid}\n`);
    log('started containerd', { pid, config: paths.config });
    try {
      client = await waitReady(paths, deadline, () => exit);
    } catch (err) {
      await terminate(pid, log);
      rmSync(paths.pidFile, { force: true });
      throw err;
    }
  }
  const livePid = pid as number;
  const readyClient = client;
  await ensurePauseImage(readyClient, paths, log);
  const version = (await readyClient.version()).runtime_version;
  const startMs = Date.now() - started;
  log('containerd ready', { pid: livePid, version, reused, startMs });

  let released = false;
  return {
    socket: paths.socket,
    client: readyClient,
    version,
    pid: livePid,
    paths,
    reused,
    startMs,
    detach() {
      if (released) return;
      released = true;
      readyClient.close();
    },
    async stop() {
      if (!released) readyClient.close();
      released = true;
      if (ownContainerdPid(paths) === livePid) {
        await terminate(livePid, log);
        rmSync(paths.pidFile, { force: true });
      }
    },
  };
}
