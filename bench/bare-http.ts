/**
 * The ceiling for request-serving benchmarks: a bare node:https server that answers every request
 * with fixed bytes, configured like the API server (same serving certificate, client certificates
 * requested and verified against the same CA) so TLS costs are identical.
 *
 * Input: the TLS material and the response (body, content type). Output: its URL and close().
 */
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface BareHttpsOptions {
  cert: string;
  key: string;
  /** CA that client certificates are verified against (requestCert, not rejected when absent). */
  ca: string;
  body: Buffer | string;
  contentType?: string;
  port?: number;
  host?: string;
}

export interface BareHttpsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startBareHttps(opts: BareHttpsOptions): Promise<BareHttpsServer> {
  const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
  const headers = { 'content-type': opts.contentType ?? 'application/json', 'content-length': String(body.length) };
  const server = createServer({ cert: opts.cert, key: opts.key, ca: [opts.ca], requestCert: true, rejectUnauthorized: false }, (req, res) => {
    // Drain any request body so keep-alive connections stay usable.
    req.resume();
    req.on('end', () => {
      res.writeHead(200, headers);
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
