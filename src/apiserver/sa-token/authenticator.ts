/**
 * Service-account token authentication (upstream's pkg/serviceaccount/jwt.go + claims.go):
 * `Authorization: Bearer <jwt>` where the JWT was signed with the service-account key, is issued by
 * us, names one of our audiences, is within its validity window (1 minute leeway, as upstream),
 * and whose ServiceAccount — and bound Pod/Secret/Node, when there is one — still exists with the
 * uid in the token and is not being deleted.
 *
 * Input: the token string. Output: the user `system:serviceaccount:<ns>:<name>` with groups
 * system:serviceaccounts and system:serviceaccounts:<ns> (system:authenticated is added by authn.ts),
 * uid = the ServiceAccount's uid and upstream's `extra` keys; or undefined (the caller answers 401).
 * Also implements TokenSigner so the token subresource signs with the same key.
 */
import type { KubeObject } from '../../api/types.js';
import { parseTimestamp } from '../../machinery/duration.js';
import { StatusError } from '../../machinery/errors.js';
import type { Registry } from '../../registry/index.js';
import { SERVICE_ACCOUNT_ISSUER, type KubernetesClaim, type ServiceAccountClaims, type TokenSigner } from '../../registry/kinds/serviceaccount-token.js';
import type { UserInfo } from '../authn.js';
import { signJwt, verifyJwt } from './jwt.js';
import { LEGACY_ISSUER, type LegacyClaims } from './legacy-tokens.js';
import type { ServiceAccountKey } from './signing-key.js';

const LEEWAY_SECONDS = 60;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function refClaim(v: unknown): { name: string; uid: string } | undefined {
  return isObject(v) && typeof v.name === 'string' && typeof v.uid === 'string' ? { name: v.name, uid: v.uid } : undefined;
}

/** The `kubernetes.io` claim when it is well formed. */
function kubernetesClaim(v: unknown): KubernetesClaim | undefined {
  if (!isObject(v) || typeof v.namespace !== 'string') return undefined;
  const serviceaccount = refClaim(v.serviceaccount);
  if (!serviceaccount) return undefined;
  const claim: KubernetesClaim = { namespace: v.namespace, serviceaccount };
  for (const key of ['pod', 'secret', 'node'] as const) {
    if (v[key] === undefined) continue;
    const ref = refClaim(v[key]);
    if (!ref) return undefined;
    claim[key] = ref;
  }
  return claim;
}

export class ServiceAccountTokens implements TokenSigner {
  constructor(
    private readonly registry: Registry,
    private readonly key: ServiceAccountKey,
    private readonly opts: { issuer?: string; apiAudiences?: string[] } = {},
  ) {}

  get issuer(): string {
    return this.opts.issuer ?? SERVICE_ACCOUNT_ISSUER;
  }

  get apiAudiences(): string[] {
    return this.opts.apiAudiences ?? [this.issuer];
  }

  sign(claims: ServiceAccountClaims): string {
    return signJwt(claims as unknown as Record<string, unknown>, this.key.privateKey, this.key.kid);
  }

  /** The user a token proves to the API server (its own audiences), or undefined. */
  async authenticate(token: string, now = Date.now()): Promise<UserInfo | undefined> {
    return (await this.review(token, { now }))?.user;
  }

  /**
   * The user a token proves to a party accepting `audiences` (default: the API server's), and the
   * audiences it is valid for among them (TokenReview's status.audiences).
   */
  async review(token: string, opts: { audiences?: string[]; now?: number } = {}): Promise<{ user: UserInfo; audiences: string[] } | undefined> {
    const now = opts.now ?? Date.now();
    const wanted = opts.audiences ?? this.apiAudiences;
    const verified = verifyJwt(token, this.key.publicKey);
    if (!verified) return undefined;
    const c = verified.claims;
    if (c.iss === LEGACY_ISSUER) {
      // Legacy tokens name no audience: upstream takes them as meant for the API server only.
      const matched = wanted.filter((a) => this.apiAudiences.includes(a));
      const user = matched.length ? await this.authenticateLegacy(token, c) : undefined;
      return user ? { user, audiences: matched } : undefined;
    }
    if (c.iss !== this.issuer) return undefined;
    const aud = (typeof c.aud === 'string' ? [c.aud] : Array.isArray(c.aud) ? c.aud : []).filter((a): a is string => typeof a === 'string');
    const matched = wanted.filter((a) => aud.includes(a));
    if (matched.length === 0) return undefined;
    const t = Math.floor(now / 1000);
    if (typeof c.exp !== 'number' || t > c.exp + LEEWAY_SECONDS) return undefined;
    if (typeof c.nbf === 'number' && t < c.nbf - LEEWAY_SECONDS) return undefined;
    const k8s = kubernetesClaim(c['kubernetes.io']);
    if (!k8s || c.sub !== `system:serviceaccount:${k8s.namespace}:${k8s.serviceaccount.name}`) return undefined;
    if (!(await this.stillValid(k8s, now))) return undefined;
    const extra: Record<string, string[]> = {};
    if (k8s.pod) Object.assign(extra, { 'authentication.kubernetes.io/pod-name': [k8s.pod.name], 'authentication.kubernetes.io/pod-uid': [k8s.pod.uid] });
    if (k8s.node) Object.assign(extra, { 'authentication.kubernetes.io/node-name': [k8s.node.name], 'authentication.kubernetes.io/node-uid': [k8s.node.uid] });
    if (typeof c.jti === 'string') extra['authentication.kubernetes.io/credential-id'] = [`JTI=${c.jti}`];
    const user: UserInfo = {
      username: c.sub,
      uid: k8s.serviceaccount.uid,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${k8s.namespace}`],
      ...(Object.keys(extra).length ? { extra } : {}),
    };
    return { user, audiences: matched };
  }

  signLegacy(claims: LegacyClaims): string {
    return signJwt(claims as unknown as Record<string, unknown>, this.key.privateKey, this.key.kid);
  }

  /**
   * A legacy (Secret-held, non-expiring) token is valid while its Secret exists and still holds
   * exactly this token, and the ServiceAccount exists with the uid in the token (pkg/serviceaccount/legacy.go).
   */
  private async authenticateLegacy(token: string, c: Record<string, unknown>): Promise<UserInfo | undefined> {
    const claim = (k: string): string | undefined => {
      const v = c[`kubernetes.io/serviceaccount/${k}`];
      return typeof v === 'string' && v !== '' ? v : undefined;
    };
    const namespace = claim('namespace');
    const secretName = claim('secret.name');
    const saName = claim('service-account.name');
    const saUid = claim('service-account.uid');
    if (!namespace || !secretName || !saName || !saUid || c.sub !== `system:serviceaccount:${namespace}:${saName}`) return undefined;
    const secret = await this.lookup('secrets', namespace, secretName);
    const stored = (secret?.data as Record<string, unknown> | undefined)?.token;
    if (!secret || secret.metadata?.deletionTimestamp || typeof stored !== 'string' || Buffer.from(stored, 'base64').toString('utf8') !== token) return undefined;
    const sa = await this.lookup('serviceaccounts', namespace, saName);
    if (!sa || sa.metadata?.uid !== saUid || sa.metadata?.deletionTimestamp) return undefined;
    return { username: c.sub as string, uid: saUid, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`] };
  }

  /**
   * Every object the token names must still exist with the same uid. As upstream, a terminating
   * object keeps its tokens valid until a minute past its deletionTimestamp (the grace period).
   */
  private async stillValid(k8s: KubernetesClaim, now: number): Promise<boolean> {
    const checks: Array<[string, string | undefined, { name: string; uid: string }]> = [['serviceaccounts', k8s.namespace, k8s.serviceaccount]];
    if (k8s.pod) checks.push(['pods', k8s.namespace, k8s.pod]);
    if (k8s.secret) checks.push(['secrets', k8s.namespace, k8s.secret]);
    if (k8s.node && !k8s.pod) checks.push(['nodes', undefined, k8s.node]);
    for (const [plural, ns, ref] of checks) {
      const obj = await this.lookup(plural, ns, ref.name);
      if (!obj || obj.metadata?.uid !== ref.uid) return false;
      const deletion = obj.metadata?.deletionTimestamp;
      if (deletion && parseTimestamp(deletion) < now - LEEWAY_SECONDS * 1000) return false;
    }
    return true;
  }

  private async lookup(plural: string, ns: string | undefined, name: string): Promise<KubeObject | undefined> {
    try {
      return await this.registry.storeFor('', 'v1', plural)!.get(ns, name);
    } catch (err) {
      if (err instanceof StatusError && err.reason === 'NotFound') return undefined;
      throw err;
    }
  }
}
