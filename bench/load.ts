/**
 * A keep-alive HTTP(S) load generator: N concurrent client loops, each sending one request after
 * another over a shared keep-alive Agent, until a deadline, a request budget, or both.
 *
 * Input: LoadOptions (URL, clients, duration, method, optional body template, headers, TLS client
 * identity, optional rate limit). Output: LoadResult (requests, rps, p50/p99 latency, errors and a
 * count per status code).
 *
 * Body templates: every `__SEQ__` is replaced by a sequence number unique within the run
 * (`<client>x<n>`, lowercase and DNS-safe), every `__NOW__` by the send time in epoch
 * milliseconds with sub-millisecond precision (performance.timeOrigin + performance.now(), which
 * agrees across worker threads) — for unique object names and for latency stamps.
 *
 * `runLoadInWorker` runs the same loop on a worker thread, so on a small machine the server under
 * test (main thread) and the load generator each get their own core.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Worker } from 'node:worker_threads';

export interface TlsClientOptions {
  ca: string;
  cert?: string;
  key?: string;
}

export interface LoadOptions {
  url: string;
  clients: number;
  /** Stop starting requests after this long (0 = only maxRequests limits the run). */
  durationMs: number;
  method?: string;
  /** Request body template (see __SEQ__ / __NOW__ above). */
  body?: string;
  headers?: Record<string, string>;
  tls?: TlsClientOptions;
  /** Stop after this many requests in total. */
  maxRequests?: number;
  /** Spread requests so no more than this many start per second overall. */
  ratePerSecond?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Transport failures plus responses with status >= 400. */
  errors: number;
  /** Responses per status code; transport failures under `error`. */
  codes: Record<string, number>;
  /** First transport error message seen, if any. */
  firstError?: string;
  elapsedMs: number;
}

export const nowEpochMs = (): number => performance.timeOrigin + performance.now();

/** The value at quantile q (0..1) of an ascending-sorted array (nearest rank). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[idx] as number;
}

interface OneResponse {
  status: number;
  bytes: number;
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const target = new URL(opts.url);
  const secure = target.protocol === 'https:';
  const agentOpts = { keepAlive: true, maxSockets: opts.clients, maxFreeSockets: opts.clients };
  const agent = secure ? new HttpsAgent({ ...agentOpts, ca: opts.tls?.ca, cert: opts.tls?.cert, key: opts.tls?.key }) : new HttpAgent(agentOpts);
  const send = secure ? httpsRequest : httpRequest;
  const method = opts.method ?? 'GET';
  const baseHeaders: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.body !== undefined && !Object.keys(baseHeaders).some((h) => h.toLowerCase() === 'content-type')) {
    baseHeaders['content-type'] = 'application/json';
  }

  function once(body: string | undefined): Promise<OneResponse> {
    return new Promise((resolve, reject) => {
      const headers = body === undefined ? baseHeaders : { ...baseHeaders, 'content-length': String(Buffer.byteLength(body)) };
      const req = send(
        { agent, method, host: target.hostname, port: target.port, path: target.pathname + target.search, headers },
        (res: IncomingMessage) => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const latencies: number[] = [];
  const codes: Record<string, number> = {};
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  const start = performance.now();
  const deadline = opts.durationMs > 0 ? start + opts.durationMs : Infinity;
  const budget = opts.maxRequests ?? Infinity;
  const interval = opts.ratePerSecond ? 1000 / opts.ratePerSecond : 0;

  async function clientLoop(client: number): Promise<void> {
    for (let n = 0; ; n++) {
      if (started >= budget || performance.now() >= deadline) return;
      const slot = started++;
      if (interval > 0) {
        const due = start + slot * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (performance.now() >= deadline) return;
      }
      const body = opts.body?.replaceAll('__SEQ__', `${client}x${n}`).replaceAll('__NOW__', nowEpochMs().toFixed(3));
      const t0 = performance.now();
      try {
        const res = await once(body);
        latencies.push(performance.now() - t0);
        codes[res.status] = (codes[res.status] ?? 0) + 1;
        if (res.status >= 400) errors++;
      } catch (err) {
        errors++;
        codes.error = (codes.error ?? 0) + 1;
        firstError ??= err instanceof Error ? err.message : String(err);
        // Back off briefly so a dead server does not turn the loop into a busy spin.
        await new Promise((r) => setTimeout(r, 10));
      }
    }
  }

  await Promise.all(Array.from({ length: opts.clients }, (_, i) => clientLoop(i)));
  const elapsedMs = performance.now() - start;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const requests = latencies.length;
  return {
    requests,
    rps: requests / (elapsedMs / 1000),
    p50Ms: round(quantile(latencies, 0.5)),
    p99Ms: round(quantile(latencies, 0.99)),
    errors,
    codes,
    ...(firstError ? { firstError } : {}),
    elapsedMs: round(elapsedMs),
  };
}

export const round = (x: number, digits = 2): number => Number(x.toFixed(digits));

/** The path of a sibling module, as .ts under tsx and .js once compiled. */
export function siblingModule(importMetaUrl: string, name: string): URL {
  const ext = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, importMetaUrl);
}

/** Runs a module on a worker thread with `workerData` and resolves with the one message it posts. */
export function runWorker<T>(module: URL, workerData: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    // Under tsx (sources run as .ts) a worker does not inherit tsx's module hooks: register them first.
    const worker = module.pathname.endsWith('.ts')
      ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`, { eval: true, workerData })
      : new Worker(module, { workerData });
    let settled = false;
    worker.once('message', (msg: { ok: true; result: T } | { ok: false; error: string }) => {
      settled = true;
      if (msg.ok) resolve(msg.result);
      else reject(new Error(msg.error));
    });
    worker.once('error', (err) => {
      settled = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`worker exited with code ${code} before answering`));
    });
  });
}

/** runLoad on its own thread. */
export function runLoadInWorker(opts: LoadOptions): Promise<LoadResult> {
  return runWorker<LoadResult>(siblingModule(import.meta.url, 'load-worker'), opts);
}

/**
 * Several slices of one load, measured alternately with their ceiling so machine noise hits both
 * alike, merged into one result: counts and time add up; p50 is the median of the slices' p50s and
 * p99 the worst slice's p99 (exact percentiles across slices would need every sample).
 */
export function mergeLoadResults(slices: LoadResult[]): LoadResult {
  const codes: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  let elapsedMs = 0;
  let firstError: string | undefined;
  for (const s of slices) {
    requests += s.requests;
    errors += s.errors;
    elapsedMs += s.elapsedMs;
    firstError ??= s.firstError;
    for (const [code, n] of Object.entries(s.codes)) codes[code] = (codes[code] ?? 0) + n;
  }
  const p50s = slices.map((s) => s.p50Ms).sort((a, b) => a - b);
  return {
    requests,
    rps: elapsedMs > 0 ? requests / (elapsedMs / 1000) : 0,
    p50Ms: quantile(p50s, 0.5),
    p99Ms: Math.max(0, ...slices.map((s) => s.p99Ms)),
    errors,
    codes,
    ...(firstError ? { firstError } : {}),
    elapsedMs: round(elapsedMs),
  };
}
