/**
 * The shapes the prober works with: probe and lifecycle-handler specs parsed from plain pod JSON
 * (upstream's v1.Probe / v1.LifecycleHandler, with the API defaults applied), the container fields a
 * probe needs (ports for named ports, env for $(VAR) in exec commands), and the target the pod worker
 * supplies (pod IP, and exec through CRI ExecSync).
 */

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure' | 'unknown';

/** Where probes and hooks run. `exec` is CRI ExecSync: combined stdout+stderr and the exit code. */
export interface ProbeTarget {
  podIP?: string;
  hostIP?: string;
  exec(cmd: string[], timeoutSeconds: number): Promise<{ exitCode: number; output: string }>;
}

/** What ProbeTarget.exec throws when the command outlived its timeout (CRI DeadlineExceeded). */
export class ExecTimeoutError extends Error {
  constructor(cmd: string[]) {
    super(`command "${cmd.join(' ')}" timed out`);
    this.name = 'ExecTimeoutError';
  }
}

/** The container fields probes and hooks read. */
export interface ContainerView {
  name?: string;
  ports?: Array<{ name?: string; containerPort?: number }>;
  env?: Array<{ name?: string; value?: string; valueFrom?: unknown }>;
}

export interface HTTPHeader {
  name: string;
  value: string;
}

export interface HTTPGetAction {
  path: string;
  port: number | string;
  host?: string;
  scheme: 'HTTP' | 'HTTPS';
  httpHeaders: HTTPHeader[];
}

export interface ProbeHandler {
  exec?: { command: string[] };
  httpGet?: HTTPGetAction;
  tcpSocket?: { port: number | string; host?: string };
  grpc?: { port: number; service?: string };
}

export interface ProbeSpec extends ProbeHandler {
  initialDelaySeconds: number;
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
  terminationGracePeriodSeconds?: number;
}

export interface LifecycleHandler {
  exec?: { command: string[] };
  httpGet?: HTTPGetAction;
  tcpSocket?: { port: number | string; host?: string };
  sleep?: { seconds: number };
}

/** One probe attempt: success (possibly with a warning: a redirect not followed), failure, or unknown (the probe errored). */
export interface ProbeOutcome {
  result: ProbeResult;
  message: string;
  /** Success with a warning (upstream's probe.Warning, reported as a ProbeWarning event). */
  warning?: boolean;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown, dflt: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : dflt);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);
const port = (v: unknown): number | string => (typeof v === 'number' || typeof v === 'string' ? v : 0);

function parseHTTPGet(v: unknown): HTTPGetAction | undefined {
  if (!isObject(v)) return undefined;
  const headers = Array.isArray(v.httpHeaders) ? v.httpHeaders.filter(isObject).map((h) => ({ name: String(h.name ?? ''), value: String(h.value ?? '') })) : [];
  return {
    path: str(v.path) ?? '/',
    port: port(v.port),
    host: str(v.host) || undefined,
    scheme: String(v.scheme ?? 'HTTP').toUpperCase() === 'HTTPS' ? 'HTTPS' : 'HTTP',
    httpHeaders: headers,
  };
}

function parseHandler(v: Record<string, unknown>): ProbeHandler & { sleep?: { seconds: number } } {
  const out: ProbeHandler & { sleep?: { seconds: number } } = {};
  if (isObject(v.exec)) out.exec = { command: strings(v.exec.command) };
  const httpGet = parseHTTPGet(v.httpGet);
  if (httpGet) out.httpGet = httpGet;
  if (isObject(v.tcpSocket)) out.tcpSocket = { port: port(v.tcpSocket.port), host: str(v.tcpSocket.host) || undefined };
  if (isObject(v.grpc)) out.grpc = { port: num(v.grpc.port, 0), service: str(v.grpc.service) };
  if (isObject(v.sleep)) out.sleep = { seconds: num(v.sleep.seconds, 0) };
  return out;
}

/** A probe from pod JSON with upstream's defaults (timeout 1, period 10, success 1, failure 3, delay 0). */
export function parseProbe(v: unknown): ProbeSpec | undefined {
  if (!isObject(v)) return undefined;
  const { sleep: _sleep, ...handler } = parseHandler(v);
  return {
    ...handler,
    initialDelaySeconds: num(v.initialDelaySeconds, 0),
    timeoutSeconds: Math.max(1, num(v.timeoutSeconds, 1)),
    periodSeconds: Math.max(1, num(v.periodSeconds, 10)),
    successThreshold: Math.max(1, num(v.successThreshold, 1)),
    failureThreshold: Math.max(1, num(v.failureThreshold, 3)),
    ...(typeof v.terminationGracePeriodSeconds === 'number' ? { terminationGracePeriodSeconds: v.terminationGracePeriodSeconds } : {}),
  };
}

export function parseLifecycleHandler(v: unknown): LifecycleHandler | undefined {
  return isObject(v) ? parseHandler(v) : undefined;
}

/** Kubelet version in User-Agent headers (`kube-probe/1.32`, `kube-lifecycle/1.32`). */
export const KUBE_MINOR_VERSION = '1.32';
