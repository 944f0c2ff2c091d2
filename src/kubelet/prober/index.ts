/**
 * Kubelet probes and lifecycle hooks, with upstream's semantics and messages.
 *
 * - `runProbe(probe, target, container)`: one attempt of a liveness/readiness/startup probe (httpGet,
 *   tcpSocket, exec, grpc) -> `{result, message, warning?}`.
 * - `ProbeManager`: periodic probe workers per container; `onChange` when a result flips (a liveness or
 *   startup 'failure' means: restart the container), `isReady` / `isStarted` for the pod status.
 * - `runHook(handler, target, container, timeoutSeconds, pod?)`: postStart / preStop -> `{ok, message}`.
 *
 * The pod worker supplies a ProbeTarget: the pod IP and `exec` over CRI ExecSync (throw
 * ExecTimeoutError, or any error whose message says the deadline was exceeded, on timeout).
 */
export { runProbe, runProbeHandler, resolveContainerPort, expandCommand } from './run-probe.js';
export { ProbeManager, type ProbeManagerOptions, type ProbeEvent, type SetTimer } from './manager.js';
export { runHook, type HookResult } from './hooks.js';
export { ExecTimeoutError, parseProbe, parseLifecycleHandler, type ProbeKind, type ProbeResult, type ProbeTarget, type ProbeOutcome, type ProbeSpec, type ContainerView } from './types.js';
