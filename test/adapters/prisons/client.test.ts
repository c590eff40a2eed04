// The prisons client against nock: tokens, refresh-and-retry, status mapping, batching and timeouts,
// from real-shaped Prison API and Prisoner Search payloads (test/fixtures/prisons).
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { createPrisonsClient } from '../../../adapters/prisons/client.js';
import { prisonsConfig, tokenUrlFrom } from '../../../adapters/prisons/config.js';
import { fillPath, RestClient } from '../../../adapters/rest.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/prisons/${name}`, import.meta.url), 'utf8'));

const API = 'https://prison-api.prisons.invalid';
const SEARCH = 'https://prisoner-search.prisons.invalid';
const ALERTS = 'https://alerts-api.prisons.invalid';
const AUTH = 'https://sign-in.prisons.invalid';
const env = {
  PRISONS_URL: API, PRISONS_SEARCH_URL: SEARCH, PRISONS_ALERTS_URL: ALERTS, PRISONS_AUTH_URL: `${AUTH}/auth`,
  PRISONS_CLIENT_ID: 'test-client', PRISONS_CLIENT_SECRET: 'test-only', PRISONS_TIMEOUT_MS: '300',
};

function token(value: string, times = 1) {
  return nock(AUTH).post('/auth/oauth/token').query({ grant_type: 'client_credentials' }).basicAuth({ user: 'test-client', pass: 'test-only' })
    .times(times).reply(200, { access_token: value, token_type: 'bearer', expires_in: 1200, scope: 'read' });
}
const api = (bearer: string) => nock(API, { reqheaders: { authorization: `Bearer ${bearer}` } });
const search = (bearer: string) => nock(SEARCH, { reqheaders: { authorization: `Bearer ${bearer}` } });
const alertsApi = (bearer: string) => nock(ALERTS, { reqheaders: { authorization: `Bearer ${bearer}` } });

async function failure(p: Promise<unknown>): Promise<AdapterError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdapterError);
  return err as AdapterError;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('prisons client over HTTP', () => {
  it('fetches a token with client credentials and sends it as a bearer token', async () => {
    const scopes = [token('t1'), search('t1').post('/prisoner-search/prisoner-numbers', { prisonerNumbers: ['A1234AA'] }).reply(200, fixture('prisoner-numbers.json') as object)];
    const periods = await createPrisonsClient(env).custodyPeriods('A1234AA');
    expect(periods).toMatchObject([{ bookingId: '2900924', legalStatus: 'SENTENCED', cellLocation: 'A-1-002' }]);
    for (const s of scopes) expect(s.isDone()).toBe(true);
  });

  it('refreshes a token the API refuses once, and retries the call once', async () => {
    const client = createPrisonsClient(env);
    const scopes = [
      token('t1'), alertsApi('t1').post('/search/alerts/prison-numbers', ['A1234AA']).query({ includeInactive: 'true' }).reply(401, { status: 401, userMessage: 'Unauthorised' }),
      token('t2'), alertsApi('t2').post('/search/alerts/prison-numbers', ['A1234AA']).query({ includeInactive: 'true' }).reply(200, fixture('alerts.json') as object),
    ];
    const alerts = await client.alerts('A1234AA');
    expect(alerts).toHaveLength(2);
    expect(client.credentials.fetched).toBe(2);
    for (const s of scopes) expect(s.isDone()).toBe(true);
  });

  it('reports SOURCE_AUTH when the API refuses the refreshed token too', async () => {
    const scopes = [token('t1'), token('t2'), search('t1').post('/prisoner-search/prisoner-numbers').reply(401), search('t2').post('/prisoner-search/prisoner-numbers').reply(401)];
    const err = await failure(createPrisonsClient(env).custodyPeriods('A1234AA'));
    expect(err.code).toBe('SOURCE_AUTH');
    for (const s of scopes) expect(s.isDone()).toBe(true);
  });

  it('does not retry a 403, which a new token cannot cure', async () => {
    const client = createPrisonsClient(env);
    const scopes = [token('t1'), search('t1').post('/prisoner-search/prisoner-numbers').reply(403, { status: 403, userMessage: 'Access denied' })];
    expect((await failure(client.custodyPeriods('A1234AA'))).code).toBe('SOURCE_AUTH');
    expect(client.credentials.fetched).toBe(1);
    for (const s of scopes) expect(s.isDone()).toBe(true);
  });

  it('reports SOURCE_AUTH when the token service refuses the client credentials', async () => {
    const scope = nock(AUTH).post('/auth/oauth/token').query(true).reply(401, { error: 'unauthorized' });
    expect((await failure(createPrisonsClient(env).custodyPeriods('A1234AA'))).code).toBe('SOURCE_AUTH');
    expect(scope.isDone()).toBe(true);
  });

  it('answers null for a prison number Prisoner Search does not hold', async () => {
    const scopes = [token('t1'), search('t1').post('/prisoner-search/prisoner-numbers', { prisonerNumbers: ['A9999ZZ'] }).reply(200, [])];
    expect(await createPrisonsClient(env).custodyPeriods('A9999ZZ')).toBeNull();
    for (const s of scopes) expect(s.isDone()).toBe(true);
  });

  it('keeps the server error text, hosts and tokens out of a 500', async () => {
    const scopes = [token('secret-token'), nock(SEARCH).post('/prisoner-search/prisoner-numbers').reply(500, { status: 500, userMessage: 'Unexpected error', developerMessage: 'ORA-01013: user requested cancel' })];
    const err = await failure(createPrisonsClient(env).custodyPeriods('A1234AA'));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(JSON.stringify({ message: err.message, extensions: err.extensions })).not.toMatch(/ORA-|invalid|secret-token|test-only/);
    for (const s of scopes) expect(s.isDone()).toBe(true);
  });

  it('reports SOURCE_TIMEOUT when Prisoner Search answers too late', async () => {
    token('t1');
    search('t1').post('/prisoner-search/prisoner-numbers').delay(1000).reply(200, fixture('prisoner-numbers.json') as object);
    expect((await failure(createPrisonsClient(env).custodyPeriods('A1234AA'))).code).toBe('SOURCE_TIMEOUT');
  });

  it('reports BAD_SOURCE_DATA for a truncated payload', async () => {
    token('t1');
    search('t1').post('/prisoner-search/prisoner-numbers').reply(200, JSON.stringify(fixture('prisoner-numbers.json')).slice(0, 120));
    expect((await failure(createPrisonsClient(env).custodyPeriods('A1234AA'))).code).toBe('BAD_SOURCE_DATA');
  });

  it('asks Prisoner Search for many prison numbers in one request', async () => {
    const scopes = [
      token('t1'),
      nock(SEARCH, { reqheaders: { authorization: 'Bearer t1' } }).post('/prisoner-search/prisoner-numbers', { prisonerNumbers: ['A1234AA', 'B2345BB', 'C3456CC'] })
        .reply(200, fixture('prisoner-numbers.json') as object),
    ];
    const found = await createPrisonsClient(env).prisonersByNumber(['A1234AA', 'b2345bb', 'C3456CC', 'A1234AA']);
    expect([...found.keys()]).toEqual(['A1234AA']);
    expect(found.get('A1234AA')).toMatchObject({ record: { prisonNumber: 'A1234AA', pnc: { value: '2012/0394773H' } } });
    for (const s of scopes) expect(s.isDone()).toBe(true);
  });

  it('asks the Prisoner Alerts API for the alerts of many prisoners in one request, each number getting its own list', async () => {
    const body = fixture('alerts.json') as { content: object[] };
    const other = { ...body.content[1], alertUuid: '11111111-2222-4333-8444-555555555555', prisonNumber: 'B2345BB' };
    const scopes = [
      token('t1'),
      alertsApi('t1').post('/search/alerts/prison-numbers', ['A1234AA', 'B2345BB', 'C3456CC']).query({ includeInactive: 'true' })
        .reply(200, { content: [...body.content, other, { ...other, prisonNumber: 'Z9999ZZ' }] }),
    ];
    const found = await createPrisonsClient(env).alertsByNumber(['A1234AA', 'b2345bb', 'C3456CC', 'A1234AA', 'not-a-number']);
    expect([...found.keys()]).toEqual(['A1234AA', 'B2345BB', 'C3456CC']);
    expect(found.get('A1234AA')!.map((a) => !(a instanceof AdapterError) && a.code)).toEqual(['XER', 'HA']);
    expect(found.get('B2345BB')).toHaveLength(1);
    expect(found.get('C3456CC')).toEqual([]);
    for (const s of scopes) expect(s.isDone()).toBe(true);
  });

  it('never reads a 404 from the alerts API as an unknown prisoner or as no alerts', async () => {
    const scopes = [token('t1'), alertsApi('t1').post('/search/alerts/prison-numbers').query(true).reply(404, fixture('error-404.json') as object)];
    const client = createPrisonsClient(env);
    const err = await failure(client.alerts('A1234AA'));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).not.toMatch(/invalid/);
    for (const s of scopes) expect(s.isDone()).toBe(true);
  });

  it('looks up PNC and CRO numbers together in one attribute search', async () => {
    let sent: unknown;
    const scopes = [
      token('t1'),
      nock(SEARCH).post('/attribute-search', (body) => ((sent = body), true))
        .reply(200, { content: fixture('prisoner-numbers.json'), totalElements: 1, totalPages: 1, number: 0, size: 200, last: true }),
    ];
    const found = await createPrisonsClient(env).identity.findByIdentifiers([
      { type: 'PNC', value: '2012/0394773H' }, { type: 'CRO', value: '29906/12J' }, { type: 'CRN', value: 'X123456' },
    ]);
    expect(found.map((r) => r.localId)).toEqual(['A1234AA']);
    expect(sent).toEqual({
      joinType: 'AND', pagination: { page: 0, size: 200 },
      queries: [{ joinType: 'OR', matchers: [{ type: 'PNC', pncNumber: '2012/0394773H' }, { type: 'String', attribute: 'croNumber', condition: 'IS', searchTerm: '029906/12J' }] }],
    });
    for (const s of scopes) expect(s.isDone()).toBe(true);
  });
});

describe('prisons configuration', () => {
  it.each([
    ['http://auth.invalid/auth', 'http://auth.invalid/auth/oauth/token'],
    ['http://auth.invalid/auth/', 'http://auth.invalid/auth/oauth/token'],
    ['http://auth.invalid/auth/oauth/token', 'http://auth.invalid/auth/oauth/token'],
  ])('derives the token URL from PRISONS_AUTH_URL %s', (input, expected) => {
    expect(tokenUrlFrom(input)).toBe(expected);
  });

  it('has safe defaults for the demo, with a 3 second timeout and the search API on the Prison API host', () => {
    const c = prisonsConfig({});
    expect(c).toMatchObject({ apiUrl: 'http://localhost:8080', searchUrl: 'http://localhost:8080', alertsUrl: 'http://localhost:8080', timeoutMs: 3000, clientSecret: '' });
  });

  it('refuses to start in production without URLs and credentials', () => {
    expect(() => prisonsConfig({ NODE_ENV: 'production' })).toThrow(/PRISONS_URL must be set/);
  });
});

describe('REST helper', () => {
  it('encodes path values and refuses a template with a placeholder left unfilled', () => {
    expect(fillPath('/api/offenders/{offenderNo}/aliases', { offenderNo: 'A1/2' })).toBe('/api/offenders/A1%2F2/aliases');
    expect(() => fillPath('/api/bookings/{bookingId}', {})).toThrow(/expected a value for \{bookingId\}/);
  });

  it('calls an API that needs no token, joining list query values and leaving out empty ones', async () => {
    const rest = new RestClient({ agency: 'prisons', baseUrl: `${API}/`, timeoutMs: 300, credentials: null });
    const scope = nock(API, { badheaders: ['authorization'] }).get('/api/things').query({ codes: 'XA,HA', page: '0' }).reply(200, [{ ok: true }]);
    expect(await rest.get('/api/things', { query: { codes: ['XA', 'HA'], page: 0, sort: undefined } })).toEqual([{ ok: true }]);
    expect(rest.calls.get('GET /api/things')).toBe(1);
    expect(scope.isDone()).toBe(true);
  });

  it('gives null from getOptional for a 404 and NOT_FOUND from get', async () => {
    const rest = new RestClient({ agency: 'prisons', baseUrl: API, timeoutMs: 300, credentials: null });
    nock(API).get('/api/missing').times(2).reply(404, fixture('error-404.json') as object);
    expect(await rest.getOptional('/api/missing')).toBeNull();
    expect((await failure(rest.get('/api/missing'))).code).toBe('NOT_FOUND');
  });
});
