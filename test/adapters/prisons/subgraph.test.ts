// The prisons subgraph as callers of each agency see it: disclosure policy, outages and batching,
// run in-process against the real stand-in.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PrisonsClient } from '../../../adapters/prisons/client.js';
import { encodePersonId } from '../../../schema/person-id.js';
import { generatePopulation } from '../../../legacy/population.js';
import { startPrisonsStandIn, type PrisonsStandIn } from '../../../legacy/prisons/server.js';
import { buildProtectedSchema } from '../../../subgraphs/harness.js';
import prisons from '../../../subgraphs/prisons/index.js';
import { caller, executeAs } from '../../helpers/subgraph.js';

const population = generatePopulation({ size: 300 });
const example = population.prisons.find((o) => o.personIndex === population.examples.everywhere)!;
let standIn: PrisonsStandIn;
let client: PrisonsClient;

const ENTITIES = `query People($reps: [_Any!]!) {
  _entities(representations: $reps) {
    ... on Person {
      id
      nextReleaseDate
      custodyPeriods { bookingId active legalStatus expectedReleaseDate prison { code name } cellLocation }
      prisonAlerts { code description active }
      prisonRecord { prisonNumber name { fullName } dateOfBirth pnc { recorded normalised valid } aliases { name { fullName } } }
    }
  }
}`;
const rep = (...prisonNumbers: string[]) => ({ __typename: 'Person', id: encodePersonId(prisonNumbers.map((localId) => ({ agency: 'prisons', localId }))) });
const codes = (errors: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] = []) =>
  Object.fromEntries(errors.map((e) => [e.path!.slice(2).join('.'), e.extensions?.code]));

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  standIn = await startPrisonsStandIn({ population });
  client = await prisons.createClient(standIn.env);
});
afterEach(() => {
  standIn.faults.reset();
  standIn.requests.reset();
});
afterAll(async () => {
  await standIn.close();
  nock.enableNetConnect();
});

describe('prisons subgraph', () => {
  it('has a disclosure rule for every field it defines', () => {
    expect(() => buildProtectedSchema(prisons)).not.toThrow();
  });

  it('shows prison staff everything about the example person', async () => {
    const res = await executeAs(prisons, client, caller('PRISONS'), ENTITIES, { reps: [rep(example.offenderNo)] });
    expect(res.errors).toBeUndefined();
    const person = (res.data as { _entities: Record<string, any>[] })._entities[0];
    expect(person.nextReleaseDate).toBe(example.bookings[0].conditionalReleaseDate);
    expect(person.custodyPeriods[0]).toMatchObject({ active: true, legalStatus: 'SENTENCED', cellLocation: expect.any(String) });
    expect(person.prisonAlerts).toHaveLength(example.alerts.length);
    expect(person.prisonRecord).toMatchObject({ prisonNumber: example.offenderNo, pnc: { valid: true } });
  });

  it('withholds alerts from a police officer but shows the cell and the prison record', async () => {
    const res = await executeAs(prisons, client, caller('POLICE'), ENTITIES, { reps: [rep(example.offenderNo)] });
    const person = (res.data as { _entities: Record<string, any>[] })._entities[0];
    expect(codes(res.errors)).toEqual({ prisonAlerts: 'FORBIDDEN' });
    expect(person.custodyPeriods[0].cellLocation).toEqual(expect.any(String));
    expect(person.prisonRecord.prisonNumber).toBe(example.offenderNo);
  });

  it('withholds the cell, alerts and prison record from a victim liaison officer but shows the release date', async () => {
    const res = await executeAs(prisons, client, caller('VICTIMS'), ENTITIES, { reps: [rep(example.offenderNo)] });
    const person = (res.data as { _entities: Record<string, any>[] })._entities[0];
    expect(codes(res.errors)).toEqual({ 'custodyPeriods.0.cellLocation': 'FORBIDDEN', prisonAlerts: 'FORBIDDEN', prisonRecord: 'FORBIDDEN' });
    expect(person.nextReleaseDate).toBe(example.bookings[0].conditionalReleaseDate);
    expect(person.custodyPeriods[0].expectedReleaseDate).toBe(example.bookings[0].conditionalReleaseDate);
  });

  it('withholds the cell and alerts from probation but shows the prison record', async () => {
    const res = await executeAs(prisons, client, caller('PROBATION'), ENTITIES, { reps: [rep(example.offenderNo)] });
    expect(codes(res.errors)).toEqual({ 'custodyPeriods.0.cellLocation': 'FORBIDDEN', prisonAlerts: 'FORBIDDEN' });
  });

  it('withholds everything but the id from a caller of another agency', async () => {
    const res = await executeAs(prisons, client, caller('CPS'), ENTITIES, { reps: [rep(example.offenderNo)] });
    expect(codes(res.errors)).toEqual({ nextReleaseDate: 'FORBIDDEN', custodyPeriods: 'FORBIDDEN', prisonAlerts: 'FORBIDDEN', prisonRecord: 'FORBIDDEN' });
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
