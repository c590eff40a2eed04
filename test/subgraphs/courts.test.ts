import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CourtsClient } from '../../adapters/courts/client.js';
import type { StandIn } from '../../legacy/faults.js';
import { generatePopulation, type Population } from '../../legacy/population.js';
import courts from '../../subgraphs/courts/index.js';
import { caller, executeAs } from '../helpers/subgraph.js';

let population: Population;
let standIn: StandIn;
let client: CourtsClient;

beforeAll(async () => {
  population = generatePopulation({ size: 300 });
  standIn = await (await courts.standIn!())({ population, port: 0 });
  client = await courts.createClient(standIn.env);
});
afterEach(() => {
  standIn.faults.reset();
  standIn.requests.reset();
});
afterAll(() => standIn.close());

const PERSON_QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
  id
  cases { urn asn bailStatus { code description } remandedInCustody custodyTimeLimitExpiry hearings { date type court { code name } }
          charges { sequence offence { code title } plea { code } finding { code convictionDate } outcomes { code description } } }
  courtDefendant { defendantId name { fullName } dateOfBirth pncRecorded pnc pncValid address { lines town postcode } }
} } }`;

const personRef = (defendantId: string, extra = '') => ({ __typename: 'Person', id: `P1:courts=${defendantId}${extra}` });
const errorCodes = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);

describe('courts subgraph', () => {
  it('shows court staff the cases and the defendant record, address included', async () => {
    const d = population.courts.defendants[0];
    const r = await executeAs(courts, client, caller('COURTS'), PERSON_QUERY, { reps: [personRef(d.defendantId, ',police=400000')] });
    expect(r.errors).toBeUndefined();
    const person = (r.data as any)._entities[0];
    expect(person.courtDefendant).toMatchObject({ defendantId: d.defendantId, dateOfBirth: d.dateOfBirth, pncRecorded: d.pnc, address: { postcode: d.address[2] } });
    expect(person.cases.map((c: { urn: string }) => c.urn).sort()).toEqual(population.courts.cases.filter((c) => c.defendantId === d.defendantId).map((c) => c.urn).sort());
  });

  it('withholds the defendant record from a police officer but shows the cases', async () => {
    const d = population.courts.defendants[0];
    const r = await executeAs(courts, client, caller('POLICE'), PERSON_QUERY, { reps: [personRef(d.defendantId)] });
    const person = (r.data as any)._entities[0];
    expect(person.cases.length).toBeGreaterThan(0);
    expect(person.courtDefendant).toBeNull();
    expect(r.errors?.map((e) => [e.path?.join('.'), e.extensions?.code])).toEqual([['_entities.0.courtDefendant', 'FORBIDDEN']]);
    expect(standIn.requests.get('GetDefendants')).toBe(0); // denied before any legacy call
  });

  it('withholds cases from an agency outside the criminal justice partners', async () => {
    const r = await executeAs(courts, client, caller('VICTIMS'), '{ case(urn: "01ZD0303208") { urn } }');
    expect(r.data?.case).toBeNull();
    expect(errorCodes(r)).toEqual(['FORBIDDEN']);
  });

  it('finds a case by URN for a probation officer, with the defendant record withheld', async () => {
    const truth = population.courts.cases.find((c) => c.bailStatus === 'C')!;
    const r = await executeAs(courts, client, caller('PROBATION'), `query($urn: ID!) { case(urn: $urn) { urn asn remandedInCustody custodyTimeLimitExpiry bailStatus { code } defendant { defendantId } } }`, { urn: truth.urn });
    expect(r.data?.case).toEqual({ urn: truth.urn, asn: truth.asn, remandedInCustody: true, custodyTimeLimitExpiry: truth.custodyTimeLimitExpiry, bailStatus: { code: 'CUSTODY' }, defendant: null });
    expect(errorCodes(r)).toEqual(['FORBIDDEN']);
  });

  it('gives a person with no court record no cases and no defendant record, without calling the court', async () => {
    const r = await executeAs(courts, client, caller('COURTS'), PERSON_QUERY, { reps: [{ __typename: 'Person', id: 'P1:police=400001' }] });
    expect(r.errors).toBeUndefined();
    expect((r.data as any)._entities[0]).toMatchObject({ cases: [], courtDefendant: null });
    expect(standIn.requests.get()).toBe(0);
  });

  it('looks up the cases of many people with one legacy call', async () => {
    const reps = population.courts.defendants.slice(0, 10).map((d) => personRef(d.defendantId));
    const r = await executeAs(courts, client, caller('CPS'), PERSON_QUERY, { reps });
    expect(r.errors).toBeUndefined();
    expect(standIn.requests.snapshot()).toEqual({ GetCasesByDefendant: 1, GetDefendants: 1 });
  });

  it('nulls only the unreadable case, with BAD_SOURCE_DATA naming the courts agency', async () => {
    const owner = population.courts.cases.find((c) => population.courts.cases.filter((x) => x.defendantId === c.defendantId).length > 1)!.defendantId;
    standIn.faults.set({ malformedRate: 1 });
    const r = await executeAs(courts, client, caller('POLICE'), `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { id cases { urn } } } }`, { reps: [personRef(owner)] });
    const cases = (r.data as any)._entities[0].cases as ({ urn: string } | null)[];
    expect(cases.filter((c) => c === null)).toHaveLength(1);
    expect(cases.filter((c) => c !== null).length).toBeGreaterThan(0);
    expect(r.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_SOURCE_DATA', agency: 'courts' })]);
  });

  it('nulls the courts fields of a person when the court system is down, keeping the person', async () => {
    standIn.faults.set({ down: true });
    const d = population.courts.defendants[0];
    const r = await executeAs(courts, client, caller('COURTS'), PERSON_QUERY, { reps: [personRef(d.defendantId)] });
    expect((r.data as any)._entities[0]).toEqual({ id: `P1:courts=${d.defendantId}`, cases: null, courtDefendant: null });
    expect(errorCodes(r)).toEqual(['SOURCE_UNAVAILABLE', 'SOURCE_UNAVAILABLE']);
    expect(r.errors?.every((e) => e.extensions?.agency === 'courts')).toBe(true);
  });

  it('resolves a Case another subgraph refers to by URN, and one the court does not hold to empty fields', async () => {
    const truth = population.courts.cases[0];
    const r = await executeAs(courts, client, caller('POLICE'), `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Case { urn asn hearings { date } } } }`,
      { reps: [{ __typename: 'Case', urn: truth.urn }, { __typename: 'Case', urn: '99XX0000000' }] });
    expect(r.errors).toBeUndefined();
    expect((r.data as any)._entities).toEqual([
      { urn: truth.urn, asn: truth.asn, hearings: truth.hearings.map((h) => ({ date: h.date })) },
      { urn: '99XX0000000', asn: null, hearings: null },
    ]);
    expect(standIn.requests.get('GetCases')).toBe(1);
  });
});
