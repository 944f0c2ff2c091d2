/**
 * Streams a watch as upstream does: HTTP 200, chunked, one JSON event per line
 * (`{"type":"ADDED","object":{...}}`), flushed as it happens. Errors after the stream started become an
 * ERROR event carrying a Status, then the stream ends. A client that stops reading is cut off once its
 * socket buffer passes a bound, so one slow watcher never holds memory for everyone.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { encodeServed } from '../../registry/codec.js';
import { watchObjects, type ApiWatchEvent } from '../../registry/store-read.js';
import type { GenericStore } from '../../registry/store.js';
import type { WatchOptions } from '../../registry/options.js';
import { toStatus } from '../http.js';

/** Bytes a watcher may have queued in its socket before it counts as too slow. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** Encoded event lines, shared by every watcher that receives the same stored value. */
const lines = new WeakMap<object, Map<string, string>>();

function eventLine(ev: ApiWatchEvent): string {
  if (!ev.kv || ev.type === 'DELETED') return `{"type":"${ev.type}","object":${JSON.stringify(ev.object)}}\n`;
  let byType = lines.get(ev.kv);
  if (!byType) {
    byType = new Map();
    lines.set(ev.kv, byType);
  }
  let line = byType.get(ev.type);
  if (line === undefined) {
    line = `{"type":"${ev.type}","object":${encodeServed(ev.kv)}}\n`;
    byType.set(ev.type, line);
  }
  return line;
}

export async function serveWatch(
  req: IncomingMessage,
  res: ServerResponse,
  store: GenericStore,
  namespace: string | undefined,
  opts: WatchOptions,
  onClose: () => void,
  /** How each event is written (Table watches encode rows instead of objects). */
  encode: (ev: ApiWatchEvent) => string = eventLine,
): Promise<void> {
  let ended = false;
  let timer: NodeJS.Timeout | undefined;
  const finish = (): void => {
    if (ended) return;
    ended = true;
    if (timer) clearTimeout(timer);
    watch?.stop();
    if (!res.writableEnded) res.end();
    onClose();
  };
  const started = (): void => {
    if (!res.headersSent) {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
      res.flushHeaders();
    }
  };
  let corked = false;
  const send = (ev: ApiWatchEvent): boolean => {
    if (ended) return true;
    started();
    // Events that land in the same tick (a group commit) leave in one TLS record.
    if (!corked) {
      corked = true;
      res.cork();
      setImmediate(() => {
        corked = false;
        res.uncork();
      });
    }
    res.write(encode(ev));
    return res.writableLength < MAX_BUFFERED_BYTES;
  };
  const done = (err?: unknown): void => {
    if (ended) return;
    if (err) {
      started();
      res.write(`{"type":"ERROR","object":${JSON.stringify(toStatus(err))}}\n`);
    }
    finish();
  };
  let watch: { stop(): void } | undefined;
  req.on('close', finish);
  res.on('error', finish);
  watch = await watchObjects(store, namespace, opts, send, done);
  if (ended) {
    watch.stop();
    return;
  }
  started();
  // Upstream spreads watch timeouts: the requested timeout, or a random 30-60 minutes.
  const seconds = opts.timeoutSeconds ?? 1800 + Math.floor(Math.random() * 1800);
  timer = setTimeout(finish, seconds * 1000);
}
