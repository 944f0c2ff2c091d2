import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import { constants, inflateSync } from 'node:zlib';
import { SpdyClientSession, StoredZlibWriter, encodeHeaderBlock, FrameType } from './spdy.js';

/** Parses SPDY frames out of a byte buffer: [{control, type|streamId, flags, payload}]. */
function frames(buf: Buffer): Array<{ control: boolean; type: number; streamId: number; flags: number; payload: Buffer }> {
  const out = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32BE(off + 4) & 0xffffff;
    const control = (buf[off]! & 0x80) !== 0;
    const payload = buf.subarray(off + 8, off + 8 + len);
    out.push({ control, type: control ? buf.readUInt16BE(off + 2) : 0, streamId: control ? 0 : buf.readUInt32BE(off) & 0x7fffffff, flags: buf[off + 4]!, payload });
    off += 8 + len;
  }
  return out;
}

function controlFrame(type: number, flags: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8003, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE((flags << 24) | payload.length, 4);
  return Buffer.concat([head, payload]);
}

function dataFrame(id: number, flags: number, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(id, 0);
  head.writeUInt32BE((flags << 24) | data.length, 4);
  return Buffer.concat([head, data]);
}

test('header blocks form one zlib stream that a standard inflater reads block by block', () => {
  const w = new StoredZlibWriter();
  const a = encodeHeaderBlock({ streamType: 'error' });
  const b = encodeHeaderBlock({ streamtype: 'stdout', port: '8080' });
  const big = encodeHeaderBlock({ x: 'y'.repeat(70_000) }); // spans two stored blocks
  const first = w.next(a);
  const second = w.next(b);
  const third = w.next(big);
  assert.deepEqual(inflateSync(first, { finishFlush: constants.Z_SYNC_FLUSH }), a);
  assert.deepEqual(inflateSync(Buffer.concat([first, second]), { finishFlush: constants.Z_SYNC_FLUSH }), Buffer.concat([a, b]));
  assert.deepEqual(inflateSync(Buffer.concat([first, second, third]), { finishFlush: constants.Z_SYNC_FLUSH }), Buffer.concat([a, b, big]));
  // Each block ends with the sync-flush marker, so inflaters hand out its bytes without waiting.
  assert.deepEqual(second.subarray(-4), Buffer.from([0x00, 0x00, 0xff, 0xff]));
  // SPDY/3 header block: 32-bit count, then 32-bit length-prefixed lower-case names and values.
  assert.deepEqual(a, Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 10]), Buffer.from('streamtype'), Buffer.from([0, 0, 0, 5]), Buffer.from('error')]));
});

test('session: SYN_STREAM per stream, data held until SYN_REPLY, FIN, PING echo, data and end delivered', async () => {
  const received: Buffer[] = [];
  let peer!: Socket;
  const server = createServer((s) => {
    peer = s;
    s.on('data', (d: Buffer) => received.push(d));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const sock = connect(port, '127.0.0.1');
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const session = new SpdyClientSession(sock);
  const error = session.openStream({ streamtype: 'error' });
  const stdin = session.openStream({ streamtype: 'stdin' });
  stdin.write(Buffer.from('early'));
  stdin.end();
  const got: string[] = [];
  let errorEnded = false;
  error.on('data', (d: Buffer) => got.push(d.toString()));
  error.on('end', () => (errorEnded = true));
  const all = (): Buffer => Buffer.concat(received);
  const until = async (cond: () => boolean): Promise<void> => {
    for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
    assert.ok(cond(), 'condition reached');
  };
  await until(() => frames(all()).length >= 2);
  let fs = frames(all());
  assert.deepEqual(fs.map((f) => [f.control, f.type]), [[true, FrameType.SYN_STREAM], [true, FrameType.SYN_STREAM]]);
  assert.deepEqual(fs.map((f) => f.payload.readUInt32BE(0)), [1, 3]);
  const headers = inflateSync(Buffer.concat(fs.map((f) => f.payload.subarray(10))), { finishFlush: constants.Z_SYNC_FLUSH });
  assert.ok(headers.includes(Buffer.from('stdin')));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(frames(all()).length, 2, 'no stdin data before the reply');

  const replyPayload = (id: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id);
    return Buffer.concat([b, Buffer.from([0x78, 0x01, 0x00, 0x04, 0x00, 0xfb, 0xff, 0, 0, 0, 0])]);
  };
  peer.write(controlFrame(FrameType.SYN_REPLY, 0, replyPayload(3)));
  peer.write(controlFrame(FrameType.PING, 0, Buffer.from([0, 0, 0, 2])));
  await until(() => frames(all()).length >= 5);
  fs = frames(all());
  assert.equal(fs[2]!.control, false);
  assert.equal(fs[2]!.streamId, 3);
  assert.equal(fs[2]!.payload.toString(), 'early');
  assert.equal(fs[3]!.streamId, 3);
  assert.equal(fs[3]!.flags & 1, 1, 'FIN after the data');
  assert.equal(fs[3]!.payload.length, 0);
  assert.equal(fs[4]!.type, FrameType.PING);
  assert.equal(fs[4]!.payload.readUInt32BE(0), 2);

  peer.write(controlFrame(FrameType.SYN_REPLY, 0, replyPayload(1)));
  // One data frame split across two TCP writes, then FIN.
  const frame = dataFrame(1, 0, Buffer.from('{"status":"Success"}'));
  peer.write(frame.subarray(0, 5));
  await new Promise((r) => setTimeout(r, 20));
  peer.write(Buffer.concat([frame.subarray(5), dataFrame(1, 1, Buffer.alloc(0))]));
  await until(() => errorEnded);
  assert.deepEqual(got, ['{"status":"Success"}']);

  const closed = new Promise<void>((r) => session.once('close', () => r()));
  peer.destroy();
  await closed;
  assert.equal(session.closed, true);
  server.close();
});
