/**
 * The API server's connections to kubelets: TLS with the kubelet-client certificate, the kubelet's
 * serving certificate verified against the cluster CA. `dialUpgrade` sends an HTTP/1.1 Upgrade
 * request and reads the response head, leaving the socket ready for the upgraded protocol.
 */
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

export interface KubeletTarget {
  host: string;
  port: number;
  /** Path and query on the kubelet, e.g. `/exec/ns/pod/c?command=ls&stdout=1`. */
  path: string;
}

export interface KubeletTls {
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface UpgradeResponse {
  statusCode: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The response head exactly as received (replayed to raw-proxied clients). */
  headBytes: Buffer;
  /** Bytes that arrived after the head: the start of the upgraded stream (or of an error body). */
  rest: Buffer;
  socket: TLSSocket;
}

export function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export function dialKubelet(target: Pick<KubeletTarget, 'host' | 'port'>, tls: KubeletTls): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const isIp = /^[\d.]+$/.test(target.host) || target.host.includes(':');
    const socket = tlsConnect({ host: target.host, port: target.port, ca: [tls.caPem], cert: tls.certPem, key: tls.keyPem, servername: isIp ? undefined : target.host }, () => {
      socket.off('error', reject);
      socket.setNoDelay(true);
      resolve(socket);
    });
    socket.once('error', reject);
  });
}

/** Serialises a request head. `headers` entries with an empty value are dropped. */
export function requestHead(method: string, target: KubeletTarget, headers: Array<[string, string]>): string {
  const lines = [`${method} ${target.path} HTTP/1.1`, `Host: ${hostForUrl(target.host)}:${target.port}`];
  for (const [k, v] of headers) if (v !== '') lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

function parseHead(head: Buffer): { statusCode: number; headers: Record<string, string> } {
  const lines = head.toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) throw new Error(`malformed response from kubelet: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const k = line.slice(0, i).trim().toLowerCase();
    const v = line.slice(i + 1).trim();
    headers[k] = headers[k] ? `${headers[k]}, ${v}` : v;
  }
  return { statusCode: Number(m[1]), headers };
}

/** Sends an upgrade request on a new kubelet connection and resolves once the response head is in. */
export async function dialUpgrade(target: KubeletTarget, tls: KubeletTls, method: string, headers: Array<[string, string]>): Promise<UpgradeResponse> {
  const socket = await dialKubelet(target, tls);
  socket.write(requestHead(method, target, headers));
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const fail = (err: Error): void => {
      cleanup();
      socket.destroy();
      reject(err);
    };
    const onEnd = (): void => fail(new Error('kubelet closed the connection before answering'));
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buf.length > 1 << 20) fail(new Error('kubelet response head too large'));
        return;
      }
      cleanup();
      socket.pause();
      try {
        const { statusCode, headers: h } = parseHead(buf.subarray(0, end));
        resolve({ statusCode, headers: h, headBytes: buf.subarray(0, end + 4), rest: buf.subarray(end + 4), socket });
      } catch (err) {
        socket.destroy();
        reject(err as Error);
      }
    };
    function cleanup(): void {
      socket.off('data', onData);
      socket.off('error', fail);
      socket.off('end', onEnd);
    }
    socket.on('data', onData);
    socket.once('error', fail);
    socket.once('end', onEnd);
  });
}

/** Reads the rest of a non-upgrade response body (small error bodies), up to `limit` bytes or 2 s. */
export function readRest(res: UpgradeResponse, limit = 64 * 1024): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [res.rest];
    let size = res.rest.length;
    const len = Number(res.headers['content-length'] ?? NaN);
    const done = (): void => {
      clearTimeout(timer);
      res.socket.destroy();
      resolve(Buffer.concat(chunks).subarray(0, limit));
    };
    const timer = setTimeout(done, 2000);
    if (Number.isFinite(len) && size >= len) return done();
    res.socket.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= limit || (Number.isFinite(len) && size >= len)) done();
    });
    res.socket.once('end', done);
    res.socket.once('error', done);
    res.socket.resume();
  });
}
