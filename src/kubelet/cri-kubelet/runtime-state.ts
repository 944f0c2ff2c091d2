/**
 * What containerd is running for this node, refreshed by relisting (upstream's PLEG): sandboxes and
 * containers grouped by the pod UID label, with the details only ContainerStatus carries (exit code,
 * reason, start and finish times) fetched once per state change. `onPodChanged(uid)` fires for every
 * pod whose sandboxes or containers changed state since the previous relist, so the pod workers
 * resync exactly those pods. Because everything is read back from containerd, a restarted Skiff sees
 * the containers its previous run started and adopts them instead of starting duplicates.
 * `relist()` always reflects containerd as of a moment after the call (a caller arriving during a
 * relist waits for the next one); `recordSandbox(id)` / `recordContainer(id, sandboxId)` read back one
 * object the caller just created or started (one status call instead of a full relist), so the next
 * relist does not report it as a change and resync its pod once more (a container not running or a sandbox
 * not ready still resyncs its pod).
 */
import type { CriClient } from '../cri/client.js';
import type { Container, ContainerStatus, PodSandbox } from '../cri/types.js';

export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const ANNOTATION_CONTAINER_HASH = 'io.kubernetes.container.hash';

export interface SandboxRecord {
  id: string;
  podUid: string;
  attempt: number;
  ready: boolean;
  createdAt: number;
  ip?: string;
}

export interface ContainerRecord {
  id: string;
  sandboxId: string;
  podUid: string;
  name: string;
  attempt: number;
  state: 'created' | 'running' | 'exited' | 'unknown';
  hash?: string;
  image: string;
  imageRef: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: string;
  message?: string;
}

const nsToMs = (ns: unknown): number | undefined => {
  const n = Number(ns ?? 0);
  return n > 0 ? Math.floor(n / 1e6) : undefined;
};

function containerState(state: unknown): ContainerRecord['state'] {
  switch (state) {
    case 'CONTAINER_CREATED':
      return 'created';
    case 'CONTAINER_RUNNING':
      return 'running';
    case 'CONTAINER_EXITED':
      return 'exited';
    default:
      return 'unknown';
  }
}

export class RuntimeState {
  private sandboxes = new Map<string, SandboxRecord>();
  private containers = new Map<string, ContainerRecord>();
  private timer?: NodeJS.Timeout;
  private relisting?: Promise<void>;
  private nextRelist?: Promise<void>;
  /** How many relists have started; `recorded` keeps, per object id, the count when a caller recorded it. */
  private relistsStarted = 0;
  private readonly recorded = new Map<string, number>();

  constructor(
    private readonly cri: CriClient,
    private readonly onPodChanged: (podUid: string) => void,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  start(periodMs = 1000): void {
    const tick = () => {
      this.relist()
        .catch(this.onError)
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, periodMs);
        });
    };
    this.timer = setTimeout(tick, periodMs);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  sandboxesOf(podUid: string): SandboxRecord[] {
    return [...this.sandboxes.values()].filter((s) => s.podUid === podUid).sort((a, b) => b.createdAt - a.createdAt || b.attempt - a.attempt);
  }

  containersOf(podUid: string): ContainerRecord[] {
    return [...this.containers.values()].filter((c) => c.podUid === podUid);
  }

  podUids(): Set<string> {
    const uids = new Set<string>();
    for (const s of this.sandboxes.values()) uids.add(s.podUid);
    for (const c of this.containers.values()) uids.add(c.podUid);
    return uids;
  }

  container(id: string): ContainerRecord | undefined {
    return this.containers.get(id);
  }

  /**
   * One relist at a time. A caller arriving while one runs gets the next one (which may have listed
   * before what the caller just did); all callers arriving meanwhile share that next one.
   */
  relist(): Promise<void> {
    if (!this.relisting) {
      this.relisting = this.doRelist().finally(() => (this.relisting = undefined));
      return this.relisting;
    }
    this.nextRelist ??= this.relisting
      .catch(() => {})
      .then(() => {
        this.nextRelist = undefined;
        return this.relist();
      });
    return this.nextRelist;
  }

  /** Reads back one sandbox (just created by the caller) into the state; returns it (undefined when not ours or gone). */
  async recordSandbox(id: string): Promise<SandboxRecord | undefined> {
    const status = await this.cri.podSandboxStatus(id);
    const rec = sandboxRecord(status, status.network?.ip || undefined);
    if (!rec) return undefined;
    this.sandboxes.set(id, rec);
    this.recorded.set(id, this.relistsStarted);
    // Not what the caller expects: its pod is resynced, as the relist would have done.
    if (!rec.ready) this.onPodChanged(rec.podUid);
    return rec;
  }

  /** Reads back one container (just created or started by the caller) into the state; returns it. */
  async recordContainer(id: string, sandboxId: string): Promise<ContainerRecord | undefined> {
    const status = await this.cri.containerStatus(id);
    const rec = containerRecord({ ...status, pod_sandbox_id: sandboxId });
    if (!rec) return undefined;
    applyDetails(rec, status);
    this.containers.set(id, rec);
    this.recorded.set(id, this.relistsStarted);
    if (rec.state !== 'running') this.onPodChanged(rec.podUid);
    return rec;
  }

  private async doRelist(): Promise<void> {
    const started = ++this.relistsStarted;
    const [sandboxList, containerList] = await Promise.all([this.cri.listPodSandbox(), this.cri.listContainers()]);
    // Only objects a kubelet made (they carry the pod UID label); others on this containerd are not ours.
    const listedSandboxes = sandboxList.map((s) => sandboxRecord(s, this.sandboxes.get(s.id)?.ip)).filter((r): r is SandboxRecord => !!r);
    const listedContainers = containerList.map((c) => containerRecord(c)).filter((r): r is ContainerRecord => !!r);
    // The details only the status calls carry, fetched concurrently: a new ready sandbox's IP, a new or changed container's exit code and times.
    await Promise.all([
      ...listedSandboxes.filter((r) => r.ready && !r.ip).map(async (r) => (r.ip = await this.sandboxIP(r.id))),
      ...listedContainers.map(async (r, i) => {
        const prior = this.containers.get(r.id);
        if (prior && prior.state === r.state) listedContainers[i] = prior;
        else await this.addDetails(r);
      }),
    ]);
    // Objects a caller recorded after this list was taken are newer than the list: they stay as recorded.
    const keep = (id: string) => (this.recorded.get(id) ?? -1) >= started;
    const changed = new Set<string>();
    const sandboxes = new Map<string, SandboxRecord>();
    for (const rec of listedSandboxes) {
      if (keep(rec.id)) continue;
      const prior = this.sandboxes.get(rec.id);
      if (!prior || prior.ready !== rec.ready) changed.add(rec.podUid);
      sandboxes.set(rec.id, rec);
    }
    for (const [id, s] of this.sandboxes) {
      if (keep(id)) sandboxes.set(id, s);
      else if (!sandboxes.has(id)) changed.add(s.podUid);
    }
    const containers = new Map<string, ContainerRecord>();
    for (const rec of listedContainers) {
      if (keep(rec.id)) continue;
      const prior = this.containers.get(rec.id);
      if (!prior || prior.state !== rec.state) changed.add(rec.podUid);
      containers.set(rec.id, rec);
    }
    for (const [id, c] of this.containers) {
      if (keep(id)) containers.set(id, c);
      else if (!containers.has(id)) changed.add(c.podUid);
    }
    for (const [id, at] of this.recorded) if (at < started) this.recorded.delete(id);
    this.sandboxes = sandboxes;
    this.containers = containers;
    for (const uid of changed) this.onPodChanged(uid);
  }

  private async sandboxIP(id: string): Promise<string | undefined> {
    try {
      const status = await this.cri.podSandboxStatus(id);
      return status.network?.ip || undefined;
    } catch {
      return undefined;
    }
  }

  private async addDetails(rec: ContainerRecord): Promise<void> {
    try {
      applyDetails(rec, await this.cri.containerStatus(rec.id));
    } catch {
      // gone between list and status: the next relist drops it
    }
  }
}

function sandboxRecord(s: Pick<PodSandbox, 'id' | 'labels' | 'metadata' | 'state' | 'created_at'>, ip: string | undefined): SandboxRecord | undefined {
  const podUid = s.labels?.[LABEL_POD_UID];
  if (!podUid) return undefined;
  return { id: s.id, podUid, attempt: s.metadata?.attempt ?? 0, ready: s.state === 'SANDBOX_READY', createdAt: nsToMs(s.created_at) ?? 0, ip };
}

function containerRecord(c: Pick<Container, 'id' | 'pod_sandbox_id' | 'labels' | 'annotations' | 'metadata' | 'state' | 'image' | 'image_ref' | 'created_at'>): ContainerRecord | undefined {
  const podUid = c.labels?.[LABEL_POD_UID];
  if (!podUid) return undefined;
  return {
    id: c.id,
    sandboxId: c.pod_sandbox_id,
    podUid,
    name: c.metadata?.name ?? c.labels?.[LABEL_CONTAINER_NAME] ?? '',
    attempt: c.metadata?.attempt ?? 0,
    state: containerState(c.state),
    hash: c.annotations?.[ANNOTATION_CONTAINER_HASH],
    image: c.image?.image ?? '',
    imageRef: c.image_ref ?? '',
    createdAt: nsToMs(c.created_at) ?? 0,
  };
}

/** The state, times and exit details only ContainerStatus carries. */
function applyDetails(rec: ContainerRecord, s: ContainerStatus): void {
  rec.state = containerState(s.state);
  rec.startedAt = nsToMs(s.started_at);
  rec.finishedAt = nsToMs(s.finished_at);
  if (rec.state === 'exited') {
    rec.exitCode = s.exit_code;
    rec.reason = s.reason || undefined;
    rec.message = s.message || undefined;
  }
  if (s.image_ref) rec.imageRef = s.image_ref;
}
