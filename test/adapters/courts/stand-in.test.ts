import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { displayName } from '../../../adapters/normalise.js';
import { CourtsClient } from '../../../adapters/courts/client.js';
import { courtsConfig } from '../../../adapters/courts/config.js';
import type { StandIn } from '../../../legacy/faults.js';
import { generatePopulation, type Population } from '../../../legacy/population.js';
import { populationMessages, startStandIn } from '../../../legacy/courts/server.js';
import type { CourtCase as TruthCase } from '../../../legacy/population.js';
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
/** Cases the court has resulted by the population's "today": the ones it has delivered messages about. */
const delivered = () => population.courts.cases.filter((c) => c.hearings[0].date <= population.referenceDate);
const defendantOf = (c: TruthCase) => defendants().find((d) => d.defendantId === c.defendantId)!;
const ok = <T>(v: T | AdapterError | null | undefined): T => {
  if (v == null || v instanceof AdapterError) throw new Error(`expected a record, got ${v instanceof AdapterError ? v.message : v}`);
  return v;
};

describe('courts stand-in with the courts client', () => {
  it('serves each case as the defendant is named in its result messages, keyed by ASN, in one call for many ASNs', async () => {
    const sample = delivered().slice(0, 20);
    const found = await client.casesByAsn(sample.map((c) => c.asn));
    expect(standIn.requests.snapshot()).toEqual({ GetResultedCases: 1 });
    for (const c of sample) {
      const m = ok(found.get(c.asn));
      const d = defendantOf(c);
      expect(m.defendant.name.surname).toBe(displayName(d.surname));
      expect(m.defendant.name.forenames).toEqual(d.forenames.map(displayName));
      expect(m.defendant.dateOfBirth).toBe(d.dateOfBirth);
      expect(m.defendant.sex).toBe(d.sex === 'M' ? 'MALE' : 'FEMALE');
      expect(m.defendant.address).toEqual({ lines: [d.address[0]], town: d.address[1], postcode: d.address[2] });
    }
  });

  it('holds nothing about a case not yet heard: no message has been delivered', async () => {
    const unheard = population.courts.cases.find((c) => c.hearings[0].date > population.referenceDate);
    if (!unheard) return; // every case of this population has been heard
    expect((await client.casesByAsn([unheard.asn])).size).toBe(0);
  });

  it('serves concluded cases with every hearing, pleas, findings and results through the code lists', async () => {
    const truth = delivered().find((c) => c.offences.some((o) => o.finding === 'NG') && c.hearings.every((h) => h.date <= population.referenceDate))!;
    const kase = ok((await client.casesByUrn([truth.urn])).get(truth.urn));
    expect(kase).toMatchObject({ urn: truth.urn, asn: truth.asn, court: { code: truth.hearings[0].courtOu }, bailStatus: { code: 'UNCONDITIONAL_BAIL' } });
    expect(kase.court?.name).toBeTruthy();
    expect(kase.hearings.map((h) => [h.date, h.court.code])).toEqual(truth.hearings.map((h) => [h.date, h.courtOu]));
    expect(kase.charges).toHaveLength(truth.offences.length);
    truth.offences.forEach((o, i) => {
      const ch = kase.charges[i];
      expect(ch.sequence).toBe(o.sequence);
      expect(ch.offence.code).toBe(o.offenceCode);
      expect(ch.wording).toBe(ch.offence.title); // the population leaves wording empty: the court fills the CJS title
      expect(ch.finding?.code).toBe(o.finding === 'NG' ? 'NOT_GUILTY' : 'GUILTY');
      expect(ch.outcomes.map((r) => ok(r).code)).toEqual(o.results.map((r) => r.code));
    });
  });

  it('shows an open case remanded in custody, with the next hearing the remand result fixed', async () => {
    const truth = delivered().find((c) => c.bailStatus === 'C' && c.hearings[1].date > population.referenceDate)!;
    const kase = ok((await client.casesByUrn([truth.urn.toLowerCase()])).get(truth.urn));
    expect(kase).toMatchObject({ bailStatus: { code: 'CUSTODY', description: 'Custody' }, remandedInCustody: true, custodyTimeLimitExpiry: null });
    expect(kase.hearings.map((h) => h.date)).toEqual(truth.hearings.map((h) => h.date));
    expect(kase.charges.every((ch) => ch.outcomes.map((o) => ok(o).code).join() === '4028')).toBe(true);
  });

  it('batches every lookup of one loader tick into one legacy call per loader', async () => {
    const loaders = createLoaders(client, 'test');
    const asns = delivered().slice(0, 8).map((c) => c.asn);
    const urns = delivered().slice(0, 6).map((c) => c.urn);
    const [byAsn, byUrn, missing] = await Promise.all([
      Promise.all(asns.map((a) => loaders.caseByAsn.load(a))),
      Promise.all(urns.map((u) => loaders.caseByUrn.load(u))),
      loaders.caseByAsn.load('2601ZZ0000000000000A'),
    ]);
    expect(standIn.requests.snapshot()).toEqual({ GetResultedCases: 2 });
    expect(byAsn.map((b) => (b.record as { asn: string }).asn)).toEqual(asns);
    expect(missing.record).toBeNull();
    expect(byUrn.map((c) => c?.urn)).toEqual(urns);
  });

  it('finds a person\'s court records by the ASNs police arrests carry, one record per case', async () => {
    const truth = population.people.find((p) => p.asns.filter((a) => delivered().some((c) => c.asn === a)).length > 1)!;
    const asns = truth.asns.filter((a) => delivered().some((c) => c.asn === a));
    const records = await client.identity.findByIdentifiers([...asns.map((value) => ({ type: 'ASN' as const, value })), { type: 'PRISON_NUMBER', value: 'A1234BC' }]);
    expect(records.map((r) => r.localId).sort()).toEqual([...asns].sort());
    expect(records.every((r) => r.localIdType === 'ASN' && r.name.surname.toUpperCase().replace(/[^A-Z]/g, '') !== '')).toBe(true);
    expect(standIn.requests.snapshot()).toEqual({ GetResultedCases: 1 });
  });

  it('searches by surname and date of birth, ignoring case and punctuation', async () => {
    const c = delivered().find((x) => /['-]/.test(defendantOf(x).surname)) ?? delivered()[0];
    const d = defendantOf(c);
    const records = await client.identity.search({ surname: d.surname.toLowerCase().replace(/['-]/g, ' '), dateOfBirth: d.dateOfBirth });
    expect(records.map((r) => r.localId)).toContain(c.asn);
    expect(records.every((r) => r.dateOfBirth === d.dateOfBirth)).toBe(true);
  });

  it('searches for many people in one call, finding each by surname and date of birth', async () => {
    const cases = delivered().slice(0, 12);
    standIn.requests.reset();
    const records = await client.identity.searchMany!(cases.map((c) => ({ surname: defendantOf(c).surname, dateOfBirth: defendantOf(c).dateOfBirth })));
    expect(standIn.requests.snapshot()).toEqual({ GetResultedCases: 1 });
    for (const c of cases) expect(records.map((r) => r.localId), c.asn).toContain(c.asn);
    // Only people matching one of the searches come back.
    const asked = new Set(cases.map((c) => `${defendantOf(c).surname.toUpperCase()}|${defendantOf(c).dateOfBirth}`));
    expect(records.every((r) => asked.has(`${r.name.surname.toUpperCase()}|${r.dateOfBirth}`))).toBe(true);
  });

  it('reports a case with an impossible hearing date as BAD_SOURCE_DATA for that case only', async () => {
    standIn.faults.set({ malformedRate: 1 });
    const asns = delivered().slice(0, 3).map((c) => c.asn);
    const found = await client.casesByAsn(asns);
    const bad = found.get(asns[0]) as AdapterError;
    expect(bad).toBeInstanceOf(AdapterError);
    expect(bad.extensions).toMatchObject({ code: 'BAD_SOURCE_DATA', recordId: asns[0] });
    expect(ok(found.get(asns[1])).asn).toBe(asns[1]);
    expect(ok(found.get(asns[2])).asn).toBe(asns[2]);
  });

  it('reports a truncated answer as BAD_SOURCE_DATA for the call', async () => {
    standIn.faults.set({ malformedRate: 1 });
    const err = await client.casesByAsn(['0000000000000000000A']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe('BAD_SOURCE_DATA');
  });

  it('gives SOURCE_TIMEOUT when the court answers slower than COURTS_TIMEOUT_MS', async () => {
    standIn.faults.set({ latencyMs: 400 });
    const slowClient = new CourtsClient(courtsConfig({ ...standIn.env, COURTS_TIMEOUT_MS: '100' }));
    const err = await slowClient.casesByUrn([population.courts.cases[0].urn]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe('SOURCE_TIMEOUT');
    expect((err as AdapterError).message).not.toMatch(/127\.0\.0\.1|CaseService|http/);
  });

  it.each([
    ['down', { down: true }],
    ['failing with SOAP server faults', { errorRate: 1 }],
  ])('gives SOURCE_UNAVAILABLE when the court is %s', async (_label, faults) => {
    standIn.faults.set(faults);
    const err = await client.casesByAsn([delivered()[0].asn]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect((err as AdapterError).code).toBe('SOURCE_UNAVAILABLE');
    expect((err as AdapterError).message).not.toMatch(/127\.0\.0\.1|CaseService|http|rolled back/);
    await expect(client.health()).rejects.toBeInstanceOf(AdapterError);
  });

  it('answers a health check', async () => {
    await expect(client.health()).resolves.toBeUndefined();
    expect(standIn.requests.get('GetResultedCases')).toBe(1);
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

  it('serves a folder of delivered messages (COURTS_LIBRA_DIR) unchanged alongside the population', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'libra-'));
    for (const f of ['resulted-case-input-message-001.xml']) writeFileSync(join(dir, f), readFileSync(new URL(`../../../reference/libra/${f}`, import.meta.url)));
    const before = process.env.COURTS_LIBRA_DIR;
    process.env.COURTS_LIBRA_DIR = dir;
    const other = await startStandIn({ population, port: 0 }).finally(() => { if (before === undefined) delete process.env.COURTS_LIBRA_DIR; else process.env.COURTS_LIBRA_DIR = before; });
    try {
      const otherClient = new CourtsClient(courtsConfig(other.env));
      const kase = ok((await otherClient.casesByUrn(['01ZD0303208'])).get('01ZD0303208'));
      expect(kase).toMatchObject({ asn: '1101ZD0100000448754K', defendant: { name: { fullName: 'Trprfour Sexoffence' } } });
      expect((await otherClient.casesByAsn([delivered()[0].asn])).size).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('writes its population as message files that, served from COURTS_LIBRA_DIR alone, give the same cases', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'libra-population-'));
    const small = generatePopulation({ size: 15 });
    execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../../scripts/courts-messages.ts', import.meta.url)), dir],
      { env: { ...process.env, POPULATION_SIZE: '15' }, stdio: 'pipe' });
    expect(readdirSync(dir).length).toBe(populationMessages(small).length);
    const before = process.env.COURTS_LIBRA_DIR;
    process.env.COURTS_LIBRA_DIR = dir;
    const fromFiles = await startStandIn({ population: generatePopulation({ size: 0 }), port: 0 }).finally(() => { if (before === undefined) delete process.env.COURTS_LIBRA_DIR; else process.env.COURTS_LIBRA_DIR = before; });
    const generated = await startStandIn({ population: small, port: 0 });
    try {
      const asns = small.courts.cases.map((c) => c.asn);
      const [a, b] = await Promise.all([fromFiles, generated].map((s) => new CourtsClient(courtsConfig(s.env)).casesByAsn(asns)));
      expect(a.size).toBe(asns.length);
      expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    } finally {
      await fromFiles.close();
      await generated.close();
    }
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
