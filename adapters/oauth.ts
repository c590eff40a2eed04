// OAuth2 client-credentials for the REST systems (prisons, probation), as HMPPS Auth issues them:
// POST <tokenUrl>?grant_type=client_credentials with HTTP Basic client id and secret; the answer is
// { access_token, token_type, expires_in }. The token is cached until shortly before it expires; a 401
// from the API invalidates it, and the caller refreshes once and retries once.
import { AdapterError } from './errors.js';
import { httpRequest, parseJson } from './http.js';

export interface OAuthConfig {
  agency: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  timeoutMs: number;
}

export class ClientCredentials {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;
  /** How many tokens were fetched: tests check that an expired token is refreshed exactly once. */
  fetched = 0;

  constructor(private readonly config: OAuthConfig, private readonly now: () => number = Date.now) {}

  /** A valid access token, fetched when there is none or it expires within 10 seconds. Concurrent callers share one fetch. */
  async get(): Promise<string> {
    if (this.token && this.token.expiresAt - 10_000 > this.now()) return this.token.value;
    this.pending ??= this.fetch().finally(() => { this.pending = null; });
    return this.pending;
  }

  /** Forgets the token after the API refused it. */
  invalidate(): void {
    this.token = null;
  }

  private async fetch(): Promise<string> {
    const { agency, tokenUrl, clientId, clientSecret, timeoutMs } = this.config;
    const operation = 'POST oauth token';
    const res = await httpRequest({
      agency, operation, url: `${tokenUrl}?grant_type=client_credentials`, method: 'POST', timeoutMs,
      headers: { authorization: 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64'), 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (res.status === 401 || res.status === 403) throw new AdapterError({ agency, operation, code: 'SOURCE_AUTH' });
    if (res.status !== 200) throw new AdapterError({ agency, operation, code: 'SOURCE_UNAVAILABLE', systemFault: res.status >= 500 || res.status === 429, detail: `HTTP ${res.status}` });
    const body = parseJson<{ access_token?: unknown; expires_in?: unknown }>(agency, operation, res.text);
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new AdapterError({ agency, operation, code: 'BAD_SOURCE_DATA', detail: 'token service returned no usable token' });
    }
    this.fetched++;
    this.token = { value: body.access_token, expiresAt: this.now() + body.expires_in * 1000 };
    return body.access_token;
  }
}

/**
 * Runs an authorised call; on SOURCE_AUTH (the API said 401) it refreshes the token once and retries
 * once. Only for idempotent reads.
 */
export async function withToken<T>(creds: ClientCredentials, call: (token: string) => Promise<T>): Promise<T> {
  const first = await creds.get();
  try {
    return await call(first);
  } catch (err) {
    if (!(err instanceof AdapterError) || err.code !== 'SOURCE_AUTH') throw err;
    creds.invalidate();
    return call(await creds.get());
  }
}
