/**
 * Reverse proxy for one HTTP/1.1 Upgrade request (SPDY/3.1 or WebSocket): replays the client's
 * request to the target URL on a fresh connection, then pipes raw bytes both ways — the target's
 * 101 response included — until either side closes. This is how upstream's kubelet proxies exec,
 * attach and port-forward to the container runtime's streaming server.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Headers that describe the client's hop, not the request: rewritten for the next hop. */
const HOP_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'proxy-connection', 'keep-alive']);

/** The request head sent to the target: same method and upgrade headers, the target's path. */
export function upgradeRequestHead(req: IncomingMessage, target: URL): string {
  const lines = [`${req.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`];
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!;
    if (HOP_HEADERS.has(name.toLowerCase())) continue;
    lines.push(`${name}: ${raw[i + 1]!}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Opens a TCP (http:) or TLS (https:, self-signed accepted: the runtime is local) connection. */
export function dialTarget(target: URL): Promise<Socket> {
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  const host = target.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const sock: Socket =
      target.protocol === 'https:'
        ? tlsConnect({ host, port, rejectUnauthorized: false, servername: host.includes(':') || /^[\d.]+$/.test(host) ? undefined : host }, () => done())
        : netConnect({ host, port }, () => done());
    const onError = (err: Error): void => reject(err);
    sock.once('error', onError);
    function done(): void {
      sock.off('error', onError);
      resolve(sock);
    }
  });
}

/** Pipes two duplex streams into each other; destroys both when either ends or fails. */
export function splice(a: Duplex, b: Duplex): void {
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    a.destroy();
    b.destroy();
  };
  a.on('error', close);
  b.on('error', close);
  a.on('close', close);
  b.on('close', close);
  a.pipe(b);
  b.pipe(a);
}

/** Proxies the upgrade request `req` (whose connection is `client`) to `target`. */
export async function proxyUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, target: URL): Promise<void> {
  const upstream = await dialTarget(target);
  upstream.setNoDelay(true);
  upstream.write(upgradeRequestHead(req, target));
  if (head.length > 0) upstream.write(head);
  splice(client, upstream);
}

/** Writes a plain HTTP error response on a not-yet-upgraded connection and closes it. */
export function rejectUpgrade(client: Duplex, code: number, body: string, contentType = 'application/json'): void {
  const reason = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway' }[code] ?? 'Error';
  if (!client.writable) {
    client.destroy();
    return;
  }
  client.end(`HTTP/1.1 ${code} ${reason}\r\nContent-Type: ${contentType}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
