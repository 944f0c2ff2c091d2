/**
 * What containerd is running for this node, refreshed by relisting (upstream's PLEG): sandboxes and
 * containers grouped by the pod UID label, with the details only ContainerStatus carries (exit code,
 * reason, start and finish times) fetched once per state change. `onPodChanged(uid)` fires for every
 * pod whose sandboxes or containers changed state since the previous relist, so the pod workers
 * resync exactly those pods. Because everything is read back from containerd, a restarted Skiff sees
 * the containers its previous run started and adopts them instead of starting duplicates.
 */
import type { CriClient } from '../cri/client.js';

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

  /** One relist at a time; concurrent callers share the one in flight. */
  relist(): Promise<void> {
    if (!this.relisting) this.relisting = this.doRelist().finally(() => (this.relisting = undefined));
    return this.relisting;
  }

  private async doRelist(): Promise<void> {
    const [sandboxList, containerList] = await Promise.all([this.cri.listPodSandbox(), this.cri.listContainers()]);
    const changed = new Set<string>();
    const sandboxes = new Map<string, SandboxRecord>();
    for (const s of sandboxList) {
      // Only sandboxes a kubelet made (they carry the pod UID label); others on this containerd are not ours.
      const podUid = s.labels?.[LABEL_POD_UID];
      if (!podUid) continue;
      const prior = this.sandboxes.get(s.id);
      const rec: SandboxRecord = { id: s.id, podUid, attempt: s.metadata?.attempt ?? 0, ready: s.state === 'SANDBOX_READY', createdAt: nsToMs(s.created_at) ?? 0, ip: prior?.ip };
      if (rec.ready && !rec.ip) rec.ip = await this.sandboxIP(s.id);
      if (!prior || prior.ready !== rec.ready) changed.add(podUid);
      sandboxes.set(s.id, rec);
    }
    for (const [id, s] of this.sandboxes) if (!sandboxes.has(id)) changed.add(s.podUid);

    const containers = new Map<string, ContainerRecord>();
    for (const c of containerList) {
      const podUid = c.labels?.[LABEL_POD_UID];
      if (!podUid) continue;
      const prior = this.containers.get(c.id);
      const state = containerState(c.state);
      if (prior && prior.state === state) {
        containers.set(c.id, prior);
        continue;
      }
      const rec: ContainerRecord = {
        id: c.id,
        sandboxId: c.pod_sandbox_id,
        podUid,
        name: c.metadata?.name ?? c.labels?.[LABEL_CONTAINER_NAME] ?? '',
        attempt: c.metadata?.attempt ?? 0,
        state,
        hash: c.annotations?.[ANNOTATION_CONTAINER_HASH],
        image: c.image?.image ?? '',
        imageRef: c.image_ref ?? '',
        createdAt: nsToMs(c.created_at) ?? 0,
      };
      await this.addDetails(rec);
      containers.set(c.id, rec);
      changed.add(podUid);
    }
    for (const [id, c] of this.containers) if (!containers.has(id)) changed.add(c.podUid);
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
      const s = await this.cri.containerStatus(rec.id);
      rec.state = containerState(s.state);
      rec.startedAt = nsToMs(s.started_at);
      rec.finishedAt = nsToMs(s.finished_at);
      if (rec.state === 'exited') {
        rec.exitCode = s.exit_code;
        rec.reason = s.reason || undefined;
        rec.message = s.message || undefined;
      }
      if (s.image_ref) rec.imageRef = s.image_ref;
    } catch {
      // gone between list and status: the next relist drops it
    }
  }
}
