// A loopback round-robin front for several gateway instances, for `npm run start:distributed`. It stands
// in for the load balancer a deployment already has (nginx, HAProxy, a cloud balancer); written on
// node:http rather than taken from a library because it is forty lines, the maintained proxy libraries
// bring far more than a loopback demo needs (http-proxy has had no release since 2020), and every
// request is streamed through untouched, so the gateways see exactly what a client sent.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobin {
  url: string;
  /** Requests sent to each upstream so far, in the order the upstreams were given. */
  served(): number[];
  close(): Promise<void>;
}

// Hop-by-hop headers (RFC 9110 7.6.1) are the proxy's own, not the request's.
const HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

function headersOf(message: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(message.headers)) if (v !== undefined && !HOP.has(k)) out[k] = v;
  return out;
}

/** Sends each request to the next upstream in turn; an upstream that cannot be reached answers 502 with no detail. */
export async function startRoundRobin(upstreams: string[], options: { host?: string; port?: number } = {}): Promise<RoundRobin> {
  if (!upstreams.length) throw new Error('round robin: expected at least one upstream, got none');
  const targets = upstreams.map((u) => new URL(u));
  const counts = targets.map(() => 0);
  let next = 0;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const i = next;
    next = (next + 1) % targets.length;
    counts[i] += 1;
    const target = targets[i];
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: headersOf(req) }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, headersOf(answer));
      answer.pipe(res);
    });
    upstream.on('error', () => {
      // The client learns only that the graph is unavailable; which instance and why stay in the logs.
      if (!res.headersSent) {
        res.writeHead(502, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(JSON.stringify({ errors: [{ message: 'The graph is unavailable; try again shortly', extensions: { code: 'GATEWAY_UNAVAILABLE' } }] }));
      } else res.destroy();
    });
    req.on('aborted', () => upstream.destroy());
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/graphql`,
    served: () => [...counts],
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
