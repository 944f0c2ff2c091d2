/**
 * CRI container log format, as containerd writes it and upstream's kubelet reads it
 * (pkg/kubelet/kuberuntime/logs): one record per line,
 *
 *   2016-10-06T00:17:09.669794202Z stdout F message
 *
 * `F` ends a line, `P` is a partial line that the next record(s) of the same stream continue.
 * This file holds the pure parts: parsing records, joining partial records into log lines, and
 * the per-line filters (since, timestamps) of `kubectl logs`.
 */

export type LogStream = 'stdout' | 'stderr';

export interface LogRecord {
  /** The timestamp text exactly as written (RFC3339Nano). */
  timestamp: string;
  /** Milliseconds since the epoch (sub-millisecond digits dropped). */
  timeMs: number;
  stream: LogStream;
  partial: boolean;
  message: string;
}

/** One whole log line: partial records joined, stamped with the first record's time. */
export interface LogLine {
  timestamp: string;
  timeMs: number;
  stream: LogStream;
  /** The text without its trailing newline. */
  text: string;
}

/** Parses one record (without its newline); undefined for lines that are not CRI records. */
export function parseCriRecord(line: string): LogRecord | undefined {
  const a = line.indexOf(' ');
  if (a <= 0) return undefined;
  const b = line.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  const stream = line.slice(a + 1, b);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  const timestamp = line.slice(0, a);
  const timeMs = Date.parse(timestamp);
  if (Number.isNaN(timeMs)) return undefined;
  // Tag field: "F" or "P", possibly followed by ":"-separated extra tags (CRI allows them).
  const c = line.indexOf(' ', b + 1);
  const tag = c < 0 ? line.slice(b + 1) : line.slice(b + 1, c);
  const partial = tag.split(':')[0] === 'P';
  const message = c < 0 ? '' : line.slice(c + 1);
  return { timestamp, timeMs, stream, partial, message };
}

/**
 * Joins records into lines. Partial records are held per stream until the record that ends them;
 * stdout and stderr interleave in file order. Feed records with `push`, collect finished lines.
 */
export class LineAssembler {
  private readonly pending = new Map<LogStream, LogRecord[]>();

  /** Returns the line this record completes, if any. */
  push(rec: LogRecord): LogLine | undefined {
    const held = this.pending.get(rec.stream);
    if (rec.partial) {
      if (held) held.push(rec);
      else this.pending.set(rec.stream, [rec]);
      return undefined;
    }
    if (!held) return { timestamp: rec.timestamp, timeMs: rec.timeMs, stream: rec.stream, text: rec.message };
    this.pending.delete(rec.stream);
    const first = held[0]!;
    return { timestamp: first.timestamp, timeMs: first.timeMs, stream: rec.stream, text: held.map((r) => r.message).join('') + rec.message };
  }

  /** Lines still partial when the log ends (a container killed mid-line): emitted as they are. */
  flush(): LogLine[] {
    const out: LogLine[] = [];
    for (const [stream, held] of this.pending) {
      const first = held[0]!;
      out.push({ timestamp: first.timestamp, timeMs: first.timeMs, stream, text: held.map((r) => r.message).join('') });
    }
    this.pending.clear();
    return out;
  }
}

/** Parses the complete records in `text` (every line ended by "\n") into whole lines. */
export function linesOf(text: string, assembler = new LineAssembler()): LogLine[] {
  const out: LogLine[] = [];
  for (const raw of text.split('\n')) {
    if (raw === '') continue;
    const rec = parseCriRecord(raw);
    if (!rec) continue;
    const line = assembler.push(rec);
    if (line) out.push(line);
  }
  return out;
}

/** The options of upstream's PodLogOptions that shape the bytes of one container's log. */
export interface LogOptions {
  follow?: boolean;
  previous?: boolean;
  tailLines?: number;
  /** Milliseconds since the epoch: only lines at or after it. */
  sinceMs?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

/** The bytes `kubectl logs` shows for one line. */
export function renderLine(line: LogLine, timestamps: boolean | undefined): string {
  return timestamps ? `${line.timestamp} ${line.text}\n` : `${line.text}\n`;
}

function intParam(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name}: must be an integer >= ${min}`);
  return n;
}

function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1' || v === '';
}

/**
 * Parses the query of a log request (follow, previous, tailLines, sinceSeconds, sinceTime,
 * timestamps, limitBytes). `now` fixes "since" relative times. Throws Error with the bad field.
 */
export function parseLogOptions(q: URLSearchParams, now = Date.now()): LogOptions {
  const opts: LogOptions = { follow: boolParam(q, 'follow'), previous: boolParam(q, 'previous'), timestamps: boolParam(q, 'timestamps') };
  const tail = intParam(q, 'tailLines', 0);
  if (tail !== undefined) opts.tailLines = tail;
  const limit = intParam(q, 'limitBytes', 1);
  if (limit !== undefined) opts.limitBytes = limit;
  const sinceSeconds = intParam(q, 'sinceSeconds', 1);
  const sinceTime = q.get('sinceTime');
  if (sinceSeconds !== undefined && sinceTime) throw new Error('at most one of sinceTime or sinceSeconds may be specified');
  if (sinceSeconds !== undefined) opts.sinceMs = now - sinceSeconds * 1000;
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) throw new Error(`sinceTime: invalid time ${JSON.stringify(sinceTime)}`);
    opts.sinceMs = t;
  }
  return opts;
}
