// The probation client against the real stand-in service on an ephemeral port: real data, batching,
// token expiry, paging and faults, counted by the stand-in itself.
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { createProbationClient, type ProbationClient } from '../../../adapters/probation/client.js';
import { generatePopulation, type Population } from '../../../legacy/population.js';
import { OPERATIONS, startProbationStandIn, type ProbationStandIn } from '../../../legacy/probation/server.js';
import { createLoaders } from '../../../subgraphs/probation/loaders.js';

const population = generatePopulation({ size: 300 });
const spec = JSON.parse(readFileSync(new URL('../../fixtures/probation/probation-offender-search.json', import.meta.url), 'utf8'));
const schemaKeys = (name: string) => Object.keys(spec.components.schemas[name].properties);

let standIn: ProbationStandIn;
const clientFor = (extra: Record<string, string> = {}): ProbationClient => createProbationClient({ ...standIn.env, ...extra });

async function failure(p: Promise<unknown>): Promise<AdapterError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdapterError);
  return err as AdapterError;
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  standIn = await startProbationStandIn({ population });
});
afterEach(() => { standIn.faults.reset(); standIn.requests.reset(); });
afterAll(async () => {
  await standIn.close();
  nock.enableNetConnect();
});

describe('probation stand-in and client', () => {
  it('scans the current cases of the delivery units with POST /ldu-codes, one call a page, each case once', async () => {
    const client = clientFor();
    await client.credentials.get();
    const broken = population.probation[7].crn;
    standIn.faults.set({ malformedRecords: [broken] });
    standIn.requests.reset();
    const seen: string[] = [];
    const unreadable: { localId: string; reason: string }[] = [];
    let after: string | null = null, pages = 0;
    do {
      const page = await client.casesOfDeliveryUnits(after ? Number(after) : 0, 40);
      pages++;
      seen.push(...page.records.map((r) => r.localId));
      unreadable.push(...page.unreadable);
      after = page.after;
    } while (after && pages < 100);
    expect([...seen, ...unreadable.map((u) => u.localId)].sort()).toEqual(population.probation.map((p) => p.crn).sort());
    expect(unreadable).toEqual([{ localId: broken, reason: expect.stringMatching(/^expected .* in /) }]);
    expect(pages).toBe(Math.ceil(population.probation.length / 40));
    expect(standIn.requests.entries().filter((e) => e.operation === OPERATIONS.lduCodes).length).toBe(pages);
  });

  it('refuses the data-quality scan when no delivery unit is configured', async () => {
    const err = await failure(clientFor({ PROBATION_DATA_QUALITY_LDU_CODES: '' }).casesOfDeliveryUnits(0));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
  });

  it('answers every name search of a wave in one phrase call, with the same records one search each would find', async () => {
    const client = clientFor();
    await client.credentials.get();
    const people = population.probation.filter((p) => p.dateOfBirth).slice(0, 12);
    const criteria = [...people.map((p) => ({ surname: p.surname, dateOfBirth: p.dateOfBirth })), { surname: people[0].surname }];
    standIn.requests.reset();
    const many = await client.identity.searchMany!(criteria);
    expect(standIn.requests.entries().map((e) => e.operation)).toEqual([OPERATIONS.phrase]);
    const one = await Promise.all(criteria.map((c) => client.identity.search(c)));
    const ids = (records: { localId: string }[]) => [...new Set(records.map((r) => r.localId))].sort();
    expect(ids(many)).toEqual(ids(one.flat()));
    for (const p of people) expect(ids(many)).toContain(p.crn);
  });

  it('finds a surname typo, a swapped name and a date-of-birth match in one fuzzy phrase call', async () => {
    const client = clientFor();
    await client.credentials.get();
    const p = population.probation.find((x) => x.dateOfBirth && x.forenames[0] && x.surname.length >= 5)!;
    const typo = p.surname.slice(0, 2) + p.surname.slice(3); // one letter dropped
    standIn.requests.reset();
    const found = await client.identity.searchMany!([
      { surname: typo, forename: p.forenames[0], dateOfBirth: p.dateOfBirth, tolerant: true },
      { surname: p.forenames[0], forename: typo, tolerant: true, swapped: true },
    ]);
    expect(found.map((r) => r.localId)).toContain(p.crn);
    expect(standIn.requests.entries().map((e) => e.operation)).toEqual([OPERATIONS.phrase]);
    const byDay = await client.identity.searchMany!([{ surname: 'Zzyzx', forename: p.forenames[0], dateOfBirth: p.dateOfBirth, tolerant: true }]);
    expect(byDay.map((r) => r.localId)).toContain(p.crn);
    // An exact search does not take the typo for the name.
    expect((await client.identity.searchMany!([{ surname: typo, dateOfBirth: p.dateOfBirth }])).map((r) => r.localId)).not.toContain(p.crn);
  });

  it('renders the population in the offender search contract', async () => {
    const client = clientFor();
    const token = await client.credentials.get();
    const crn = population.probation[0].crn;
    const res = await fetch(`${standIn.env.PROBATION_URL}/crns`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify([crn]) });
    const [detail] = (await res.json()) as Record<string, any>[];
    expect(Object.keys(detail).filter((k) => !schemaKeys('OffenderDetail').includes(k))).toEqual([]);
    expect(Object.keys(detail.otherIds).filter((k) => !schemaKeys('IDs').includes(k))).toEqual([]);
    expect(Object.keys(detail.offenderManagers[0]).filter((k) => !schemaKeys('OffenderManager').includes(k))).toEqual([]);
    const page = await fetch(`${standIn.env.PROBATION_URL}/search/people?page=0&size=5`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ surname: "Smith" }) }).then((r) => r.json() as Promise<Record<string, unknown>>);
    expect(spec.components.schemas.SearchPagedResults.required.filter((k: string) => !(k in page))).toEqual([]);
  });

  it('maps the example person as recorded by probation', async () => {
    const truth = population.people[population.examples.everywhere];
    const record = (await clientFor().offendersByCrn([truth.crn!])).get(truth.crn!);
    expect(record).toMatchObject({
      crn: truth.crn, nomsNumber: truth.prisonNumber, pnc: { value: truth.pnc, valid: true }, dateOfBirth: truth.dateOfBirth,
      name: { surname: truth.surname }, restricted: false, excluded: false,
    });
  });

  it('asks for every CRN of one loader tick in one POST /crns', async () => {
    const loaders = createLoaders(clientFor(), 'r1');
    const crns = population.probation.slice(0, 8).map((p) => p.crn);
    const results = await Promise.all([...crns, 'Z999999'].map((c) => loaders.recordByCrn.load(c)));
    expect(results.slice(0, 8).map((r) => r?.crn)).toEqual(crns);
    expect(results[8]).toBeNull();
    expect(standIn.requests.get(OPERATIONS.crns)).toBe(1);
  });

  it('asks for registrations one case at a time (the nDelius contract has no bulk form), and requirements and licence conditions of many cases in one call', async () => {
    const loaders = createLoaders(clientFor(), 'r2');
    const people = population.probation.slice(0, 6);
    const [details, conditions] = await Promise.all([
      Promise.all(people.map((p) => loaders.supervisionByCrn.load(p.crn))),
      Promise.all(people.map((p) => loaders.conditionsByCrn.load(p.crn))),
    ]);
    expect(details.map((d) => d?.registrations.length)).toEqual(people.map((p) => p.registrations.filter((r) => r.active).length));
    expect(conditions[0]!.licenceConditions[0]).toMatchObject({ code: population.probation[0].licenceConditions[0].code });
    expect(conditions.map((c) => c?.requirements.length)).toEqual(people.map((p) => p.requirements.length));
    expect(standIn.requests.get(OPERATIONS.supervisions)).toBe(people.length);
    expect(standIn.requests.get(OPERATIONS.conditions)).toBe(1);
  });

  it('answers 404 for paths no contract declares, the invented ones the adapter used to call among them', async () => {
    const token = await clientFor().credentials.get();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    for (const [method, path] of [['POST', '/secure/offenders/crns/supervision'], ['GET', '/secure/staff/staffCode/N07A012/caseload/managedOffenders'], ['GET', '/health/ping'], ['GET', '/crns']]) {
      const res = await fetch(`${standIn.location}${path}`, { method, headers, body: method === 'POST' ? '[]' : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
  });

  it('answers 401 with an HMPPS error body when the token is missing', async () => {
    const res = await fetch(`${standIn.env.PROBATION_URL}/crns`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 401, userMessage: expect.any(String), developerMessage: expect.any(String) });
  });

  it('refreshes an expired token once and retries the call once', async () => {
    const client = clientFor();
    await client.offendersByCrn([population.probation[0].crn]);
    standIn.tokens.expireAll();
    const found = await client.offendersByCrn([population.probation[0].crn]);
    expect(found.size).toBe(1);
    expect(client.credentials.fetched).toBe(2);
    expect(standIn.requests.get(OPERATIONS.token)).toBe(2);
    expect(standIn.requests.get(OPERATIONS.crns)).toBe(3); // one ok, one refused, one retried
  });

  it('fails only the record the service sent unreadable (no surname)', async () => {
    const client = clientFor();
    await client.credentials.get();
    standIn.faults.set({ malformedRate: 1 });
    const crns = population.probation.slice(0, 3).map((p) => p.crn);
    const found = await client.offendersByCrn(crns);
    const bad = [...found.values()].filter((r) => r instanceof AdapterError) as AdapterError[];
    expect(bad).toHaveLength(1);
    expect(bad[0].code).toBe('BAD_SOURCE_DATA');
    expect(found.size).toBe(3);
  });

  it('fails a call whose answer is truncated JSON with BAD_SOURCE_DATA', async () => {
    const client = clientFor();
    await client.credentials.get();
    standIn.faults.set({ malformedRate: 1 });
    expect((await failure(client.offendersByCrn(['Z999999']))).code).toBe('BAD_SOURCE_DATA');
  });

  it('nulls one bad registration and keeps the rest', async () => {
    const client = clientFor();
    await client.credentials.get();
    const p = population.probation.find((x) => x.registrations.filter((r) => r.active).length >= 2 && x.registrations.some((r) => r.active && r.typeCode !== 'MAPP'))!;
    standIn.faults.set({ malformedRate: 1 });
    const regs = (await client.supervisionByCrn([p.crn])).get(p.crn) as { registrations: unknown[] };
    expect(regs.registrations.filter((r) => r instanceof AdapterError).map((r) => (r as AdapterError).code)).toEqual(['BAD_SOURCE_DATA']);
    expect(regs.registrations.length).toBe(p.registrations.filter((r) => r.active).length);
  });

  it('answers SOURCE_TIMEOUT when the service is slower than the client timeout', async () => {
    const client = clientFor({ PROBATION_TIMEOUT_MS: '100' });
    await client.credentials.get();
    standIn.faults.set({ latencyMs: 300 });
    const err = await failure(client.offendersByCrn([population.probation[0].crn]));
    expect(err.code).toBe('SOURCE_TIMEOUT');
  });

  it.each([[{ down: true }, 'SOURCE_UNAVAILABLE'], [{ errorRate: 1 }, 'SOURCE_UNAVAILABLE']])('turns %j into %s, naming no host', async (fault, code) => {
    const client = clientFor();
    standIn.faults.set(fault);
    const err = await failure(client.offendersByCrn([population.probation[0].crn]));
    expect(err.code).toBe(code);
    expect(JSON.stringify({ m: err.message, e: err.extensions })).not.toMatch(/127\.0\.0\.1|http:/);
    await expect(client.health()).rejects.toMatchObject({ code });
  });

  it('pages through a search, and says so when it stops at the page limit', async () => {
    const surname = [...population.probation.reduce((m, p) => m.set(p.surname, (m.get(p.surname) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1])[0];
    const all = await clientFor({ PROBATION_SEARCH_PAGE_SIZE: '1' }).searchPeople({ surname: surname[0] });
    expect(all).toMatchObject({ truncated: false, pagesRead: surname[1], totalElements: surname[1] });
    expect(standIn.requests.get(OPERATIONS.searchPeople)).toBe(surname[1]);
    const limited = await clientFor({ PROBATION_SEARCH_PAGE_SIZE: '1', PROBATION_SEARCH_MAX_PAGES: '2' }).searchPeople({ surname: surname[0] });
    expect(limited).toMatchObject({ truncated: true, pagesRead: 2 });
    expect(limited.records).toHaveLength(2);
  });

  it('matches by prison number first, as the service reports', async () => {
    const p = population.probation.find((x) => x.nomsNumber)!;
    const result = await clientFor().match({ surname: 'Nobody', nomsNumber: p.nomsNumber, activeSentence: true });
    expect(result.matchedBy).toBe('HMPPS_KEY');
    expect(result.records.map((r) => (r as { crn: string }).crn)).toEqual([p.crn]);
  });

  it('answers healthy when up', async () => {
    await expect(clientFor().health()).resolves.toBeUndefined();
  });
});

describe('probation identity source', () => {
  it('supports CRN, PNC, CRO and prison number', () => {
    expect(clientFor().identity.supports.sort()).toEqual(['CRN', 'CRO', 'PNC', 'PRISON_NUMBER']);
  });

  it('finds many people by CRN and prison number in one call of each', async () => {
    const withNoms = population.probation.filter((p) => p.nomsNumber).slice(0, 4);
    const ids = [
      ...population.probation.slice(10, 15).map((p) => ({ type: 'CRN' as const, value: p.crn })),
      ...withNoms.map((p) => ({ type: 'PRISON_NUMBER' as const, value: p.nomsNumber! })),
    ];
    const records = await clientFor().identity.findByIdentifiers(ids);
    expect(records.map((r) => r.localId).sort()).toEqual([...new Set([...population.probation.slice(10, 15), ...withNoms].map((p) => p.crn))].sort());
    expect(standIn.requests.get(OPERATIONS.crns)).toBe(1);
    expect(standIn.requests.get(OPERATIONS.nomsNumbers)).toBe(1);
    const linked = records.find((r) => r.localId === withNoms[0].crn)!;
    expect(linked.crossReferences).toEqual([{ type: 'PRISON_NUMBER', value: withNoms[0].nomsNumber }]);
  });

  it('finds an offender whose PNC is stored in short form', async () => {
    const copy: Population = structuredClone(population);
    const p = copy.probation.find((x) => x.pnc && /^\d{4}\/\d{7}[A-Z]$/.test(x.pnc) && Number(x.pnc.slice(5, 12)) > 0)!;
    const long = p.pnc!;
    p.pnc = `${long.slice(2, 4)}/${Number(long.slice(5, 12))}${long.slice(12)}`; // e.g. 18/100006A
    const shortStandIn = await startProbationStandIn({ population: copy });
    try {
      const client = createProbationClient(shortStandIn.env);
      const [record] = await client.identity.findByIdentifiers([{ type: 'PNC', value: long }]);
      expect(record).toMatchObject({ localId: p.crn, pnc: { raw: p.pnc, value: long, valid: true } });
    } finally {
      await shortStandIn.close();
    }
  });

  it('ignores a PNC whose check character fails rather than search on it', async () => {
    const long = population.probation.find((x) => x.pnc)!.pnc!;
    const wrong = long.slice(0, -1) + (long.endsWith('A') ? 'B' : 'A');
    expect(await clientFor().identity.findByIdentifiers([{ type: 'PNC', value: wrong }])).toEqual([]);
    expect(standIn.requests.get(OPERATIONS.searchPeople)).toBe(0);
  });

  it('finds by CRO number', async () => {
    const p = population.probation.find((x) => x.cro)!;
    const records = await clientFor().identity.findByIdentifiers([{ type: 'CRO', value: p.cro! }]);
    expect(records.map((r) => r.localId)).toContain(p.crn);
  });

  it('finds the probable-only example by surname and date of birth despite a nickname', async () => {
    const truth = population.people[population.examples.probableOnly];
    const records = await clientFor().identity.search({ surname: truth.surname.toUpperCase(), forename: truth.forename, dateOfBirth: truth.dateOfBirth });
    expect(records.map((r) => r.localId)).toContain(truth.crn);
    expect(records.every((r) => r.dateOfBirth === truth.dateOfBirth)).toBe(true);
  });
});
