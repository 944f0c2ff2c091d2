/**
 * One Storage watch as one etcd Watch stream.
 *
 * Input: the etcd key range of a prefix and the interface's fromRevision. The stream is created with
 * start_revision = fromRevision + 1 and prev_kv, so etcd replays history and then follows live
 * writes, in revision order. Output: WatchEvents with the prefix stripped from keys; a watch etcd
 * cancels for compaction ends with StorageError Expired (carrying etcd's compact_revision); a broken
 * stream ends with Unavailable (the caller re-watches from the last revision it saw).
 */
import { StorageError, type KeyValue, type WatchEvent, type WatchOptions, type Watcher } from '../interface.js';
import type { EtcdClient, PbEvent, PbKeyValue, WatchResponse } from './client.js';

export interface EtcdWatchParams {
  client: EtcdClient;
  /** The interface-level prefix (for error messages). */
  prefix: string;
  rangeStart: Buffer;
  rangeEnd: Buffer;
  toKv: (kv: PbKeyValue) => KeyValue;
  progressIntervalMs: number;
}

function toEvent(ev: PbEvent, toKv: (kv: PbKeyValue) => KeyValue): WatchEvent {
  const kv = toKv(ev.kv);
  if (ev.type === 'DELETE') {
    // etcd omits prev_kv only if it was compacted away meanwhile; keep the key so the event stays usable.
    const prevKv = ev.prev_kv ? toKv(ev.prev_kv) : { key: kv.key, value: '', createRevision: 0, modRevision: 0 };
    return { type: 'delete', key: kv.key, prevKv, revision: ev.kv.mod_revision };
  }
  if (ev.prev_kv && ev.kv.version > 1) return { type: 'put', kv, prevKv: toKv(ev.prev_kv), revision: kv.modRevision };
  return { type: 'put', kv, revision: kv.modRevision };
}

export function startEtcdWatch(
  p: EtcdWatchParams,
  opts: WatchOptions,
  onEvent: (ev: WatchEvent) => void,
  onError: (err: Error) => void,
  onEnd: () => void,
): Watcher {
  const stream = p.client.watch();
  let stopped = false;
  let lastActivity = Date.now();
  let progressTimer: NodeJS.Timeout | undefined;

  const finish = (err?: Error) => {
    if (stopped) return;
    stopped = true;
    if (progressTimer) clearInterval(progressTimer);
    stream.cancel();
    onEnd();
    if (err) onError(err);
  };

  stream.on('data', (resp: WatchResponse) => {
    if (stopped) return;
    if (resp.canceled) {
      if (resp.compact_revision > 0) {
        const msg = `required revision ${opts.fromRevision} has been compacted (compacted revision ${resp.compact_revision})`;
        finish(new StorageError('Expired', p.prefix, msg, resp.compact_revision));
      } else {
        finish(new StorageError('Unavailable', p.prefix, `etcd canceled the watch: ${resp.cancel_reason || 'no reason given'}`));
      }
      return;
    }
    if (resp.events.length > 0) {
      lastActivity = Date.now();
      for (const ev of resp.events) {
        if (stopped) return;
        try {
          onEvent(toEvent(ev, p.toKv));
        } catch (err) {
          finish(err instanceof Error ? err : new Error(String(err)));
          return;
        }
      }
    } else if (!resp.created && resp.header && opts.onProgress) {
      lastActivity = Date.now();
      opts.onProgress(resp.header.revision);
    }
  });
  stream.on('error', (err: Error) => finish(new StorageError('Unavailable', p.prefix, `etcd watch stream failed: ${err.message}`)));
  stream.on('end', () => finish(new StorageError('Unavailable', p.prefix, 'etcd closed the watch stream')));

  stream.write({
    create_request: {
      key: p.rangeStart,
      range_end: p.rangeEnd,
      start_revision: opts.fromRevision + 1,
      prev_kv: true,
      progress_notify: Boolean(opts.onProgress),
    },
  });

  if (opts.onProgress) {
    // etcd's own progress notifications are minutes apart; ask for one whenever the watch is idle.
    progressTimer = setInterval(() => {
      if (!stopped && Date.now() - lastActivity >= p.progressIntervalMs) stream.write({ progress_request: {} });
    }, p.progressIntervalMs);
    progressTimer.unref();
  }

  return { stop: () => finish() };
}
