// A small node:http front for Apollo Server (gateway and subgraphs alike): JSON bodies up to a limit,
// extra plain routes such as /health, `Cache-Control: no-store` on every answer, ephemeral ports, and
// a clean close. Written here rather than using the standalone helper so that health routes, body
// limits and headers are ours.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';

export type Route = (req: IncomingMessage) => Promise<{ status: number; body: unknown }>;

export interface ServeOptions<C extends BaseContext> {
  host?: string;
  port?: number;
  /** Path the GraphQL endpoint answers on. */
  path?: string;
  maxBodyBytes?: number;
  context: (req: IncomingMessage) => Promise<C>;
  routes?: Record<string, Route>;
  /** Called with a refusal before it is sent (the gateway audits refused purposes); if it throws, the answer is 503. */
  onRefused?: (error: unknown) => Promise<void>;
}

export interface Served {
  url: string;
  port: number;
  server: http.Server;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) { reject(Object.assign(new Error('body too large'), { status: 413 })); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export async function serveApollo<C extends BaseContext>(apollo: ApolloServer<C>, opts: ServeOptions<C>): Promise<Served> {
  const path = opts.path ?? '/graphql';
  const limit = opts.maxBodyBytes ?? 1_000_000;
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://local.invalid');
    try {
      const route = opts.routes?.[url.pathname];
      if (route && req.method === 'GET') {
        const r = await route(req);
        return sendJson(res, r.status, r.body);
      }
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
      }
      // Authenticate before GraphQL runs: a refused caller gets a plain HTTP status and a typed error.
      let context: C;
      try {
        context = await opts.context(req);
      } catch (err) {
        const e = err as { message?: string; extensions?: { code?: string; http?: { status?: number } } };
        if (!e?.extensions?.http?.status) throw err;
        if (opts.onRefused) {
          try { await opts.onRefused(err); } catch (auditErr) {
            const a = auditErr as { message?: string; extensions?: { code?: string } };
            return sendJson(res, 503, { errors: [{ message: a.message ?? 'unavailable', extensions: { code: a.extensions?.code ?? 'AUDIT_UNAVAILABLE' } }] });
          }
        }
        return sendJson(res, e.extensions.http.status, { errors: [{ message: e.message, extensions: { code: e.extensions.code } }] });
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
      const status = (err as { status?: number }).status ?? 500;
      if (!res.headersSent) sendJson(res, status, { errors: [{ message: status === 413 ? 'request body too large' : 'internal error', extensions: { code: status === 413 ? 'BAD_REQUEST' : 'INTERNAL_SERVER_ERROR' } }] });
      else res.destroy();
    }
  });
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
