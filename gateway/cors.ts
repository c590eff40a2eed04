// Browser clients on other origins: CORS with an allow-list. A preflight is answered here, before the
// token is looked at (a browser never sends credentials with a preflight, so authenticating it would
// refuse every cross-origin client). A request whose Origin is neither the gateway's own nor on the list
// is refused before anything else, so a page on a foreign origin cannot make the gateway do any work.
// Apollo's CSRF prevention stays on behind this: it is what refuses "simple" requests that a browser
// sends without a preflight.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Env } from '../subgraphs/types.js';

/** Origins a developer's own frontend dev server uses (Vite's default port): allowed in development only. */
export const DEV_CORS_ORIGINS = ['http://localhost:5173', 'http://127.0.0.1:5173'];

/** What a cross-origin client may send: the graph's own headers, and nothing else. */
export const CORS_ALLOWED_HEADERS = ['Authorization', 'X-Purpose', 'X-Justification', 'X-Request-Id', 'Content-Type'];
/** What a cross-origin client may read: the request id (the audit record's id), when to retry, and the handling caveats. */
export const CORS_EXPOSED_HEADERS = ['X-Request-Id', 'Retry-After', 'X-Protective-Marking', 'X-Handling-Storage'];
/** How long a browser may remember a preflight answer. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * `GATEWAY_CORS_ORIGINS`: a comma-separated list of origins (`https://app.example.gov.uk`), or `none`.
 * Undefined when unset: the gateway then takes its default for the posture (development origins in
 * development, none in production).
 */
export function parseCorsOrigins(env: Env, name = 'GATEWAY_CORS_ORIGINS'): string[] | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  if (raw.toLowerCase() === 'none') return [];
  return raw.split(',').map((s) => s.trim()).filter(Boolean).map((o) => {
    // A wildcard would let any site on the internet drive a logged-in user's browser against the graph.
    if (o === '*') throw new Error(`${name} must list origins; "*" is not accepted`);
    let u: URL;
    try { u = new URL(o); } catch { throw new Error(`${name} must list origins such as https://app.example.gov.uk, got "${o}"`); }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.origin !== o.replace(/\/$/, '')) {
      throw new Error(`${name} must list origins (scheme, host and port only, no path), got "${o}"`);
    }
    return u.origin;
  });
}

/** The allow-list for a posture: the configured one, else development origins in development and none in production. */
export function corsOrigins(configured: string[] | undefined, production: boolean): string[] {
  return configured ?? (production ? [] : DEV_CORS_ORIGINS);
}

function one(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The request comes from a page the gateway itself served (the explorer): its Origin names the host it asked. */
function sameOrigin(origin: string, req: IncomingMessage): boolean {
  try {
    return new URL(origin).host === one(req, 'host');
  } catch {
    return false;
  }
}

export interface Cors {
  readonly origins: readonly string[];
  /**
   * Runs first for every request: answers preflights and refuses foreign origins (returns true: answered),
   * or sets the CORS headers of an allowed origin on `res` and lets the request go on (returns false).
   */
  handle(req: IncomingMessage, res: ServerResponse, graphqlPath: string): boolean;
}

export function createCors(origins: readonly string[]): Cors {
  const allowed = new Set(origins);
  return {
    origins,
    handle(req, res, graphqlPath) {
      const origin = one(req, 'origin');
      const path = new URL(req.url ?? '/', 'http://local.invalid').pathname;
      // Caches must keep answers for different origins apart.
      res.setHeader('vary', 'Origin');
      if (origin === undefined) return false; // not a browser's cross-origin request (curl, a server)
      const listed = allowed.has(origin);
      if (!listed && !sameOrigin(origin, req)) {
        res.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
          .end(JSON.stringify({ errors: [{ message: `Requests from ${origin.slice(0, 100)} are not accepted: the origin is not on the gateway's list (GATEWAY_CORS_ORIGINS)`, extensions: { code: 'ORIGIN_NOT_ALLOWED' } }] }));
        return true;
      }
      if (!listed) return false; // same origin: no CORS headers needed
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
      if (req.method === 'OPTIONS' && path === graphqlPath && one(req, 'access-control-request-method')) {
        res.writeHead(204, {
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(', '),
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
          vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
          'cache-control': 'no-store',
        }).end();
        return true;
      }
      return false;
    },
  };
}
