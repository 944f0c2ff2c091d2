/**
 * Service-account tokens: the signing key (signing-key.ts), RS256 JWTs (jwt.ts), the bearer
 * authenticator and signer the API server uses (authenticator.ts), and the legacy token Secret
 * controller (legacy-tokens.ts), issuer discovery documents (oidc-discovery.ts). `legacyTokenSignerFor(dataDir)` gives a controller running
 * outside the API server (the controller manager) the same key, as upstream's
 * --service-account-private-key-file.
 */
import { signJwt } from './jwt.js';
import type { LegacyClaims } from './legacy-tokens.js';
import { ensureServiceAccountKey } from './signing-key.js';

export { ServiceAccountTokens } from './authenticator.js';
export { JWKS_PATH, OPENID_CONFIGURATION_PATH, jwks, openIdConfiguration } from './oidc-discovery.js';
export { ensureServiceAccountKey, type ServiceAccountKey } from './signing-key.js';
export { startLegacyTokenController, legacyClaims, LEGACY_ISSUER, SA_TOKEN_SECRET_TYPE, type LegacyClaims, type LegacyTokenControllerOptions } from './legacy-tokens.js';

export async function legacyTokenSignerFor(dataDir: string): Promise<(claims: LegacyClaims) => string> {
  const key = await ensureServiceAccountKey(dataDir);
  return (claims) => signJwt(claims as unknown as Record<string, unknown>, key.privateKey, key.kid);
}
