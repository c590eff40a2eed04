// The token side of OAuth2 client-credentials for the REST stand-ins (an HMPPS Auth stand-in):
// issues opaque bearer tokens that expire, and checks them on every API call.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface TokenIssuerOptions {
  clientId: string;
  clientSecret: string;
  /** Token lifetime in seconds (HMPPS Auth uses 20 minutes; tests use a few seconds). */
  ttlSeconds?: number;
  now?: () => number;
}

export class TokenIssuer {
  private readonly tokens = new Map<string, number>();
  readonly ttlSeconds: number;
  private readonly now: () => number;
  issued = 0;

  constructor(private readonly opts: TokenIssuerOptions) {
    this.ttlSeconds = opts.ttlSeconds ?? 1200;
    this.now = opts.now ?? Date.now;
  }

  /** Handles POST /auth/oauth/token. Returns true when it answered the request. */
  handleTokenRequest(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://stand-in.invalid');
    if (req.method !== 'POST' || url.pathname !== '/auth/oauth/token') return false;
    const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
    const [id, secret] = scheme === 'Basic' && encoded ? Buffer.from(encoded, 'base64').toString().split(':') : [];
    const expected = Buffer.from(`${this.opts.clientId}:${this.opts.clientSecret}`);
    const given = Buffer.from(`${id}:${secret}`);
    if (url.searchParams.get('grant_type') !== 'client_credentials' || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'unauthorized', error_description: 'Bad client credentials' }));
      return true;
    }
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, this.now() + this.ttlSeconds * 1000);
    this.issued++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, token_type: 'bearer', expires_in: this.ttlSeconds, scope: 'read', jti: token.slice(0, 8) }));
    return true;
  }

  /** True when the request carries a bearer token this issuer gave out and that has not expired. */
  isAuthorised(req: IncomingMessage): boolean {
    const [scheme, token] = (req.headers.authorization ?? '').split(' ');
    if (scheme !== 'Bearer' || !token) return false;
    const expiresAt = this.tokens.get(token);
    return expiresAt !== undefined && expiresAt > this.now();
  }

  /** Expires every token now, so the next API call gets a 401 (tests of refresh-and-retry). */
  expireAll(): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, 0);
  }
}
