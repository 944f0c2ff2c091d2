/**
 * One probe attempt (upstream pkg/kubelet/prober/prober.go runProbe): dispatches on the handler —
 * exec (exit 0 passes; a timeout fails with `command "..." timed out`), httpGet, tcpSocket, grpc —
 * after resolving named ports and $(VAR) references in exec commands. Returns 'unknown' when the probe
 * could not be run at all (bad port, no handler): upstream calls that an error and discards the result.
 */
import { doGRPCProbe } from './grpc-health.js';
import { buildHTTPRequest, doHTTPGet } from './http-get.js';
import { doTCPProbe } from './tcp-socket.js';
import { ExecTimeoutError, parseProbe, type ContainerView, type ProbeHandler, type ProbeOutcome, type ProbeTarget } from './types.js';

/** Upstream's maxReadLength for exec output kept in messages. */
const MAX_EXEC_OUTPUT = 10 * 1024;

export class ProbeSetupError extends Error {}

/** Upstream's ResolveContainerPort: a number, a named container port, or a number in a string. */
export function resolveContainerPort(port: number | string, container: ContainerView): number {
  let value: number;
  if (typeof port === 'number') value = port;
  else {
    const named = container.ports?.find((p) => p.name === port);
    if (named) value = Number(named.containerPort ?? 0);
    else if (/^[+-]?\d+$/.test(port)) value = Number(port);
    else throw new ProbeSetupError(`strconv.Atoi: parsing "${port}": invalid syntax`);
  }
  if (value > 0 && value < 65536) return value;
  throw new ProbeSetupError(`invalid port number: ${value}`);
}

/** Upstream's expansion.Expand with only the container's literal env values ($(VAR), $$ escapes). */
export function expandCommand(command: string[], env: ContainerView['env']): string[] {
  const values = new Map<string, string>();
  for (const e of env ?? []) if (e.name) values.set(e.name, e.value ?? '');
  return command.map((arg) => {
    let out = '';
    for (let i = 0; i < arg.length; i++) {
      if (arg[i] !== '$' || i + 1 >= arg.length) {
        out += arg[i];
        continue;
      }
      const next = arg[i + 1];
      if (next === '$') {
        out += '$';
        i++;
      } else if (next === '(') {
        const close = arg.indexOf(')', i + 2);
        if (close < 0) {
          out += '$(';
          i++;
        } else {
          const name = arg.slice(i + 2, close);
          out += values.has(name) ? values.get(name) : `$(${name})`;
          i = close;
        }
      } else {
        out += `$${next}`;
        i++;
      }
    }
    return out;
  });
}

const isTimeout = (err: unknown): boolean => {
  if (err instanceof ExecTimeoutError) return true;
  const e = err as { code?: unknown; message?: unknown };
  return e?.code === 4 || /deadline exceeded|timeout .*exceeded|timed out/i.test(String(e?.message ?? ''));
};

async function runExec(command: string[], target: ProbeTarget, container: ContainerView, timeoutSeconds: number): Promise<ProbeOutcome> {
  const cmd = expandCommand(command, container.env);
  try {
    const r = await target.exec(cmd, timeoutSeconds);
    const output = r.output.length > MAX_EXEC_OUTPUT ? r.output.slice(0, MAX_EXEC_OUTPUT) : r.output;
    return { result: r.exitCode === 0 ? 'success' : 'failure', message: output };
  } catch (err) {
    if (isTimeout(err)) return { result: 'failure', message: `command "${cmd.join(' ')}" timed out` };
    return { result: 'unknown', message: (err as Error).message ?? String(err) };
  }
}

function podHost(target: ProbeTarget): string {
  const host = target.podIP || target.hostIP;
  if (!host) throw new ProbeSetupError('pod has no IP address yet');
  return host;
}

/** Runs the handler of `probe` once against `target`. Never throws. */
export async function runProbeHandler(handler: ProbeHandler, timeoutSeconds: number, target: ProbeTarget, container: ContainerView): Promise<ProbeOutcome> {
  try {
    if (handler.exec) return await runExec(handler.exec.command, target, container, timeoutSeconds);
    if (handler.httpGet) {
      const port = resolveContainerPort(handler.httpGet.port, container);
      return await doHTTPGet(buildHTTPRequest(handler.httpGet, handler.httpGet.host || podHost(target), port, 'probe'), timeoutSeconds);
    }
    if (handler.tcpSocket) {
      const port = resolveContainerPort(handler.tcpSocket.port, container);
      return await doTCPProbe(handler.tcpSocket.host || podHost(target), port, timeoutSeconds);
    }
    if (handler.grpc) return await doGRPCProbe(podHost(target), handler.grpc.port, handler.grpc.service ?? '', timeoutSeconds);
    return { result: 'unknown', message: `missing probe handler for container ${container.name ?? ''}` };
  } catch (err) {
    return { result: 'unknown', message: (err as Error).message ?? String(err) };
  }
}

/**
 * One attempt of `probe` (pod JSON, e.g. `container.livenessProbe`) with its timeoutSeconds.
 * `message` is what upstream puts after `Liveness probe failed: ` in the Unhealthy event.
 */
export async function runProbe(probe: unknown, target: ProbeTarget, container: ContainerView): Promise<ProbeOutcome> {
  const spec = parseProbe(probe);
  if (!spec) return { result: 'unknown', message: 'no probe' };
  return runProbeHandler(spec, spec.timeoutSeconds, target, container);
}
