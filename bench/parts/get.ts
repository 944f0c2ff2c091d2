/**
 * GET of one ConfigMap by many keep-alive clients, against Skiff and against the bare HTTPS server
 * returning the very same bytes with the same TLS setup and the same load generator, alternating
 * in `rounds` slices so machine noise hits both alike.
 * Result: both load results and get_ratio_to_bare_http (Skiff rps / bare rps).
 */
import { startBareHttps } from '../bare-http.js';
import { progress } from '../args.js';
import { mergeLoadResults, runLoadInWorker, round, type LoadResult } from '../load.js';
import { configMap } from './objects.js';
import { expectStatus, type Skiff } from './server.js';

export interface GetOptions {
  clients: number;
  seconds: number;
  rounds: number;
  namespace: string;
}

export async function measureGet(skiff: Skiff, o: GetOptions): Promise<Record<string, unknown>> {
  const path = `/api/v1/namespaces/${o.namespace}/configmaps/bench-get`;
  expectStatus('create bench-get', await skiff.api('POST', `/api/v1/namespaces/${o.namespace}/configmaps`, configMap(o.namespace, 'bench-get')), 201, 409);
  const sample = await skiff.api('GET', path);
  expectStatus('get bench-get', sample, 200);

  const bare = await startBareHttps({ cert: skiff.pki.serverCertPem, key: skiff.pki.serverKeyPem, ca: skiff.pki.caCertPem, body: sample.text });
  const skiffSlices: LoadResult[] = [];
  const bareSlices: LoadResult[] = [];
  const sliceMs = (o.seconds * 1000) / o.rounds;
  const headers = { accept: 'application/json' };
  try {
    for (let r = 0; r < o.rounds; r++) {
      progress(`get: round ${r + 1}/${o.rounds}, ${o.clients} clients, skiff then bare https`);
      skiffSlices.push(await runLoadInWorker({ url: `${skiff.url}${path}`, clients: o.clients, durationMs: sliceMs, tls: skiff.tls, headers }));
      bareSlices.push(await runLoadInWorker({ url: `${bare.url}${path}`, clients: o.clients, durationMs: sliceMs, tls: skiff.tls, headers }));
    }
  } finally {
    await bare.close();
  }
  const skiffLoad = mergeLoadResults(skiffSlices);
  const bareLoad = mergeLoadResults(bareSlices);
  return {
    get_ratio_to_bare_http: bareLoad.rps > 0 ? round(skiffLoad.rps / bareLoad.rps, 3) : null,
    get_rps: round(skiffLoad.rps),
    get_bare_rps: round(bareLoad.rps),
    get_response_bytes: Buffer.byteLength(sample.text),
    get_skiff: skiffLoad,
    get_bare: bareLoad,
  };
}
