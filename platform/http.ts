// A small node:http front for Apollo Server (gateway and subgraphs alike): JSON bodies up to a limit,
// extra plain routes such as /health, `Cache-Control: no-store` on every answer, ephemeral ports, and
// a clean close. Written here rather than using the standalone helper so that health routes, body
// limits and headers are ours.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { SpanKind } from '@opentelemetry/api';
import { extractTraceContext, inSpan } from './telemetry.js';

/** A plain GET route: its body is sent as JSON, or as text when a content type is given (e.g. /metrics). */
export type Route = (req: IncomingMessage) => Promise<{ status: number; body: unknown; contentType?: string }>;

export interface ServeOptions<C extends BaseContext> {
  host?: string;
  port?: number;
  /** Path the GraphQL endpoint answers on. */
  path?: string;
  /** Bodies above this are refused with 413 while they are read, before anything parses them. */
  maxBodyBytes?: number;
  /** Deeper nesting of arrays/objects in the JSON body is refused with 400 before GraphQL sees it. */
  maxJsonDepth?: number;
  /**
   * Builds the request's context. `request.body` is the parsed JSON body (undefined for GET); the
   * function may replace it (the gateway swaps a trusted document id for its text).
   */
  context: (req: IncomingMessage, request: { body: unknown }) => Promise<C>;
  routes?: Record<string, Route>;
  /** Called with a refusal before it is sent (the gateway audits refused purposes); if it throws, the answer is 503. */
  onRefused?: (error: unknown, req: IncomingMessage) => Promise<void>;
}

export interface Served {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

/** Thrown for a request refused before GraphQL: a status, a stable code and the limit that refused it. */
export class RequestRefused extends Error {
  constructor(readonly status: number, readonly code: string, readonly limit: string, message: string) {
    super(message);
  }
}

/**
 * Reads the body up to `limit` bytes. A larger one is refused with 413: a declared Content-Length at
 * once, otherwise as soon as the limit is passed; the rest is drained unbuffered so the client reads the
 * refusal instead of a reset connection, up to 16 times the limit, after which the connection is cut.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const tooLarge = () => new RequestRefused(413, 'REQUEST_TOO_LARGE', 'maxBodyBytes', `The request body is larger than ${limit} bytes`);
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    const refuse = () => {
      req.off('data', onData);
      chunks.length = 0;
      // Drain a little so the client reads the refusal; a sender that goes on and on is cut off.
      let drained = 0;
      req.on('data', (more: Buffer) => { drained += more.length; if (drained > limit * 16) req.destroy(); });
      reject(tooLarge());
    };
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) refuse(); else chunks.push(c);
    };
    if (Number(req.headers['content-length'] ?? 0) > limit) { refuse(); return; }
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Nesting of arrays and objects in a parsed JSON value, counted without recursion; stops once over `max`. */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) return true;
    for (const c of Array.isArray(v) ? v : Object.values(v)) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return false;
}

/** The body of a refusal: message, code and only the extensions a client may see. */
function refusalBody(message: string, extensions: Record<string, unknown>) {
  const { code, limit, retryAfter } = extensions;
  return { errors: [{ message, extensions: { code, ...(limit !== undefined ? { limit } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}) } }] };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export async function serveApollo<C extends BaseContext>(apollo: ApolloServer<C>, opts: ServeOptions<C>): Promise<Served> {
  const path = opts.path ?? '/graphql';
  const limit = opts.maxBodyBytes ?? 1_000_000;
  const maxDepth = opts.maxJsonDepth ?? 64;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local.invalid');
    const route = opts.routes?.[url.pathname];
    if (route && req.method === 'GET') {
      route(req).then((r) => {
        if (r.contentType) res.writeHead(r.status, { 'content-type': r.contentType, 'cache-control': 'no-store' }).end(String(r.body));
        else sendJson(res, r.status, r.body);
      }, () => sendJson(res, 500, { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }));
      return;
    }
    // One server span per GraphQL request, continuing the caller's trace (W3C traceparent) when it sent one.
    void inSpan(`${req.method ?? 'GET'} ${path}`, { 'http.request.method': req.method ?? 'GET', 'url.path': path }, () => handle(req, res, url), { kind: SpanKind.SERVER, parent: extractTraceContext(req.headers) })
      .catch(() => undefined);
  });
  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    try {
      if (url.pathname !== path) return sendJson(res, 404, { errors: [{ message: `not found: use ${path}`, extensions: { code: 'NOT_FOUND' } }] });
      let body: unknown;
      if (req.method === 'POST') {
        const text = await readBody(req, limit);
        if (!/application\/json/i.test(req.headers['content-type'] ?? '')) {
          return sendJson(res, 415, { errors: [{ message: 'send GraphQL requests as application/json', extensions: { code: 'BAD_REQUEST' } }] });
        }
        try { body = JSON.parse(text); } catch {
          return sendJson(res, 400, { errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
        }
        // Deeply nested variables would otherwise reach recursive coercion and hashing code.
        if (jsonDepthExceeds(body, maxDepth)) {
          throw new RequestRefused(400, 'VARIABLES_TOO_DEEP', 'maxJsonDepth', `The request nests lists or objects more than ${maxDepth} deep`);
        }
      }
      // Authenticate before GraphQL runs: a refused caller gets a plain HTTP status and a typed error.
      let context: C;
      const request = { body };
      try {
        context = await opts.context(req, request);
        body = request.body;
      } catch (err) {
        const e = err as { message?: string; extensions?: { code?: string; http?: { status?: number; headers?: Record<string, string> } } };
        if (!e?.extensions?.http?.status) throw err;
        if (opts.onRefused) {
          try { await opts.onRefused(err, req); } catch (auditErr) {
            const a = auditErr as { message?: string; extensions?: { code?: string } };
            return sendJson(res, 503, { errors: [{ message: a.message ?? 'unavailable', extensions: { code: a.extensions?.code ?? 'AUDIT_UNAVAILABLE' } }] });
          }
        }
        for (const [k, v] of Object.entries(e.extensions.http.headers ?? {})) res.setHeader(k, v);
        return sendJson(res, e.extensions.http.status, refusalBody(e.message ?? 'refused', e.extensions));
      }
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: url.search, body },
        context: async () => context,
      });
      for (const [k, v] of response.headers) res.setHeader(k, v);
      // Nothing an agency holds may be kept by a browser or proxy cache.
      res.setHeader('cache-control', 'no-store');
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') { res.end(response.body.string); return; }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (err) {
      if (err instanceof RequestRefused) {
        if (opts.onRefused) await opts.onRefused(err, req).catch(() => undefined);
        return sendJson(res, err.status, refusalBody(err.message, { code: err.code, limit: err.limit }));
      }
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'internal error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    }
  };
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = opts.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`,
    port,
    server,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
