/**
 * The tcpSocket probe (upstream pkg/probe/tcp): success when a TCP connection to host:port opens within
 * the timeout; the failure message is Go's dial error (`dial tcp 10.42.0.5:80: connect: connection refused`,
 * `dial tcp 10.42.0.5:80: i/o timeout`).
 */
import net from 'node:net';
import { joinHostPort } from './http-get.js';
import { dialErrorText } from './net-errors.js';
import type { ProbeOutcome } from './types.js';

export function doTCPProbe(host: string, port: number, timeoutSeconds: number): Promise<ProbeOutcome> {
  const addr = joinHostPort(host, port);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ result: 'failure', message: `dial tcp ${addr}: i/o timeout` });
    }, timeoutSeconds * 1000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ result: 'success', message: '' });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ result: 'failure', message: dialErrorText(err, addr) });
    });
  });
}
