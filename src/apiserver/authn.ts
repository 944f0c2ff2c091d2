/**
 * API server authentication: who is making this request?
 *
 * Input: an incoming request on the HTTPS server, which must be created with
 * `requestCert: true, rejectUnauthorized: false, ca: [caCertPem]` so TLS asks for — but does not
 * insist on — a client certificate and verifies any it gets against the cluster CA.
 * Output: a UserInfo, or undefined for an anonymous request.
 *
 * Authenticators, in upstream's order (x509 first, then bearer tokens):
 * - x509: a client certificate the TLS layer verified (chain to the CA, validity, clientAuth usage)
 *   gives username = CN and groups = every O.
 * - bearer token: `Authorization: Bearer <token>` looked up in a static token map (the hook for node
 *   join tokens), then handed to the async token authenticators (service-account JWTs, see
 *   sa-token/authenticator.ts) by `authenticateWithTokens`. A bearer token nobody accepts is a 401
 *   even on paths open to anonymous users, as upstream.
 * Every authenticated user also gets the group `system:authenticated`, as upstream adds it.
 *
 * Anonymous requests are answered 401 Unauthorized except on the health and version endpoints
 * (upstream's `system:public-info-viewer` paths), see isAnonymousAllowed.
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { StatusError } from '../machinery/errors.js';

export interface UserInfo {
  username: string;
  groups: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export const AUTHENTICATED_GROUP = 'system:authenticated';

/** Reads a certificate subject attribute that Node gives as a string, or an array when repeated. */
function attributeValues(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** The user with `system:authenticated` added, as upstream's authenticator chain adds it. */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  return user.groups.includes(AUTHENTICATED_GROUP) ? user : { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}

/**
 * The certificate identity of each TLS connection, computed once: a keep-alive connection carries
 * many requests, all from the party that proved the key in the handshake (TLS 1.3 has no
 * renegotiation; under TLS 1.2 only that same party could renegotiate).
 */
const identityBySocket = new WeakMap<object, UserInfo | null>();

function fromClientCertificate(req: IncomingMessage): UserInfo | undefined {
  const socket = req.socket;
  const cached = identityBySocket.get(socket);
  if (cached !== undefined) return cached ?? undefined;
  const identity = certificateIdentity(socket as Partial<TLSSocket>);
  identityBySocket.set(socket, identity ?? null);
  return identity;
}

function certificateIdentity(socket: Partial<TLSSocket>): UserInfo | undefined {
  // Plain HTTP sockets have neither field; TLS sockets without a verified certificate have authorized=false.
  if (socket.authorized !== true || typeof socket.getPeerCertificate !== 'function') return undefined;
  const cert = socket.getPeerCertificate(false);
  if (!cert || !cert.subject) return undefined;
  const subject = cert.subject as unknown as Record<string, string | string[] | undefined>;
  const username = attributeValues(subject.CN)[0];
  if (!username) return undefined;
  return { username, groups: attributeValues(subject.O) };
}

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerTokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] || undefined;
}

function fromBearerToken(req: IncomingMessage, tokens: ReadonlyMap<string, UserInfo>): UserInfo | undefined {
  const token = bearerTokenOf(req);
  return token === undefined ? undefined : tokens.get(token);
}

/** Judges a bearer token: the user it proves, or undefined when this authenticator does not accept it. */
export type TokenAuthenticator = (token: string) => Promise<UserInfo | undefined>;

/**
 * Like authenticateRequest, then tries the async token authenticators in order. `rejected` is set
 * when the request carried a bearer token that no authenticator accepted (answer 401).
 */
export async function authenticateWithTokens(req: IncomingMessage, authenticators: TokenAuthenticator[], tokens?: ReadonlyMap<string, UserInfo>): Promise<{ user?: UserInfo; rejected: boolean }> {
  const user = authenticateRequest(req, tokens);
  if (user) return { user, rejected: false };
  const token = bearerTokenOf(req);
  if (token === undefined) return { rejected: false };
  for (const authenticate of authenticators) {
    const found = await authenticate(token);
    if (found) return { user: withAuthenticatedGroup(found), rejected: false };
  }
  return { rejected: true };
}

/** The authenticated user of this request, or undefined when it is anonymous. */
export function authenticateRequest(req: IncomingMessage, tokens?: ReadonlyMap<string, UserInfo>): UserInfo | undefined {
  const user = fromClientCertificate(req) ?? (tokens ? fromBearerToken(req, tokens) : undefined);
  return user ? withAuthenticatedGroup(user) : undefined;
}

const ANONYMOUS_PATHS = new Set(['/healthz', '/livez', '/readyz', '/version', '/version/']);
const ANONYMOUS_PREFIXES = ['/healthz/', '/livez/', '/readyz/'];

/** Whether an anonymous request may reach `path` (query string allowed, it is ignored). */
export function isAnonymousAllowed(path: string): boolean {
  const q = path.indexOf('?');
  const p = q === -1 ? path : path.slice(0, q);
  return ANONYMOUS_PATHS.has(p) || ANONYMOUS_PREFIXES.some((prefix) => p.startsWith(prefix));
}

/** The 401 upstream answers to an unauthenticated request: Status reason Unauthorized, message `Unauthorized`. */
export function unauthorized(): StatusError {
  return new StatusError('Unauthorized', 'Unauthorized');
}
