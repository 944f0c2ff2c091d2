/**
 * Worker thread of the watch benchmark: opens `watchers` raw HTTP watch streams
 * (`?watch=true&resourceVersion=N`), posts `{type: 'ready'}` once every stream has answered 200,
 * then reads events until told `{type: 'finish', expected}` and every watcher has seen `expected`
 * ADDED events (or `drainMs` passed). Posts `{type: 'result', ...}`.
 *
 * Per event it reads the resourceVersion (must increase per watcher, else `reordered`) and the
 * send-time annotation stamped by the writer (epoch ms), and records receipt minus send time in
 * a 0.1 ms histogram — a Set per watcher would not fit a million events in memory.
 */
import { Agent, request } from 'node:https';
import { parentPort, workerData } from 'node:worker_threads';
import { nowEpochMs, round } from '../load.js';

export interface WatchWorkerInput {
  url: string;
  watchers: number;
  tls: { ca: string; cert?: string; key?: string };
  sentAnnotation: string;
  drainMs: number;
}

export interface WatchWorkerResult {
  received: number;
  lost: number;
  reordered: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  watcherErrors: number;
  firstError?: string;
  /** Time from `finish` until every watcher had everything (or the drain gave up). */
  drainMs: number;
}

const BIN_MS = 0.1;
const BINS = 600_000; // 60 s
const histogram = new Uint32Array(BINS + 1);
let maxLatency = 0;
let recorded = 0;

interface WatcherState {
  lastRv: number;
  received: number;
  reordered: number;
  buffer: string;
}

function record(latencyMs: number): void {
  const bin = Math.max(0, Math.min(BINS, Math.floor(latencyMs / BIN_MS)));
  histogram[bin] = (histogram[bin] ?? 0) + 1;
  recorded++;
  if (latencyMs > maxLatency) maxLatency = latencyMs;
}

function histogramQuantile(q: number, total: number): number {
  if (total === 0) return 0;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i <= BINS; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return (i + 1) * BIN_MS;
  }
  return maxLatency;
}

const input = workerData as WatchWorkerInput;
const escapedKey = input.sentAnnotation.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const sentRe = new RegExp(`"${escapedKey}":"([0-9.]+)"`);
const rvRe = /"resourceVersion":"(\d+)"/;
const typeRe = /^\{"type":"([A-Z]+)"/;

const states: WatcherState[] = [];
let watcherErrors = 0;
let firstError: string | undefined;
let totalReceived = 0;
let expected = Infinity;
let onProgress: (() => void) | undefined;

function fail(message: string): void {
  watcherErrors++;
  firstError ??= message;
}

function handleLine(state: WatcherState, line: string): void {
  if (line === '') return;
  const now = nowEpochMs();
  let type = typeRe.exec(line)?.[1];
  let rvText = rvRe.exec(line)?.[1];
  let sentText = sentRe.exec(line)?.[1];
  if (type === undefined || rvText === undefined) {
    // Field order differs from the fast path: fall back to a full parse.
    const ev = JSON.parse(line) as { type?: string; object?: { metadata?: { resourceVersion?: string; annotations?: Record<string, string> } } };
    type = ev.type;
    rvText = ev.object?.metadata?.resourceVersion;
    sentText = ev.object?.metadata?.annotations?.[input.sentAnnotation];
  }
  if (type === 'BOOKMARK') return;
  if (type !== 'ADDED') {
    fail(`unexpected watch event ${type}: ${line.slice(0, 200)}`);
    return;
  }
  const rv = Number(rvText);
  if (!(rv > state.lastRv)) state.reordered++;
  state.lastRv = Math.max(state.lastRv, rv);
  state.received++;
  totalReceived++;
  if (sentText !== undefined) record(now - Number(sentText));
}

function openWatcher(agent: Agent, url: URL): Promise<void> {
  const state: WatcherState = { lastRv: 0, received: 0, reordered: 0, buffer: '' };
  states.push(state);
  return new Promise((resolve, reject) => {
    const req = request({ agent, method: 'GET', host: url.hostname, port: url.port, path: url.pathname + url.search, headers: { accept: 'application/json' } }, (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => reject(new Error(`watch answered ${res.statusCode}: ${body.slice(0, 300)}`)));
        return;
      }
      resolve();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const lines = (state.buffer + chunk).split('\n');
        state.buffer = lines.pop() ?? '';
        for (const line of lines) handleLine(state, line);
        onProgress?.();
      });
      res.on('end', () => {
        if (state.received < expected) fail('watch stream ended early');
      });
      res.on('error', (err) => fail(err.message));
    });
    req.on('error', (err) => {
      fail(err.message);
      reject(err);
    });
    req.end();
  });
}

function allDelivered(): boolean {
  return states.every((s) => s.received >= expected);
}

async function main(): Promise<void> {
  const url = new URL(input.url);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity, ...input.tls });
  // Open in waves so the server is not hit by a thousand TLS handshakes in one tick.
  for (let i = 0; i < input.watchers; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, input.watchers - i) }, () => openWatcher(agent, url)));
  }
  parentPort?.postMessage({ type: 'ready' });

  const finish = await new Promise<{ expected: number }>((resolve) => parentPort?.once('message', resolve));
  expected = finish.expected;
  const drainStart = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, input.drainMs);
    function done(): void {
      clearTimeout(timer);
      onProgress = undefined;
      resolve();
    }
    onProgress = () => {
      if (allDelivered()) done();
    };
    onProgress();
  });
  const drainMs = performance.now() - drainStart;

  const lost = states.reduce((sum, s) => sum + Math.max(0, expected - s.received), 0);
  const reordered = states.reduce((sum, s) => sum + s.reordered, 0);
  const result: WatchWorkerResult = {
    received: totalReceived,
    lost,
    reordered,
    p50Ms: round(histogramQuantile(0.5, recorded)),
    p99Ms: round(histogramQuantile(0.99, recorded)),
    maxMs: round(maxLatency),
    watcherErrors,
    ...(firstError ? { firstError } : {}),
    drainMs: round(drainMs),
  };
  parentPort?.postMessage({ type: 'result', result });
  agent.destroy();
}

main().catch((err: unknown) => parentPort?.postMessage({ type: 'error', error: err instanceof Error ? err.stack ?? err.message : String(err) }));
