// The prisons subgraph as callers of each agency see it: disclosure policy, outages and batching,
// run in-process against the real stand-in.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrisonsClient } from '../../../adapters/prisons/client.js';
import { encodePersonId } from '../../../schema/person-id.js';
import { generatePopulation } from '../../../legacy/population.js';
import { startPrisonsStandIn, type PrisonsStandIn } from '../../../legacy/prisons/server.js';
import { buildProtectedSchema } from '../../../subgraphs/harness.js';
import { setPolicyClock } from '../../../subgraphs/policy.js';
import prisons from '../../../subgraphs/prisons/index.js';
import { caller, executeAs } from '../../helpers/subgraph.js';

const population = generatePopulation({ size: 300 });
const example = population.prisons.find((o) => o.personIndex === population.examples.everywhere)!;
const defendantId = population.people[example.personIndex].asns[0];
let standIn: PrisonsStandIn;
let client: PrisonsClient;
let restoreClock: () => void;

const ENTITIES = `query People($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Person {
      id
      nextReleaseDate
      custodyPeriods { bookingId active legalStatus expectedReleaseDate prison { code name } cellLocation }
      prisonAlerts { code description active }
      prisonRecord { prisonNumber name { fullName } dateOfBirth pnc { type recorded canonical valid reason } identifiers { type canonical valid } aliases { name { fullName } } }
    }
  }
}`;
const rep = (...prisonNumbers: string[]) => ({ __typename: 'Person', id: encodePersonId(prisonNumbers.map((localId) => ({ agency: 'prisons', localId }))) });
const codes = (errors: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] = []) =>
  Object.fromEntries(errors.map((e) => [e.path!.slice(2).join('.'), e.extensions?.code]));
/** Withheld fields (path below the entity) with the reason the policy gave. */
const withheld = (errors: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] = []) =>
  Object.fromEntries(errors.filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => [e.path!.slice(2).join('.'), e.extensions?.reason]));
/** The example as a victim liaison officer's query reaches it: with the ASN of the court case the gateway linked. */
const withCourt = { __typename: 'Person', id: encodePersonId([{ agency: 'prisons', localId: example.offenderNo }, { agency: 'courts', localId: defendantId }]) };

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  // Agreements are checked against the population's "today", not the wall clock.
  restoreClock = setPolicyClock(() => new Date(`${population.referenceDate}T12:00:00Z`));
  standIn = await startPrisonsStandIn({ population });
  // One client meets every fault in turn here, so its breaker must not open (tested in test/adapters/resilience.test.ts).
  client = await prisons.createClient({ ...standIn.env, PRISONS_BREAKER_FAILURES: '1000' });
});
afterEach(() => {
  standIn.faults.reset();
  standIn.requests.reset();
});
afterAll(async () => {
  restoreClock();
  await standIn.close();
  nock.enableNetConnect();
});

describe('prisons subgraph', () => {
  it('has a disclosure rule for every field it defines', () => {
    expect(() => buildProtectedSchema(prisons)).not.toThrow();
  });

  it('says where every record came from: NOMIS through the API that served it, the record id, and when the batch was read', async () => {
    const withAlias = population.prisons.find((o) => o !== example && o.alerts.length > 0 && (o as { aliases?: unknown[] }).aliases?.length) ?? population.prisons.find((o) => o !== example && o.alerts.length > 0)!;
    const P = 'provenance { agency system recordId retrievedAt derivedBy }';
    const q = `query People($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
      custodyPeriods { bookingId ${P} } prisonAlerts { alertId ${P} } prisonRecord { prisonNumber ${P} aliases { ${P} } } } } }`;
    const before = new Date().toISOString();
    const res = await executeAs(prisons, client, caller('PRISONS'), q, { reps: [rep(example.offenderNo), rep(withAlias.offenderNo)] });
    const after = new Date().toISOString();
    expect(res.errors).toBeUndefined();
    const people = (res.data as any)._entities;
    const search = { agency: 'PRISONS', system: 'NOMIS (Prisoner Search API)', derivedBy: null, retrievedAt: expect.any(String) };
    for (const p of people) {
      expect(p.prisonRecord.provenance).toEqual({ ...search, recordId: p.prisonRecord.prisonNumber });
      for (const a of p.prisonRecord.aliases) expect(a.provenance).toEqual({ ...search, recordId: p.prisonRecord.prisonNumber });
      for (const c of p.custodyPeriods) expect(c.provenance).toEqual({ ...search, recordId: c.bookingId });
      for (const a of p.prisonAlerts) expect(a.provenance).toEqual({ agency: 'PRISONS', system: 'NOMIS (Prisoner Alerts API)', recordId: a.alertId, derivedBy: null, retrievedAt: expect.any(String) });
    }
    // One Prisoner Search call for both people: one instant, within the request.
    const stamps = new Set(people.map((p: any) => p.prisonRecord.provenance.retrievedAt));
    expect(stamps.size).toBe(1);
    const [at] = stamps as Set<string>;
    expect(at >= before && at <= after).toBe(true);
  });

  it('says a roll line and what changed are worked out from the Prisoner Search record and alerts, and by which rule', async () => {
    const held = population.prisons.find((o) => o.bookings.some((b) => b.active && b.agencyId !== 'OUT'))!;
    const prisonId = held.bookings.find((b) => b.active)!.agencyId;
    const P = 'provenance { agency system recordId retrievedAt derivedBy }';
    const q = `query($p: String!) { prisonRoll(prisonId: $p, since: "1900-01-01", first: 200) { entries { prisonNumber ${P} changes { kind ${P} } } } }`;
    const res = await executeAs(prisons, client, caller('PRISONS'), q, { p: prisonId });
    expect(res.errors).toBeUndefined();
    const entries = (res.data as any).prisonRoll.entries;
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect(e.provenance).toMatchObject({ agency: 'PRISONS', system: 'NOMIS (Prisoner Search API)', recordId: e.prisonNumber, derivedBy: expect.stringContaining('roll') });
      for (const c of e.changes) expect(c.provenance).toMatchObject({ agency: 'PRISONS', recordId: expect.any(String), derivedBy: expect.stringContaining('changed') });
    }
    expect(entries.some((e: any) => e.changes.some((c: any) => c.kind === 'NEW_ALERT' && c.provenance.system === 'NOMIS (Prisoner Alerts API)'))).toBe(true);
  });

  it('shows prison staff everything about the example person', async () => {
    const res = await executeAs(prisons, client, caller('PRISONS'), ENTITIES, { reps: [rep(example.offenderNo)] });
    expect(res.errors).toBeUndefined();
    const person = (res.data as { _entities: Record<string, any>[] })._entities[0];
    expect(person.nextReleaseDate).toBe(example.bookings[0].conditionalReleaseDate);
    expect(person.custodyPeriods[0]).toMatchObject({ active: true, legalStatus: 'SENTENCED', cellLocation: expect.any(String) });
    expect(person.prisonAlerts).toHaveLength(example.alerts.length);
    expect(person.prisonRecord).toMatchObject({ prisonNumber: example.offenderNo, pnc: { type: 'PNC', valid: true, reason: null }, identifiers: [{ type: 'PRISON_NUMBER', canonical: example.offenderNo, valid: true }, { type: 'PNC', valid: true }] });
  });

  it('withholds alerts from a police officer but shows the cell and the prison record', async () => {
    const res = await executeAs(prisons, client, caller('POLICE'), ENTITIES, { reps: [rep(example.offenderNo)] });
    const person = (res.data as { _entities: Record<string, any>[] })._entities[0];
    expect(codes(res.errors)).toEqual({ prisonAlerts: 'FORBIDDEN' });
    expect(withheld(res.errors)).toEqual({ prisonAlerts: 'NOT_PERMITTED' });
    expect(person.custodyPeriods[0].cellLocation).toEqual(expect.any(String));
    expect(person.prisonRecord.prisonNumber).toBe(example.offenderNo);
  });

  it('withholds the cell from a police officer safeguarding rather than investigating', async () => {
    const res = await executeAs(prisons, client, caller('POLICE', ['POLICE_OFFICER'], 'SAFEGUARDING'), ENTITIES, { reps: [rep(example.offenderNo)] });
    const person = (res.data as { _entities: Record<string, any>[] })._entities[0];
    expect(withheld(res.errors)).toEqual({ 'custodyPeriods.0.cellLocation': 'PURPOSE_NOT_PERMITTED', prisonAlerts: 'NOT_PERMITTED' });
    expect(person.nextReleaseDate).toBe(example.bookings[0].conditionalReleaseDate);
    expect(person.prisonRecord.prisonNumber).toBe(example.offenderNo);
  });

  it('shows a victim liaison officer the release date of the offender in their own victim\'s case, but not the prison, cell, alerts or prison record', async () => {
    const vlo = caller('VICTIMS', undefined, undefined, { relationships: { victimDefendantIds: [defendantId] } });
    const res = await executeAs(prisons, client, vlo, ENTITIES, { reps: [withCourt] });
    const person = (res.data as { _entities: Record<string, any>[] })._entities[0];
    expect(withheld(res.errors)).toEqual({ 'custodyPeriods.0.cellLocation': 'NOT_PERMITTED', 'custodyPeriods.0.prison': 'NOT_PERMITTED', prisonAlerts: 'NOT_PERMITTED', prisonRecord: 'NOT_PERMITTED' });
    expect(codes(res.errors)).toEqual({ 'custodyPeriods.0.cellLocation': 'FORBIDDEN', 'custodyPeriods.0.prison': 'FORBIDDEN', prisonAlerts: 'FORBIDDEN', prisonRecord: 'FORBIDDEN' });
    expect(person.nextReleaseDate).toBe(example.bookings[0].conditionalReleaseDate);
    expect(person.custodyPeriods[0].expectedReleaseDate).toBe(example.bookings[0].conditionalReleaseDate);
  });

  it('withholds the release date from a victim liaison officer when the offender is in none of their victims\' cases', async () => {
    const vlo = caller('VICTIMS', undefined, undefined, { relationships: { victimDefendantIds: ['7999999'] } });
    const res = await executeAs(prisons, client, vlo, ENTITIES, { reps: [withCourt] });
    expect((res.data as any)._entities[0]).toMatchObject({ nextReleaseDate: null, custodyPeriods: null, prisonAlerts: null, prisonRecord: null });
    expect(withheld(res.errors)).toEqual({ nextReleaseDate: 'NOT_OWN_VICTIM_CASE', custodyPeriods: 'NOT_OWN_VICTIM_CASE', prisonAlerts: 'NOT_PERMITTED', prisonRecord: 'NOT_PERMITTED' });
    expect(standIn.requests.get()).toBe(0);
  });

  it('reports SOURCE_UNAVAILABLE, not a denial, for the release date when the victims system could not say whose case it is', async () => {
    const vlo = caller('VICTIMS', undefined, undefined, { relationships: { unavailable: ['victims'] } });
    const res = await executeAs(prisons, client, vlo, ENTITIES, { reps: [withCourt] });
    expect(codes(res.errors)).toEqual({ nextReleaseDate: 'SOURCE_UNAVAILABLE', custodyPeriods: 'SOURCE_UNAVAILABLE', prisonAlerts: 'FORBIDDEN', prisonRecord: 'FORBIDDEN' });
    expect(res.errors!.find((e) => e.path?.at(-1) === 'nextReleaseDate')!.extensions).toMatchObject({ agency: 'victims' });
  });

  it('withholds the cell and alerts from probation but shows the prison record', async () => {
    const res = await executeAs(prisons, client, caller('PROBATION'), ENTITIES, { reps: [rep(example.offenderNo)] });
    expect(withheld(res.errors)).toEqual({ 'custodyPeriods.0.cellLocation': 'NOT_PERMITTED', prisonAlerts: 'NOT_PERMITTED' });
    expect((res.data as any)._entities[0].prisonRecord.prisonNumber).toBe(example.offenderNo);
  });

  it('withholds the prison record from a probation officer safeguarding rather than managing the offender, but shows custody', async () => {
    const res = await executeAs(prisons, client, caller('PROBATION', ['PROBATION_OFFICER'], 'SAFEGUARDING'), ENTITIES, { reps: [rep(example.offenderNo)] });
    expect(withheld(res.errors)).toEqual({ 'custodyPeriods.0.cellLocation': 'NOT_PERMITTED', prisonAlerts: 'NOT_PERMITTED', prisonRecord: 'PURPOSE_NOT_PERMITTED' });
    expect((res.data as any)._entities[0].nextReleaseDate).toBe(example.bookings[0].conditionalReleaseDate);
  });

  it('shows a CPS prosecutor custody, release date and sentence length, but not the cell, alerts or prison record', async () => {
    const q = ENTITIES.replace('cellLocation }', 'cellLocation sentenceLengthDays }');
    const res = await executeAs(prisons, client, caller('CPS'), q, { reps: [rep(example.offenderNo)] });
    const person = (res.data as any)._entities[0];
    expect(withheld(res.errors)).toEqual({ 'custodyPeriods.0.cellLocation': 'NOT_PERMITTED', prisonAlerts: 'NOT_PERMITTED', prisonRecord: 'NOT_PERMITTED' });
    expect(person.nextReleaseDate).toBe(example.bookings[0].conditionalReleaseDate);
    expect(person.custodyPeriods[0]).toMatchObject({ active: true, legalStatus: 'SENTENCED', sentenceLengthDays: example.bookings[0].sentenceDays });
  });

  it('shows a court listing officer custody and release date, but not the sentence length, cell, alerts or prison record', async () => {
    const q = ENTITIES.replace('cellLocation }', 'cellLocation sentenceLengthDays }');
    const res = await executeAs(prisons, client, caller('COURTS'), q, { reps: [rep(example.offenderNo)] });
    expect(withheld(res.errors)).toEqual({
      'custodyPeriods.0.cellLocation': 'NOT_PERMITTED', 'custodyPeriods.0.sentenceLengthDays': 'NOT_PERMITTED', prisonAlerts: 'NOT_PERMITTED', prisonRecord: 'NOT_PERMITTED',
    });
    expect((res.data as any)._entities[0].custodyPeriods[0]).toMatchObject({ active: true, legalStatus: 'SENTENCED' });
  });

  it('withholds everything, the id included, from a performance analyst, without calling the system', async () => {
    const res = await executeAs(prisons, client, caller('MOJ'), ENTITIES, { reps: [rep(example.offenderNo)] });
    expect((res.data as any)._entities[0]).toBeNull();
    expect(withheld(res.errors)).toEqual({ id: 'NOT_PERMITTED', nextReleaseDate: 'NOT_PERMITTED', custodyPeriods: 'NOT_PERMITTED', prisonAlerts: 'NOT_PERMITTED', prisonRecord: 'NOT_PERMITTED' });
    expect(standIn.requests.get()).toBe(0);
  });

  it('gives a person with no prison record empty lists and nulls, without calling the system', async () => {
    const res = await executeAs(prisons, client, caller('PRISONS'), ENTITIES, { reps: [{ __typename: 'Person', id: 'P1:police=400001' }] });
    expect(res.errors).toBeUndefined();
    expect((res.data as any)._entities[0]).toMatchObject({ custodyPeriods: [], prisonAlerts: [], nextReleaseDate: null, prisonRecord: null });
    expect(standIn.requests.get()).toBe(0);
  });

  it('resolves the records of many people with one Prisoner Search call', async () => {
    const people = population.prisons.slice(0, 10);
    const res = await executeAs(prisons, client, caller('PROBATION'),
      'query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { nextReleaseDate prisonRecord { prisonNumber } } } }',
      { reps: people.map((o) => rep(o.offenderNo)) });
    expect(res.errors).toBeUndefined();
    expect((res.data as any)._entities.map((p: any) => p.prisonRecord.prisonNumber)).toEqual(people.map((o) => o.offenderNo));
    expect(standIn.requests.get('POST /prisoner-search/prisoner-numbers')).toBe(1);
  });

  it('nulls the prison fields with SOURCE_UNAVAILABLE when the system is down, and still returns the person', async () => {
    standIn.faults.set({ down: true });
    const res = await executeAs(prisons, client, caller('PRISONS'), ENTITIES, { reps: [rep(example.offenderNo)] });
    const person = (res.data as any)._entities[0];
    expect(person).toMatchObject({ id: rep(example.offenderNo).id, custodyPeriods: null, prisonAlerts: null, nextReleaseDate: null, prisonRecord: null });
    expect(new Set(res.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['SOURCE_UNAVAILABLE']));
    expect(res.errors!.every((e) => e.extensions?.agency === 'prisons')).toBe(true);
  });

  it('nulls one unreadable alert at its index and shows the rest', async () => {
    const withTwo = population.prisons.find((o) => o.alerts.length >= 2)!;
    await client.credentials.get();
    standIn.faults.set({ malformedRate: 1 });
    const res = await executeAs(prisons, client, caller('PRISONS'), '{ _entities(representations: [{__typename: "Person", id: "P1:prisons=' + withTwo.offenderNo + '"}]) { ... on Person { prisonAlerts { code } } } }');
    const alerts = (res.data as any)._entities[0].prisonAlerts;
    expect(alerts.filter((a: unknown) => a === null)).toHaveLength(1);
    expect(res.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_SOURCE_DATA']);
  });
});
