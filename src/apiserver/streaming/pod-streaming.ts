/**
 * pods/log, pods/exec, pods/attach and pods/portforward: the API server's hop to the kubelet
 * (upstream pkg/registry/core/pod/rest/{log,subresources}.go + the upgrade-aware proxy).
 *
 * For each request: read the pod (404 as usual), its spec.nodeName (400 when unscheduled), the
 * Node's InternalIP and status.daemonEndpoints.kubeletEndpoint.Port, then call the kubelet over
 * HTTPS with a kubelet-client certificate (CN kube-apiserver-kubelet-client, O system:masters)
 * and verify the kubelet against the cluster CA.
 *
 * - log: a plain GET, streamed through (chunked); a client that leaves aborts the kubelet request.
 * - exec/attach over WebSocket v5.channel.k8s.io (kubectl 1.32): terminated here, translated to
 *   SPDY v4.channel.k8s.io towards the kubelet (see exec-translator.ts).
 * - portforward over WebSocket `SPDY/3.1+portforward.k8s.io` (kubectl 1.32): SPDY tunnelled in
 *   binary messages; we upgrade the kubelet to SPDY and pipe bytes (see portforward-tunnel.ts).
 * - anything else (SPDY upgrades, client-node's v4.channel.k8s.io WebSockets): the client's
 *   upgrade request is replayed to the kubelet and bytes are piped raw both ways.
 */
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { KubeObject } from '../../api/types.js';
import { StatusError, badRequest, type Status } from '../../machinery/errors.js';
import type { Registry } from '../../registry/index.js';
import { issueClientCert, type Pki } from '../pki/index.js';
import type { ResourceRequest } from '../request-info.js';
import { translateWebSocketToSpdy } from './exec-translator.js';
import { dialKubelet, dialUpgrade, hostForUrl, readRest, type KubeletTarget, type KubeletTls } from './kubelet-dial.js';
import { acceptWebSocket, tunnelPortForward, SPDY_TUNNEL_PREFIX } from './portforward-tunnel.js';
import { containerFor, execQuery, kubeletPath, logQuery } from './pod-requests.js';

export const POD_STREAMING_SUBRESOURCES: ReadonlySet<string> = new Set(['log', 'exec', 'attach', 'portforward']);
const V5 = 'v5.channel.k8s.io';
/** Headers of the client's hop, not passed on to the kubelet. */
const HOP_HEADERS = new Set(['host', 'authorization', 'content-length', 'transfer-encoding']);

interface PodLocation {
  pod: KubeObject;
  host: string;
  port: number;
}

function statusOf(err: unknown): Status {
  if (err instanceof StatusError) return err.status;
  return new StatusError('InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`).status;
}

/** Answers a not-yet-upgraded connection with a Status and closes it. */
export function rejectUpgradeWithStatus(socket: Duplex, err: unknown): void {
  const status = statusOf(err);
  const body = JSON.stringify(status);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status.code} ${status.reason ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

function wsProtocols(req: IncomingMessage): string[] {
  return String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

export class PodStreamingProxy {
  private tlsPromise: Promise<KubeletTls> | undefined;
  /** Upgraded client connections: they leave the HTTP server's bookkeeping, so closeAll() ends them. */
  private readonly sessions = new Set<Duplex>();

  constructor(
    private readonly registry: Registry,
    private readonly pki: Pki,
  ) {}

  private kubeletTls(): Promise<KubeletTls> {
    this.tlsPromise ??= issueClientCert(this.pki, { commonName: 'kube-apiserver-kubelet-client', organizations: ['system:masters'] }).then((c) => ({ caPem: this.pki.caCertPem, certPem: c.certPem, keyPem: c.keyPem }));
    return this.tlsPromise;
  }

  /** Reads the pod and finds its kubelet. */
  async locate(namespace: string, name: string): Promise<PodLocation> {
    const pod = await this.registry.storeFor('', 'v1', 'pods')!.get(namespace, name);
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!nodeName) throw badRequest(`pod ${name} does not have a host assigned`);
    let kubelet: { host: string; port: number };
    try {
      kubelet = await this.kubeletOf(nodeName);
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'NotFound') throw badRequest(`node ${nodeName} for pod ${name} not found`);
      throw err;
    }
    return { pod, ...kubelet };
  }

  /** The kubelet endpoint a Node advertises: InternalIP (else ExternalIP, Hostname) and daemonEndpoints. */
  private async kubeletOf(nodeName: string): Promise<{ host: string; port: number }> {
    const node: KubeObject = await this.registry.storeFor('', 'v1', 'nodes')!.get(undefined, nodeName);
    const status = (node.status ?? {}) as { addresses?: Array<{ type?: string; address?: string }>; daemonEndpoints?: { kubeletEndpoint?: { Port?: number } } };
    const addresses = status.addresses ?? [];
    const host = (addresses.find((a) => a.type === 'InternalIP') ?? addresses.find((a) => a.type === 'ExternalIP') ?? addresses.find((a) => a.type === 'Hostname'))?.address;
    const port = status.daemonEndpoints?.kubeletEndpoint?.Port;
    if (!host || !port) throw badRequest(`node ${nodeName} has no kubelet address (status.addresses / daemonEndpoints.kubeletEndpoint.Port)`);
    return { host, port };
  }

  /** GET pods/{name}/log: streams the kubelet's containerLogs response. Returns the HTTP code. */
  async serveLog(req: IncomingMessage, res: ServerResponse, namespace: string, name: string, query: URLSearchParams): Promise<number> {
    if (req.method !== 'GET') throw new StatusError('MethodNotAllowed', 'the server does not allow this method on the requested resource');
    const loc = await this.locate(namespace, name);
    const container = containerFor(loc.pod, query.get('container') ?? '', 'log');
    const tls = await this.kubeletTls();
    const path = kubeletPath('containerLogs', namespace, name, container, logQuery(query));
    return new Promise<number>((resolve, reject) => {
      const upstream = httpsRequest(
        { host: loc.host, port: loc.port, path, method: 'GET', ca: [tls.caPem], cert: tls.certPem, key: tls.keyPem, agent: false, servername: /^[\d.]+$|:/.test(loc.host) ? undefined : loc.host },
        (kres) => {
          const code = kres.statusCode ?? 502;
          res.writeHead(code, { 'Content-Type': kres.headers['content-type'] ?? 'text/plain', 'Cache-Control': 'no-cache, private', 'X-Content-Type-Options': 'nosniff' });
          res.flushHeaders();
          kres.on('data', (chunk: Buffer) => res.write(chunk));
          kres.on('end', () => {
            res.end();
            resolve(code);
          });
          kres.on('error', () => {
            res.destroy();
            resolve(code);
          });
        },
      );
      res.on('close', () => upstream.destroy());
      upstream.on('error', (err) => {
        if (res.headersSent) {
          res.destroy();
          resolve(200);
        } else reject(new StatusError('InternalError', `Get "https://${hostForUrl(loc.host)}:${loc.port}${path}": ${err.message}`));
      });
      upstream.end();
    });
  }

  /** nodes/{name}/proxy/{path}: any request forwarded to the node's kubelet (e.g. /healthz, /containerLogs/...). */
  async serveNodeProxy(req: IncomingMessage, res: ServerResponse, nodeName: string, rest: string[], query: URLSearchParams): Promise<number> {
    const { host, port } = await this.kubeletOf(nodeName);
    const tls = await this.kubeletTls();
    const q = query.toString();
    const path = `/${rest.map(encodeURIComponent).join('/')}${q ? `?${q}` : ''}`;
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'content-length', 'accept']) if (req.headers[h]) headers[h] = String(req.headers[h]);
    return new Promise<number>((resolve, reject) => {
      const upstream = httpsRequest({ host, port, path, method: req.method ?? 'GET', headers, ca: [tls.caPem], cert: tls.certPem, key: tls.keyPem, agent: false, servername: /^[\d.]+$|:/.test(host) ? undefined : host }, (kres) => {
        const code = kres.statusCode ?? 502;
        res.writeHead(code, { 'Content-Type': kres.headers['content-type'] ?? 'text/plain', 'Cache-Control': 'no-cache, private' });
        kres.pipe(res);
        kres.on('end', () => resolve(code));
        kres.on('error', () => resolve(code));
      });
      res.on('close', () => upstream.destroy());
      upstream.on('error', (err) => {
        if (res.headersSent) {
          res.destroy();
          resolve(502);
        } else reject(new StatusError('ServiceUnavailable', `error trying to reach service: ${err.message}`));
      });
      req.pipe(upstream);
    });
  }

  /** REST entry for pods/{log,exec,attach,portforward} without an upgrade: log streams, the rest is 400. */
  async serve(req: IncomingMessage, res: ServerResponse, namespace: string, name: string, sub: string, query: URLSearchParams): Promise<number> {
    if (sub === 'log') return this.serveLog(req, res, namespace, name, query);
    await this.locate(namespace, name); // 404 for a missing pod comes first, as upstream
    throw badRequest('Upgrade request required');
  }

  /** Handles an upgrade request for pods/{exec,attach,portforward}; answers errors itself. */
  async serveUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, info: ResourceRequest, query: URLSearchParams): Promise<void> {
    this.sessions.add(socket);
    socket.once('close', () => this.sessions.delete(socket));
    try {
      if (info.group !== '' || info.resource !== 'pods' || !info.name || !info.namespace || !['exec', 'attach', 'portforward'].includes(info.subresource ?? '')) {
        throw badRequest('the server does not support upgrading this request');
      }
      const sub = info.subresource as 'exec' | 'attach' | 'portforward';
      const loc = await this.locate(info.namespace, info.name);
      const phase = (loc.pod.status as { phase?: string } | undefined)?.phase;
      let path: string;
      let io = { stdin: false, stdout: false, stderr: false, tty: false };
      if (sub === 'portforward') {
        if (phase !== 'Running') throw badRequest(`pod ${info.name} is not running and cannot be port-forwarded`);
        path = kubeletPath('portForward', info.namespace, info.name, undefined, new URLSearchParams([...query].filter(([k]) => k === 'ports' || k === 'port')));
      } else {
        if (phase === 'Succeeded' || phase === 'Failed') throw badRequest(`cannot ${sub} into a container in a completed pod; current phase is ${phase}`);
        const container = containerFor(loc.pod, query.get('container') ?? '', sub);
        const q = execQuery(query, sub);
        io = q.io;
        path = kubeletPath(sub, info.namespace, info.name, container, q.query);
      }
      const target: KubeletTarget = { host: loc.host, port: loc.port, path };
      const tls = await this.kubeletTls();
      const isWebSocket = String(req.headers.upgrade ?? '').toLowerCase() === 'websocket';
      const protocols = isWebSocket ? wsProtocols(req) : [];
      if (isWebSocket && sub !== 'portforward' && protocols.includes(V5)) return await this.execOverWebSocket(req, socket, head, target, tls, io);
      if (isWebSocket && sub === 'portforward') {
        const spdy = protocols.filter((p) => p.startsWith(SPDY_TUNNEL_PREFIX)).map((p) => p.slice(SPDY_TUNNEL_PREFIX.length));
        if (spdy.length > 0) return await tunnelPortForward(req, socket, head, target, tls, spdy);
      }
      await this.rawProxy(req, socket, head, target, tls);
    } catch (err) {
      rejectUpgradeWithStatus(socket, err);
    }
  }

  /** Ends every upgraded session (server shutdown). */
  closeAll(): void {
    for (const s of this.sessions) s.destroy();
    this.sessions.clear();
  }

  /** kubectl 1.32 exec/attach: terminate the WebSocket here, speak SPDY to the kubelet. */
  private async execOverWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, target: KubeletTarget, tls: KubeletTls, io: { stdin: boolean; stdout: boolean; stderr: boolean; tty: boolean }): Promise<void> {
    const backend = await dialUpgrade(target, tls, 'POST', [
      ['Connection', 'Upgrade'],
      ['Upgrade', 'SPDY/3.1'],
      ['X-Stream-Protocol-Version', 'v4.channel.k8s.io'],
    ]);
    if (backend.statusCode !== 101) {
      const body = await readRest(backend);
      socket.end(Buffer.concat([backend.headBytes, body]));
      return;
    }
    const ws = await acceptWebSocket(req, socket, head, V5);
    translateWebSocketToSpdy(ws, backend.socket, backend.rest, io);
    backend.socket.resume();
  }

  /** Replays the client's upgrade request to the kubelet and pipes raw bytes both ways. */
  private async rawProxy(req: IncomingMessage, socket: Duplex, head: Buffer, target: KubeletTarget, tls: KubeletTls): Promise<void> {
    const upstream = await dialKubelet(target, tls);
    const lines = [`${req.method ?? 'GET'} ${target.path} HTTP/1.1`, `Host: ${hostForUrl(target.host)}:${target.port}`];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      if (!HOP_HEADERS.has(req.rawHeaders[i]!.toLowerCase())) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    }
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      socket.destroy();
      upstream.destroy();
    };
    for (const s of [socket, upstream]) {
      s.on('error', close);
      s.on('close', close);
    }
    socket.pipe(upstream);
    upstream.pipe(socket);
  }
}
