/**
 * Lifecycle hooks (upstream pkg/kubelet/lifecycle/handlers.go): postStart and preStop handlers run
 * against a container — exec (fails on a non-zero exit), httpGet (fails only when the request itself
 * fails: any HTTP status is accepted, as upstream), sleep; tcpSocket is accepted by the API but not
 * runnable, as upstream. The message of a failure is upstream's, ready for the FailedPostStartHook
 * event: `Exec lifecycle hook ([sh -c exit 3]) for Container "web" in Pod "web_default(uid)" failed -
 * error: command 'sh -c exit 3' exited with 3: , message: ""`. (Upstream's FailedPreStopHook event
 * says only `PreStopHook failed`, to keep secrets out of events.)
 */
import { podFullName } from '../backoff/restart-backoff.js';
import { buildHTTPRequest, doHTTPGet } from './http-get.js';
import { expandCommand, resolveContainerPort } from './run-probe.js';
import { parseLifecycleHandler, type ContainerView, type ProbeTarget } from './types.js';

export interface HookResult {
  ok: boolean;
  message: string;
}

type PodRef = { metadata?: { name?: string; namespace?: string; uid?: string } };

/** Go's %q for a string (close enough: JSON escaping). */
const goQuote = (s: string): string => JSON.stringify(s);

function subject(container: ContainerView, pod: PodRef | undefined): string {
  return `for Container ${goQuote(container.name ?? '')}${pod ? ` in Pod ${goQuote(podFullName(pod))}` : ''}`;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `handler` (pod JSON: `container.lifecycle.postStart` or `.preStop`) within `timeoutSeconds`.
 * Never throws; `ok: false` carries upstream's failure message. Pass `pod` to name it in the message.
 */
export async function runHook(handler: unknown, target: ProbeTarget, container: ContainerView, timeoutSeconds: number, pod?: PodRef): Promise<HookResult> {
  const h = parseLifecycleHandler(handler);
  const timeout = Math.max(1, timeoutSeconds);
  if (h?.exec) {
    const cmd = expandCommand(h.exec.command, container.env);
    const shown = `[${h.exec.command.join(' ')}]`;
    try {
      const r = await target.exec(cmd, timeout);
      if (r.exitCode === 0) return { ok: true, message: '' };
      const err = `command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.output}`;
      return { ok: false, message: `Exec lifecycle hook (${shown}) ${subject(container, pod)} failed - error: ${err}, message: ${goQuote(r.output)}` };
    } catch (e) {
      return { ok: false, message: `Exec lifecycle hook (${shown}) ${subject(container, pod)} failed - error: ${(e as Error).message}, message: ""` };
    }
  }
  if (h?.httpGet) {
    let error: string | undefined;
    try {
      const host = h.httpGet.host || target.podIP || target.hostIP || '';
      const port = resolveContainerPort(h.httpGet.port, container);
      const outcome = await doHTTPGet(buildHTTPRequest(h.httpGet, host, port, 'lifecycle'), timeout);
      // Only a failed request fails a hook; upstream does not look at the status code.
      if (outcome.result === 'failure' && !outcome.message.startsWith('HTTP probe failed with statuscode')) error = outcome.message;
    } catch (e) {
      error = (e as Error).message;
    }
    if (error === undefined) return { ok: true, message: '' };
    return { ok: false, message: `HTTP lifecycle hook (${h.httpGet.path}) ${subject(container, pod)} failed - error: ${error}` };
  }
  if (h?.sleep) {
    const seconds = Math.max(0, h.sleep.seconds);
    await sleep(Math.min(seconds, timeout) * 1000);
    return { ok: true, message: '' };
  }
  return { ok: false, message: `Cannot run handler: invalid handler: ${JSON.stringify(handler ?? null)}` };
}
