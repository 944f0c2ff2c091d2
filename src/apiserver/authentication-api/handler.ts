/**
 * authentication.k8s.io/v1, the two virtual create-only resources upstream serves from the
 * authenticator rather than from storage:
 * - `tokenreviews`: "who is this bearer token?" (spec.token, optional spec.audiences) answered with
 *   status.authenticated, status.user and status.audiences — what webhook authenticators such as
 *   metrics-server's or kube-rbac-proxy's delegation ask.
 * - `selfsubjectreviews`: "who am I?" — status.userInfo of the requester (`kubectl auth whoami`).
 *
 * Inputs: the parsed request, the requester, a token authenticator taking the audiences to accept.
 * Output: the review with its status (201). `AUTHENTICATION_KINDS` are the discovery entries.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KindDefinition } from '../../api/types.js';
import { StatusError, invalid } from '../../machinery/errors.js';
import type { UserInfo } from '../authn.js';
import { decodeBody, readBody, sendJson } from '../http.js';
import type { ResourceRequest } from '../request-info.js';

export const AUTHENTICATION_GROUP = 'authentication.k8s.io';
const VERSION = 'v1';
const API_VERSION = `${AUTHENTICATION_GROUP}/${VERSION}`;

function reviewKind(kind: string, plural: string): KindDefinition {
  return {
    resource: { group: AUTHENTICATION_GROUP, version: VERSION, kind, listKind: `${kind}List`, plural, singular: plural.slice(0, -1), namespaced: false, shortNames: [], categories: [], verbs: ['create'], subresources: [] },
    model: `V1${kind}`,
    hasStatus: true,
    hasSpec: true,
  };
}

/** Discovery entries only: the handler below serves them. */
export const AUTHENTICATION_KINDS: KindDefinition[] = [reviewKind('SelfSubjectReview', 'selfsubjectreviews'), reviewKind('TokenReview', 'tokenreviews')];

/** Judges a token against the audiences it must carry (the API server's own when none are given). */
export type AudienceTokenAuthenticator = (token: string, audiences?: string[]) => Promise<{ user: UserInfo; audiences: string[] } | undefined>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function userInfo(user: UserInfo): Record<string, unknown> {
  return { username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: [...user.groups], ...(user.extra ? { extra: user.extra } : {}) };
}

export async function handleAuthenticationReview(req: IncomingMessage, res: ServerResponse, info: ResourceRequest, user: UserInfo | undefined, authenticate: AudienceTokenAuthenticator): Promise<{ verb: string; code: number }> {
  const known = info.version === VERSION && (info.resource === 'tokenreviews' || info.resource === 'selfsubjectreviews');
  if (!known || info.namespace || info.subresource) throw new StatusError('NotFound', 'the server could not find the requested resource');
  if (req.method !== 'POST' || info.name) throw new StatusError('MethodNotAllowed', `the server does not allow this method on the requested resource`);
  const raw = await readBody(req);
  const metadata = { creationTimestamp: null };
  if (info.resource === 'selfsubjectreviews') {
    // The body carries nothing (kubectl sends it as protobuf): the answer is the requester.
    if (!user) throw new StatusError('Unauthorized', 'Unauthorized');
    sendJson(res, 201, { kind: 'SelfSubjectReview', apiVersion: API_VERSION, metadata, status: { userInfo: userInfo(user) } });
    return { verb: 'CREATE', code: 201 };
  }
  const body = decodeBody(raw, req.headers['content-type']).value;
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  const token = typeof spec.token === 'string' ? spec.token : '';
  if (!token) throw invalid('TokenReview', AUTHENTICATION_GROUP, '', [{ type: 'Required', field: 'spec.token' }]);
  const audiences = Array.isArray(spec.audiences) && spec.audiences.every((a) => typeof a === 'string') && spec.audiences.length > 0 ? (spec.audiences as string[]) : undefined;
  const found = await authenticate(token, audiences);
  const status = found ? { authenticated: true, user: userInfo(found.user), audiences: found.audiences } : { user: {}, error: 'invalid bearer token' };
  sendJson(res, 201, { kind: 'TokenReview', apiVersion: API_VERSION, metadata, spec: { token, ...(audiences ? { audiences } : {}) }, status });
  return { verb: 'CREATE', code: 201 };
}
