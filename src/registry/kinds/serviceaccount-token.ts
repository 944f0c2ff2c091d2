/**
 * The serviceaccounts/token subresource (authentication.k8s.io/v1 TokenRequest), as upstream's
 * pkg/registry/core/serviceaccount/storage/token.go: POST a TokenRequest naming audiences, a
 * lifetime and optionally a Pod, Secret or Node the token is bound to; get back the same object
 * with status.token (a signed JWT) and status.expirationTimestamp.
 *
 * Inputs: the registry (to read the ServiceAccount and the bound object), a `TokenSigner` (the API
 * server's key; the registry never sees it), the request body. Output: the TokenRequest to answer
 * with 201. The claims shape (`ServiceAccountClaims`) is the contract with the authenticator.
 */
import { randomUUID } from 'node:crypto';
import type { KubeObject } from '../../api/types.js';
import { StatusError, badRequest, conflict, invalid, type FieldError } from '../../machinery/errors.js';
import { formatTimestamp } from '../../machinery/duration.js';
import type { Registry } from '../index.js';

/** Upstream's default issuer and API audience (k3s: --service-account-issuer, --api-audiences). */
export const SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
export const DEFAULT_EXPIRATION_SECONDS = 3600;
export const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

export interface ObjectRefClaim {
  name: string;
  uid: string;
}

/** The private `kubernetes.io` claim of a bound token (upstream's privateClaims). */
export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRefClaim;
  pod?: ObjectRefClaim;
  secret?: ObjectRefClaim;
  node?: ObjectRefClaim;
}

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
  'kubernetes.io': KubernetesClaim;
}

export interface TokenSigner {
  sign(claims: ServiceAccountClaims): string;
}

interface TokenRequestSpec {
  audiences: string[];
  expirationSeconds: number;
  boundObjectRef?: { kind?: string; apiVersion?: string; name?: string; uid?: string };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Decodes and defaults spec (audiences, expirationSeconds 3600), collecting every problem. */
function parseSpec(body: unknown, defaultAudiences: string[], name: string): TokenRequestSpec {
  const errs: FieldError[] = [];
  const spec = isObject(body) && isObject(body.spec) ? body.spec : {};
  let audiences: string[] = [];
  if (spec.audiences !== undefined && spec.audiences !== null) {
    if (!Array.isArray(spec.audiences) || spec.audiences.some((a) => typeof a !== 'string')) errs.push({ type: 'Invalid', field: 'spec.audiences', value: spec.audiences, detail: 'must be a list of strings' });
    else audiences = spec.audiences as string[];
  }
  if (audiences.length === 0) audiences = [...defaultAudiences];
  let expirationSeconds = DEFAULT_EXPIRATION_SECONDS;
  if (spec.expirationSeconds !== undefined && spec.expirationSeconds !== null) {
    const e = spec.expirationSeconds;
    if (typeof e !== 'number' || !Number.isInteger(e)) errs.push({ type: 'Invalid', field: 'spec.expirationSeconds', value: e, detail: 'must be an integer' });
    else if (e < MIN_EXPIRATION_SECONDS) errs.push({ type: 'Invalid', field: 'spec.expirationSeconds', value: e, detail: 'may not specify a duration less than 10 minutes' });
    else if (e > MAX_EXPIRATION_SECONDS) errs.push({ type: 'Invalid', field: 'spec.expirationSeconds', value: e, detail: 'may not specify a duration larger than 2^32 seconds' });
    else expirationSeconds = e;
  }
  let boundObjectRef: TokenRequestSpec['boundObjectRef'];
  if (spec.boundObjectRef !== undefined && spec.boundObjectRef !== null) {
    if (!isObject(spec.boundObjectRef)) errs.push({ type: 'Invalid', field: 'spec.boundObjectRef', value: spec.boundObjectRef, detail: 'must be an object' });
    else {
      const r = spec.boundObjectRef;
      const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
      boundObjectRef = { kind: str(r.kind), apiVersion: str(r.apiVersion), name: str(r.name), uid: str(r.uid) };
    }
  }
  if (errs.length) throw invalid('TokenRequest', 'authentication.k8s.io', name, errs);
  return { audiences, expirationSeconds, ...(boundObjectRef ? { boundObjectRef } : {}) };
}

async function getOrUndefined(registry: Registry, plural: string, ns: string | undefined, name: string): Promise<KubeObject | undefined> {
  try {
    return await registry.storeFor('', 'v1', plural)!.get(ns, name);
  } catch (err) {
    if (err instanceof StatusError && err.reason === 'NotFound') return undefined;
    throw err;
  }
}

/** Resolves the bound object into claims, checking its uid and (for pods) its service account. */
async function bindingClaims(registry: Registry, ns: string, sa: KubeObject, ref: NonNullable<TokenRequestSpec['boundObjectRef']>): Promise<Partial<KubernetesClaim>> {
  const saName = sa.metadata!.name!;
  const kind = ref.kind ?? '';
  const plural = kind === 'Pod' ? 'pods' : kind === 'Secret' ? 'secrets' : kind === 'Node' ? 'nodes' : undefined;
  if (!plural || (ref.apiVersion && ref.apiVersion !== 'v1')) throw badRequest(`cannot bind token to object of type ${ref.apiVersion ?? 'v1'}, Kind=${kind}`);
  if (!ref.name) throw badRequest('boundObjectRef.name is required');
  const obj = await getOrUndefined(registry, plural, kind === 'Node' ? undefined : ns, ref.name);
  if (!obj) throw new StatusError('NotFound', `${plural} "${ref.name}" not found`, { name: ref.name, kind: plural });
  const uid = obj.metadata?.uid ?? '';
  if (ref.uid && ref.uid !== uid) {
    throw conflict({ group: '', resource: kind }, ref.name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  const self = { name: ref.name, uid };
  if (kind === 'Secret') return { secret: self };
  if (kind === 'Node') return { node: self };
  const spec = isObject(obj.spec) ? obj.spec : {};
  const podSA = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName ? spec.serviceAccountName : 'default';
  if (podSA !== saName) throw badRequest(`cannot bind token for serviceaccount "${saName}" to pod running with different serviceaccount name.`);
  const claims: Partial<KubernetesClaim> = { pod: self };
  // Since 1.30 a pod-bound token also names the pod's node (ServiceAccountTokenPodNodeInfo).
  if (typeof spec.nodeName === 'string' && spec.nodeName) {
    const node = await getOrUndefined(registry, 'nodes', undefined, spec.nodeName);
    if (node?.metadata?.uid) claims.node = { name: spec.nodeName, uid: node.metadata.uid };
  }
  return claims;
}

export interface TokenRequestOptions {
  /** Audiences used when the request names none: the API server's own. */
  apiAudiences?: string[];
  issuer?: string;
  now?: number;
}

/** Handles POST serviceaccounts/{name}/token in namespace `ns`; returns the TokenRequest to answer with. */
export async function createServiceAccountToken(registry: Registry, signer: TokenSigner, ns: string, name: string, body: unknown, opts: TokenRequestOptions = {}): Promise<KubeObject> {
  if (isObject(body) && isObject(body.metadata) && typeof body.metadata.name === 'string' && body.metadata.name && body.metadata.name !== name) {
    throw badRequest(`the name of the object (${body.metadata.name}) does not match the name on the URL (${name})`);
  }
  const spec = parseSpec(body, opts.apiAudiences ?? [SERVICE_ACCOUNT_ISSUER], name);
  const sa = await registry.storeFor('', 'v1', 'serviceaccounts')!.get(ns, name);
  const bound = spec.boundObjectRef ? await bindingClaims(registry, ns, sa, spec.boundObjectRef) : {};
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  const exp = now + spec.expirationSeconds;
  const claims: ServiceAccountClaims = {
    aud: spec.audiences,
    exp,
    iat: now,
    iss: opts.issuer ?? SERVICE_ACCOUNT_ISSUER,
    jti: randomUUID(),
    'kubernetes.io': { namespace: ns, ...bound, serviceaccount: { name, uid: sa.metadata?.uid ?? '' } },
    nbf: now,
    sub: `system:serviceaccount:${ns}:${name}`,
  };
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace: ns, creationTimestamp: formatTimestamp(now * 1000) },
    spec: { audiences: spec.audiences, expirationSeconds: spec.expirationSeconds, boundObjectRef: spec.boundObjectRef ?? null },
    status: { token: signer.sign(claims), expirationTimestamp: formatTimestamp(exp * 1000) },
  };
}
