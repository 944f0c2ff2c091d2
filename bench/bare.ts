/**
 * `npm run bench -- bare [--seconds 5] [--clients 64] [--bytes 512]`: the load generator against
 * the bare HTTPS server alone — the ceiling the API server benchmarks divide by, and a check of the
 * load generator itself. Uses a throwaway PKI in a temporary directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../src/apiserver/pki/index.js';
import type { BenchArgs } from './args.js';
import { progress } from './args.js';
import { startBareHttps } from './bare-http.js';
import { runLoadInWorker } from './load.js';

export async function run(args: BenchArgs): Promise<Record<string, unknown>> {
  const seconds = args.number('seconds', 5);
  const clients = args.number('clients', 64);
  const bytes = args.number('bytes', 512);
  const dir = await mkdtemp(join(tmpdir(), 'skiff-bench-bare-'));
  try {
    const pki = await ensurePki(dir, { hosts: [] });
    const server = await startBareHttps({ cert: pki.serverCertPem, key: pki.serverKeyPem, ca: pki.caCertPem, body: JSON.stringify({ pad: 'x'.repeat(Math.max(0, bytes - 10)) }) });
    try {
      progress(`bare https: ${clients} clients for ${seconds}s`);
      const load = await runLoadInWorker({ url: `${server.url}/`, clients, durationMs: seconds * 1000, tls: { ca: pki.caCertPem, cert: pki.adminCertPem, key: pki.adminKeyPem } });
      return { seconds, clients, bytes, bare_http: load };
    } finally {
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
