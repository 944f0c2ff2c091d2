/**
 * A minimal SPDY/3.1 client session: just what the API server needs to talk to a container
 * runtime's streaming server (remotecommand v4.channel.k8s.io) after an HTTP Upgrade: open
 * streams with headers (SYN_STREAM), write and half-close them (DATA, FIN), receive their data,
 * answer PINGs. Frame layout per the SPDY/3 draft: control frames `1|version 3|type|flags|len24`,
 * data frames `0|stream id|flags|len24`.
 *
 * Header blocks must be zlib streams shared across the connection. We send ours as zlib *stored*
 * blocks (no compression, no dictionary): a valid continuous zlib stream any SPDY peer inflates.
 * The peer's header blocks (SYN_REPLY) are never needed here, so they are not inflated.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';

const VERSION = 3;
export const FrameType = { SYN_STREAM: 1, SYN_REPLY: 2, RST_STREAM: 3, SETTINGS: 4, PING: 6, GOAWAY: 7, HEADERS: 8, WINDOW_UPDATE: 9 } as const;
const FLAG_FIN = 0x01;
const MAX_DATA = 32 * 1024;

/** Encodes a header block (SPDY/3: 32-bit counts and lengths; names lower-case). */
export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [];
  const entries = Object.entries(headers);
  const count = Buffer.alloc(4);
  count.writeUInt32BE(entries.length);
  parts.push(count);
  for (const [name, value] of entries) {
    for (const s of [name.toLowerCase(), value]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

/** The sending half of the connection's zlib stream, written as stored blocks. */
export class StoredZlibWriter {
  private started = false;

  /** Returns the bytes carrying `data` (≤ 64 KiB per block; longer data spans blocks), sync-flushed. */
  next(data: Buffer): Buffer {
    const parts: Buffer[] = [];
    if (!this.started) {
      parts.push(Buffer.from([0x78, 0x01])); // zlib header: deflate, 32K window, no dictionary
      this.started = true;
    }
    for (let off = 0; off < data.length || off === 0; off += 0xffff) {
      const chunk = data.subarray(off, off + 0xffff);
      const head = Buffer.alloc(5);
      head[0] = 0x00; // BFINAL=0, BTYPE=00 (stored), padded to the byte boundary
      head.writeUInt16LE(chunk.length, 1);
      head.writeUInt16LE(~chunk.length & 0xffff, 3);
      parts.push(head, chunk);
      if (data.length === 0) break;
    }
    // A sync flush (an empty stored block), as zlib's Z_SYNC_FLUSH ends each header block: inflaters
    // hand out a stored block's bytes only once they see the next block start.
    parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(parts);
  }
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE(((flags & 0xff) << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head.writeUInt32BE(((flags & 0xff) << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

/** One client-initiated stream. Emits 'data' (Buffer) and 'end' (peer finished or reset). */
export class SpdyStream extends EventEmitter {
  replied = false;
  remoteEnded = false;
  localEnded = false;
  private queued: Buffer[] = [];
  private endQueued = false;

  constructor(
    readonly id: number,
    private readonly session: SpdyClientSession,
  ) {
    super();
  }

  /** Data is held until the peer's SYN_REPLY, as Go clients wait for it before writing. */
  write(data: Buffer): void {
    if (this.localEnded || this.endQueued) return;
    if (!this.replied) {
      this.queued.push(Buffer.from(data));
      return;
    }
    this.sendData(data);
  }

  private sendData(data: Buffer): void {
    for (let off = 0; off < data.length; off += MAX_DATA) this.session.send(dataFrame(this.id, 0, data.subarray(off, off + MAX_DATA)));
  }

  /** Half-closes our side (an empty DATA frame with FIN). */
  end(): void {
    if (this.localEnded) return;
    if (!this.replied) {
      this.endQueued = true;
      return;
    }
    this.localEnded = true;
    this.session.send(dataFrame(this.id, FLAG_FIN, Buffer.alloc(0)));
  }

  /** @internal */
  onReply(fin: boolean): void {
    if (this.replied) return;
    this.replied = true;
    const queued = this.queued;
    this.queued = [];
    for (const q of queued) this.sendData(q);
    if (this.endQueued) {
      this.endQueued = false;
      this.end();
    }
    if (fin) this.onRemoteEnd();
  }

  /** @internal */
  onRemoteEnd(): void {
    if (this.remoteEnded) return;
    this.remoteEnded = true;
    this.emit('end');
  }
}

/**
 * The client side of a SPDY/3.1 connection over `socket` (already past the HTTP 101).
 * `initial` holds bytes read together with the 101 response. Emits 'close' once the socket is gone.
 */
export class SpdyClientSession extends EventEmitter {
  private readonly streams = new Map<number, SpdyStream>();
  private readonly zlib = new StoredZlibWriter();
  private nextId = 1;
  private buf: Buffer = Buffer.alloc(0);
  closed = false;
  goneAway = false;

  constructor(private readonly socket: Duplex, initial?: Buffer) {
    super();
    socket.on('data', (chunk: Buffer) => this.onBytes(chunk));
    const done = (): void => this.shutdown();
    socket.on('close', done);
    socket.on('end', done);
    socket.on('error', done);
    if (initial && initial.length > 0) this.onBytes(initial);
  }

  /** Opens a stream (SYN_STREAM) carrying `headers`. */
  openStream(headers: Record<string, string>): SpdyStream {
    const id = this.nextId;
    this.nextId += 2;
    const stream = new SpdyStream(id, this);
    this.streams.set(id, stream);
    const ids = Buffer.alloc(10);
    ids.writeUInt32BE(id, 0);
    ids.writeUInt32BE(0, 4); // associated-to stream
    ids.writeUInt16BE(0, 8); // priority 0, slot 0
    this.send(controlFrame(FrameType.SYN_STREAM, 0, Buffer.concat([ids, this.zlib.next(encodeHeaderBlock(headers))])));
    return stream;
  }

  /** @internal */
  send(frame: Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(frame);
  }

  close(): void {
    if (this.closed) return;
    const goaway = Buffer.alloc(8); // last good stream 0, status OK
    this.send(controlFrame(FrameType.GOAWAY, 0, goaway));
    this.socket.end();
    this.shutdown();
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.onRemoteEnd();
    this.socket.destroy();
    this.emit('close');
  }

  private onBytes(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= 8) {
      const len = this.buf.readUInt32BE(4) & 0xffffff;
      if (this.buf.length < 8 + len) return;
      const frame = this.buf.subarray(0, 8 + len);
      this.buf = this.buf.subarray(8 + len);
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    const flags = frame[4]!;
    const payload = frame.subarray(8);
    if ((frame[0]! & 0x80) === 0) {
      const stream = this.streams.get(frame.readUInt32BE(0) & 0x7fffffff);
      if (!stream) return;
      if (payload.length > 0) stream.emit('data', Buffer.from(payload));
      if (flags & FLAG_FIN) stream.onRemoteEnd();
      return;
    }
    const type = frame.readUInt16BE(2);
    switch (type) {
      case FrameType.SYN_REPLY:
        this.streams.get(payload.readUInt32BE(0) & 0x7fffffff)?.onReply((flags & FLAG_FIN) !== 0);
        break;
      case FrameType.RST_STREAM: {
        const stream = this.streams.get(payload.readUInt32BE(0) & 0x7fffffff);
        if (stream) {
          stream.replied = true;
          stream.onRemoteEnd();
        }
        break;
      }
      case FrameType.HEADERS:
        if (flags & FLAG_FIN) this.streams.get(payload.readUInt32BE(0) & 0x7fffffff)?.onRemoteEnd();
        break;
      case FrameType.PING:
        // Our pings would be odd; an even id is the peer's, answered with the same frame.
        if ((payload.readUInt32BE(0) & 1) === 0) this.send(Buffer.from(frame));
        break;
      case FrameType.GOAWAY:
        this.goneAway = true;
        this.emit('goaway');
        break;
      case FrameType.SYN_STREAM: {
        // Server-initiated streams are not part of remotecommand: refuse (RST_STREAM REFUSED_STREAM=3).
        const rst = Buffer.alloc(8);
        rst.writeUInt32BE(payload.readUInt32BE(0) & 0x7fffffff, 0);
        rst.writeUInt32BE(3, 4);
        this.send(controlFrame(FrameType.RST_STREAM, 0, rst));
        break;
      }
      default:
        break; // SETTINGS, WINDOW_UPDATE: no flow control is enforced by the peers we talk to
    }
  }
}
