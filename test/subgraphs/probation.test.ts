// The probation subgraph with its disclosure policy applied, against the real stand-in.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { createProbationClient, type ProbationClient } from '../../adapters/probation/client.js';
import { generatePopulation } from '../../legacy/population.js';
import { OPERATIONS, startProbationStandIn, type ProbationStandIn } from '../../legacy/probation/server.js';
import { encodePersonId } from '../../schema/person-id.js';
import probation from '../../subgraphs/probation/index.js';
import { caller, executeAs } from '../helpers/subgraph.js';

const population = generatePopulation({ size: 300 });
const example = population.probation.find((p) => p.personIndex === population.examples.everywhere)!;
const idOf = (crn: string) => encodePersonId([{ agency: 'probation', localId: crn }, { agency: 'police', localId: '400000' }]);

const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
  id
  supervision {
    crn restricted excluded officerNotes
    offenderManager { staffCode name { fullName } team { code description } probationArea { code } }
    registrations { code registerLevel riskColour startDate active }
    requirements { category length }
    licenceConditions { code detail }
  }
  probationRecord { crn offenderId name { fullName } dateOfBirth sex pnc { recorded normalised valid } cro { valid } nomsNumber }
} } }`;

let standIn: ProbationStandIn;
let client: ProbationClient;
const run = (agency: string, crns: string[] = [example.crn]) =>
  executeAs(probation, client, caller(agency), QUERY, { reps: crns.map((c) => ({ __typename: 'Person', id: idOf(c) })) });
const errorPaths = (r: Awaited<ReturnType<typeof run>>, code: string) =>
  (r.errors ?? []).filter((e) => e.extensions?.code === code).map((e) => e.path!.slice(2).join('.')).sort();

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  standIn = await startProbationStandIn({ population });
  client = createProbationClient(standIn.env);
});
afterEach(() => { standIn.faults.reset(); standIn.requests.reset(); });
afterAll(async () => {
  await standIn.close();
  nock.enableNetConnect();
});

describe('probation subgraph', () => {
  it('shows a probation officer the whole supervision record', async () => {
    const r = await run('PROBATION');
    expect(r.errors).toBeUndefined();
    const person = (r.data as any)._entities[0];
    expect(person.supervision).toMatchObject({
      crn: example.crn, restricted: false, officerNotes: example.officerNotes,
      offenderManager: { staffCode: example.offenderManager.staffCode, name: { fullName: `${example.offenderManager.forenames} ${example.offenderManager.surname}` } },
      registrations: [{ code: 'MAPP', registerLevel: 'M2', riskColour: 'RED', active: true }, { code: 'RHRH' }],
    });
    expect(person.supervision.licenceConditions[0]).toMatchObject({ code: 'NLC8', detail: expect.stringMatching(/^Not to enter/) });
    expect(person.probationRecord).toMatchObject({ crn: example.crn, nomsNumber: example.nomsNumber, pnc: { normalised: example.pnc, valid: true } });
  });

  it('withholds officer notes and requirements from the police but shows licence conditions', async () => {
    const r = await run('POLICE');
    expect(errorPaths(r, 'FORBIDDEN')).toEqual(['supervision.officerNotes', 'supervision.requirements']);
    expect((r.data as any)._entities[0].supervision.licenceConditions).toHaveLength(2);
  });

  it('shows a victims officer only the CRN and licence conditions', async () => {
    const r = await run('VICTIMS');
    expect(errorPaths(r, 'FORBIDDEN')).toEqual([
      'probationRecord', 'supervision.excluded', 'supervision.offenderManager', 'supervision.officerNotes',
      'supervision.registrations', 'supervision.requirements', 'supervision.restricted',
    ]);
    expect((r.data as any)._entities[0].supervision).toMatchObject({ crn: example.crn, licenceConditions: [{ code: 'NLC8' }, { code: 'NLC5' }] });
  });

  it('shows a court the requirements but not the licence conditions', async () => {
    const r = await run('COURTS');
    expect(errorPaths(r, 'FORBIDDEN')).toContain('supervision.licenceConditions');
    expect(errorPaths(r, 'FORBIDDEN')).not.toContain('supervision.requirements');
    expect((r.data as any)._entities[0].supervision.crn).toBe(example.crn);
  });

  it('gives a person without a probation record null, with no error', async () => {
    const r = await executeAs(probation, client, caller('PROBATION'), QUERY, { reps: [{ __typename: 'Person', id: encodePersonId([{ agency: 'police', localId: '400001' }]) }] });
    expect(r.errors).toBeUndefined();
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: null, probationRecord: null });
  });

  it('reads many people with one call per kind of data', async () => {
    const crns = population.probation.slice(0, 10).map((p) => p.crn);
    const r = await run('PROBATION', crns);
    expect(r.errors).toBeUndefined();
    expect((r.data as any)._entities.map((p: any) => p.supervision.crn)).toEqual(crns);
    expect(standIn.requests.get(OPERATIONS.crns)).toBe(1);
    expect(standIn.requests.get(OPERATIONS.supervision)).toBe(1);
  });

  it('nulls probation fields with SOURCE_UNAVAILABLE when the service is down, keeping the person', async () => {
    standIn.faults.set({ down: true });
    const r = await run('PROBATION');
    const person = (r.data as any)._entities[0];
    expect(person).toMatchObject({ id: idOf(example.crn), supervision: null, probationRecord: null });
    expect(r.errors!.map((e) => [e.extensions?.code, e.extensions?.agency])).toContainEqual(['SOURCE_UNAVAILABLE', 'probation']);
  });

  it('reports BAD_SOURCE_DATA on supervision when the record comes back with an impossible date of birth', async () => {
    await client.credentials.get();
    standIn.faults.set({ malformedRate: 1 });
    const r = await run('PROBATION');
    expect(errorPaths(r, 'BAD_SOURCE_DATA')).toEqual(['probationRecord', 'supervision']);
    expect((r.data as any)._entities[0].id).toBe(idOf(example.crn));
  });

  it('nulls only the registration that could not be read', async () => {
    // The real client, with the first registration of the example unreadable.
    const patched = Object.assign(Object.create(client), {
      supervisionByCrn: async (crns: string[]) => {
        const found = await client.supervisionByCrn(crns);
        found.get(example.crn)!.registrations[0] = new AdapterError({ agency: 'probation', operation: OPERATIONS.supervision, code: 'BAD_SOURCE_DATA', recordId: 'x' });
        return found;
      },
    }) as ProbationClient;
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { supervision { registrations { code } } } } }`;
    const r = await executeAs(probation, patched, caller('PROBATION'), q, { reps: [{ __typename: 'Person', id: idOf(example.crn) }] });
    expect(errorPaths(r, 'BAD_SOURCE_DATA')).toEqual(['supervision.registrations.0']);
    expect((r.data as any)._entities[0].supervision.registrations).toEqual([null, { code: 'RHRH' }]);
  });
});
