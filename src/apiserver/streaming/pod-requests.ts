/**
 * Request shaping for the pod streaming subresources, as upstream's pod REST does it: which
 * container a request means, and the kubelet path and query for logs, exec, attach, port-forward.
 */
import type { KubeObject } from '../../api/types.js';
import { badRequest } from '../../machinery/errors.js';

interface NamedList {
  name?: string;
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? (list as NamedList[]).map((c) => c.name ?? '').filter(Boolean) : [];
}

/**
 * The container a request addresses: the one named (it must exist in the pod: containers, init or
 * ephemeral containers), or the pod's only container.
 */
export function containerFor(pod: KubeObject, requested: string, _sub: string): string {
  const spec = (pod.spec ?? {}) as { containers?: unknown; initContainers?: unknown; ephemeralContainers?: unknown };
  const podName = pod.metadata?.name ?? '';
  const containers = names(spec.containers);
  const init = names(spec.initContainers);
  const ephemeral = names(spec.ephemeralContainers);
  if (requested) {
    if (![...containers, ...init, ...ephemeral].includes(requested)) throw badRequest(`container ${requested} is not valid for pod ${podName}`);
    return requested;
  }
  if (containers.length === 1) return containers[0]!;
  let message = `a container name must be specified for pod ${podName}, choose one of: [${containers.join(' ')}]`;
  if (init.length > 0) message += ` or one of the init containers: [${init.join(' ')}]`;
  if (ephemeral.length > 0) message += ` or one of the ephemeral containers: [${ephemeral.join(' ')}]`;
  throw badRequest(message);
}

/** The kubelet path: /{endpoint}/{ns}/{pod}[/{container}][?query]. */
export function kubeletPath(endpoint: 'containerLogs' | 'exec' | 'attach' | 'portForward', namespace: string, pod: string, container: string | undefined, query: URLSearchParams): string {
  const segs = [endpoint, namespace, pod, ...(container ? [container] : [])].map(encodeURIComponent);
  const q = query.toString();
  return `/${segs.join('/')}${q ? `?${q}` : ''}`;
}

const LOG_PARAMS = ['follow', 'previous', 'timestamps', 'tailLines', 'sinceSeconds', 'sinceTime', 'limitBytes'];

function isTrue(v: string | null): boolean {
  return v === 'true' || v === '1';
}

/** The log options passed on to the kubelet (validated there; only known ones forwarded). */
export function logQuery(query: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of LOG_PARAMS) {
    const v = query.get(k);
    if (v === null || v === '') continue;
    if (k === 'follow' || k === 'previous' || k === 'timestamps') {
      if (isTrue(v)) out.set(k, 'true');
    } else out.set(k, v);
  }
  return out;
}

export interface ExecIo {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** Parses exec/attach options (PodExecOptions / PodAttachOptions) into the kubelet's query. */
export function execQuery(query: URLSearchParams, sub: 'exec' | 'attach'): { io: ExecIo; query: URLSearchParams } {
  const tty = isTrue(query.get('tty'));
  // A terminal merges stderr into stdout; CRI refuses both at once.
  const io: ExecIo = { stdin: isTrue(query.get('stdin')), stdout: isTrue(query.get('stdout')), stderr: isTrue(query.get('stderr')) && !tty, tty };
  if (!io.stdin && !io.stdout && !io.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  const out = new URLSearchParams();
  if (sub === 'exec') {
    const command = query.getAll('command');
    if (command.length === 0) throw badRequest('you must specify at least one command for the container');
    for (const c of command) out.append('command', c);
  }
  for (const k of ['stdin', 'stdout', 'stderr', 'tty'] as const) if (io[k]) out.set(k, '1');
  return { io, query: out };
}
