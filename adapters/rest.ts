// The JSON REST helper for the HMPPS-style systems: a bearer token from OAuth2 client credentials on
// every call, one refresh-and-retry when the API answers 401, statuses mapped through statusError, and
// bodies parsed as JSON. It knows nothing about any one agency; operation names are the path templates.
import { AdapterError } from './errors.js';
import { httpRequest, parseJson, statusError } from './http.js';
import { withToken, type ClientCredentials } from './oauth.js';
import type { LegacyPolicy, OperationKind } from './resilience.js';

export interface RestClientOptions {
  agency: string;
  /** API base URL without a trailing slash, e.g. `https://prison-api.example.invalid`. */
  baseUrl: string;
  /** Deadline of a call when no policy is given; with one, the policy's timeout applies. */
  timeoutMs?: number;
  /** The agency system's resilience policy (breaker, bulkhead, timeout, retries of reads). */
  policy?: LegacyPolicy;
  /** Bearer tokens for every call; null for an API that needs none. */
  credentials: ClientCredentials | null;
  /** Extra headers sent on every call (never secrets: the bearer token is added per call). */
  headers?: Record<string, string>;
}

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

export interface RestRequest {
  /** Values for `{name}` placeholders in the path template; each is URL-encoded. */
  path?: Record<string, string | number>;
  /** Query parameters; null/undefined ones are left out, arrays are joined with commas. */
  query?: Record<string, QueryValue>;
  /** JSON body (POST only). */
  body?: unknown;
  /**
   * What the operation does, as the adapter declares it: a POST is a write (never retried) unless the
   * adapter says it is a read-only search. A GET is always a read.
   */
  kind?: OperationKind;
}

/** Fills `{name}` placeholders, refusing a template whose placeholders were not all given. */
export function fillPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{([A-Za-z0-9_-]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`expected a value for {${name}} in ${template}, got none`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value == null) continue;
    params.set(key, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A 403 is a missing role, which a fresh token cannot cure: it is carried past withToken so only a 401 is retried. */
class Forbidden {
  constructor(readonly status: number) {}
}

export class RestClient {
  /** Calls made, by operation: lets tests and logs see how many round trips a request cost. */
  readonly calls = new Map<string, number>();

  constructor(private readonly opts: RestClientOptions) {}

  get agency(): string {
    return this.opts.agency;
  }

  /** GET a JSON resource; a 404 throws NOT_FOUND. */
  get<T>(template: string, req: RestRequest = {}): Promise<T> {
    return this.send<T>('GET', template, req);
  }

  /** GET a JSON resource that may not exist: a 404 gives null. */
  async getOptional<T>(template: string, req: RestRequest = {}): Promise<T | null> {
    try {
      return await this.send<T>('GET', template, req);
    } catch (err) {
      if (err instanceof AdapterError && err.code === 'NOT_FOUND') return null;
      throw err;
    }
  }

  /** POST a JSON body. Only for read-only searches: a 401 makes it run twice. Declare `kind: 'read'` to allow retries. */
  post<T>(template: string, body: unknown, req: Omit<RestRequest, 'body'> = {}): Promise<T> {
    return this.send<T>('POST', template, { ...req, body });
  }

  private async send<T>(method: 'GET' | 'POST', template: string, req: RestRequest): Promise<T> {
    const { agency, baseUrl, timeoutMs, credentials } = this.opts;
    const operation = `${method} ${template}`;
    const url = baseUrl.replace(/\/+$/, '') + fillPath(template, req.path) + queryString(req.query);
    const headers: Record<string, string> = { accept: 'application/json', ...this.opts.headers };
    if (method === 'POST') headers['content-type'] = 'application/json';
    const body = method === 'POST' ? JSON.stringify(req.body ?? {}) : undefined;

    const kind: OperationKind = method === 'GET' ? 'read' : req.kind ?? 'write';
    // The policy wraps the API call itself; the token service is asked outside it, under its own deadline.
    const attempt = async (token: string | null) => {
      const exchange = async (signal?: AbortSignal) => {
        this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
        const res = await httpRequest({ agency, operation, url, method, body, signal, timeoutMs: signal ? undefined : timeoutMs, headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers });
        if (res.status === 403) return new Forbidden(res.status);
        // A 401 becomes SOURCE_AUTH here, which is what makes withToken refresh and retry once.
        if (res.status < 200 || res.status >= 300) throw statusError(agency, operation, res.status);
        return res.text;
      };
      return this.opts.policy ? this.opts.policy.run({ operation, kind }, exchange) : exchange();
    };
    const outcome = credentials ? await withToken(credentials, attempt) : await attempt(null);
    if (outcome instanceof Forbidden) throw statusError(agency, operation, outcome.status);
    if (outcome.trim() === '') return null as T;
    return parseJson<T>(agency, operation, outcome);
  }
}
