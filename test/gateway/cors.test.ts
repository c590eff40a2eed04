// CORS at the gateway, as a browser on another origin meets it: the preflight is answered before any
// token is asked for, with the headers the graph needs; a listed origin reads the answer; an origin not
// on the list is refused before anything runs; a "simple" cross-site request is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corsOrigins, DEV_CORS_ORIGINS, parseCorsOrigins } from '../../gateway/cors.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { callsPerAgency, resetCounts } from '../helpers/legacy-calls.js';

describe('GATEWAY_CORS_ORIGINS', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['none', []],
    ['https://app.example.gov.uk', ['https://app.example.gov.uk']],
    [' http://localhost:3000 , https://cases.example.gov.uk/ ', ['http://localhost:3000', 'https://cases.example.gov.uk']],
  ])('reads %j as %j', (raw, expected) => {
    expect(parseCorsOrigins({ GATEWAY_CORS_ORIGINS: raw })).toEqual(expected);
  });

  it.each(['*', 'app.example.gov.uk', 'https://app.example.gov.uk/cases', 'ftp://files.example', 'https://a.example,*'])('refuses %j, naming the variable', (raw) => {
    expect(() => parseCorsOrigins({ GATEWAY_CORS_ORIGINS: raw })).toThrow(/GATEWAY_CORS_ORIGINS/);
  });

  it('allows local development origins in development and none in production unless configured', () => {
    expect(corsOrigins(undefined, false)).toEqual(['http://localhost:5173', 'http://127.0.0.1:5173']);
    expect(corsOrigins(undefined, true)).toEqual([]);
    expect(corsOrigins(['https://app.example.gov.uk'], true)).toEqual(['https://app.example.gov.uk']);
  });
});

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ population: { size: 40 }, logLevel: 'silent' });
}, 120_000);
afterAll(async () => stack?.close());

const ALLOWED = DEV_CORS_ORIGINS[0];
const DENIED = 'http://evil.example:5173';
const preflight = (origin: string, headers = 'authorization,content-type,x-purpose,x-justification') =>
  fetch(stack.gatewayUrl, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });
const pnc = () => stack.population.people[stack.population.examples.everywhere].pnc;
const lookup = () => JSON.stringify({ query: `{ personByIdentifier(type: PNC, value: "${pnc()}") { name { fullName } } }` });

describe('CORS in development', () => {
  it('answers a preflight from a listed origin without a token, allowing the graph\'s headers', async () => {
    const auditBefore = (await stack.audit.store.head())?.seq ?? 0;
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    const allowed = res.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'x-purpose', 'x-justification', 'content-type']));
    expect(res.headers.get('vary')).toMatch(/Origin/);
    // Nothing ran: no caller, so no audit record.
    expect((await stack.audit.store.head())?.seq ?? 0).toBe(auditBefore);
  });

  it('lets a listed origin read the answer and its request id', async () => {
    const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] });
    const res = await fetch(stack.gatewayUrl, { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION' }, body: lookup() });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    expect(res.headers.get('access-control-expose-headers')!.split(/,\s*/)).toEqual(expect.arrayContaining(['X-Request-Id', 'X-Protective-Marking', 'X-Handling-Storage']));
    expect(res.headers.get('x-protective-marking')).toMatch(/\w/);
    expect(res.headers.get('vary')).toMatch(/Origin/);
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as { data: { personByIdentifier: { name: { fullName: string } } } }).data.personByIdentifier.name.fullName).toMatch(/\w/);
  });

  it('lets a listed origin read a refusal too (a browser app must see its 401)', async () => {
    const res = await fetch(stack.gatewayUrl, { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'application/json', 'x-purpose': 'INVESTIGATION' }, body: lookup() });
    expect(res.status).toBe(401);
    expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED);
  });

  it('refuses a preflight from an origin not on the list, with no CORS headers', async () => {
    const res = await preflight(DENIED);
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('refuses a request from an origin not on the list before anything runs, even with a valid token', async () => {
    resetCounts(stack);
    const auditBefore = (await stack.audit.store.head())?.seq ?? 0;
    const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] });
    const res = await fetch(stack.gatewayUrl, { method: 'POST', headers: { origin: DENIED, 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION' }, body: lookup() });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(Object.values(callsPerAgency(stack)).every((n) => n === 0)).toBe(true);
    expect((await stack.audit.store.head())?.seq ?? 0).toBe(auditBefore);
  });

  it('refuses a "simple" cross-site post (a form or text/plain fetch that needs no preflight)', async () => {
    resetCounts(stack);
    const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] });
    const res = await fetch(stack.gatewayUrl, { method: 'POST', headers: { origin: ALLOWED, 'content-type': 'text/plain', authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION' }, body: lookup() });
    expect(res.status).toBe(415);
    expect(Object.values(callsPerAgency(stack)).every((n) => n === 0)).toBe(true);
  });

  it('still serves clients that send no Origin (curl, other services)', async () => {
    const token = await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] });
    const res = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'INVESTIGATION' }, body: lookup() });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
