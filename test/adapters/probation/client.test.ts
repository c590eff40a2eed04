// The probation client against a mocked HTTP service (nock): protocol, token handling and errors.
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { createProbationClient, type ProbationClient } from '../../../adapters/probation/client.js';

const BASE = 'http://probation.invalid';
const env = { PROBATION_URL: BASE, PROBATION_AUTH_URL: `${BASE}/auth`, PROBATION_CLIENT_ID: 'id', PROBATION_CLIENT_SECRET: 'secret', PROBATION_TIMEOUT_MS: '500', PROBATION_SEARCH_PAGE_SIZE: '2', PROBATION_SEARCH_MAX_PAGES: '3',
  // One legacy call per answer: these tests read how one answer is mapped (retries: test/adapters/resilience.test.ts).
  PROBATION_RETRIES: '0', PROBATION_BREAKER_FAILURES: '1000' };
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

  it('fails only the record that cannot be read, and keeps one with an impossible date of birth', async () => {
    fresh();
    token();
    const api = nock(BASE).post('/crns').reply(200, [withCrn('A123456', { surname: null as unknown as string }), withCrn('B123456', { dateOfBirth: '19960094' }), withCrn('C123456')]);
    const found = await client.offendersByCrn(['A123456', 'B123456', 'C123456']);
    const bad = found.get('A123456') as AdapterError;
    expect(bad).toBeInstanceOf(AdapterError);
    expect(bad.code).toBe('BAD_SOURCE_DATA');
    expect(bad.extensions.recordId).toBe('A123456');
    expect(found.get('B123456')).toMatchObject({ crn: 'B123456', dateOfBirth: null, dataQuality: [{ field: 'dateOfBirth', recorded: '19960094' }] });
    expect(found.get('C123456')).toMatchObject({ crn: 'C123456' });
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

  const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/probation/${name}`, import.meta.url), 'utf8'));

  it('reads registrations from nDelius supervisions, one GET per case (no bulk form), a bad registration in its own slot', async () => {
    fresh();
    token();
    const sup = fixture('supervisions.json');
    const broken = { ...sup, dynamicRisks: [{ ...sup.dynamicRisks[0], startDate: '2021-02-30' }, sup.dynamicRisks[0]], mappaDetail: undefined };
    const api = nock(BASE)
      .get('/case/A123456/supervisions').reply(200, sup)
      .get('/case/B123456/supervisions').reply(200, broken)
      .get('/case/C123456/supervisions').reply(404, { status: 404, userMessage: 'Not found' });
    const found = await client.supervisionByCrn(['A123456', 'b123456', 'C123456', 'A123456']);
    expect((found.get('A123456') as { registrations: object[] }).registrations).toMatchObject([{ code: 'MAPP', registerLevel: 'M2' }, { code: 'RCCO' }, { code: 'ASFO' }]);
    const regs = (found.get('B123456') as { registrations: unknown[] }).registrations;
    expect((regs[0] as AdapterError).code).toBe('BAD_SOURCE_DATA');
    expect(regs[1]).toMatchObject({ code: 'RCCO' });
    expect(found.has('C123456')).toBe(false);
    expect(api.isDone()).toBe(true);
  });

  it('bounds per-case supervision calls: beyond PROBATION_SUPERVISION_MAX a case gets an error, not a call', async () => {
    client = createProbationClient({ ...env, PROBATION_SUPERVISION_MAX: '2', PROBATION_SUPERVISION_CONCURRENCY: '1' });
    token();
    const api = nock(BASE).get(/\/case\/[A-Z]\d{6}\/supervisions/).times(2).reply(200, fixture('supervisions.json'));
    const found = await client.supervisionByCrn(['A000001', 'A000002', 'A000003']);
    expect(found.get('A000003')).toBeInstanceOf(AdapterError);
    expect((found.get('A000003') as AdapterError).code).toBe('SOURCE_UNAVAILABLE');
    expect(api.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('reads requirements and licence conditions of many cases in one extension call', async () => {
    fresh();
    token();
    const c = fixture('case-conditions.json');
    const api = nock(BASE).post('/probation-cases/conditions', { crns: ['A123456', 'B123456'] }).reply(200, { cases: [c, { ...c, crn: 'B123456', requirements: [{ ...c.requirements[0], requirementId: null }] }] });
    const found = await client.conditionsByCrn(['A123456', 'B123456']);
    expect(found.get('A123456')).toMatchObject({ requirements: [{ category: 'Unpaid Work' }], licenceConditions: [{ code: 'NLC8' }] });
    expect((found.get('B123456')!.requirements[0] as AdapterError).code).toBe('BAD_SOURCE_DATA');
    expect(api.isDone()).toBe(true);
  });

  it('asks nDelius what one user may see of many cases in one call, with the username', async () => {
    fresh();
    token();
    const api = nock(BASE).post('/probation-cases/access', { crns: ['A123456', 'B123456', 'C123456'] }).query({ username: 'jane.smith' }).reply(200, fixture('access.json'));
    const found = await client.accessFor('jane.smith', ['A123456', 'B123456', 'C123456']);
    expect(found.get('A123456')).toEqual({ crn: 'A123456', userExcluded: true, userRestricted: false });
    expect(found.get('B123456')).toEqual({ crn: 'B123456', userExcluded: false, userRestricted: false });
    // A case the answer leaves out is not opened.
    expect(found.get('C123456')).toEqual({ crn: 'C123456', userExcluded: true, userRestricted: true });
    expect(api.isDone()).toBe(true);
  });

  it('searches nDelius probation cases and maps them without an offenderId', async () => {
    fresh();
    token();
    const api = nock(BASE).post('/search/probation-cases', { surname: 'Smith', dateOfBirth: '1996-02-10' }).reply(200, fixture('probation-cases.json'));
    const found = await client.identity.search({ surname: 'Smith', dateOfBirth: '1996-02-10' });
    expect(found).toMatchObject([{ localId: 'A123456', dateOfBirth: '1996-02-10', crossReferences: [{ type: 'PRISON_NUMBER', value: 'G5555TT' }] }]);
    expect(api.isDone()).toBe(true);
  });

  it('reads the caseload of a member of staff from the extension operation', async () => {
    fresh();
    token();
    const api = nock(BASE).get('/staff/N07A012/caseload').reply(200, { code: 'N07A012', cases: [{ crn: 'a123456' }, { crn: 'B123456' }, {}] });
    expect(await client.caseload('n07a012')).toEqual(['A123456', 'B123456']);
    expect(await client.caseload('not a code!')).toEqual([]);
    expect(api.isDone()).toBe(true);
  });
});
