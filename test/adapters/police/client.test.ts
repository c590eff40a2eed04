// The police adapter against the real stand-in database, on both engines: the embedded PGlite and a
// PostgreSQL server (TEST_DATABASE_URL). The same behaviour is expected of both.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { PoliceClient } from '../../../adapters/police/client.js';
import { policeConfig } from '../../../adapters/police/config.js';
import { createSqlExecutor } from '../../../adapters/sql.js';
import type { StandIn } from '../../../legacy/faults.js';
import { startStandIn } from '../../../legacy/police/server.js';
import { nominalCreated, pncAsKeyed } from '../../../legacy/police/schema.js';
import { generatePopulation, type PoliceNominal } from '../../../legacy/population.js';
import { createLoaders } from '../../../subgraphs/police/loaders.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const population = generatePopulation({ size: 300 });
const nominalOf = (personIndex: number) => population.police.find((n) => n.personIndex === personIndex)!;
const TIMEOUT_MS = 400;

async function start(engine: string): Promise<StandIn> {
  if (engine === 'embedded') return startStandIn({ population });
  try {
    return await startStandIn({ population, databaseUrl: TEST_DATABASE_URL });
  } catch (err) {
    // Not skipped: CI must have PostgreSQL. Say where it was looked for (without any password).
    throw new Error(`PostgreSQL tests need a server at TEST_DATABASE_URL (${TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')}): ${(err as Error).message}`);
  }
}

describe.each(['embedded', 'postgres'])('police adapter on %s', (engine) => {
  let standIn: StandIn;
  let client: PoliceClient;

  beforeAll(async () => {
    standIn = await start(engine);
    // One client meets every fault in turn here, so its breaker must not open (tested in test/adapters/resilience.test.ts).
    client = new PoliceClient(policeConfig({ ...standIn.env, POLICE_TIMEOUT_MS: String(TIMEOUT_MS), POLICE_BREAKER_FAILURES: '1000' }));
  });
  afterEach(() => {
    standIn.faults.reset();
    standIn.requests.reset();
  });
  afterAll(async () => {
    await client?.close();
    await standIn?.close();
  });

  it('scans the nominals created or arrested since a date, one SELECT a page, each once, unreadable ones by id and reason', async () => {
    const since = '2024-01-01';
    const expected = population.police.filter((n) => nominalCreated(n, population.referenceDate).slice(0, 10) >= since || n.arrests.some((a) => a.arrestDate.slice(0, 10) >= since));
    expect(expected.length).toBeGreaterThan(100);
    expect(expected.length).toBeLessThan(population.police.length); // the date is a filter, not a formality
    const broken = expected[3].nominalId;
    standIn.faults.set({ malformedRecords: [broken] });
    standIn.requests.reset();
    const seen: string[] = [];
    const unreadable: { localId: string; reason: string }[] = [];
    let after: string | null = null, pages = 0;
    do {
      const page = await client.touchedSince(since, after, 50);
      pages++;
      seen.push(...page.records.map((r) => r.localId));
      unreadable.push(...page.unreadable);
      after = page.after;
    } while (after && pages < 100);
    expect([...seen, ...unreadable.map((u) => u.localId)].sort()).toEqual(expected.map((n) => n.nominalId).sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(unreadable).toEqual([{ localId: broken, reason: expect.stringMatching(/^expected .* in SURNAME$/) }]);
    expect(pages).toBe(Math.ceil(expected.length / 50) + (expected.length % 50 === 0 ? 1 : 0));
    expect(standIn.requests.entries().length).toBe(pages);
  });

  it('reads a nominal with its name tidied, date of birth parsed and identifiers checked', async () => {
    const truth = nominalOf(0);
    const found = await client.nominals([truth.nominalId]);
    expect(found.get(truth.nominalId)).toMatchObject({
      nominalId: truth.nominalId,
      name: { surname: population.people[0].surname, fullName: expect.stringContaining(population.people[0].surname) },
      dateOfBirth: truth.dateOfBirth,
      sex: 'MALE',
      pnc: { value: population.people[0].pnc, valid: true },
      force: { code: truth.forceCode, name: expect.any(String) },
    });
  });

  it('leaves unknown and impossible nominal ids out instead of failing the batch', async () => {
    const found = await client.nominals(['999999', 'not-a-number', nominalOf(0).nominalId]);
    expect([...found.keys()]).toEqual([nominalOf(0).nominalId]);
  });

  it('reads arrests with their custody records in UTC, oldest first', async () => {
    const truth = nominalOf(0);
    const arrests = (await client.arrests([truth.nominalId])).get(truth.nominalId)!;
    expect(arrests).toEqual(truth.arrests.map((a) => ({
      id: a.arrestId, date: a.arrestDate, offence: expect.objectContaining({ code: a.offenceCode, title: expect.any(String) }),
      station: expect.objectContaining({ code: a.stationOu }), outcome: a.outcome, caseUrn: a.caseUrn, asn: a.asn,
      custodyRecord: { id: a.custody!.custodyId, detainedAt: a.custody!.detainedAt, releasedAt: a.custody!.releasedAt, releaseReason: a.custody!.releaseReason },
    })));
  });

  it('reads warning markers with their code-table descriptions and intelligence flags with their categories', async () => {
    const truth = nominalOf(0);
    const markers = (await client.warningMarkers([truth.nominalId])).get(truth.nominalId)!;
    expect(markers).toEqual([
      expect.objectContaining({ code: 'VI', description: 'VIOLENT', startDate: truth.warningMarkers[0].startDate, active: true }),
      expect.objectContaining({ code: 'WE', description: 'WEAPONS', startDate: truth.warningMarkers[1].startDate, active: true }),
    ]);
    const flags = (await client.intelligenceFlags([truth.nominalId])).get(truth.nominalId)!;
    expect(flags).toEqual(truth.intelligenceFlags.map((f) => ({
      id: f.flagId, category: f.category, categoryCode: expect.any(String), grading: f.grading, recordedDate: f.recordedDate, note: f.note,
    })));
  });

  it('marks an ended warning marker as not active', async () => {
    const ended = population.police.find((n) => n.warningMarkers.some((m) => m.endDate))!;
    const markers = (await client.warningMarkers([ended.nominalId])).get(ended.nominalId)! as { endDate: string | null; active: boolean }[];
    expect(markers.filter((m) => m.endDate).every((m) => m.active === false)).toBe(true);
  });

  it('finds a nominal whose PNC is stored in short form', async () => {
    const shortForm = population.police.find((n) => n.pnc && Number(n.nominalId) % 7 === 3 && n.pnc === population.people[n.personIndex].pnc)!;
    const records = await client.identity.findByIdentifiers([{ type: 'PNC', value: shortForm.pnc! }]);
    expect(records.map((r) => r.localId)).toEqual([shortForm.nominalId]);
    // In the same statement: the ASNs of its arrests, by which identity finds the court's records of the person.
    expect(records[0].crossReferences).toEqual(shortForm.arrests.filter((a) => a.asn).map((a) => ({ type: 'ASN', value: a.asn! })).sort((x, y) => x.value!.localeCompare(y.value!)));
    expect(records[0].pnc).toEqual({ raw: expect.stringMatching(/^\d{2}\/\d{1,7}[A-Z]$/), value: shortForm.pnc, valid: true, reason: null });
  });

  it('finds a nominal whose PNC is stored without its slash, and reads it in canonical form', async () => {
    const slashless = population.police.find((n) => n.pnc && Number(n.nominalId) % 7 === 5 && n.pnc === population.people[n.personIndex].pnc)!;
    const [year, serial] = slashless.pnc!.split('/');
    // Asked in the short form a prison would hold, found under the slash-less long form police keyed.
    const records = await client.identity.findByIdentifiers([{ type: 'PNC', value: `${year.slice(2)}/${Number(serial.slice(0, 7))}${serial.slice(7)}` }]);
    expect(records.map((r) => r.localId)).toEqual([slashless.nominalId]);
    expect(records[0].pnc).toEqual({ raw: `${year}${serial}`, value: slashless.pnc, valid: true, reason: null });
  });

  it('finds nominals by PNC, CRO and nominal id in one query', async () => {
    const [a, b, c] = population.police.filter((n) => n.cro && n.pnc === population.people[n.personIndex].pnc).slice(0, 3);
    const records = await client.identity.findByIdentifiers([
      { type: 'PNC', value: a.pnc! }, { type: 'CRO', value: b.cro! }, { type: 'POLICE_NOMINAL_ID', value: c.nominalId }, { type: 'CRN', value: 'X123456' },
    ]);
    expect(records.map((r) => r.localId).sort()).toEqual([a.nominalId, b.nominalId, c.nominalId].sort());
    expect(standIn.requests.get('SELECT NOMINALS')).toBe(1);
  });

  it('does not link by a PNC keyed with a wrong check character, but shows it as recorded', async () => {
    const bad = nominalOf(population.examples.badPnc) as PoliceNominal;
    expect(await client.identity.findByIdentifiers([{ type: 'PNC', value: population.people[bad.personIndex].pnc! }])).toEqual([]);
    const nominal = (await client.nominals([bad.nominalId])).get(bad.nominalId);
    expect(nominal).toMatchObject({ pnc: { raw: pncAsKeyed(bad.nominalId, bad.pnc), value: null, valid: false, reason: 'check character does not match' } });
  });

  it('searches by surname key and date of birth', async () => {
    const truth = nominalOf(0);
    const bySurname = await client.identity.search({ surname: ` ${truth.surname.toLowerCase()} ` });
    expect(bySurname.map((r) => r.localId)).toContain(truth.nominalId);
    const narrowed = await client.identity.search({ surname: truth.surname, dateOfBirth: truth.dateOfBirth });
    expect(narrowed.map((r) => r.localId)).toEqual([truth.nominalId]);
    expect(await client.identity.search({ surname: truth.surname, dateOfBirth: '1900-01-01' })).toEqual([]);
  });

  it('finds a one-letter surname typo, a phonetic spelling and a swapped name in one tolerant query', async () => {
    const truth = nominalOf(0);
    const typo = truth.surname.slice(0, 2) + truth.surname.slice(3); // one letter dropped
    standIn.requests.reset();
    const found = await client.identity.searchMany!([
      { surname: typo, forename: truth.forenames[0], dateOfBirth: truth.dateOfBirth, tolerant: true },
      { surname: truth.forenames[0], forename: typo, tolerant: true, swapped: true },
    ]);
    expect(found.map((r) => r.localId)).toContain(truth.nominalId);
    expect(standIn.requests.snapshot()).toEqual({ 'SELECT NOMINALS': 1 });
    // The exact search does not find the typo: tolerance is asked for, not assumed.
    expect((await client.identity.search({ surname: typo, dateOfBirth: truth.dateOfBirth })).map((r) => r.localId)).not.toContain(truth.nominalId);
  });

  it('finds someone born on the day with a like forename, whatever the surname, in a tolerant search', async () => {
    const truth = nominalOf(0);
    const found = await client.identity.searchMany!([{ surname: 'Zzyzx', forename: truth.forenames[0].toLowerCase(), dateOfBirth: truth.dateOfBirth, tolerant: true }]);
    expect(found.map((r) => r.localId)).toEqual([truth.nominalId]);
  });

  it('matches a surname with punctuation by its key', async () => {
    const apostrophe = population.police.find((n) => n.surname.includes("'"))!;
    const found = await client.identity.search({ surname: apostrophe.surname.replace(/'/g, '').toLowerCase(), dateOfBirth: apostrophe.dateOfBirth });
    expect(found.map((r) => r.localId)).toContain(apostrophe.nominalId);
  });

  it('sends one query per table for many people loaded in the same tick', async () => {
    const loaders = createLoaders(client, 'test');
    const ids = population.police.slice(0, 25).map((n) => n.nominalId);
    await Promise.all([...ids.map((id) => loaders.nominal.load(id)), ...ids.map((id) => loaders.arrests.load(id)), ...ids.map((id) => loaders.warningMarkers.load(id))]);
    expect(standIn.requests.snapshot()).toEqual({ 'SELECT ARRESTS': 1, 'SELECT NOMINALS': 1, 'SELECT WARNING_MARKERS': 1 });
  });

  it('reports a malformed row as BAD_SOURCE_DATA for that record only', async () => {
    standIn.faults.set({ malformedRate: 1 });
    const ids = population.police.slice(0, 3).map((n) => n.nominalId);
    const found = await client.nominals(ids);
    const bad = [...found.values()].filter((v) => v instanceof AdapterError) as AdapterError[];
    expect(bad).toHaveLength(1);
    expect(bad[0].code).toBe('BAD_SOURCE_DATA');
    expect(bad[0].extensions.recordId).toBe(ids[0]);
    expect(bad[0].message).not.toContain('31/02/1980');
    expect([...found.values()].filter((v) => !(v instanceof AdapterError))).toHaveLength(2);
  });

  it('reports an arrest with garbage dates as BAD_SOURCE_DATA and keeps the others', async () => {
    const withTwo = population.police.find((n) => n.arrests.length >= 2)!;
    standIn.faults.set({ malformedRate: 1 });
    const arrests = (await client.arrests([withTwo.nominalId])).get(withTwo.nominalId)!;
    expect(arrests[0]).toBeInstanceOf(AdapterError);
    expect((arrests[0] as AdapterError).code).toBe('BAD_SOURCE_DATA');
    expect(arrests.slice(1).every((a) => !(a instanceof AdapterError))).toBe(true);
  });

  it('gives up with SOURCE_TIMEOUT when the database is slower than POLICE_TIMEOUT_MS', async () => {
    standIn.faults.set({ latencyMs: TIMEOUT_MS + 400 });
    await expect(client.nominals([nominalOf(0).nominalId])).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT', agency: 'police' });
  });

  it('reports a server error as SOURCE_UNAVAILABLE without any SQL or server detail', async () => {
    standIn.faults.set({ errorRate: 1 });
    const err = await client.arrests([nominalOf(0).nominalId]).catch((e) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect(err.code).toBe('SOURCE_UNAVAILABLE');
    const shown = JSON.stringify({ message: err.message, extensions: err.extensions });
    for (const leak of ['SELECT', 'ARREST_ID', 'block', '127.0.0.1', 'postgres', '5432']) expect(shown).not.toContain(leak);
  });

  it('reports a database that refuses connections as SOURCE_UNAVAILABLE', async () => {
    standIn.faults.set({ down: true });
    await expect(client.identity.search({ surname: 'Smith' })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    await expect(client.health()).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
  });

  it('answers the health check', async () => {
    await expect(client.health()).resolves.toBeUndefined();
  });
});

describe('police stand-in lifecycle', () => {
  it('runs two embedded stand-ins side by side and frees each on close', async () => {
    const small = generatePopulation({ size: 20 });
    const [a, b] = [await startStandIn({ population: small }), await startStandIn({ population: small })];
    expect(a.env.POLICE_DATABASE_URL).not.toBe(b.env.POLICE_DATABASE_URL);
    const clientA = new PoliceClient(policeConfig(a.env));
    await a.close();
    await expect(clientA.health()).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
    await expect(new PoliceClient(policeConfig(b.env)).health()).resolves.toBeUndefined();
    await b.close();
  });

  it('drops the PostgreSQL schema it created when closed', async () => {
    const standIn = await start('postgres');
    const schema = standIn.env.POLICE_DB_SCHEMA;
    const db = createSqlExecutor(TEST_DATABASE_URL);
    try {
      const present = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1', [schema]);
      expect(present[0].n).toBe(1);
      await standIn.close();
      const gone = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM information_schema.schemata WHERE schema_name = $1', [schema]);
      expect(gone[0].n).toBe(0);
    } finally {
      await db.close();
    }
  });
});
