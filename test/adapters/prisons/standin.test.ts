// The prisons client against the real stand-in (Prison API + Prisoner Search + HMPPS Auth on port 0),
// rendering a small synthetic population.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { formatPnc, normalisePnc } from '../../../adapters/normalise.js';
import { createPrisonsClient, type PrisonsClient } from '../../../adapters/prisons/client.js';
import { generatePopulation, type PrisonOffender } from '../../../legacy/population.js';
import { startPrisonsStandIn, type PrisonsStandIn } from '../../../legacy/prisons/server.js';
import { createLoaders } from '../../../subgraphs/prisons/loaders.js';

const population = generatePopulation({ size: 300 });
let standIn: PrisonsStandIn;
let client: PrisonsClient;

const clientWith = (extra: Record<string, string> = {}) => createPrisonsClient({ ...standIn.env, ...extra });
const example = population.prisons.find((o) => o.personIndex === population.examples.everywhere)!;
const shortPnc = population.prisons.find((o) => o.pnc && /^\d{2}\//.test(o.pnc))!;
const released = population.prisons.find((o) => !o.bookings[0].active)!;
const remand = population.prisons.find((o) => o.bookings[0].legalStatus === 'REMAND');
// Two people in custody but out of their prison: one in transit between prisons, one on a temporary absence.
const [inTransit, onLicenceDay] = population.prisons.filter((o) => o !== example && o !== remand && o.bookings[0].active && o.bookings[0].legalStatus === 'SENTENCED');
inTransit.bookings[0].movement = 'TRN';
onLicenceDay.bookings[0].movement = 'TAP';
// A surname with punctuation (the population's names are long-tailed, so 300 people may hold none): planted
// on the last prisoner the other tests do not pick, as the prison would hold it.
const apostrophe = population.prisons.find((o) => o.surname.includes("'") || o.surname.includes('-'))
  ?? ((o) => { o.surname = o.surname === o.surname.toUpperCase() ? "O'BRIEN-SMITH" : "O'Brien-Smith"; return o; })(
    population.prisons.findLast((o) => ![example, shortPnc, released, remand, inTransit, onLicenceDay].includes(o))!);

async function failure(p: Promise<unknown>): Promise<AdapterError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AdapterError);
  return err as AdapterError;
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  standIn = await startPrisonsStandIn({ population });
  client = clientWith();
});
afterEach(() => {
  standIn.faults.reset();
  standIn.requests.reset();
});
afterAll(async () => {
  await standIn.close();
  nock.enableNetConnect();
});

describe('prisons stand-in', () => {
  it('finds a surname typo, a swapped name and a date-of-birth match with the forename sent, in one attribute search', async () => {
    const p = example;
    const surname = p.surname.slice(0, 3) + p.surname.slice(4); // fourth letter dropped: no longer the same key
    standIn.requests.reset();
    const found = await client.identity.searchMany!([
      { surname, forename: p.forenames[0], tolerant: true },
      { surname: p.forenames[0], forename: p.surname, tolerant: true, swapped: true },
      { surname: 'Zzyzx', forename: p.forenames[0], dateOfBirth: p.dateOfBirth, tolerant: true },
    ]);
    expect(found.map((r) => r.localId)).toContain(p.offenderNo);
    expect(standIn.requests.get('POST /attribute-search')).toBe(1);
    const byDay = await client.identity.searchMany!([{ surname: 'Zzyzx', forename: p.forenames[0], dateOfBirth: p.dateOfBirth, tolerant: true }]);
    expect(byDay.map((r) => r.localId)).toEqual([p.offenderNo]);
    expect((await client.identity.searchMany!([{ surname, dateOfBirth: p.dateOfBirth }])).map((r) => r.localId)).not.toContain(p.offenderNo);
  });

  it('answers every API path without a valid bearer token with 401 and an HMPPS ErrorResponse', async () => {
    const res = await fetch(`${standIn.location}/api/offenders/${example.offenderNo}`);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 401, userMessage: expect.any(String), developerMessage: expect.any(String) });
  });

  it('hands out its own generated client secret through env, never a fixed one', async () => {
    const other = await startPrisonsStandIn({ population });
    expect(other.env.PRISONS_CLIENT_SECRET).not.toBe(standIn.env.PRISONS_CLIENT_SECRET);
    expect(standIn.env.PRISONS_CLIENT_SECRET.length).toBeGreaterThanOrEqual(24);
    await other.close();
  });

  it('renders the example person as NOMIS holds them: upper-case names, the active booking and its release date', async () => {
    const [period] = (await client.custodyPeriods(example.offenderNo))!;
    const booking = example.bookings[0];
    expect(period).toMatchObject({
      bookingId: String(booking.bookingId), active: true, legalStatus: 'SENTENCED', receptionDate: booking.receptionDate,
      expectedReleaseDate: booking.conditionalReleaseDate, releaseDate: null, sentenceLengthDays: booking.sentenceDays,
      prison: { code: booking.agencyId, name: expect.any(String) }, cellLocation: booking.cellLocation!.slice(4),
    });
    const summary = (await client.prisonersByNumber([example.offenderNo])).get(example.offenderNo);
    expect(summary).not.toBeInstanceOf(AdapterError);
    expect(summary).toMatchObject({ nextReleaseDate: booking.conditionalReleaseDate, record: { prisonNumber: example.offenderNo, dateOfBirth: example.dateOfBirth } });
    expect(example.surname).toBe(example.surname.toUpperCase());
  });

  it('shows a released booking with its actual release date and no cell', async () => {
    const [period] = (await client.custodyPeriods(released.offenderNo))!;
    expect(period).toMatchObject({ active: false, releaseDate: released.bookings[0].releaseDate, cellLocation: null });
    const summary = (await client.prisonersByNumber([released.offenderNo])).get(released.offenderNo);
    expect(summary).toMatchObject({ nextReleaseDate: null });
  });

  it('shows a person in transit between prisons (INACTIVE TRN) as in custody, with their release still expected', async () => {
    const [period] = (await client.custodyPeriods(inTransit.offenderNo))!;
    const b = inTransit.bookings[0];
    expect(period).toMatchObject({ custodyState: 'IN_TRANSIT', status: 'INACTIVE TRN', active: true, releaseDate: null, cellLocation: null, prison: { code: b.agencyId } });
    const summary = (await client.prisonersByNumber([inTransit.offenderNo])).get(inTransit.offenderNo);
    expect(summary).toMatchObject({ nextReleaseDate: b.conditionalReleaseDate });
  });

  it('shows a temporary absence (ACTIVE OUT, TAP) as in custody at its prison, not released', async () => {
    const [period] = (await client.custodyPeriods(onLicenceDay.offenderNo))!;
    expect(period).toMatchObject({ custodyState: 'TEMPORARY_ABSENCE', status: 'ACTIVE OUT', active: true, releaseDate: null, prison: { code: onLicenceDay.bookings[0].agencyId } });
  });

  it('shows a released booking as released and an active one as in prison', async () => {
    expect((await client.custodyPeriods(released.offenderNo))![0]).toMatchObject({ custodyState: 'RELEASED' });
    expect((await client.custodyPeriods(example.offenderNo))![0]).toMatchObject({ custodyState: 'IN_PRISON' });
  });

  it.runIf(remand)('shows a remand booking with no expected release', async () => {
    const [period] = (await client.custodyPeriods(remand!.offenderNo))!;
    expect(period).toMatchObject({ legalStatus: 'REMAND', expectedReleaseDate: null, sentenceLengthDays: null, active: true });
  });

  it('lists alerts with their NOMIS codes and descriptions', async () => {
    const alerts = (await client.alerts(example.offenderNo))!;
    expect(alerts.map((a) => !(a instanceof AdapterError) && a.code).sort()).toEqual(example.alerts.map((a) => a.alertCode).sort());
  });

  it('answers null for a prison number it does not hold, and no alerts for it', async () => {
    expect(await client.custodyPeriods('Z9999ZZ')).toBeNull();
    expect(await client.alerts('Z9999ZZ')).toEqual([]);
    expect(standIn.requests.get('POST /prisoner-search/prisoner-numbers')).toBe(1);
  });

  it('no longer serves the Prison API alerts endpoint removed in August 2025', async () => {
    const token = await client.credentials.get();
    const res = await fetch(`${standIn.location}/api/offenders/${example.offenderNo}/alerts/v2`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(404);
  });

  it('batches the alerts of N prisoners asked for in one loader tick into one Prisoner Alerts API call', async () => {
    const loaders = createLoaders(client, 'test');
    const people = population.prisons.filter((o) => o.alerts.length > 0).slice(0, 15);
    const lists = await Promise.all(people.map((o) => loaders.alerts.load(o.offenderNo)));
    lists.forEach((l, i) => expect(l!.map((a) => !(a instanceof AdapterError) && a.code).sort()).toEqual(people[i].alerts.map((a) => a.alertCode).sort()));
    expect(standIn.requests.get('POST /search/alerts/prison-numbers')).toBe(1);
  });

  it('batches N prisoner lookups made in one loader tick into one Prisoner Search call, bookings included', async () => {
    const loaders = createLoaders(client, 'test');
    const people = population.prisons.slice(0, 12);
    const numbers = people.map((o) => o.offenderNo);
    const results = await Promise.all([...numbers, 'Z9999ZZ'].map((n) => loaders.prisoner.load(n)));
    expect(results.slice(0, 12).map((r) => r?.record.prisonNumber)).toEqual(numbers);
    // Each person's latest booking comes with the same call: no Prison API call per person.
    expect(results.slice(0, 12).map((r) => r!.custody.map((c) => !(c instanceof AdapterError) && c.bookingId)))
      .toEqual(people.map((o) => (o.bookings.length ? [String(o.bookings[o.bookings.length - 1].bookingId)] : [])));
    expect(results[12]).toBeNull();
    expect(standIn.requests.get('GET /api/offenders/{offenderNo}') ?? 0).toBe(0);
    expect(standIn.requests.get('POST /prisoner-search/prisoner-numbers')).toBe(1);
  });

  it('refreshes an expired token exactly once and the lookup succeeds', async () => {
    const fresh = clientWith();
    await fresh.custodyPeriods(example.offenderNo);
    expect(fresh.credentials.fetched).toBe(1);
    standIn.tokens.expireAll();
    standIn.requests.reset();
    expect(await fresh.custodyPeriods(example.offenderNo)).toHaveLength(1);
    expect(fresh.credentials.fetched).toBe(2);
    expect(standIn.requests.get('POST /auth/oauth/token')).toBe(1);
    expect(standIn.requests.get('POST /prisoner-search/prisoner-numbers')).toBe(2);
  });

  it('reports SOURCE_AUTH with the wrong client secret', async () => {
    expect((await failure(clientWith({ PRISONS_CLIENT_SECRET: 'wrong' }).custodyPeriods(example.offenderNo))).code).toBe('SOURCE_AUTH');
  });

  it('marks only the malformed record of a batch as BAD_SOURCE_DATA', async () => {
    await client.credentials.get();
    const numbers = population.prisons.slice(0, 5).map((o) => o.offenderNo);
    standIn.faults.set({ malformedRate: 1 });
    const found = await client.prisonersByNumber(numbers);
    const bad = [...found.values()].filter((v) => v instanceof AdapterError) as AdapterError[];
    expect(found.size).toBe(5);
    expect(bad).toHaveLength(1);
    expect(bad[0].code).toBe('BAD_SOURCE_DATA');
    expect(bad[0].extensions.recordId).toBe(numbers[0]);
    expect(bad[0].message).not.toMatch(/1985-02-30/);
  });

  it('marks only the malformed alert as BAD_SOURCE_DATA and keeps the others', async () => {
    const withTwo = population.prisons.find((o) => o.alerts.length >= 2)!;
    await client.credentials.get();
    standIn.faults.set({ malformedRate: 1 });
    const alerts = (await client.alerts(withTwo.offenderNo))!;
    expect(alerts.filter((a) => a instanceof AdapterError)).toHaveLength(1);
    expect(alerts.filter((a) => !(a instanceof AdapterError))).toHaveLength(withTwo.alerts.length - 1);
  });

  it('reports a truncated booking as BAD_SOURCE_DATA', async () => {
    await client.credentials.get();
    standIn.faults.set({ malformedRate: 1 });
    expect((await failure(client.custodyPeriods(example.offenderNo))).code).toBe('BAD_SOURCE_DATA');
  });

  it('reports SOURCE_TIMEOUT when the system is slower than PRISONS_TIMEOUT_MS', async () => {
    const slow = clientWith({ PRISONS_TIMEOUT_MS: '150' });
    await slow.credentials.get();
    standIn.faults.set({ latencyMs: 400 });
    expect((await failure(slow.custodyPeriods(example.offenderNo))).code).toBe('SOURCE_TIMEOUT');
  });

  it('reports SOURCE_UNAVAILABLE when the system is down', async () => {
    standIn.faults.set({ down: true });
    expect((await failure(clientWith().prisonersByNumber([example.offenderNo]))).code).toBe('SOURCE_UNAVAILABLE');
  });

  it('reports a server error as SOURCE_UNAVAILABLE without the database text, host or port', async () => {
    await client.credentials.get();
    standIn.faults.set({ errorRate: 1 });
    const err = await failure(client.custodyPeriods(example.offenderNo));
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    const port = new URL(standIn.location).port;
    expect(JSON.stringify({ message: err.message, extensions: err.extensions })).not.toMatch(new RegExp(`ORA-|127\\.0\\.0\\.1|${port}`));
  });

  it('answers health with an authorised call', async () => {
    await expect(client.health()).resolves.toBeUndefined();
  });
});

describe('prisons identity source', () => {
  const truthPnc = (o: PrisonOffender) => population.people[o.personIndex].pnc!;

  it('supports prison number, PNC and CRO', () => {
    expect(client.identity.supports).toEqual(['PRISON_NUMBER', 'PNC', 'CRO']);
  });

  it('finds a prisoner whose PNC is stored in short form', async () => {
    expect(shortPnc.pnc).toMatch(/^\d{2}\//);
    const found = await client.identity.findByIdentifiers([{ type: 'PNC', value: truthPnc(shortPnc) }]);
    expect(found.map((r) => r.localId)).toContain(shortPnc.offenderNo);
    const record = found.find((r) => r.localId === shortPnc.offenderNo)!;
    expect(record.pnc).toEqual({ raw: shortPnc.pnc, value: normalisePnc(truthPnc(shortPnc)).value, valid: true, reason: null });
  });

  it('resolves prison numbers, PNCs and CROs of many people in at most two calls', async () => {
    const withCro = population.prisons.filter((o) => o.cro).slice(0, 3);
    const withPnc = population.prisons.filter((o) => o.pnc).slice(0, 5);
    const byNumber = population.prisons.slice(10, 15);
    const found = await client.identity.findByIdentifiers([
      ...withCro.map((o) => ({ type: 'CRO' as const, value: o.cro! })),
      ...withPnc.map((o) => ({ type: 'PNC' as const, value: o.pnc! })),
      ...byNumber.map((o) => ({ type: 'PRISON_NUMBER' as const, value: o.offenderNo })),
    ]);
    const ids = new Set(found.map((r) => r.localId));
    for (const o of [...withCro, ...withPnc, ...byNumber]) expect(ids.has(o.offenderNo)).toBe(true);
    expect(standIn.requests.get('POST /attribute-search') + standIn.requests.get('POST /prisoner-search/prisoner-numbers')).toBe(2);
  });

  it('finds nobody for a PNC no prisoner holds', async () => {
    expect(await client.identity.findByIdentifiers([{ type: 'PNC', value: formatPnc(1999, 9_999_999) }])).toEqual([]);
  });

  it('searches by surname in any case and date of birth', async () => {
    const hits = await client.identity.search({ surname: example.surname.toLowerCase(), dateOfBirth: example.dateOfBirth });
    expect(hits.map((r) => r.localId)).toEqual([example.offenderNo]);
    const bySurname = await client.identity.search({ surname: example.surname });
    expect(bySurname.length).toBeGreaterThanOrEqual(1);
    expect(bySurname.every((r) => r.name.surname.toUpperCase() === example.surname || r.aliases.some((a) => a.surname.toUpperCase() === example.surname))).toBe(true);
  });

  it('matches surnames after normalisation (punctuation ignored)', async () => {
    const hits = await client.identity.search({ surname: apostrophe.surname.replace(/['-]/g, ' '), dateOfBirth: apostrophe.dateOfBirth });
    expect(hits.map((r) => r.localId)).toContain(apostrophe.offenderNo);
  });
});
