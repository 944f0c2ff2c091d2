/**
 * kubectl 1.32 port-forward: the client opens a WebSocket with subprotocol
 * `SPDY/3.1+portforward.k8s.io` and runs a SPDY/3.1 session inside binary messages (client-go's
 * TunnelingConnection). As upstream's TunnelingHandler does, we first upgrade the kubelet to plain
 * SPDY (`X-Stream-Protocol-Version` = the protocols after the prefix), answer the client's
 * handshake with the protocol the kubelet chose (prefixed again), then move bytes: each binary
 * message to the kubelet socket, each kubelet chunk as one binary message. The kubelet's 101 head
 * is swallowed; a non-101 answer is replayed to the client as a plain HTTP response.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { dialUpgrade, readRest, type KubeletTarget, type KubeletTls } from './kubelet-dial.js';

export const SPDY_TUNNEL_PREFIX = 'SPDY/3.1+';

/**
 * Completes the client's WebSocket handshake answering with `protocol`. The `ws` package rejects
 * subprotocols that are not RFC 7230 tokens, and `SPDY/3.1+portforward.k8s.io` has a "/": so the
 * client's offer is taken off the request and our answer added to the 101 headers directly.
 */
export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string | undefined): Promise<WebSocket> {
  const wss = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false });
  delete req.headers['sec-websocket-protocol'];
  if (protocol) wss.on('headers', (headers: string[]) => headers.push(`Sec-WebSocket-Protocol: ${protocol}`));
  return new Promise((resolve) => wss.handleUpgrade(req, socket, head, (ws) => resolve(ws)));
}

export async function tunnelPortForward(req: IncomingMessage, socket: Duplex, head: Buffer, target: KubeletTarget, tls: KubeletTls, spdyProtocols: string[]): Promise<void> {
  const backend = await dialUpgrade(target, tls, 'POST', [['Connection', 'Upgrade'], ['Upgrade', 'SPDY/3.1'], ...spdyProtocols.map((p): [string, string] => ['X-Stream-Protocol-Version', p])]);
  if (backend.statusCode !== 101) {
    const body = await readRest(backend);
    socket.end(Buffer.concat([backend.headBytes, body]));
    return;
  }
  const chosen = backend.headers['x-stream-protocol-version'];
  const ws = await acceptWebSocket(req, socket, head, chosen ? `${SPDY_TUNNEL_PREFIX}${chosen}` : undefined);
  const upstream = backend.socket;
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    if (ws.readyState === ws.OPEN) ws.close(1000);
    upstream.destroy();
  };
  if (backend.rest.length > 0) ws.send(backend.rest, { binary: true });
  upstream.on('data', (chunk: Buffer) => {
    if (ws.readyState !== ws.OPEN) return;
    ws.send(chunk, { binary: true });
    // Backpressure: hold the kubelet while the client is far behind.
    if (ws.bufferedAmount > 8 << 20) {
      upstream.pause();
      const wait = setInterval(() => {
        if (ws.readyState !== ws.OPEN || ws.bufferedAmount < 1 << 20) {
          clearInterval(wait);
          upstream.resume();
        }
      }, 20);
    }
  });
  upstream.on('close', close);
  upstream.on('error', close);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary) return;
    if (!upstream.write(data) && !ws.isPaused) {
      ws.pause();
      upstream.once('drain', () => ws.resume());
    }
  });
  ws.on('close', close);
  ws.on('error', close);
  upstream.resume();
}
