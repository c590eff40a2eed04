// The probation client against a mocked HTTP service (nock): protocol, token handling and errors.
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { createProbationClient, type ProbationClient } from '../../../adapters/probation/client.js';

const BASE = 'http://probation.invalid';
const env = { PROBATION_URL: BASE, PROBATION_AUTH_URL: `${BASE}/auth`, PROBATION_CLIENT_ID: 'id', PROBATION_CLIENT_SECRET: 'secret', PROBATION_TIMEOUT_MS: '500', PROBATION_SEARCH_PAGE_SIZE: '2', PROBATION_SEARCH_MAX_PAGES: '3' };
const detail = JSON.parse(readFileSync(new URL('../../fixtures/probation/offender-detail.json', import.meta.url), 'utf8'));
const withCrn = (crn: string, extra: Record<string, unknown> = {}) => ({ ...detail, ...extra, otherIds: { ...detail.otherIds, crn } });
const token = (value = 'tok-1') => nock(BASE).post('/auth/oauth/token').query({ grant_type: 'client_credentials' }).basicAuth({ user: 'id', pass: 'secret' })
  .reply(200, { access_token: value, token_type: 'bearer', expires_in: 1200 });
const pageOf = (content: unknown[], number: number, totalPages: number, totalElements: number) =>
  ({ content, number, totalPages, totalElements, last: number >= totalPages - 1, first: number === 0, size: 2, numberOfElements: content.length, empty: content.length === 0 });

/** The error a promise rejects with. */
async function failure(p: Promise<unknown>): Promise<AdapterError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdapterError);
  return err as AdapterError;
}

describe('probation client (mocked service)', () => {
  let client: ProbationClient;
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());
  const fresh = () => (client = createProbationClient(env));

  it('asks for many CRNs in one POST /crns with a bearer token', async () => {
    fresh();
    const t = token();
    const api = nock(BASE, { reqheaders: { authorization: 'Bearer tok-1' } }).post('/crns', ['A123456', 'B123456', 'C123456']).reply(200, [withCrn('A123456'), withCrn('B123456')]);
    const found = await client.offendersByCrn(['a123456', 'B123456', 'C123456', 'A123456']);
    expect([...found.keys()].sort()).toEqual(['A123456', 'B123456']);
    expect(found.get('B123456')).toMatchObject({ crn: 'B123456', nomsNumber: 'G5555TT' });
    expect(t.isDone() && api.isDone()).toBe(true);
  });

  it('refreshes an expired token once and retries once', async () => {
    fresh();
    const t1 = token('old');
    const t2 = token('new');
    const api = nock(BASE)
      .post('/crns').matchHeader('authorization', 'Bearer old').reply(401, { status: 401, userMessage: 'Unauthorised', developerMessage: 'expired' })
      .post('/crns').matchHeader('authorization', 'Bearer new').reply(200, [withCrn('A123456')]);
    const found = await client.offendersByCrn(['A123456']);
    expect(found.size).toBe(1);
    expect(client.credentials.fetched).toBe(2);
    expect(t1.isDone() && t2.isDone() && api.isDone()).toBe(true);
  });

  it('gives up with SOURCE_AUTH when the refreshed token is refused too', async () => {
    fresh();
    token('a'); token('b');
    const api = nock(BASE).post('/crns').twice().reply(401, { status: 401, userMessage: 'Unauthorised' });
    const err = await failure(client.offendersByCrn(['A123456']));
    expect(err.code).toBe('SOURCE_AUTH');
    expect(api.isDone()).toBe(true);
  });

  it('reports refused client credentials as SOURCE_AUTH without echoing them', async () => {
    fresh();
    const t = nock(BASE).post('/auth/oauth/token').query(true).reply(401, { error: 'unauthorized' });
    const err = await failure(client.offendersByCrn(['A123456']));
    expect(err.code).toBe('SOURCE_AUTH');
    expect(err.message).not.toMatch(/secret|invalid|Basic/);
    expect(t.isDone()).toBe(true);
  });

  it.each([[503, 'SOURCE_UNAVAILABLE'], [500, 'SOURCE_UNAVAILABLE'], [504, 'SOURCE_TIMEOUT'], [404, 'NOT_FOUND']])('turns HTTP %i into %s', async (status, code) => {
    fresh();
    token();
    const api = nock(BASE).post('/crns').reply(status, { status, developerMessage: 'at uk.gov.justice.Foo(Foo.kt:12)' });
    const err = await failure(client.offendersByCrn(['A123456']));
    expect(err.code).toBe(code);
    expect(err.message).not.toMatch(/probation\.invalid|Foo\.kt/);
    expect(api.isDone()).toBe(true);
  });

  it('turns truncated JSON into BAD_SOURCE_DATA for the whole call', async () => {
    fresh();
    token();
    const api = nock(BASE).post('/crns').reply(200, '[{"offenderId": 1, "otherIds": {"crn": "A1');
    const err = await failure(client.offendersByCrn(['A123456']));
    expect(err.code).toBe('BAD_SOURCE_DATA');
    expect(err.message).not.toContain('A1');
    expect(api.isDone()).toBe(true);
  });

  it('fails only the record with an impossible date of birth', async () => {
    fresh();
    token();
    const api = nock(BASE).post('/crns').reply(200, [withCrn('A123456', { dateOfBirth: '1996-02-30' }), withCrn('B123456')]);
    const found = await client.offendersByCrn(['A123456', 'B123456']);
    const bad = found.get('A123456') as AdapterError;
    expect(bad).toBeInstanceOf(AdapterError);
    expect(bad.code).toBe('BAD_SOURCE_DATA');
    expect(bad.extensions.recordId).toBe('A123456');
    expect(found.get('B123456')).toMatchObject({ crn: 'B123456' });
    expect(api.isDone()).toBe(true);
  });

  it('follows search pages to the last one', async () => {
    fresh();
    token();
    const api = nock(BASE)
      .post('/search/people', { surname: 'Smith' }).query({ page: '0', size: '2' }).reply(200, pageOf([withCrn('A000001'), withCrn('A000002')], 0, 2, 3))
      .post('/search/people', { surname: 'Smith' }).query({ page: '1', size: '2' }).reply(200, pageOf([withCrn('A000003')], 1, 2, 3));
    const result = await client.searchPeople({ surname: 'Smith' });
    expect(result).toMatchObject({ totalElements: 3, pagesRead: 2, truncated: false });
    expect(result.records).toHaveLength(3);
    expect(api.isDone()).toBe(true);
  });

  it('stops at the page limit and says the result is truncated', async () => {
    fresh();
    token();
    const api = nock(BASE).post('/search/people').query(true).times(3).reply(200, (uri) => {
      const n = Number(new URL(uri, BASE).searchParams.get('page'));
      return pageOf([withCrn(`A00000${n}`)], n, 50, 50);
    });
    const result = await client.searchPeople({ surname: 'Smith' });
    expect(result).toMatchObject({ pagesRead: 3, truncated: true, totalElements: 50 });
    expect(api.isDone()).toBe(true);
  });

  it('answers SOURCE_TIMEOUT when the service is too slow', async () => {
    fresh();
    token();
    const api = nock(BASE).post('/crns').delay(1500).reply(200, []);
    const err = await failure(client.offendersByCrn(['A123456']));
    expect(err.code).toBe('SOURCE_TIMEOUT');
    expect(api.isDone()).toBe(true);
  });

  it('answers SOURCE_UNAVAILABLE when the service cannot be reached', async () => {
    fresh();
    token();
    const api = nock(BASE).post('/crns').replyWithError({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED probation.invalid:443' });
    const err = await failure(client.offendersByCrn(['A123456']));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    expect(err.message).not.toMatch(/probation\.invalid|ECONNREFUSED/);
    expect(api.isDone()).toBe(true);
  });

  it('reads MAPPA, requirements and licence conditions in one supervision call', async () => {
    fresh();
    token();
    const sup = JSON.parse(readFileSync(new URL('../../fixtures/probation/supervision-detail.json', import.meta.url), 'utf8'));
    const broken = { ...sup, crn: 'B123456', registrations: [{ ...sup.registrations[0], riskColour: 'Purple' }, sup.registrations[0]] };
    const api = nock(BASE).post('/secure/offenders/crns/supervision', ['A123456', 'B123456']).reply(200, [sup, broken]);
    const found = await client.supervisionByCrn(['A123456', 'B123456']);
    expect(found.get('A123456')!.registrations[0]).toMatchObject({ code: 'MAPP', registerLevel: 'M2' });
    const regs = found.get('B123456')!.registrations;
    expect((regs[0] as AdapterError).code).toBe('BAD_SOURCE_DATA');
    expect(regs[1]).toMatchObject({ code: 'MAPP' });
    expect(api.isDone()).toBe(true);
  });
});
