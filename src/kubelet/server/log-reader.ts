/**
 * Reads one container's CRI log file and writes what `kubectl logs` shows: tail, since,
 * timestamps, limitBytes, and follow (new records as containerd appends them, until the client
 * leaves or the container has stopped and the file is drained).
 *
 * Input: the absolute log path, LogOptions, a Writable to write to, an AbortSignal (client gone)
 * and `isRunning` (asked while following). Output: the promise resolves when the stream is done.
 */
import { watch, type FSWatcher } from 'node:fs';
import { open, readFile, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { LineAssembler, linesOf, renderLine, type LogLine, type LogOptions } from './cri-log.js';

export interface FollowControl {
  signal?: AbortSignal;
  /** Asked while following: once false and the file is drained, the stream ends. */
  isRunning?: () => Promise<boolean>;
  /** How often to look for appended bytes when fs.watch says nothing (default 250 ms). */
  pollMs?: number;
  /** How often to ask isRunning (default 1000 ms). */
  runningCheckMs?: number;
}

/** Writes text honouring backpressure; false once the limit is reached or the sink is gone. */
class LimitedSink {
  private written = 0;
  constructor(
    private readonly out: Writable,
    private readonly limit: number | undefined,
  ) {}

  get full(): boolean {
    return (this.limit !== undefined && this.written >= this.limit) || this.out.destroyed || this.out.writableEnded;
  }

  async write(text: string): Promise<boolean> {
    if (this.full) return false;
    let buf = Buffer.from(text, 'utf8');
    if (this.limit !== undefined && this.written + buf.length > this.limit) buf = buf.subarray(0, this.limit - this.written);
    this.written += buf.length;
    if (!this.out.write(buf)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.out.off('drain', done);
          this.out.off('close', done);
          resolve();
        };
        this.out.once('drain', done);
        this.out.once('close', done);
      });
    }
    return !this.full;
  }
}

function selectInitial(lines: LogLine[], opts: LogOptions): LogLine[] {
  let out = opts.sinceMs === undefined ? lines : lines.filter((l) => l.timeMs >= opts.sinceMs!);
  if (opts.tailLines !== undefined) out = opts.tailLines === 0 ? [] : out.slice(-opts.tailLines);
  return out;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** Streams the log at `path` to `out` as described in the file comment. Does not end `out`. */
export async function streamContainerLog(path: string, opts: LogOptions, out: Writable, control: FollowControl = {}): Promise<void> {
  const sink = new LimitedSink(out, opts.limitBytes);
  const assembler = new LineAssembler();
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !opts.follow) throw err;
    content = Buffer.alloc(0);
  }
  // Only whole records are parsed; a record still being written is read again later.
  const lastNewline = content.lastIndexOf(0x0a);
  const offset = lastNewline + 1;
  const parsed = linesOf(content.subarray(0, offset).toString('utf8'), assembler);
  // Without follow, a line left partial (container killed mid-line) is still shown.
  if (!opts.follow) parsed.push(...assembler.flush());
  for (const line of selectInitial(parsed, opts)) if (!(await sink.write(renderLine(line, opts.timestamps)))) return;
  if (!opts.follow) return;
  await follow(path, offset, opts, sink, assembler, control);
}

async function follow(path: string, start: number, opts: LogOptions, sink: LimitedSink, assembler: LineAssembler, control: FollowControl): Promise<void> {
  const signal = control.signal;
  let offset = start;
  let wake: (() => void) | undefined;
  let watcher: FSWatcher | undefined;
  const poke = (): void => wake?.();
  const startWatch = (): void => {
    if (watcher) return;
    try {
      watcher = watch(path, { persistent: false }, poke);
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
      });
    } catch {
      watcher = undefined; // not there yet: polling covers it
    }
  };
  const emitNew = async (): Promise<boolean> => {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch {
      return true;
    }
    try {
      const { size } = await fh.stat();
      if (size < offset) offset = 0; // truncated or replaced: start again from the top
      if (size === offset) return true;
      const buf = Buffer.alloc(size - offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
      const chunk = buf.subarray(0, bytesRead);
      const end = chunk.lastIndexOf(0x0a);
      if (end < 0) return true;
      offset += end + 1;
      for (const line of linesOf(chunk.subarray(0, end + 1).toString('utf8'), assembler)) {
        if (opts.sinceMs !== undefined && line.timeMs < opts.sinceMs) continue;
        if (!(await sink.write(renderLine(line, opts.timestamps)))) return false;
      }
      return true;
    } finally {
      await fh.close();
    }
  };
  const pollMs = control.pollMs ?? 250;
  const checkMs = control.runningCheckMs ?? 1000;
  let lastCheck = Date.now();
  try {
    startWatch();
    for (;;) {
      if (signal?.aborted || sink.full) return;
      if (!(await emitNew())) return;
      if (control.isRunning && Date.now() - lastCheck >= checkMs) {
        lastCheck = Date.now();
        if (!(await control.isRunning())) {
          // Stopped: whatever containerd wrote before the exit is in the file now.
          await emitNew();
          for (const line of assembler.flush()) if (!(await sink.write(renderLine(line, opts.timestamps)))) break;
          return;
        }
      }
      startWatch();
      await new Promise<void>((resolve) => {
        wake = resolve;
        void sleep(Math.min(pollMs, checkMs), signal).then(resolve);
      });
      wake = undefined;
    }
  } finally {
    watcher?.close();
  }
}
