import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { displayName, normalisePnc } from '../../../adapters/normalise.js';
import { CourtsClient } from '../../../adapters/courts/client.js';
import { courtsConfig } from '../../../adapters/courts/config.js';
import type { CourtCase as ModelCase, CourtDefendant as ModelDefendant } from '../../../adapters/courts/mapping.js';
import type { StandIn } from '../../../legacy/faults.js';
import { generatePopulation, type Population } from '../../../legacy/population.js';
import { startStandIn } from '../../../legacy/courts/server.js';
import { createLoaders } from '../../../subgraphs/courts/loaders.js';

let population: Population;
let standIn: StandIn;
let client: CourtsClient;

beforeAll(async () => {
  population = generatePopulation({ size: 300 });
  standIn = await startStandIn({ population, port: 0 });
  // One client meets every fault in turn here, so its breaker must not open (tested in test/adapters/resilience.test.ts).
  client = new CourtsClient(courtsConfig({ ...standIn.env, COURTS_BREAKER_FAILURES: '1000' }));
});
afterEach(() => {
  standIn.faults.reset();
  standIn.requests.reset();
});
afterAll(() => standIn.close());

const defendants = () => population.courts.defendants;
const ok = <T>(v: T | AdapterError | null | undefined): T => {
  if (v == null || v instanceof AdapterError) throw new Error(`expected a record, got ${v instanceof AdapterError ? v.code : v}`);
  return v;
};

describe('courts stand-in with the courts client', () => {
  it('serves defendant records as the court recorded them', async () => {
    const sample = defendants().slice(0, 20);
    const found = await client.getDefendants(sample.map((d) => d.defendantId));
    expect(standIn.requests.get('GetDefendants')).toBe(1);
    for (const d of sample) {
      const m = ok(found.get(d.defendantId));
      expect(m.name.surname).toBe(displayName(d.surname));
      expect(m.name.forenames).toEqual(d.forenames.map(displayName));
      expect(m.dateOfBirth).toBe(d.dateOfBirth);
      expect(m.sex).toBe(d.sex === 'M' ? 'MALE' : 'FEMALE');
      expect(m.pnc.raw).toBe(d.pnc);
      expect(m.address).toEqual({ lines: [d.address[0]], town: d.address[1], postcode: d.address[2] });
    }
  });

  it('serves cases with hearings, charges, pleas, findings and results through the code lists', async () => {
    const truth = population.courts.cases.find((c) => c.offences.some((o) => o.finding === 'NG'))!;
    const kase = ok((await client.getCases([truth.urn])).get(truth.urn));
    expect(kase).toMatchObject({ urn: truth.urn, asn: truth.asn, defendantId: truth.defendantId, court: { code: truth.hearings[0].courtOu } });
    expect(kase.court?.name).toBeTruthy();
    expect(kase.hearings.map((h) => [h.date, h.type])).toEqual(truth.hearings.map((h) => [h.date, h.type]));
    expect(kase.charges).toHaveLength(truth.offences.length);
    truth.offences.forEach((o, i) => {
      const ch = kase.charges[i];
      expect(ch.sequence).toBe(o.sequence);
      expect(ch.offence.code).toBe(o.offenceCode);
      expect(ch.wording).toBe(ch.offence.title); // the population leaves wording empty: the court fills the CJS title
      expect(ch.finding?.code).toBe(o.finding === 'NG' ? 'NOT_GUILTY' : 'GUILTY');
      expect(ch.outcomes.map((r) => r.code)).toEqual(o.results.map((r) => r.code));
      expect(ch.outcomes.every((r) => r.text === r.description)).toBe(true);
    });
  });

  it('shows a defendant remanded in custody with the custody time limit', async () => {
    const truth = population.courts.cases.find((c) => c.bailStatus === 'C')!;
    const kase = ok((await client.getCases([truth.urn.toLowerCase()])).get(truth.urn));
    expect(kase).toMatchObject({ bailStatus: { code: 'CUSTODY', description: 'Custody' }, remandedInCustody: true, custodyTimeLimitExpiry: truth.custodyTimeLimitExpiry });
  });

  it('batches every lookup of one loader tick into one legacy call per operation', async () => {
    const loaders = createLoaders(client, 'test');
    const ids = defendants().slice(0, 8).map((d) => d.defendantId);
    const urns = population.courts.cases.slice(0, 6).map((c) => c.urn);
    const [records, caseLists, cases, missing] = await Promise.all([
      Promise.all(ids.map((id) => loaders.defendant.load(id))),
      Promise.all(ids.map((id) => loaders.casesByDefendant.load(id))),
      Promise.all(urns.map((u) => loaders.caseByUrn.load(u))),
      loaders.defendant.load('9999999'),
    ]);
    expect(standIn.requests.snapshot()).toEqual({ GetCases: 1, GetCasesByDefendant: 1, GetDefendants: 1 });
    expect(records.map((r) => r?.defendantId)).toEqual(ids);
    expect(missing).toBeNull();
    const expectedCounts = ids.map((id) => population.courts.cases.filter((c) => c.defendantId === id).length);
    expect(caseLists.map((l) => l.length)).toEqual(expectedCounts);
    expect(cases.map((c) => c?.urn)).toEqual(urns);
  });

  it('finds a defendant whose PNC is stored in short form', async () => {
    const d = defendants().find((x) => x.pnc && /^\d{2}\//.test(x.pnc))!;
    const long = normalisePnc(d.pnc).value!;
    const records = await client.identity.findByIdentifiers([{ type: 'PNC', value: long }]);
    expect(records.map((r) => r.localId)).toContain(d.defendantId);
    expect(records.find((r) => r.localId === d.defendantId)?.pnc).toEqual({ raw: d.pnc, value: long, valid: true });
    expect(standIn.requests.get('FindDefendants')).toBe(1);
  });

  it('finds defendants by court id and PNC together with one call of each kind', async () => {
    const [a, b] = defendants().filter((x) => x.pnc && /^\d{4}\//.test(x.pnc));
    const records = await client.identity.findByIdentifiers([
      { type: 'COURT_DEFENDANT_ID', value: a.defendantId }, { type: 'PNC', value: b.pnc! }, { type: 'PNC', value: a.pnc! }, { type: 'PRISON_NUMBER', value: 'A1234BC' },
    ]);
    expect(records.map((r) => r.localId).sort()).toEqual([a.defendantId, b.defendantId].sort());
    expect(standIn.requests.snapshot()).toEqual({ FindDefendants: 1, GetDefendants: 1 });
  });

  it('searches by surname and date of birth, ignoring case and punctuation', async () => {
    const d = defendants().find((x) => /['-]/.test(x.surname) && x.dateOfBirth) ?? defendants()[0];
    const records = await client.identity.search({ surname: d.surname.toLowerCase().replace(/['-]/g, ' '), dateOfBirth: d.dateOfBirth });
    expect(records.map((r) => r.localId)).toContain(d.defendantId);
    expect(records.every((r) => r.dateOfBirth === d.dateOfBirth)).toBe(true);
  });

  it('narrows a name search by the forename initial the court matches on', async () => {
    const d = defendants()[0];
    const found = (await client.findDefendantsByName({ surname: d.surname, forename: d.forenames[0] })).map((x) => ok(x));
    expect(found.map((r) => r.defendantId)).toContain(d.defendantId);
    expect(found.every((r) => r.name.forenames[0]?.[0] === d.forenames[0][0].toUpperCase())).toBe(true);
  });

  it('does not let the court drop an identity match over an informal forename', async () => {
    const d = defendants()[0];
    const records = await client.identity.search({ surname: d.surname, forename: 'Zebedee', dateOfBirth: d.dateOfBirth });
    expect(records.map((r) => r.localId)).toContain(d.defendantId);
  });

  it('reports a defendant with an impossible birth date as BAD_SOURCE_DATA for that record only', async () => {
    standIn.faults.set({ malformedRate: 1 });
    const ids = defendants().slice(0, 3).map((d) => d.defendantId);
    const found = await client.getDefendants(ids);
    const bad = found.get(ids[0]) as AdapterError;
    expect(bad).toBeInstanceOf(AdapterError);
    expect(bad.extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', recordId: ids[0] });
    expect(ok<ModelDefendant>(found.get(ids[1])).defendantId).toBe(ids[1]);
    expect(ok<ModelDefendant>(found.get(ids[2])).defendantId).toBe(ids[2]);
  });

  it('reports a malformed case as BAD_SOURCE_DATA at its place in the defendant’s list', async () => {
    standIn.faults.set({ malformedRate: 1 });
    const owner = population.courts.cases.find((c) => population.courts.cases.filter((x) => x.defendantId === c.defendantId).length > 1)!.defendantId;
    const list = (await client.getCasesByDefendant([owner])).get(owner)!;
    expect(list[0]).toBeInstanceOf(AdapterError);
    expect((list[0] as AdapterError).extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', agency: 'courts' });
    expect((list[0] as AdapterError).operation).toBe('GetCasesByDefendant');
    expect(list.slice(1).every((c) => !(c instanceof AdapterError) && (c as ModelCase).defendantId === owner)).toBe(true);
  });

  it('reports a truncated answer as BAD_SOURCE_DATA for the call', async () => {
    standIn.faults.set({ malformedRate: 1 });
    const err = await client.getDefendants(['0000000']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe('BAD_SOURCE_DATA');
  });

  it('gives SOURCE_TIMEOUT when the court answers slower than COURTS_TIMEOUT_MS', async () => {
    standIn.faults.set({ latencyMs: 400 });
    const slowClient = new CourtsClient(courtsConfig({ ...standIn.env, COURTS_TIMEOUT_MS: '100' }));
    const err = await slowClient.getCases([population.courts.cases[0].urn]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe('SOURCE_TIMEOUT');
    expect((err as AdapterError).message).not.toMatch(/127\.0\.0\.1|CaseService|http/);
  });

  it.each([
    ['down', { down: true }],
    ['failing with SOAP server faults', { errorRate: 1 }],
  ])('gives SOURCE_UNAVAILABLE when the court is %s', async (_label, faults) => {
    standIn.faults.set(faults);
    const err = await client.getDefendants([defendants()[0].defendantId]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe('SOURCE_UNAVAILABLE');
    expect((err as AdapterError).message).not.toMatch(/127\.0\.0\.1|CaseService|http|rolled back/);
    await expect(client.health()).rejects.toBeInstanceOf(AdapterError);
  });

  it('answers a health check', async () => {
    await expect(client.health()).resolves.toBeUndefined();
    expect(standIn.requests.get('GetDefendants')).toBe(1);
  });

  it('rejects an unknown operation with a soap:Client fault and counts it', async () => {
    const res = await fetch(standIn.env.COURTS_URL, {
      method: 'POST', headers: { 'content-type': 'text/xml' },
      body: '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><DeleteCase/></soap:Body></soap:Envelope>',
    });
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('<faultcode>soap:Client</faultcode>');
    expect(standIn.requests.get('Unknown')).toBe(1);
  });

  it('frees its port on close, after which the client reports SOURCE_UNAVAILABLE', async () => {
    const other = await startStandIn({ population, port: 0 });
    const otherClient = new CourtsClient(courtsConfig(other.env));
    await otherClient.health();
    await other.close();
    const err = await otherClient.health().catch((e: unknown) => e);
    expect((err as AdapterError).code).toBe('SOURCE_UNAVAILABLE');
  });
});
