/**
 * Reads one container's CRI log file and writes what `kubectl logs` shows: tail, since,
 * timestamps, limitBytes, and follow (new records as containerd appends them, until the client
 * leaves or the container has stopped and the file is drained).
 *
 * Input: the absolute log path, LogOptions, a Writable to write to, an AbortSignal (client gone)
 * and `isRunning` (asked while following). Output: the promise resolves when the stream is done.
 */
import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
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

const CHUNK = 64 * 1024;

/**
 * Where reading must start so that the last `tail` lines are all there: walks back from `size` in
 * chunks until more than `tail` whole (F) records lie after a record boundary. Returns 0 when the
 * file is short. Partial (P) records just before the boundary belong to a line that is dropped anyway.
 */
async function tailStart(fh: FileHandle, size: number, tail: number): Promise<number> {
  let start = size;
  let buf = Buffer.alloc(0);
  while (start > 0) {
    const len = Math.min(CHUNK, start);
    start -= len;
    const chunk = Buffer.alloc(len);
    await fh.read(chunk, 0, len, start);
    buf = Buffer.concat([chunk, buf]);
    const firstBoundary = start === 0 ? 0 : buf.indexOf(0x0a) + 1;
    if (firstBoundary <= 0) continue;
    let whole = 0;
    for (const raw of buf.subarray(firstBoundary).toString('utf8').split('\n')) if (/^\S+ (stdout|stderr) F/.test(raw)) whole++;
    if (whole > tail) return start + firstBoundary;
  }
  return 0;
}

/** Streams the log at `path` to `out` as described in the file comment. Does not end `out`. */
export async function streamContainerLog(path: string, opts: LogOptions, out: Writable, control: FollowControl = {}): Promise<void> {
  const sink = new LimitedSink(out, opts.limitBytes);
  const assembler = new LineAssembler();
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !opts.follow) throw err;
    return follow(path, 0, opts, sink, assembler, control);
  }
  let offset = 0;
  try {
    const { size } = await fh.stat();
    // Without tail the file is streamed chunk by chunk; with tail only its end is read.
    offset = opts.tailLines === undefined ? 0 : await tailStart(fh, size, opts.tailLines);
    const held: LogLine[] = [];
    const emit = async (lines: LogLine[]): Promise<boolean> => {
      for (const line of lines) {
        if (opts.sinceMs !== undefined && line.timeMs < opts.sinceMs) continue;
        if (opts.tailLines !== undefined) held.push(line);
        else if (!(await sink.write(renderLine(line, opts.timestamps)))) return false;
      }
      return true;
    };
    let carry = Buffer.alloc(0);
    while (offset + carry.length < size) {
      const len = Math.min(CHUNK, size - offset - carry.length);
      const chunk = Buffer.alloc(len);
      const { bytesRead } = await fh.read(chunk, 0, len, offset + carry.length);
      if (bytesRead === 0) break;
      const buf = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      // Only whole records are parsed; a record still being written is read again later.
      const end = buf.lastIndexOf(0x0a) + 1;
      if (!(await emit(linesOf(buf.subarray(0, end).toString('utf8'), assembler)))) return;
      offset += end;
      carry = buf.subarray(end);
    }
    // Without follow, a line left partial (container killed mid-line) is still shown.
    if (!opts.follow && !(await emit(assembler.flush()))) return;
    if (opts.tailLines !== undefined) {
      for (const line of opts.tailLines === 0 ? [] : held.slice(-opts.tailLines)) if (!(await sink.write(renderLine(line, opts.timestamps)))) return;
    }
  } finally {
    await fh.close();
  }
  if (opts.follow) await follow(path, offset, opts, sink, assembler, control);
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
  // One open handle is followed; when the path names another file (the log manager rotated it and
  // containerd reopened), the old one is drained first, then reading goes on from the new file's start.
  let fh: FileHandle | undefined;
  let ino = -1;
  const openCurrent = async (): Promise<boolean> => {
    try {
      const handle = await open(path, 'r');
      ino = (await handle.stat()).ino;
      fh = handle;
      return true;
    } catch {
      return false; // not there yet
    }
  };
  const readNew = async (handle: FileHandle): Promise<boolean> => {
    const { size } = await handle.stat();
    if (size < offset) offset = 0; // truncated: start again from the top
    if (size === offset) return true;
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
    const chunk = buf.subarray(0, bytesRead);
    const end = chunk.lastIndexOf(0x0a);
    if (end < 0) return true;
    offset += end + 1;
    for (const line of linesOf(chunk.subarray(0, end + 1).toString('utf8'), assembler)) {
      if (opts.sinceMs !== undefined && line.timeMs < opts.sinceMs) continue;
      if (!(await sink.write(renderLine(line, opts.timestamps)))) return false;
    }
    return true;
  };
  const emitNew = async (): Promise<boolean> => {
    if (!fh && !(await openCurrent())) return true;
    if (!(await readNew(fh!))) return false;
    const now = await stat(path).catch(() => undefined);
    if (!now || now.ino === ino) return true;
    // Rotated: containerd has reopened, so the old file is final once drained.
    if (!(await readNew(fh!))) return false;
    await fh!.close();
    fh = undefined;
    offset = 0;
    watcher?.close();
    watcher = undefined;
    if (!(await openCurrent())) return true;
    return readNew(fh!);
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
    await fh?.close();
  }
}
