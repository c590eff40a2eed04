import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgencyDataSource, SubgraphResilience, isReadOnly } from '../../gateway/datasource.js';
import { loadGatewayConfig } from '../../gateway/config.js';

// A fake subgraph on port 0 whose next answers the test chooses; it counts what reaches it.
type Behaviour = 'ok' | 'userError' | 'badRequest' | 'unavailable' | 'slow' | 'reset';
async function fakeSubgraph() {
  const script: Behaviour[] = [];
  let fallback: Behaviour = 'ok';
  let received = 0;
  const server = createServer((req, res) => {
    received++;
    req.resume();
    const b = script.shift() ?? fallback;
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (b === 'ok') return json(200, { data: { ok: true } });
    if (b === 'userError') return json(200, { data: null, errors: [{ message: 'PNC check character is wrong', extensions: { code: 'BAD_USER_INPUT' } }] });
    if (b === 'badRequest') return json(400, { errors: [{ message: 'invalid', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] });
    if (b === 'unavailable') return json(503, { errors: [{ message: 'down' }] });
    if (b === 'slow') { setTimeout(() => json(200, { data: { ok: true } }), 2000).unref(); return; }
    req.socket.destroy(); // 'reset': the connection dies before any answer
  });
  server.keepAliveTimeout = 1;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    url,
    get received() { return received; },
    next(...b: Behaviour[]) { script.push(...b); },
    always(b: Behaviour) { fallback = b; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

const silent = pino({ level: 'silent' });

function call(ds: AgencyDataSource, query = '{ ok }', deadline?: number) {
  return ds.process({
    kind: 'incoming operation',
    request: { query, http: { method: 'POST', url: 'http://unused.invalid', headers: new Headers() } },
    context: { assertionFor: async () => 'assertion', requestId: 'r1', deadline },
    incomingRequestContext: {},
  } as never) as Promise<{ data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] }>;
}

describe("the gateway's breaker on a subgraph", () => {
  let sub: Awaited<ReturnType<typeof fakeSubgraph>>;
  beforeEach(async () => { sub = await fakeSubgraph(); });
  afterEach(async () => sub.close());

  it('never opens on GraphQL errors in an answer or on refusals of the request itself', async () => {
    const resilience = new SubgraphResilience(1000, 2, 60_000);
    const ds = new AgencyDataSource({ name: 'police', url: sub.url, resilience, log: silent });
    sub.next('userError', 'userError', 'userError', 'badRequest', 'badRequest', 'badRequest');
    for (let i = 0; i < 6; i++) await call(ds);
    expect(resilience.state).toBe('CLOSED');
    const r = await call(ds);
    expect(r.data).toEqual({ ok: true });
    expect(sub.received).toBe(7);
  });

  it('opens after the configured run of transport failures, fails fast naming the agency, and closes after one good trial call', async () => {
    const resilience = new SubgraphResilience(1000, 3, 300);
    const ds = new AgencyDataSource({ name: 'police', url: sub.url, resilience, log: silent });
    sub.next('unavailable', 'unavailable', 'unavailable');
    for (let i = 0; i < 3; i++) expect((await call(ds)).errors![0].extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', agency: 'police' });
    expect(resilience.state).toBe('OPEN');
    const fast = await call(ds);
    expect(fast.errors![0]).toMatchObject({ message: 'The police system is unavailable', extensions: { code: 'SOURCE_UNAVAILABLE', agency: 'police' } });
    expect(sub.received).toBe(3); // failed fast: the subgraph was not asked
    await new Promise((r) => setTimeout(r, 320));
    expect(resilience.state).toBe('HALF_OPEN');
    expect((await call(ds)).data).toEqual({ ok: true });
    expect(resilience.state).toBe('CLOSED');
  });

  it('cuts a subgraph that does not answer in its timeout, and counts it', async () => {
    const resilience = new SubgraphResilience(150, 1, 60_000);
    const ds = new AgencyDataSource({ name: 'courts', url: sub.url, resilience, log: silent });
    sub.next('slow');
    const started = Date.now();
    const r = await call(ds);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.errors![0].extensions).toEqual({ code: 'SOURCE_TIMEOUT', agency: 'courts' });
    expect(resilience.state).toBe('OPEN');
  });

  it("does not count a call cut by the client request's own deadline against the subgraph", async () => {
    const resilience = new SubgraphResilience(5000, 1, 60_000);
    const ds = new AgencyDataSource({ name: 'courts', url: sub.url, resilience, log: silent });
    sub.next('slow');
    const r = await call(ds, '{ ok }', Date.now() + 100);
    expect(r.errors![0].extensions).toEqual({ code: 'SOURCE_TIMEOUT', agency: 'courts' });
    expect(resilience.state).toBe('CLOSED');
  });

  it('tries a read again once when its connection died before any answer, and never a mutation', async () => {
    const resilience = new SubgraphResilience(1000, 5, 60_000);
    const ds = new AgencyDataSource({ name: 'prisons', url: sub.url, resilience, log: silent });
    sub.next('reset');
    expect((await call(ds, 'query Q { ok }')).data).toEqual({ ok: true });
    expect(sub.received).toBe(2);
    sub.next('reset');
    const m = await call(ds, 'mutation M { ok }');
    expect(m.errors![0].extensions).toEqual({ code: 'SOURCE_UNAVAILABLE', agency: 'prisons' });
    expect(sub.received).toBe(3);
  });

  it('decides what may be retried from the parsed operation, not from its text', () => {
    expect(isReadOnly('query Q { ok }')).toBe(true);
    expect(isReadOnly('# mutation\n{ ok }')).toBe(true);
    expect(isReadOnly('mutation M { ok }')).toBe(false);
    expect(isReadOnly('query A { ok } mutation B { ok }', 'B')).toBe(false);
    expect(isReadOnly('not graphql')).toBe(false);
  });
});

describe('gateway configuration', () => {
  it('has safe embedded defaults in development', () => {
    const c = loadGatewayConfig({}, ['police']);
    expect(c).toMatchObject({ host: '127.0.0.1', port: 4000, subgraphTimeoutMs: 5000, production: false });
  });
  it('refuses to start in production without keys, JWKS and subgraph URLs, naming each', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' }, ['police'])).toThrow(/AUTH_JWKS_URL.*AUTH_ISSUER.*GATEWAY_ASSERTION_KEY.*POLICE_SUBGRAPH_URL/);
  });
  it('names a malformed variable', () => {
    expect(() => loadGatewayConfig({ GATEWAY_SUBGRAPH_TIMEOUT_MS: 'soon' }, [])).toThrow(/GATEWAY_SUBGRAPH_TIMEOUT_MS/);
    expect(() => loadGatewayConfig({ POLICE_SUBGRAPH_URL: 'ftp://x' }, ['police'])).toThrow(/POLICE_SUBGRAPH_URL/);
  });
});
