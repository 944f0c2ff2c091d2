/**
 * Node socket errors rendered as Go's net package prints them, so probe messages (and the Unhealthy
 * events carrying them) read as upstream's: `dial tcp 10.42.0.5:8080: connect: connection refused`.
 */

const SYSCALL_TEXT: Record<string, string> = {
  ECONNREFUSED: 'connect: connection refused',
  EHOSTUNREACH: 'connect: no route to host',
  ENETUNREACH: 'connect: network is unreachable',
  EADDRNOTAVAIL: 'connect: cannot assign requested address',
  ETIMEDOUT: 'i/o timeout',
};

/** The text of a failed connection to `addr` (`host:port`). */
export function dialErrorText(err: NodeJS.ErrnoException, addr: string): string {
  const code = err.code ?? '';
  if (code in SYSCALL_TEXT) return `dial tcp ${addr}: ${SYSCALL_TEXT[code]}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `dial tcp: lookup ${addr.replace(/:\d+$/, '')}: no such host`;
  if (code === 'ECONNRESET') return `read tcp ${addr}: read: connection reset by peer`;
  if (code === 'EPIPE') return `write tcp ${addr}: write: broken pipe`;
  return err.message;
}
