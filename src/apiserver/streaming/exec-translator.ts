/**
 * Translates a client's WebSocket remotecommand session (v5.channel.k8s.io, what kubectl 1.32
 * speaks for exec/attach/cp) into the SPDY remotecommand protocol v4.channel.k8s.io that container
 * runtimes' streaming servers know, as upstream's API server does (StreamTranslatorHandler).
 *
 * WebSocket side: binary messages whose first byte is the channel — 0 stdin, 1 stdout, 2 stderr,
 * 3 error (a v1 Status: Success, or NonZeroExitCode with an ExitCode cause), 4 resize
 * ({"Width":W,"Height":H}); v5 adds [255, channel] = that channel is closed (stdin EOF).
 * SPDY side: one stream per channel, each opened with header `streamType` (error first, then
 * stdin, stdout, stderr, resize), stdin half-closed on EOF.
 */
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import { SpdyClientSession, type SpdyStream } from './spdy.js';

export const Channel = { stdin: 0, stdout: 1, stderr: 2, error: 3, resize: 4, close: 255 } as const;

export interface StreamSelection {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/**
 * Runs the translation until either side goes away. `backend` is the runtime connection right after
 * its 101 answer to `X-Stream-Protocol-Version: v4.channel.k8s.io`; `initial` = bytes already read.
 */
export function translateWebSocketToSpdy(ws: WebSocket, backend: Duplex, initial: Buffer, io: StreamSelection): void {
  const session = new SpdyClientSession(backend, initial);
  const open = (type: string): SpdyStream => session.openStream({ streamtype: type });
  const error = open('error');
  const stdin = io.stdin ? open('stdin') : undefined;
  const stdout = io.stdout ? open('stdout') : undefined;
  // With a terminal, stderr is merged into stdout: no stream, as upstream's clients do.
  const stderr = io.stderr && !io.tty ? open('stderr') : undefined;
  const resize = io.tty ? open('resize') : undefined;

  // Backpressure both ways: stop reading one side while the other has megabytes queued.
  const HIGH = 4 << 20;
  const forward = (stream: SpdyStream | undefined, channel: number): void => {
    stream?.on('data', (data: Buffer) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(Buffer.concat([Buffer.from([channel]), data]));
      if (ws.bufferedAmount > HIGH && !backend.isPaused()) {
        backend.pause();
        const wait = setInterval(() => {
          if (ws.readyState !== ws.OPEN || ws.bufferedAmount < HIGH / 4) {
            clearInterval(wait);
            backend.resume();
          }
        }, 20);
      }
    });
  };
  forward(stdout, Channel.stdout);
  forward(stderr, Channel.stderr);
  forward(error, Channel.error);

  ws.on('message', (raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean) => {
    const data = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw as ArrayBuffer);
    if (!isBinary || data.length === 0) return;
    const channel = data[0]!;
    const payload = data.subarray(1);
    if (channel === Channel.stdin) {
      stdin?.write(payload);
      if (backend.writableLength > HIGH && !ws.isPaused) {
        ws.pause();
        backend.once('drain', () => ws.resume());
      }
    }
    else if (channel === Channel.resize) resize?.write(payload);
    else if (channel === Channel.close && payload[0] === Channel.stdin) stdin?.end();
  });

  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    // The runtime writes the exit status on the error stream and then closes the connection.
    if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close(1000);
    session.close();
  };
  session.on('close', finish);
  ws.on('close', () => {
    finished = true;
    session.close();
  });
  ws.on('error', () => session.close());
}
