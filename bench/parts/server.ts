/**
 * The API server under test and a small HTTPS client for setting up benchmark state.
 *
 * startSkiff starts src/apiserver/server.ts's startApiServer on a fresh temporary data directory
 * (loaded lazily, so a server that fails to load fails the part that needs it, not the runner). `api` sends one request
 * with the admin client certificate and returns status and body text.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pki } from '../../src/apiserver/pki/index.js';
import type { startApiServer } from '../../src/apiserver/server.js';
import type { TlsClientOptions } from '../load.js';

export type StorageChoice = { kind: 'sqlite' } | { kind: 'etcd'; endpoints: string[] };

export interface RunningApiServer {
  url: string;
  port: number;
  kubeconfigPath: string;
  pki: Pki;
  close(): Promise<void>;
}

type StartApiServer = typeof startApiServer;

export interface Skiff extends RunningApiServer {
  tls: TlsClientOptions;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }>;
  /** Creates the namespace unless it exists. */
  ensureNamespace(name: string): Promise<void>;
  /** close() plus removal of the data directory. */
  stop(): Promise<void>;
}

export async function startSkiff(storage: StorageChoice): Promise<Skiff> {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const mod = (await import(new URL(`../../src/apiserver/server${ext}`, import.meta.url).href)) as { startApiServer?: StartApiServer };
  if (typeof mod.startApiServer !== 'function') throw new Error('src/apiserver/server does not export startApiServer');
  const dataDir = await mkdtemp(join(tmpdir(), 'skiff-bench-'));
  let server: RunningApiServer;
  try {
    server = await mod.startApiServer({ dataDir, storage, port: 0, bind: '127.0.0.1', quiet: true });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const tls: TlsClientOptions = { ca: server.pki.caCertPem, cert: server.pki.adminCertPem, key: server.pki.adminKeyPem };
  const agent = new Agent({ keepAlive: true, maxSockets: 16, ...tls });
  const base = new URL(server.url);

  const api: Skiff['api'] = (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      const req = request(
        {
          agent,
          method,
          host: base.hostname,
          port: base.port,
          path,
          headers: { accept: 'application/json', ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });

  return {
    ...server,
    tls,
    api,
    async ensureNamespace(name) {
      const res = await api('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
      if (res.status !== 201 && res.status !== 409) throw new Error(`creating namespace ${name}: ${res.status} ${res.text.slice(0, 300)}`);
    },
    async stop() {
      agent.destroy();
      try {
        await server.close();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Throws with the response when the status is not the expected one. */
export function expectStatus(what: string, res: { status: number; text: string }, ...expected: number[]): void {
  if (!expected.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
}
