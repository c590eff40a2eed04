// Contract tests for the probation adapter: every request it makes, run against its stand-in, is an
// operation of the probation offender search or nDelius documents, or of the documented stand-in
// extension (reference/openapi/), and valid there; the stand-in answers with bodies valid against the
// same documents and serves nothing else; every example and schema-generated answer of the operations
// used maps or fails with a typed error.
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { createProbationClient, OPERATIONS, type ProbationClient } from '../../adapters/probation/client.js';
import { generatePopulation } from '../../legacy/population.js';
import { startProbationStandIn, type ProbationStandIn } from '../../legacy/probation/server.js';
import { check, checkResponse, contract, recordRequests, responsesFor, type Captured, type Contract } from './openapi.js';

const population = generatePopulation({ size: 120 });
const REAL = ['probation-offender-search.json', 'ndelius.json'];
const EXTENSION = 'ndelius-extensions.json';
let standIn: ProbationStandIn;
let contracts: Contract[];
let captured: Captured[] = [];

const isToken = (r: Captured) => r.url.pathname === '/auth/oauth/token'; // HMPPS Auth, not one of these APIs

/** Every operation the adapter can make, on real population data. */
async function exercise(client: ProbationClient): Promise<void> {
  const some = population.probation.slice(0, 4);
  const lao = population.probation.filter((p) => p.currentRestriction || p.currentExclusion).slice(0, 3);
  await client.offendersByCrn(some.map((p) => p.crn));
  await client.offendersByNomsNumber(population.probation.filter((p) => p.nomsNumber).slice(0, 3).map((p) => p.nomsNumber!));
  await client.identity.findByIdentifiers([{ type: 'PNC', value: population.probation.find((p) => p.pnc)!.pnc! }, { type: 'CRN', value: some[0].crn }]);
  await client.identity.search({ surname: some[0].surname, dateOfBirth: some[0].dateOfBirth ?? undefined });
  await client.searchPeople({ surname: some[1].surname });
  await client.match({ surname: some[0].surname, dateOfBirth: some[0].dateOfBirth, activeSentence: false });
  await client.supervisionByCrn(some.map((p) => p.crn));
  await client.conditionsByCrn(some.map((p) => p.crn));
  await client.accessFor('jane.officer', lao.map((p) => p.crn));
  await client.caseload(some[0].offenderManager.staffCode);
  await client.casesOfDeliveryUnits(0, 50);
  await client.health();
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  contracts = await Promise.all([...REAL, EXTENSION].map(contract));
  standIn = await startProbationStandIn({ population });
  const rec = recordRequests();
  try {
    await exercise(createProbationClient(standIn.env));
  } finally {
    rec.restore();
  }
  captured = rec.requests.filter((r) => !isToken(r));
});
afterAll(async () => {
  await standIn?.close();
  nock.enableNetConnect();
});

describe('probation adapter requests against the OpenAPI documents', () => {
  it('made every kind of call it has, and each is a declared, valid operation', () => {
    const seen = new Map<string, string>();
    for (const r of captured) {
      const v = check(contracts, r);
      expect(v.errors, `${r.method} ${r.url.pathname}${r.url.search}`).toEqual([]);
      seen.set(v.operation!, v.contract!);
    }
    // Not vacuous: every operation the adapter declares was exercised and matched, in the contract it names.
    expect([...seen.keys()].sort()).toEqual(Object.values(OPERATIONS).sort());
    expect(Object.fromEntries([...seen].sort())).toEqual({
      'GET /case/{crn}/supervisions': 'ndelius.json',
      'GET /staff/{staffCode}/caseload': EXTENSION,
      'POST /crns': 'probation-offender-search.json',
      'POST /ldu-codes': 'probation-offender-search.json',
      'POST /match': 'probation-offender-search.json',
      'POST /nomsNumbers': 'probation-offender-search.json',
      'POST /phrase': 'probation-offender-search.json',
      'POST /probation-cases/access': 'ndelius.json',
      'POST /probation-cases/conditions': EXTENSION,
      'POST /search/people': 'probation-offender-search.json',
      'POST /search/probation-cases': 'ndelius.json',
    });
  });

  it('uses the stand-in extension only where no public contract has the operation', async () => {
    const real = await Promise.all(REAL.map(contract));
    const ext = (await contract(EXTENSION)).api.getOperations().map((o) => `${o.method.toUpperCase()} ${o.path}`);
    for (const op of ext) {
      const [method, path] = op.split(' ');
      const sample = path.replace('{staffCode}', 'N07A012');
      expect(check(real, { method, url: new URL(`http://x${sample}`), headers: { authorization: 'Bearer t' }, body: { crns: ['X123456'] } }).operation, op).toBeNull();
    }
    expect(ext.sort()).toEqual(['GET /staff/{staffCode}/caseload', 'POST /probation-cases/conditions']);
  });

  it('fails the operations the adapter used to invent, which no contract declares', () => {
    const headers = { authorization: 'Bearer t' };
    for (const [method, path] of [['POST', '/secure/offenders/crns/supervision'], ['GET', '/secure/staff/staffCode/N07A012/caseload/managedOffenders'], ['GET', '/health/ping']]) {
      expect(check(contracts, { method, url: new URL(`http://x${path}`), headers, body: ['X123456'] }).operation, path).toBeNull();
    }
    // A declared operation with a body its schema refuses fails too.
    expect(check(contracts, { method: 'POST', url: new URL('http://x/probation-cases/access?username=u'), headers, body: { crns: Array.from({ length: 501 }, (_, i) => `X${String(i).padStart(6, '0')}`) } }).errors).not.toEqual([]);
  });

  it('is answered by the stand-in with bodies valid against the same documents', async () => {
    for (const r of captured.filter((x) => x.status === 200)) {
      const v = check(contracts, r);
      const c = contracts.find((x) => x.file === v.contract)!;
      expect(checkResponse(c, v.operation!, r.status, r.response), `${v.operation} answer`).toEqual([]);
    }
    const nd = await contract('ndelius.json');
    expect(checkResponse(nd, 'POST /probation-cases/access', 200, { access: [{ crn: 'X1', userExcluded: 'no' }] })).not.toEqual([]);
  });

  it('has a stand-in that answers 404 to any path the documents do not declare', async () => {
    const token = await createProbationClient(standIn.env).credentials.get();
    for (const path of ['/secure/offenders/crns/supervision', '/health/ping', '/case/X123456/registrations', '/staff/N07A012']) {
      const res = await fetch(`${standIn.location}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '[]' });
      expect(res.status, path).toBe(404);
    }
  });
});

describe('probation adapter on every example and schema-generated answer of the operations it uses', () => {
  const API = 'https://probation.contract.invalid';
  const env = { PROBATION_URL: API, PROBATION_AUTH_URL: `${API}/auth`, PROBATION_CLIENT_ID: 'c', PROBATION_CLIENT_SECRET: 's', PROBATION_TIMEOUT_MS: '1000', PROBATION_SEARCH_MAX_PAGES: '1' };
  const cases: [string, string, (c: ProbationClient) => Promise<unknown>, RegExp][] = [
    ['probation-offender-search.json', 'POST /crns', (c) => c.offendersByCrn(['A123456']), /^\/crns$/],
    ['probation-offender-search.json', 'POST /nomsNumbers', (c) => c.offendersByNomsNumber(['G5555TT']), /^\/nomsNumbers$/],
    ['probation-offender-search.json', 'POST /phrase', (c) => c.phraseSearch(['2012/0052494Q']), /^\/phrase/],
    ['probation-offender-search.json', 'POST /search/people', (c) => c.searchPeople({ surname: 'Smith' }), /^\/search\/people/],
    ['probation-offender-search.json', 'POST /match', (c) => c.match({ surname: 'Smith', activeSentence: false }), /^\/match$/],
    ['ndelius.json', 'POST /search/probation-cases', (c) => c.searchProbationCases({ surname: 'Smith' }), /^\/search\/probation-cases$/],
    ['ndelius.json', 'GET /case/{crn}/supervisions', (c) => c.supervisionByCrn(['A123456']), /^\/case\/A123456\/supervisions$/],
    ['ndelius.json', 'POST /probation-cases/access', (c) => c.accessFor('u', ['A123456']), /^\/probation-cases\/access/],
    [EXTENSION, 'GET /staff/{staffCode}/caseload', (c) => c.caseload('N07A012'), /^\/staff\/N07A012\/caseload$/],
    [EXTENSION, 'POST /probation-cases/conditions', (c) => c.conditionsByCrn(['X123456']), /^\/probation-cases\/conditions$/],
  ];

  it('maps each answer or fails with a typed error, never anything else', async () => {
    let tried = 0;
    for (const [file, operation, call, path] of cases) {
      const c = await contract(file);
      const answers = responsesFor(c, operation);
      expect(answers.length, operation).toBeGreaterThan(0);
      for (const { name, body } of answers) {
        nock.cleanAll();
        nock(API).post('/auth/oauth/token').query(true).reply(200, { access_token: 't', token_type: 'bearer', expires_in: 1200 });
        nock(API).intercept(path, operation.split(' ')[0]).query(true).reply(200, JSON.stringify(body), { 'content-type': 'application/json' });
        const outcome = await call(createProbationClient(env)).then((v) => v, (e: unknown) => e);
        tried++;
        const label = `${operation} ${name}`;
        if (outcome instanceof Error) expect(outcome, label).toBeInstanceOf(AdapterError);
        const values = outcome instanceof Map ? [...outcome.values()] : Array.isArray(outcome) ? outcome : outcome && typeof outcome === 'object' && 'records' in outcome ? (outcome as { records: unknown[] }).records : [];
        const slots = values.flatMap((v) => (v && typeof v === 'object' && !(v instanceof Error) ? [v, ...Object.values(v).flat()] : [v]));
        for (const s of slots) if (s instanceof Error) expect(s, label).toBeInstanceOf(AdapterError);
      }
    }
    nock.cleanAll();
    expect(tried).toBeGreaterThanOrEqual(cases.length);
  });
});
