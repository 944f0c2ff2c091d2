/**
 * The kubelet's HTTPS server (upstream pkg/kubelet/server/server.go), the endpoints the API server
 * calls for `kubectl logs|exec|attach|cp|port-forward`:
 *
 *   GET /healthz                                   "ok"
 *   GET /containerLogs/{ns}/{pod}/{container}      follow, previous, tailLines, sinceSeconds,
 *                                                  sinceTime, timestamps, limitBytes -> text/plain
 *   /exec/{ns}/{pod}[/{uid}]/{container}           command=..&command=..&stdin&stdout&stderr&tty
 *   /attach/{ns}/{pod}[/{uid}]/{container}         stdin&stdout&stderr&tty
 *   /portForward/{ns}/{pod}[/{uid}]                (ports=.. for WebSocket clients)
 *
 * exec/attach/portForward must be HTTP/1.1 Upgrade requests (SPDY/3.1 or WebSocket): the server
 * asks the runtime over CRI for a streaming URL and proxies the upgrade there, raw bytes both ways.
 * Every request needs a client certificate signed by `tls.caPem` (401 otherwise).
 *
 * Input: port/bind, TLS material, and a KubeletStreamingBackend (where containers are, the CRI).
 * Output: the bound port and close().
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { StatusError, badRequest, type Status } from '../../machinery/errors.js';
import type { CriClient } from '../cri/index.js';
import { parseLogOptions } from './cri-log.js';
import { streamContainerLog } from './log-reader.js';
import { proxyUpgrade, rejectUpgrade } from './upgrade-proxy.js';

export interface LocatedContainer {
  podUid: string;
  sandboxId: string;
  containerId: string;
  containerName: string;
  attempt: number;
  running: boolean;
  /** Absolute path of the current attempt's CRI log file. */
  logPath: string;
  /** Absolute path of the previous attempt's log, when there was one. */
  previousLogPath?: string;
}

export interface KubeletStreamingBackend {
  /** Throws StatusError NotFound / BadRequest (e.g. a container name is needed and missing). */
  locate(namespace: string, pod: string, container?: string): Promise<LocatedContainer>;
  locateSandbox(namespace: string, pod: string): Promise<{ podUid: string; sandboxId: string }>;
  cri: Pick<CriClient, 'exec' | 'attach' | 'portForward'>;
}

export interface KubeletServerOptions {
  /** 0 = any free port. */
  port: number;
  bind: string;
  tls: { certPem: string; keyPem: string; /** client certificates must chain to it */ caPem: string };
  backend: KubeletStreamingBackend;
  /** Extra handlers tried first (e.g. /stats/summary); each answers and returns true, or returns false. */
  routes?: Array<(req: IncomingMessage, res: ServerResponse) => Promise<boolean>>;
}

export interface KubeletServerHandle {
  port: number;
  close(): Promise<void>;
}

/** A parsed kubelet streaming path. */
export type KubeletRoute =
  | { kind: 'healthz' }
  | { kind: 'containerLogs'; namespace: string; pod: string; container?: string }
  | { kind: 'exec' | 'attach'; namespace: string; pod: string; container: string }
  | { kind: 'portForward'; namespace: string; pod: string };

export function parseKubeletPath(pathname: string): KubeletRoute | undefined {
  let parts: string[];
  try {
    parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [head, ns, pod, ...rest] = parts;
  if (head === 'healthz' && parts.length === 1) return { kind: 'healthz' };
  if (!ns || !pod) return undefined;
  if (head === 'containerLogs' && rest.length <= 1) return { kind: 'containerLogs', namespace: ns, pod, container: rest[0] };
  if ((head === 'exec' || head === 'attach') && (rest.length === 1 || rest.length === 2)) return { kind: head, namespace: ns, pod, container: rest[rest.length - 1]! };
  if (head === 'portForward' && rest.length <= 1) return { kind: 'portForward', namespace: ns, pod };
  return undefined;
}

/** Query flags as upstream's kubelet reads them ("1"), also accepting "true". */
function flag(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === '1' || v === 'true';
}

/** Ports of a port-forward request: `ports=80,443` or repeated `ports`/`port`. */
export function portsOf(q: URLSearchParams): number[] {
  const raw = [...q.getAll('ports'), ...q.getAll('port')].flatMap((v) => v.split(','));
  const ports: number[] = [];
  for (const r of raw) {
    const s = r.trim();
    if (s === '') continue;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw badRequest(`invalid port ${JSON.stringify(s)}`);
    ports.push(n);
  }
  return ports;
}

function statusOf(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  return new StatusError('InternalError', err instanceof Error ? err.message : String(err)).status;
}

function sendStatus(res: ServerResponse, err: unknown): void {
  const status = statusOf(err);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status.code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(status));
}

function authorized(req: IncomingMessage): boolean {
  return (req.socket as TLSSocket).authorized === true;
}

async function serveLogs(backend: KubeletStreamingBackend, route: Extract<KubeletRoute, { kind: 'containerLogs' }>, req: IncomingMessage, res: ServerResponse, query: URLSearchParams): Promise<void> {
  let opts;
  try {
    opts = parseLogOptions(query);
  } catch (err) {
    throw badRequest((err as Error).message);
  }
  const located = await backend.locate(route.namespace, route.pod, route.container);
  let path = located.logPath;
  if (opts.previous) {
    if (!located.previousLogPath) throw badRequest(`previous terminated container "${located.containerName}" in pod "${route.pod}" not found`);
    path = located.previousLogPath;
  }
  const ac = new AbortController();
  res.on('close', () => ac.abort());
  const follow = !!opts.follow && !opts.previous;
  const isRunning = async (): Promise<boolean> => {
    try {
      const now = await backend.locate(route.namespace, route.pod, located.containerName);
      return now.running && now.containerId === located.containerId;
    } catch {
      return false;
    }
  };
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();
  try {
    await streamContainerLog(path, { ...opts, follow }, res, { signal: ac.signal, isRunning });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  res.end();
}

/** Resolves the streaming URL the runtime gives for an exec/attach/portForward route. */
async function streamingUrl(backend: KubeletStreamingBackend, route: KubeletRoute, query: URLSearchParams): Promise<string> {
  if (route.kind === 'portForward') {
    const sandbox = await backend.locateSandbox(route.namespace, route.pod);
    return backend.cri.portForward({ pod_sandbox_id: sandbox.sandboxId, port: portsOf(query) });
  }
  if (route.kind !== 'exec' && route.kind !== 'attach') throw badRequest('not a streaming endpoint');
  const c = await backend.locate(route.namespace, route.pod, route.container);
  if (!c.running) throw badRequest(`container ${c.containerName} is not running`);
  const tty = flag(query, 'tty');
  // CRI rejects tty together with stderr: a terminal merges both into stdout.
  const io = { stdin: flag(query, 'stdin'), stdout: flag(query, 'stdout'), stderr: flag(query, 'stderr') && !tty, tty };
  if (!io.stdin && !io.stdout && !io.stderr) throw badRequest('you must specify at least 1 of stdin, stdout, stderr');
  if (route.kind === 'attach') return backend.cri.attach({ container_id: c.containerId, ...io });
  const cmd = query.getAll('command');
  if (cmd.length === 0) throw badRequest('you must specify at least one command for the container');
  return backend.cri.exec({ container_id: c.containerId, cmd, ...io });
}

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServerHandle> {
  const { backend } = opts;
  const server: Server = createServer(
    { key: opts.tls.keyPem, cert: opts.tls.certPem, ca: [opts.tls.caPem], requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      void (async () => {
        try {
          if (!authorized(req)) throw new StatusError('Unauthorized', 'Unauthorized');
          for (const extra of opts.routes ?? []) if (await extra(req, res)) return;
          const url = new URL(req.url ?? '/', 'https://kubelet');
          const route = parseKubeletPath(url.pathname);
          if (!route) throw new StatusError('NotFound', `the server could not find the requested resource`);
          if (route.kind === 'healthz') {
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            res.end('ok');
            return;
          }
          if (req.method !== 'GET' && req.method !== 'HEAD' && route.kind === 'containerLogs') throw new StatusError('MethodNotAllowed', 'method not allowed');
          if (route.kind === 'containerLogs') return await serveLogs(backend, route, req, res, url.searchParams);
          throw badRequest('Upgrade request required');
        } catch (err) {
          sendStatus(res, err);
        }
      })();
    },
  );
  // Upgraded connections leave the server's bookkeeping: track them so close() ends them too.
  const upgraded = new Set<Duplex>();
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    upgraded.add(socket);
    socket.once('close', () => upgraded.delete(socket));
    void (async () => {
      try {
        if (!authorized(req)) throw new StatusError('Unauthorized', 'Unauthorized');
        const url = new URL(req.url ?? '/', 'https://kubelet');
        const route = parseKubeletPath(url.pathname);
        if (!route || route.kind === 'healthz' || route.kind === 'containerLogs') throw new StatusError('NotFound', 'the server could not find the requested resource');
        const target = new URL(await streamingUrl(backend, route, url.searchParams));
        // The runtime's URL carries its own token; WebSocket port-forward clients still need `ports`.
        for (const [k, v] of url.searchParams) if (!target.searchParams.has(k)) target.searchParams.append(k, v);
        await proxyUpgrade(req, socket, head, target);
      } catch (err) {
        const status = statusOf(err);
        rejectUpgrade(socket, status.code, JSON.stringify(status));
      }
    })();
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bind, () => resolve((server.address() as AddressInfo).port));
  });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of upgraded) s.destroy();
      }),
  };
}
