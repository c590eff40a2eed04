// Contract tests for the prisons adapter: every request it makes, run against its stand-in, is an
// operation of the Prison API, Prisoner Search or Prisoner Alerts API documents (reference/openapi/) and
// valid there; the stand-in's answers are valid against the same documents and it serves nothing else;
// and every example and schema-generated answer of those operations maps or fails with a typed error.
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { createPrisonsClient, OPERATIONS, type PrisonsClient } from '../../adapters/prisons/client.js';
import { generatePopulation } from '../../legacy/population.js';
import { startPrisonsStandIn, type PrisonsStandIn } from '../../legacy/prisons/server.js';
import { check, checkResponse, contract, recordRequests, responsesFor, type Captured, type Contract } from './openapi.js';

const population = generatePopulation({ size: 120 });
let standIn: PrisonsStandIn;
let contracts: Contract[];
let captured: Captured[] = [];

const isToken = (r: Captured) => r.url.pathname === '/auth/oauth/token'; // HMPPS Auth, not one of these APIs

/** Every operation the adapter can make, on real population data. */
async function exercise(client: PrisonsClient): Promise<void> {
  const withAlerts = population.prisons.filter((o) => o.alerts.length).slice(0, 5);
  const someone = population.prisons[0];
  const people = population.people.filter((p) => p.pnc).slice(0, 3);
  await client.prisonersByNumber(population.prisons.slice(0, 5).map((o) => o.offenderNo));
  await client.custodyPeriods(someone.offenderNo);
  await client.custodyPeriods('Z9999ZZ');
  await client.alertsByNumber(withAlerts.map((o) => o.offenderNo));
  await client.identity.findByIdentifiers([
    ...people.map((p) => ({ type: 'PNC' as const, value: p.pnc! })),
    { type: 'CRO', value: population.prisons.find((o) => o.cro)!.cro! },
    { type: 'PRISON_NUMBER', value: someone.offenderNo },
  ]);
  await client.identity.searchMany!([{ surname: someone.surname, dateOfBirth: someone.dateOfBirth ?? undefined }, { surname: population.prisons[1].surname }]);
  await client.identity.searchMany!([{ surname: someone.surname, forename: someone.forenames[0], dateOfBirth: someone.dateOfBirth, tolerant: true }, { surname: someone.forenames[0], forename: someone.surname, tolerant: true, swapped: true }]);
  const held = population.prisons.find((o) => o.bookings.at(-1)?.active)!.bookings.at(-1)!;
  await client.prisonRoll(held.agencyId, { cellPrefix: null, page: 0, size: 20 });
  await client.prisonRoll(held.agencyId, { cellPrefix: held.cellLocation!.split('-')[1], page: 0, size: 20 });
  await client.health();
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  contracts = await Promise.all(['prison-api.subset.json', 'prisoner-search.json', 'alerts-api.json'].map(contract));
  standIn = await startPrisonsStandIn({ population });
  const rec = recordRequests();
  try {
    await exercise(createPrisonsClient(standIn.env));
  } finally {
    rec.restore();
  }
  captured = rec.requests.filter((r) => !isToken(r));
});
afterAll(async () => {
  await standIn?.close();
  nock.enableNetConnect();
});

describe('prisons adapter requests against the OpenAPI documents', () => {
  it('made every kind of call it has, and each is a declared, valid operation', () => {
    const seen = new Set<string>();
    for (const r of captured) {
      const v = check(contracts, r);
      expect(v.errors, `${r.method} ${r.url.pathname}${r.url.search}`).toEqual([]);
      seen.add(v.operation!);
    }
    // Not vacuous: every operation the adapter declares was exercised and matched.
    expect([...seen].sort()).toEqual([
      'GET /api/agencies/prisons', 'GET /prison/{prisonId}/prisoners', 'POST /attribute-search', 'POST /prisoner-search/prisoner-numbers', 'POST /search/alerts/prison-numbers',
    ]);
    expect(Object.values(OPERATIONS).sort()).toEqual(['/api/agencies/prisons', '/attribute-search', '/prison/{prisonId}/prisoners', '/prisoner-search/prisoner-numbers', '/search/alerts/prison-numbers']);
  });

  it('fails a request the documents do not declare, or one to the removed alerts endpoint', () => {
    const headers = { authorization: 'Bearer t' };
    expect(check(contracts, { method: 'GET', url: new URL('http://x/api/offenders/A1234AA/alerts/v2?sort=dateCreated'), headers, body: undefined }).errors.join()).toMatch(/removed from the Prison API/);
    expect(check(contracts, { method: 'GET', url: new URL('http://x/api/offenders/A1234AA/secret'), headers, body: undefined }).operation).toBeNull();
    expect(check(contracts, { method: 'POST', url: new URL('http://x/search/alerts/prison-numbers'), headers, body: { prisonNumbers: ['A1234AA'] } }).errors).not.toEqual([]);
    expect(check(contracts, { method: 'POST', url: new URL('http://x/search/alerts/prison-numbers'), headers: {}, body: ['A1234AA'] }).errors).toContain('no bearer token (the contract requires one)');
  });

  it('is answered by the stand-in with bodies valid against the same documents', async () => {
    // Not vacuous: a body the document refuses is reported.
    const alerts = await contract('alerts-api.json');
    expect(checkResponse(alerts, 'POST /search/alerts/prison-numbers', 200, { content: [{ alertUuid: 5, isActive: 'yes' }] })).not.toEqual([]);
    expect(checkResponse(alerts, 'POST /search/alerts/prison-numbers', 200, { items: [] })).not.toEqual([]);
    for (const r of captured.filter((x) => x.status === 200)) {
      const v = check(contracts, r);
      const c = contracts.find((x) => x.file === v.contract)!;
      expect(checkResponse(c, v.operation!, r.status, r.response), `${v.operation} answer`).toEqual([]);
    }
  });

  it('has a stand-in that answers 404 to any path the documents do not declare', async () => {
    const token = await createPrisonsClient(standIn.env).credentials.get();
    for (const path of ['/api/offenders/A1234AA/alerts/v2', '/api/offenders/A1234AA/secret', '/health/ping', '/prisoners/A1234AA/alerts/extra']) {
      const res = await fetch(`${standIn.location}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, path).toBe(404);
    }
  });
});

describe('prisons adapter on every example and schema-generated answer of the operations it uses', () => {
  const API = 'https://prisons.contract.invalid';
  const env = { PRISONS_URL: API, PRISONS_SEARCH_URL: API, PRISONS_ALERTS_URL: API, PRISONS_AUTH_URL: `${API}/auth`, PRISONS_CLIENT_ID: 'c', PRISONS_CLIENT_SECRET: 's', PRISONS_TIMEOUT_MS: '1000' };
  const cases: [string, string, (c: PrisonsClient) => Promise<unknown>, RegExp][] = [
    ['prisoner-search.json', 'POST /prisoner-search/prisoner-numbers', (c) => c.custodyPeriods('A1234AA'), /^\/prisoner-search\/prisoner-numbers$/],
    ['prisoner-search.json', 'POST /prisoner-search/prisoner-numbers', (c) => c.prisonersByNumber(['A1234AA']), /^\/prisoner-search\/prisoner-numbers$/],
    ['prisoner-search.json', 'POST /attribute-search', (c) => c.identity.findByIdentifiers([{ type: 'PNC', value: '2012/0394773H' }]), /^\/attribute-search$/],
    ['alerts-api.json', 'POST /search/alerts/prison-numbers', (c) => c.alertsByNumber(['A1234AA']), /^\/search\/alerts\/prison-numbers/],
    ['prison-api.subset.json', 'GET /api/agencies/prisons', (c) => c.health(), /^\/api\/agencies\/prisons$/],
    ['prisoner-search.json', 'GET /prison/{prisonId}/prisoners', (c) => c.prisonRoll('MDI', { cellPrefix: 'A-1', page: 0, size: 20 }), /^\/prison\/MDI\/prisoners/],
  ];

  it('maps each answer or fails with a typed error, never anything else', async () => {
    let tried = 0;
    for (const [file, operation, call, path] of cases) {
      const c = await contract(file);
      for (const { name, body } of responsesFor(c, operation)) {
        nock.cleanAll();
        nock(API).post('/auth/oauth/token').query(true).reply(200, { access_token: 't', token_type: 'bearer', expires_in: 1200 });
        nock(API).intercept(path, operation.split(' ')[0]).query(true).reply(200, JSON.stringify(body), { 'content-type': 'application/json' });
        const outcome = await call(createPrisonsClient(env)).then((v) => v, (e: unknown) => e);
        tried++;
        const label = `${operation} ${name}`;
        if (outcome instanceof Error) expect(outcome, label).toBeInstanceOf(AdapterError);
        // Slots that could not be read are typed errors too.
        const slots = outcome instanceof Map ? [...outcome.values()].flat() : Array.isArray(outcome) ? outcome : [];
        for (const s of slots) if (s instanceof Error) expect(s, label).toBeInstanceOf(AdapterError);
      }
    }
    nock.cleanAll();
    expect(tried).toBeGreaterThanOrEqual(cases.length);
    // The alerts answer declares only a schema (no example): the generated one is a real alert list.
    const generated = responsesFor(await contract('alerts-api.json'), 'POST /search/alerts/prison-numbers');
    expect(generated.map((g) => g.name)).toContain('schema-generated');
    expect((generated[0].body as { content: unknown[] }).content.length).toBeGreaterThan(0);
  });
});
