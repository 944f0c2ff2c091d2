/**
 * The probe manager (upstream pkg/kubelet/prober/prober_manager.go + worker.go): one worker per
 * container and probe kind, each probing every periodSeconds once initialDelaySeconds have passed
 * since the container started, with upstream's rules:
 *
 * - initial results: readiness 'failure' (not ready until a first success), liveness 'success',
 *   startup 'unknown'; a container without a readiness probe is ready once started, one without a
 *   startup probe is started at once;
 * - the startup probe gates the other two: they do not run until it succeeds (then readiness runs at once);
 *   once started, the startup worker stays idle;
 * - a result changes only after successThreshold (failureThreshold) consecutive equal outcomes;
 * - a probe that errors (bad port, no handler) is retried up to 3 times, then discarded;
 * - a liveness/startup result turning 'failure' calls onChange once and puts the worker on hold: the
 *   pod worker restarts the container and registers the new one (removeContainer + addContainer);
 * - each failed attempt reports an Unhealthy event (`Liveness probe failed: HTTP probe failed with
 *   statuscode: 500`), a redirect left unfollowed a ProbeWarning event.
 *
 * Inputs: the pod, container name/id, when it started and a ProbeTarget. Outputs: `onChange` when a
 * cached result changes (never for the initial values), `onEvent` per event, `isReady` / `isStarted`.
 */
import type { KubeObject } from '../../api/types.js';
import { runProbeHandler } from './run-probe.js';
import { parseProbe, type ContainerView, type ProbeKind, type ProbeOutcome, type ProbeResult, type ProbeSpec, type ProbeTarget } from './types.js';

/** Upstream's maxProbeRetries: attempts per period while the probe errors. */
const MAX_PROBE_RETRIES = 3;

export interface ProbeEvent {
  type: 'Warning';
  reason: 'Unhealthy' | 'ProbeWarning';
  message: string;
}

export type SetTimer = (fn: () => void, ms: number) => () => void;

export interface ProbeManagerOptions {
  onChange: (podUid: string, containerName: string, kind: ProbeKind, result: ProbeResult, message: string) => void;
  /** Unhealthy / ProbeWarning events, to record on the pod (upstream records them on the container ref). */
  onEvent?: (podUid: string, containerName: string, event: ProbeEvent) => void;
  now?: () => number;
  /** Schedules `fn` after `ms`; returns a cancel function. Default: an unref'd setTimeout. */
  setTimer?: SetTimer;
}

interface Worker {
  kind: ProbeKind;
  spec: ProbeSpec;
  result: ProbeResult;
  lastResult?: ProbeResult;
  resultRun: number;
  onHold: boolean;
  stopped: boolean;
  inFlight: boolean;
  rerun: boolean;
  cancel?: () => void;
}

interface ProbedContainer {
  podUid: string;
  name: string;
  id: string;
  startedAtMs: number;
  target: ProbeTarget;
  container: ContainerView;
  workers: Map<ProbeKind, Worker>;
}

const INITIAL: Record<ProbeKind, ProbeResult> = { readiness: 'failure', liveness: 'success', startup: 'unknown' };
const TITLE: Record<ProbeKind, string> = { readiness: 'Readiness', liveness: 'Liveness', startup: 'Startup' };
const FIELD: Record<ProbeKind, 'readinessProbe' | 'livenessProbe' | 'startupProbe'> = { readiness: 'readinessProbe', liveness: 'livenessProbe', startup: 'startupProbe' };

const defaultSetTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return () => clearTimeout(t);
};

function containerSpec(pod: KubeObject, name: string): (ContainerView & Record<string, unknown>) | undefined {
  const spec = (pod.spec ?? {}) as { containers?: unknown[]; initContainers?: unknown[] };
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? [])] as Array<ContainerView & Record<string, unknown>>;
  return all.find((c) => c?.name === name);
}

export class ProbeManager {
  private readonly containers = new Map<string, ProbedContainer>();
  private readonly now: () => number;
  private readonly setTimer: SetTimer;

  constructor(private readonly opts: ProbeManagerOptions) {
    this.now = opts.now ?? Date.now;
    this.setTimer = opts.setTimer ?? defaultSetTimer;
  }

  /** Starts the probe workers of a running container (idempotent for the same container id). */
  addContainer(pod: KubeObject, containerName: string, containerId: string, startedAtMs: number, target: ProbeTarget): void {
    const podUid = pod.metadata?.uid ?? '';
    const key = `${podUid}/${containerName}`;
    const existing = this.containers.get(key);
    if (existing?.id === containerId) return;
    if (existing) this.removeContainer(podUid, containerName);
    const spec = containerSpec(pod, containerName);
    if (!spec) return;
    const entry: ProbedContainer = { podUid, name: containerName, id: containerId, startedAtMs, target, container: spec, workers: new Map() };
    for (const kind of ['startup', 'liveness', 'readiness'] as const) {
      const probe = parseProbe(spec[FIELD[kind]]);
      if (!probe) continue;
      entry.workers.set(kind, { kind, spec: probe, result: INITIAL[kind], resultRun: 0, onHold: false, stopped: false, inFlight: false, rerun: false });
    }
    this.containers.set(key, entry);
    for (const w of entry.workers.values()) this.schedule(entry, w, 0);
  }

  removeContainer(podUid: string, containerName: string): void {
    const key = `${podUid}/${containerName}`;
    const entry = this.containers.get(key);
    if (!entry) return;
    for (const w of entry.workers.values()) this.stopWorker(w);
    this.containers.delete(key);
  }

  removePod(podUid: string): void {
    for (const entry of [...this.containers.values()]) if (entry.podUid === podUid) this.removeContainer(podUid, entry.name);
  }

  /**
   * The pod is being deleted: liveness and startup stop and read 'success' so that nothing restarts a
   * container during graceful termination (upstream's worker does this on deletionTimestamp).
   */
  markTerminating(podUid: string): void {
    for (const entry of this.containers.values()) {
      if (entry.podUid !== podUid) continue;
      for (const w of entry.workers.values()) {
        if (w.kind === 'readiness') continue;
        this.stopWorker(w);
        w.result = 'success';
      }
    }
  }

  /** Ready = started and (no readiness probe, or its result is 'success'). False for unknown containers. */
  isReady(podUid: string, containerName: string): boolean {
    const entry = this.containers.get(`${podUid}/${containerName}`);
    if (!entry || !this.started(entry)) return false;
    const w = entry.workers.get('readiness');
    return !w || w.result === 'success';
  }

  /** Started = no startup probe, or it succeeded. False for unknown containers. */
  isStarted(podUid: string, containerName: string): boolean {
    const entry = this.containers.get(`${podUid}/${containerName}`);
    return !!entry && this.started(entry);
  }

  /** The cached result of one probe kind (undefined when the container has no such probe). */
  result(podUid: string, containerName: string, kind: ProbeKind): ProbeResult | undefined {
    return this.containers.get(`${podUid}/${containerName}`)?.workers.get(kind)?.result;
  }

  stop(): void {
    for (const entry of [...this.containers.values()]) this.removeContainer(entry.podUid, entry.name);
  }

  private started(entry: ProbedContainer): boolean {
    const w = entry.workers.get('startup');
    return !w || w.result === 'success';
  }

  private stopWorker(w: Worker): void {
    w.stopped = true;
    w.cancel?.();
    w.cancel = undefined;
  }

  private schedule(entry: ProbedContainer, w: Worker, ms: number): void {
    if (w.stopped) return;
    w.cancel?.();
    w.cancel = this.setTimer(() => void this.tick(entry, w), Math.max(0, ms));
  }

  /** Runs a worker now (or right after the probe in flight), as upstream's manual trigger. */
  private trigger(entry: ProbedContainer, w: Worker | undefined): void {
    if (!w || w.stopped) return;
    if (w.inFlight) w.rerun = true;
    else this.schedule(entry, w, 0);
  }

  private async tick(entry: ProbedContainer, w: Worker): Promise<void> {
    if (w.stopped) return;
    w.cancel = undefined;
    const begun = this.now();
    w.inFlight = true;
    try {
      await this.doProbe(entry, w);
    } finally {
      w.inFlight = false;
    }
    if (w.stopped) return;
    if (w.rerun) {
      w.rerun = false;
      this.schedule(entry, w, 0);
    } else {
      this.schedule(entry, w, w.spec.periodSeconds * 1000 - (this.now() - begun));
    }
  }

  private async doProbe(entry: ProbedContainer, w: Worker): Promise<void> {
    if (w.onHold) return;
    if (Math.trunc((this.now() - entry.startedAtMs) / 1000) < w.spec.initialDelaySeconds) return;
    const started = this.started(entry);
    if (w.kind === 'startup' ? started : !started) return;
    let outcome: ProbeOutcome = { result: 'unknown', message: '' };
    for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
      outcome = await runProbeHandler(w.spec, w.spec.timeoutSeconds, entry.target, entry.container);
      if (outcome.result !== 'unknown' || w.stopped) break;
    }
    if (w.stopped) return;
    const title = TITLE[w.kind];
    if (outcome.result === 'unknown') {
      this.event(entry, 'Unhealthy', `${title} probe errored and resulted in unknown state: ${outcome.message}`);
      return;
    }
    if (outcome.result === 'failure') this.event(entry, 'Unhealthy', `${title} probe failed: ${outcome.message}`);
    else if (outcome.warning) this.event(entry, 'ProbeWarning', `${title} probe warning: ${outcome.message}`);
    if (w.lastResult === outcome.result) w.resultRun++;
    else {
      w.lastResult = outcome.result;
      w.resultRun = 1;
    }
    const threshold = outcome.result === 'failure' ? w.spec.failureThreshold : w.spec.successThreshold;
    if (w.resultRun < threshold) return;
    this.set(entry, w, outcome.result, outcome.message);
    if ((w.kind === 'liveness' || w.kind === 'startup') && outcome.result === 'failure') {
      // The container will be restarted: stop probing it until a new container is registered.
      w.onHold = true;
      w.resultRun = 0;
    }
  }

  private set(entry: ProbedContainer, w: Worker, result: ProbeResult, message: string): void {
    if (w.result === result) return;
    w.result = result;
    this.opts.onChange(entry.podUid, entry.name, w.kind, result, message);
    if (w.kind === 'startup' && result === 'success') this.trigger(entry, entry.workers.get('readiness'));
  }

  private event(entry: ProbedContainer, reason: ProbeEvent['reason'], message: string): void {
    this.opts.onEvent?.(entry.podUid, entry.name, { type: 'Warning', reason, message });
  }
}
