/**
 * ContainerLogManager: the kubelet's container log rotation (upstream pkg/kubelet/logs). Every
 * `intervalMs` (containerLogMonitorInterval, 10 s) it lists the runtime's containers and, for each
 * RUNNING one whose log file (ContainerStatus.log_path) has reached `maxSize` bytes
 * (containerLogMaxSize, 10Mi), rotates it keeping at most `maxFiles` files (containerLogMaxFiles, 5)
 * with all but the newest rotated file gzipped (./rotate-log.ts). `maxWorkers`
 * (containerLogMaxWorkers, 1) containers are handled at a time.
 *
 * Input: a CRI client (ListContainers, ContainerStatus, ReopenContainerLog). Output: files on disk;
 * rotateOnce() resolves when a round is done. clean(id) removes all files of a container's log.
 */
import { rm, stat } from 'node:fs/promises';
import type { CriClient } from '../cri/client.js';
import { listRotatedSiblings, rotateLogFile, type RotationResult } from './rotate-log.js';
import { DEFAULT_LOG_ROTATE_POLICY, validateLogRotatePolicy, type LogRotatePolicy } from './rotation-policy.js';

/** The CRI calls log rotation needs; a CriClient has them. */
export type LogRotationRuntime = Pick<CriClient, 'listContainers' | 'containerStatus' | 'reopenContainerLog'>;

export type LogRotationLogger = (msg: string, fields?: Record<string, unknown>) => void;

export interface ContainerLogManagerOptions {
  cri: LogRotationRuntime;
  /** Bytes; rotate when the current file has at least this many (default 10 MiB; negative disables). */
  maxSize?: number;
  /** Files kept per container log including the current one (default 5, must be > 1). */
  maxFiles?: number;
  /** How often the background loop runs a round (default 10 000 ms). */
  intervalMs?: number;
  /** Containers handled concurrently in a round (default 1). */
  maxWorkers?: number;
  log?: LogRotationLogger;
  /** The clock for rotated-file timestamps (tests). */
  now?: () => Date;
}

/** What happened to one container in a round; `skipped` when its log is below maxSize. */
export type ContainerRotationOutcome =
  | { containerId: string; outcome: 'skipped'; size: number }
  | { containerId: string; outcome: 'rotated' | 'name-taken'; result: RotationResult }
  | { containerId: string; outcome: 'error'; error: Error };

const toError = (err: unknown): Error => (err instanceof Error ? err : new Error(String(err)));

export class ContainerLogManager {
  readonly policy: Readonly<LogRotatePolicy>;
  private readonly cri: LogRotationRuntime;
  private readonly intervalMs: number;
  private readonly maxWorkers: number;
  private readonly log: LogRotationLogger;
  private readonly now: () => Date;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private loops = 0;
  /** The round in progress; rounds never overlap (upstream holds a mutex). */
  private round: Promise<ContainerRotationOutcome[]> | undefined;

  constructor(opts: ContainerLogManagerOptions) {
    this.policy = {
      maxSize: opts.maxSize ?? DEFAULT_LOG_ROTATE_POLICY.maxSize,
      maxFiles: opts.maxFiles ?? DEFAULT_LOG_ROTATE_POLICY.maxFiles,
    };
    validateLogRotatePolicy(this.policy);
    this.cri = opts.cri;
    this.intervalMs = opts.intervalMs ?? 10_000;
    this.maxWorkers = Math.max(1, opts.maxWorkers ?? 1);
    this.log = opts.log ?? (() => {});
    this.now = opts.now ?? (() => new Date());
  }

  /** True unless maxSize is negative (upstream then uses a stub manager). */
  get enabled(): boolean {
    return this.policy.maxSize >= 0;
  }

  /** Starts the loop: a round now, then one `intervalMs` after each round ends. */
  start(): void {
    if (this.running || !this.enabled) return;
    this.running = true;
    // A stop() and start() during a round must not leave two loops: each loop has its own number.
    const loop = ++this.loops;
    const tick = (): void => {
      this.timer = undefined;
      void this.rotateOnce()
        .catch((err: unknown) => this.log('log rotation round failed', { err: toError(err).message }))
        .finally(() => {
          // unref: the loop alone never keeps the process alive.
          if (this.running && loop === this.loops) this.timer = setTimeout(tick, this.intervalMs).unref();
        });
    };
    tick();
  }

  /** Stops the loop and waits for a round in progress. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.round?.catch(() => {});
  }

  /** One round over all running containers. Never rejects for one container's failure (it is logged). */
  async rotateOnce(): Promise<void> {
    await this.rotateAll();
  }

  /** Like rotateOnce, resolving to what happened to each running container. */
  async rotateAll(): Promise<ContainerRotationOutcome[]> {
    while (this.round) await this.round.catch(() => {});
    const round = this.runRound();
    this.round = round;
    try {
      return await round;
    } finally {
      this.round = undefined;
    }
  }

  /** Removes the current and every rotated file of the container's log (upstream Clean). */
  async clean(containerId: string): Promise<void> {
    const { log_path: log } = await this.cri.containerStatus(containerId);
    if (!log) return;
    const files = [log, ...(await listRotatedSiblings(log))];
    for (const f of files) await rm(f, { force: true });
  }

  private async runRound(): Promise<ContainerRotationOutcome[]> {
    if (!this.enabled) return [];
    let ids: string[];
    try {
      // Only running containers: a stopped one writes nothing, an empty fresh file would be useless.
      ids = (await this.cri.listContainers()).filter((c) => c.state === 'CONTAINER_RUNNING').map((c) => c.id);
    } catch (err) {
      this.log('failed to list containers for log rotation', { err: toError(err).message });
      return [];
    }
    const outcomes: ContainerRotationOutcome[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const outcome = await this.rotateContainer(id).catch((err: unknown): ContainerRotationOutcome => ({ containerId: id, outcome: 'error', error: toError(err) }));
        if (outcome.outcome === 'error') this.log('failed to rotate container log', { containerId: id, err: outcome.error.message });
        else if (outcome.outcome !== 'skipped') this.log(`container log rotation: ${outcome.outcome}`, { containerId: id });
        outcomes.push(outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.maxWorkers, ids.length) }, worker));
    return outcomes;
  }

  /** Checks one container's log and rotates it when it has reached maxSize. */
  private async rotateContainer(containerId: string): Promise<ContainerRotationOutcome> {
    const { log_path: log } = await this.cri.containerStatus(containerId);
    if (!log) return { containerId, outcome: 'skipped', size: 0 };
    let size: number;
    try {
      size = (await stat(log)).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // The file is gone (e.g. the kubelet died between rename and reopen): have the runtime recreate it.
      await this.cri.reopenContainerLog(containerId);
      size = (await stat(log)).size;
    }
    if (size < this.policy.maxSize) return { containerId, outcome: 'skipped', size };
    const result = await rotateLogFile(log, this.policy, () => this.cri.reopenContainerLog(containerId), this.now());
    return { containerId, outcome: result.rotated ? 'rotated' : 'name-taken', result };
  }
}
