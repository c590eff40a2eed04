// The bad-input battery: what a careless or hostile caller with a valid token would send, against the
// production posture. Every probe must be refused with the code that names its limit, cost no legacy
// call (counted from the stand-ins' own request logs), and leak no internals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { signAssertion } from '../../auth/assertion.js';
import { ALG, importKey } from '../../auth/keys.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { NO_RELATIONSHIPS } from '../../subgraphs/types.js';
import { aliases, nested, QUERY_PROBES } from '../helpers/probes.js';
import { type GraphQLResponse } from '../helpers/stack.js';

let stack: Stack;
let officer: Record<string, string>;
let pnc: string;

const legacyCalls = () => [...stack.standIns.values()].reduce((n, s) => n + s.requests.get(), 0);

/** Sends a raw body (string, so sizes are exact) as a police officer; returns the response and the legacy calls it caused. */
async function send(body: string | object, headers: Record<string, string> = officer, url = stack.gatewayUrl): Promise<GraphQLResponse & { calls: number }> {
  const before = legacyCalls();
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: JSON.parse(text), text, calls: legacyCalls() - before };
}

/** Nothing about our insides: no stack frames, file paths, hosts, SQL or library names. */
function expectNoInternals(r: GraphQLResponse) {
  for (const leak of ['    at ', '.ts:', 'node_modules', '127.0.0.1', 'localhost', 'SELECT', 'stacktrace', 'escape.tech', 'Syntax Error']) expect(r.text).not.toContain(leak);
}

function expectRefused(r: GraphQLResponse & { calls: number }, status: number, code: string) {
  expect({ status: r.status, code: r.body.errors?.[0]?.extensions?.code }).toEqual({ status, code });
  expect(r.body.data ?? null).toBeNull();
  expect(r.calls).toBe(0);
  expectNoInternals(r);
}


beforeAll(async () => {
  stack = await startStack({ logLevel: 'silent', edge: { production: true } });
  officer = { authorization: `Bearer ${await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'] })}`, 'x-purpose': 'INVESTIGATION' };
  pnc = stack.population.people[stack.population.examples.everywhere].pnc!;
}, 120_000);
afterAll(async () => stack?.close());

describe('the bad-input battery, against the production posture', () => {
  it('answers an ordinary request (the battery is not refusing everything)', async () => {
    const r = await send({ query: 'query($p: String!) { personByIdentifier(type: PNC, value: $p) { id name { fullName } } }', variables: { p: pnc } });
    expect(r.status).toBe(200);
    expect(r.body.data!.personByIdentifier.name.fullName).toBeTruthy();
    expect(r.calls).toBeGreaterThan(0);
  });

  it.each(QUERY_PROBES.filter((p) => p.code !== 'GRAPHQL_VALIDATION_FAILED').map((p) => [p.name, p] as const))('refuses %s', async (_name, probe) => {
    const r = await send(probe.body(pnc));
    expectRefused(r, probe.status, probe.code);
    expect(typeof r.body.errors![0].extensions!.limit).toBe('string');
  });

  it('refuses a string argument written into the document past the limit', async () => {
    expectRefused(await send({ query: `{ searchPeople(surname: "${'A'.repeat(1000)}") { person { id } } }` }), 400, 'STRING_ARGUMENT_TOO_LONG');
  });

  it('answers no introspection in production', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Person") { fields { name } } }']) {
      const r = await send({ query });
      expect(r.status).toBe(400);
      expect(r.body.errors![0].extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(r.text).not.toContain('personByIdentifier');
      expect(r.calls).toBe(0);
    }
  });

  it('gives no "Did you mean" hints in production', async () => {
    const r = await send({ query: '{ personByIdentifer(type: PNC, value: "x") { id } }' });
    expect(r.status).toBe(400);
    expect(r.text).not.toMatch(/did you mean/i);
    expect(r.text).not.toContain('personByIdentifier');
    expect(r.calls).toBe(0);
  });

  it('refuses tokens without exp, with an over-long lifetime, or issued in the future', async () => {
    const key = await importKey(stack.issuer.privateJwk);
    const now = Math.floor(Date.now() / 1000);
    const token = (claims: Record<string, number>) => new SignJWT({ agency: 'POLICE', roles: ['POLICE_OFFICER'], ...claims })
      .setProtectedHeader({ alg: ALG, kid: stack.issuer.kid }).setSubject('mallory').setIssuer(stack.auth.issuer).setAudience(stack.auth.audience).sign(key);
    const probes: Record<string, number>[] = [{ iat: now }, { iat: now, exp: now + 30 * 86400 }, { iat: now + 365 * 86400, exp: now + 365 * 86400 + 3600 }];
    for (const claims of probes) {
      const r = await send({ query: '{ __typename }' }, { authorization: `Bearer ${await token(claims)}`, 'x-purpose': 'INVESTIGATION' });
      expectRefused(r, 401, 'UNAUTHENTICATED');
    }
  });

  it('refuses GET and batches', async () => {
    const before = legacyCalls();
    const get = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent(`{ personByIdentifier(type: PNC, value: "${pnc}") { id } }`)}`, { headers: { ...officer, 'apollo-require-preflight': '1' } });
    expect(get.status).toBe(405);
    expectRefused(await send([{ query: '{ __typename }' }, { query: '{ __typename }' }]), 400, 'BAD_REQUEST');
    expect(legacyCalls()).toBe(before);
  });

  it('refuses 20,000 _entities representations at the subgraph, even with a valid assertion', async () => {
    const body = { query: 'query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Person { arrests { date } } } }', variables: { representations: Array.from({ length: 20_000 }, (_, i) => ({ __typename: 'Person', id: `P1:police=${400000 + i}` })) } };
    const caller = { subject: 'mallory', agency: 'POLICE', roles: ['POLICE_OFFICER'], purpose: 'INVESTIGATION', justification: null, requestId: 'req-entities-20000', staffCode: null, relationships: NO_RELATIONSHIPS };
    const assertion = await signAssertion(await importKey(stack.gatewayKeys.privateJwk), stack.gatewayKeys.kid, 'police', caller, body);
    const r = await send(body, { 'x-caller-assertion': assertion }, stack.subgraphs.get('police')!.url);
    expectRefused(r, 400, 'TOO_MANY_REPRESENTATIONS');
  });

  it('refuses a captured subgraph assertion replayed with another query', async () => {
    const caller = { subject: 'mallory', agency: 'POLICE', roles: ['POLICE_OFFICER'], purpose: 'INVESTIGATION', justification: null, requestId: 'req-captured-1', staffCode: null, relationships: NO_RELATIONSHIPS };
    const seen = { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id } } }', variables: { r: [{ __typename: 'Person', id: 'P1:police=400000' }] } };
    const captured = await signAssertion(await importKey(stack.gatewayKeys.privateJwk), stack.gatewayKeys.kid, 'police', caller, seen);
    const url = stack.subgraphs.get('police')!.url;
    expect((await send(seen, { 'x-caller-assertion': captured }, url)).status).toBe(200);
    const other = { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { arrests { date } warningMarkers { code } } } }', variables: seen.variables };
    expectRefused(await send(other, { 'x-caller-assertion': captured }, url), 401, 'UNAUTHENTICATED');
    expectRefused(await send({ ...seen, variables: { r: [{ __typename: 'Person', id: 'P1:police=400001' }] } }, { 'x-caller-assertion': captured }, url), 401, 'UNAUTHENTICATED');
  });

  it('audits refusals, with the gateway\'s own request id and the client\'s beside it', async () => {
    const r = await send({ query: nested(24), variables: { p: pnc } }, { ...officer, 'x-request-id': 'client-chosen-id-0001' });
    expectRefused(r, 400, 'QUERY_TOO_DEEP');
    const head = await stack.audit.store.head();
    const [record] = await stack.audit.store.readRange(head!.seq, 1);
    expect(record).toMatchObject({ outcome: 'DENIED', refusal: { code: 'QUERY_TOO_DEEP', limit: 'maxDepth' }, clientRequestId: 'client-chosen-id-0001', caller: { subject: 'dev-police-user' } });
    expect(record.requestId).not.toBe('client-chosen-id-0001');
    expect(record.documentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stops a 500-person sweep at the distinct-subject limit with 429 and Retry-After, and audits it', async () => {
    const sweeper = { authorization: `Bearer ${await stack.token({ agency: 'POLICE', roles: ['POLICE_OFFICER'], subject: 'sweeper' })}`, 'x-purpose': 'INVESTIGATION' };
    const people = Array.from({ length: 500 }, (_, i) => `2019/${String(i).padStart(7, '0')}Z`);
    const statuses: number[] = [];
    let refused: (GraphQLResponse & { calls: number }) | undefined;
    for (let i = 0; i < people.length; i += 20) {
      const r = await send({ query: aliases(20, (k) => `personByIdentifier(type: CRN, value: "${people[i + k]}") { id }`) }, sweeper);
      statuses.push(r.status);
      if (r.status !== 200) { refused ??= r; expect(r.calls).toBe(0); }
    }
    // The default allows 200 distinct people an hour: ten requests of 20, then nothing more.
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
    expectRefused(refused!, 429, 'TOO_MANY_SUBJECTS');
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    const head = await stack.audit.store.head();
    const [record] = await stack.audit.store.readRange(head!.seq, 1);
    expect(record).toMatchObject({ outcome: 'DENIED', refusal: { code: 'TOO_MANY_SUBJECTS', limit: 'distinctSubjects' }, caller: { subject: 'sweeper' } });
    // Looking again at people already seen in the window is still allowed.
    const again = await send({ query: aliases(2, (k) => `personByIdentifier(type: CRN, value: "${people[k]}") { id }`) }, sweeper);
    expect(again.status).toBe(200);
  });
});
