// Callers' own tokens: `Authorization: Bearer <JWT>` with subject, agency and roles. Production verifies
// them against the identity provider's JWKS (AUTH_JWKS_URL); development against the local issuer key
// that `npm run token` signs with.
import { SignJWT, createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { ALG } from './keys.js';

export interface UserClaims {
  subject: string;
  agency: string;
  roles: string[];
  /** Probation staff code and the like: what record-level rules key on. Optional. */
  staffCode: string | null;
}

export interface TokenVerifierConfig {
  issuer: string;
  audience: string;
  /** Remote JWKS (production). */
  jwksUrl?: string;
  /** Local public keys (development and tests). */
  publicKeys?: JWK[];
  /** Longest lifetime a token may claim (exp minus iat, or minus now without iat); default 12 h. */
  maxLifetimeSeconds?: number;
  /** Clock difference tolerated between the issuer and us for exp, nbf and iat; default 60 s. */
  clockSkewSeconds?: number;
}

export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 12 * 3600;
export const DEFAULT_CLOCK_SKEW_SECONDS = 60;

export class TokenError extends Error {}

export type TokenVerifier = (token: string) => Promise<UserClaims>;

export function createTokenVerifier(config: TokenVerifierConfig): TokenVerifier {
  const keySet = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl))
    : createLocalJWKSet({ keys: config.publicKeys ?? [] });
  const maxLifetime = config.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  const skew = config.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  return async (token) => {
    let payload: JWTPayload;
    try {
      // exp is required: a token without one would be valid forever once issued (or leaked).
      ({ payload } = await jwtVerify(token, keySet, { issuer: config.issuer, audience: config.audience, algorithms: [ALG, 'RS256'], requiredClaims: ['exp'], clockTolerance: skew }));
    } catch (err) {
      const code = (err as { code?: string; claim?: string }).code;
      const claim = (err as { claim?: string }).claim;
      throw new TokenError(code === 'ERR_JWT_EXPIRED' ? 'token has expired'
        : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'exp' ? 'token must carry an expiry (exp)'
          : code === 'ERR_JWT_CLAIM_VALIDATION_FAILED' && claim === 'nbf' ? 'token is not valid yet (nbf)' : 'token is not valid');
    }
    const p = payload as JWTPayload & Record<string, unknown>;
    const now = Math.floor(Date.now() / 1000);
    // A token "issued" in the future was minted with a wrong clock or to outlive its lifetime check.
    if (typeof p.iat === 'number' && p.iat > now + skew) throw new TokenError('token is issued in the future (iat)');
    const from = typeof p.iat === 'number' ? p.iat : typeof p.nbf === 'number' ? p.nbf : now;
    if (p.exp! - from > maxLifetime) throw new TokenError(`token lifetime exceeds ${maxLifetime} s`);
    if (typeof p.sub !== 'string' || typeof p.agency !== 'string' || !Array.isArray(p.roles) || p.roles.length === 0 || !p.roles.every((r) => typeof r === 'string')) {
      throw new TokenError('token must carry sub, agency and a non-empty roles list');
    }
    return { subject: p.sub, agency: p.agency, roles: p.roles as string[], staffCode: typeof p.staff_code === 'string' ? p.staff_code : null };
  };
}

export interface IssueOptions {
  subject: string;
  agency: string;
  roles: string[];
  staffCode?: string;
  issuer: string;
  audience: string;
  expiresIn?: string;
}

/** Signs a caller token with a local key: `npm run token` and the tests. */
export async function issueToken(key: CryptoKey, kid: string, o: IssueOptions): Promise<string> {
  return new SignJWT({ agency: o.agency, roles: o.roles, ...(o.staffCode ? { staff_code: o.staffCode } : {}) })
    .setProtectedHeader({ alg: ALG, kid })
    .setSubject(o.subject)
    .setIssuer(o.issuer)
    .setAudience(o.audience)
    .setIssuedAt()
    .setExpirationTime(o.expiresIn ?? '8h')
    .sign(key);
}
