// The development explorer over HTTP: the page and its assets come from the gateway itself (GraphiQL,
// React and ReactDOM out of their npm packages), the token route mints tokens the gateway accepts and
// refuses anything else, each answer names the audit record it left, withheld fields carry their
// agreement, and in production none of it exists.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newKeyPair } from '../../auth/keys.js';
import { createExplorer } from '../../gateway/explorer.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { callsPerAgency, readmeQuery, resetCounts } from '../helpers/legacy-calls.js';
import { post } from '../helpers/stack.js';

let stack: Stack;
let base: string;
beforeAll(async () => {
  stack = await startStack({ population: { size: 60 }, logLevel: 'silent' });
  base = stack.gatewayUrl.replace(/\/graphql$/, '');
}, 120_000);
afterAll(async () => stack?.close());

const mint = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/explorer/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const packageFile = (pkg: string, file: string) => {
  const require = createRequire(import.meta.url);
  let dir = dirname(require.resolve(pkg));
  const nameAt = (d: string) => { try { return JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')).name; } catch { return null; } };
  while (nameAt(dir) !== pkg) dir = dirname(dir);
  return readFileSync(join(dir, file));
};
const pnc = () => stack.population.people[stack.population.examples.everywhere].pnc;

describe('the explorer in development', () => {
  it('serves a page that loads only the gateway\'s own scripts and styles, under a content security policy', async () => {
    const res = await fetch(`${base}/explorer`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await res.text();
    const urls = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(urls).toEqual(expect.arrayContaining(['/explorer/assets/react.js', '/explorer/assets/react-dom.js', '/explorer/assets/graphiql.js', '/explorer/assets/graphiql.css', '/explorer/assets/explorer.js']));
    // Offline: nothing from another host.
    expect(urls.filter((u) => /^(https?:)?\/\//.test(u))).toEqual([]);
    // The page opens on the README's query with the running population's example person.
    expect(html).toContain(JSON.stringify(readmeQuery().split('\n')[0]).slice(1, -1));
    expect(html).toContain(pnc());
  });

  it('serves GraphiQL, React and ReactDOM byte for byte from their packages', async () => {
    for (const [asset, pkg, file] of [['graphiql.js', 'graphiql', 'graphiql.min.js'], ['graphiql.css', 'graphiql', 'graphiql.min.css'], ['react.js', 'react', 'umd/react.production.min.js'], ['react-dom.js', 'react-dom', 'umd/react-dom.production.min.js']]) {
      const res = await fetch(`${base}/explorer/assets/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(packageFile(pkg, file)), asset).toBe(true);
    }
    expect((await fetch(`${base}/explorer/assets/../../package.json`)).status).not.toBe(200);
    expect((await fetch(`${base}/explorer/assets/nothing.js`)).status).toBe(404);
  });

  it('sends a browser that opens the gateway to the explorer', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/explorer');
    const graphql = await fetch(stack.gatewayUrl, { redirect: 'manual', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(graphql.headers.get('location')).toBe('/explorer');
  });

  it('mints a token for the chosen role and staff code that the gateway accepts', async () => {
    const res = await mint({ agency: 'PROBATION', role: 'PROBATION_OFFICER', staffCode: 'N07A001' });
    expect(res.status).toBe(200);
    const body = await res.json() as { token: string; subject: string; staffCode: string; expiresIn: string };
    expect(body).toMatchObject({ subject: 'explorer-probation-probation_officer-n07a001', staffCode: 'N07A001', expiresIn: '1h' });
    const payload = JSON.parse(Buffer.from(body.token.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ agency: 'PROBATION', roles: ['PROBATION_OFFICER'], staff_code: 'N07A001' });
    expect(payload.exp - payload.iat).toBe(3600);
    const r = await post(stack.gatewayUrl, { query: '{ personByIdentifier(type: PNC, value: "' + pnc() + '") { name { fullName } } }' }, { authorization: `Bearer ${body.token}`, 'x-purpose': 'OFFENDER_MANAGEMENT' });
    expect(r.status).toBe(200);
    expect(r.body.data.personByIdentifier.name.fullName).toMatch(/\w/);
  });

  it('refuses to mint for an unknown role, a role of another agency, a body that is not JSON, or a request not addressed to localhost', async () => {
    expect((await mint({ agency: 'POLICE', role: 'CHIEF_CONSTABLE' })).status).toBe(400);
    expect((await mint({ agency: 'POLICE', role: 'AUDITOR' })).status).toBe(400);
    expect((await mint({ agency: 'PROBATION', role: 'PROBATION_OFFICER', staffCode: '<script>' })).status).toBe(400);
    const form = await fetch(`${base}/explorer/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"agency":"POLICE","role":"POLICE_OFFICER"}' });
    expect(form.status).toBe(415);
    // A page that rebinds its own name to this machine addresses the gateway by that name.
    const rebound = await new Promise<number>((resolve, reject) => {
      import('node:http').then(({ request }) => {
        const req = request(`${base}/explorer/token`, { method: 'POST', headers: { host: `attacker.example:${stack.gateway.port}`, 'content-type': 'application/json' } }, (res) => { res.resume(); resolve(res.statusCode!); });
        req.on('error', reject);
        req.end(JSON.stringify({ agency: 'POLICE', role: 'POLICE_OFFICER' }));
      }, reject);
    });
    expect(rebound).toBe(403);
    expect((await fetch(`${base}/explorer/token`)).status).toBe(405);
  });
});

describe('what a response tells the explorer', () => {
  it('names the audit record of the request in X-Request-Id', async () => {
    const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] });
    const r = await post(stack.gatewayUrl, { query: readmeQuery(), variables: { pnc: pnc() } }, { authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION', 'x-request-id': 'client-chosen-0001' });
    expect(r.status).toBe(200);
    const id = r.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const head = await stack.audit.store.head();
    const [rec] = await stack.audit.store.readRange(head!.seq, 1);
    expect(rec).toMatchObject({ requestId: id, clientRequestId: 'client-chosen-0001', caller: { roles: ['POLICE_OFFICER'] } });
  });

  it('names the audit record of a refused purpose too', async () => {
    const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] });
    const r = await post(stack.gatewayUrl, { query: readmeQuery(), variables: { pnc: pnc() } }, { authorization: `Bearer ${token}`, 'x-purpose': 'VICTIM_CONTACT' });
    expect(r.status).toBe(403);
    const head = await stack.audit.store.head();
    const [rec] = await stack.audit.store.readRange(head!.seq, 1);
    expect(rec).toMatchObject({ outcome: 'DENIED', purpose: 'VICTIM_CONTACT' });
    expect(r.headers.get('x-request-id')).toBe(rec.requestId);
  });

  it('gives each withheld field its reason and the agreement that did not cover it', async () => {
    const token = await stack.token({ agency: 'PROBATION', roles: ['PROBATION_OFFICER'] });
    const r = await post(stack.gatewayUrl, { query: readmeQuery(), variables: { pnc: pnc() } }, { authorization: `Bearer ${token}`, 'x-purpose': 'OFFENDER_MANAGEMENT' });
    const withheld = Object.fromEntries((r.body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => [e.extensions!.field, [e.extensions!.reason, e.extensions!.agreement]]));
    // Police records reach probation under the MAPPA agreement, for the officer's own caseload only.
    expect(withheld['Person.arrests']).toEqual(['NOT_ON_CASELOAD', 'ISA-POLICE-HMPPS']);
    // No grant at all: no agreement to name.
    expect(withheld['Case.victims']).toEqual(['NOT_PERMITTED', null]);
  });
});

describe('in production (NODE_ENV=production)', () => {
  let prod: Stack;
  let prodBase: string;
  beforeAll(async () => {
    vi.stubEnv('NODE_ENV', 'production');
    const auditKey = await newKeyPair('test-audit-signing');
    prod = await startStack({ population: { size: 20 }, logLevel: 'silent', auditEnv: { AUDIT_SIGNING_KEY: JSON.stringify(auditKey.privateJwk) } });
    prodBase = prod.gatewayUrl.replace(/\/graphql$/, '');
  }, 120_000);
  afterAll(async () => { await prod?.close(); vi.unstubAllEnvs(); });

  it('has no explorer, no assets and no token route, and mints nothing', async () => {
    resetCounts(prod);
    for (const path of ['/explorer', '/explorer/', '/explorer/assets/graphiql.js', '/explorer/assets/explorer.js']) {
      expect((await fetch(prodBase + path)).status, path).toBe(404);
    }
    const token = await fetch(`${prodBase}/explorer/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ agency: 'POLICE', role: 'POLICE_OFFICER' }) });
    expect(token.status).toBe(404);
    expect(await token.text()).not.toMatch(/eyJ/);
    expect((await fetch(`${prodBase}/`, { redirect: 'manual' })).status).toBe(404);
    const browser = await fetch(prod.gatewayUrl, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(browser.status).toBe(405);
    expect(Object.values(callsPerAgency(prod)).every((n) => n === 0)).toBe(true);
  });

  it('accepts no browser origin unless GATEWAY_CORS_ORIGINS lists it, not even local development ones', async () => {
    const res = await fetch(prod.gatewayUrl, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-purpose' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses to create the explorer at all', () => {
    expect(() => createExplorer({ mintToken: async () => 'x' }, '/graphql', { NODE_ENV: 'production' })).toThrow(/development only/);
  });
});
