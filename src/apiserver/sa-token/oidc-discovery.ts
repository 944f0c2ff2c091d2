/**
 * Service-account issuer discovery (upstream's ServiceAccountIssuerDiscovery, GA in 1.21): the
 * OpenID Connect configuration at /.well-known/openid-configuration and the signing keys at
 * /openid/v1/jwks, so that other parties (Vault, cloud workload identity, SPIFFE) can verify
 * service-account tokens on their own. Both need an authenticated request, as upstream's default
 * RBAC grants them to service accounts only.
 *
 * Inputs: the issuer URL and the signing key. Outputs: the two JSON documents.
 */
import type { ServiceAccountKey } from './signing-key.js';

export const OPENID_CONFIGURATION_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = '/openid/v1/jwks';

export function openIdConfiguration(issuer: string): Record<string, unknown> {
  return {
    issuer,
    jwks_uri: `${issuer.replace(/\/$/, '')}${JWKS_PATH}`,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
  };
}

export function jwks(key: ServiceAccountKey): { keys: Array<Record<string, unknown>> } {
  const jwk = key.publicKey.export({ format: 'jwk' });
  return { keys: [{ use: 'sig', kty: jwk.kty, kid: key.kid, alg: 'RS256', n: jwk.n, e: jwk.e }] };
}
