// The probation subgraph with its disclosure policy applied, against the real stand-in.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { createProbationClient, type ProbationClient, type SupervisionDetail } from '../../adapters/probation/client.js';
import { generatePopulation } from '../../legacy/population.js';
import { OPERATIONS, startProbationStandIn, type ProbationStandIn } from '../../legacy/probation/server.js';
import { encodePersonId } from '../../schema/person-id.js';
import probation from '../../subgraphs/probation/index.js';
import { setPolicyClock } from '../../subgraphs/policy.js';
import type { Relationships } from '../../subgraphs/types.js';
import { caller, executeAs } from '../helpers/subgraph.js';

const population = generatePopulation({ size: 300 });
const example = population.probation.find((p) => p.personIndex === population.examples.everywhere)!;
const idOf = (crn: string) => encodePersonId([{ agency: 'probation', localId: crn }, { agency: 'police', localId: '400000' }]);
const defendantId = population.people[example.personIndex].asns[0];
/** The example as a victim liaison officer's query reaches it: with the ASN of the court case the gateway linked. */
const idWithCourt = encodePersonId([{ agency: 'probation', localId: example.crn }, { agency: 'courts', localId: defendantId }]);
const restrictedOne = population.probation.find((p) => p.currentRestriction)!;
const excludedOne = population.probation.find((p) => p.currentExclusion)!;
/** The probation officer the test harness calls as (their nDelius username is the caller's subject). */
const ME = caller('PROBATION').subject;
// nDelius names the users a case excludes: this one excludes the test officer, the second excludes someone else.
excludedOne.excludedUsers = [ME.toUpperCase()];
const excludedOther = population.probation.find((p) => p !== excludedOne && p !== example && p !== restrictedOne && !p.currentRestriction)!;
Object.assign(excludedOther, { currentExclusion: true, exclusionMessage: 'You are excluded from viewing this case', excludedUsers: ['someone.else'] });
// One case allocated to nDelius's placeholder officer, "Unallocated Staff".
const unallocatedOne = population.probation.find((p) => ![example, excludedOne, excludedOther, restrictedOne].includes(p) && !p.currentRestriction && !p.currentExclusion)!;
unallocatedOne.unallocated = true;

const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
  id
  supervision {
    crn restricted excluded officerNotes
    offenderManager { staffCode name { fullName } team { code description } probationArea { code } }
    registrations { code registerLevel riskColour startDate active }
    requirements { category length }
    licenceConditions { code detail }
  }
  probationRecord { crn offenderId name { fullName } dateOfBirth sex pnc { type recorded canonical valid reason } cro { valid } nomsNumber identifiers { type recorded canonical valid } }
} } }`;

let standIn: ProbationStandIn;
let client: ProbationClient;
let restoreClock: () => void;
const run = (agency: string, crns: string[] = [example.crn], relationships: Partial<Relationships> = {}, ids: string[] = crns.map(idOf)) =>
  executeAs(probation, client, caller(agency, undefined, undefined, { relationships }), QUERY, { reps: ids.map((id) => ({ __typename: 'Person', id })) });
const errorPaths = (r: Awaited<ReturnType<typeof run>>, code: string) =>
  (r.errors ?? []).filter((e) => e.extensions?.code === code).map((e) => e.path!.slice(2).join('.')).sort();
/** Withheld fields (path below the entity) with the reason the policy gave. */
const withheld = (r: Awaited<ReturnType<typeof run>>) =>
  Object.fromEntries((r.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => [e.path!.slice(2).join('.'), e.extensions?.reason]));
const mine = (...crns: string[]) => ({ caseloadCrns: crns });

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  // Agreements are checked against the population's "today", not the wall clock.
  restoreClock = setPolicyClock(() => new Date(`${population.referenceDate}T12:00:00Z`));
  standIn = await startProbationStandIn({ population });
  // One client meets every fault in turn here, so its breaker must not open (tested in test/adapters/resilience.test.ts).
  client = createProbationClient({ ...standIn.env, PROBATION_BREAKER_FAILURES: '1000' });
});
afterEach(() => { standIn.faults.reset(); standIn.requests.reset(); });
afterAll(async () => {
  restoreClock();
  await standIn.close();
  nock.enableNetConnect();
});

describe('probation subgraph', () => {
  it('shows a probation officer the whole supervision record of a person on their caseload', async () => {
    const r = await run('PROBATION', [example.crn], mine(example.crn));
    expect(r.errors).toBeUndefined();
    const person = (r.data as any)._entities[0];
    expect(person.supervision).toMatchObject({
      crn: example.crn, restricted: false, officerNotes: example.officerNotes,
      offenderManager: { staffCode: example.offenderManager.staffCode, name: { fullName: `${example.offenderManager.forenames} ${example.offenderManager.surname}` } },
      // nDelius lists current registrations on the case's supervisions, without a risk colour.
      registrations: [{ code: 'MAPP', registerLevel: 'M2', riskColour: null, active: true }, { code: 'RHRH' }],
    });
    expect(person.supervision.requirements).toHaveLength(example.requirements.length);
    expect(person.supervision.licenceConditions[0]).toMatchObject({ code: 'NLC8', detail: expect.stringMatching(/^Not to enter/) });
    expect(person.probationRecord).toMatchObject({ crn: example.crn, nomsNumber: example.nomsNumber, pnc: { type: 'PNC', canonical: example.pnc, valid: true, reason: null } });
    expect(person.probationRecord.identifiers[0]).toEqual({ type: 'CRN', recorded: example.crn, canonical: example.crn, valid: true });
  });

  it('says where every record came from: nDelius through the service that served it, the record id, and when the batch was read', async () => {
    const P = 'provenance { agency system recordId retrievedAt derivedBy }';
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
      supervision { crn ${P} offenderManager { ${P} team { code ${P} } } registrations { id ${P} } requirements { id ${P} } licenceConditions { id ${P} } }
      probationRecord { crn ${P} } } } }`;
    const before = new Date().toISOString();
    const r = await executeAs(probation, client, caller('PROBATION', undefined, undefined, { relationships: mine(example.crn) }), q, { reps: [{ __typename: 'Person', id: idOf(example.crn) }] });
    const after = new Date().toISOString();
    expect(r.errors).toBeUndefined();
    const { supervision: s, probationRecord: rec } = (r.data as any)._entities[0];
    const at = { retrievedAt: expect.any(String), derivedBy: null, agency: 'PROBATION' };
    const offenderSearch = { ...at, system: 'nDelius (probation offender search)', recordId: example.crn };
    expect(s.provenance).toEqual(offenderSearch);
    expect(rec.provenance).toEqual(offenderSearch);
    expect(s.offenderManager.provenance).toEqual(offenderSearch);
    if (s.offenderManager.team) expect(s.offenderManager.team.provenance).toEqual({ ...offenderSearch, recordId: s.offenderManager.team.code });
    for (const x of s.registrations) expect(x.provenance).toEqual({ ...at, system: 'nDelius (integration API)', recordId: x.id ?? example.crn });
    for (const x of s.requirements) expect(x.provenance).toEqual({ ...at, system: 'nDelius (case conditions)', recordId: x.id });
    for (const x of s.licenceConditions) expect(x.provenance).toEqual({ ...at, system: 'nDelius (case conditions)', recordId: x.id ?? example.crn });
    expect(s.provenance.retrievedAt >= before && s.provenance.retrievedAt <= after).toBe(true);
  });

  it('withholds officer notes, registrations, requirements and licence conditions from a probation officer for a person not on their caseload', async () => {
    const r = await run('PROBATION', [example.crn], mine('X999999'));
    expect(withheld(r)).toEqual({
      'supervision.licenceConditions': 'NOT_ON_CASELOAD', 'supervision.officerNotes': 'NOT_ON_CASELOAD',
      'supervision.registrations': 'NOT_ON_CASELOAD', 'supervision.requirements': 'NOT_ON_CASELOAD',
    });
    const person = (r.data as any)._entities[0];
    expect(person.supervision).toMatchObject({ crn: example.crn, restricted: false, offenderManager: { staffCode: example.offenderManager.staffCode } });
    expect(person.probationRecord.crn).toBe(example.crn);
  });

  it('reports SOURCE_UNAVAILABLE, not a denial, for caseload-only fields when the caseload could not be established', async () => {
    const r = await run('PROBATION', [example.crn], { unavailable: ['probation'] });
    expect(withheld(r)).toEqual({});
    expect(errorPaths(r, 'SOURCE_UNAVAILABLE')).toEqual(['supervision.licenceConditions', 'supervision.officerNotes', 'supervision.registrations', 'supervision.requirements']);
    expect((r.data as any)._entities[0].supervision.crn).toBe(example.crn);
  });

  it('withholds a restricted record from a probation officer who is not its offender manager', async () => {
    const r = await run('PROBATION', [restrictedOne.crn]);
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: null, probationRecord: null });
    expect(withheld(r)).toMatchObject({ 'supervision.crn': 'RESTRICTED_RECORD', 'probationRecord.crn': 'RESTRICTED_RECORD' });
    expect(errorPaths(r, 'FORBIDDEN').length).toBe((r.errors ?? []).length);
  });

  it('shows a restricted record to its offender manager', async () => {
    const r = await run('PROBATION', [restrictedOne.crn], mine(restrictedOne.crn));
    expect(r.errors).toBeUndefined();
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: { crn: restrictedOne.crn, restricted: true, officerNotes: restrictedOne.officerNotes }, probationRecord: { crn: restrictedOne.crn } });
  });

  it('withholds an excluded record from the user nDelius excludes, even with the person on their caseload', async () => {
    const r = await run('PROBATION', [excludedOne.crn], mine(excludedOne.crn));
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: null, probationRecord: null });
    expect(withheld(r)).toMatchObject({ 'supervision.crn': 'RESTRICTED_RECORD', 'probationRecord.crn': 'RESTRICTED_RECORD' });
    expect(JSON.stringify(r)).not.toContain(excludedOne.officerNotes);
    // Asked of nDelius for this user, once.
    expect(standIn.requests.get(OPERATIONS.access)).toBe(1);
  });

  it('shows an excluded record to a probation officer nDelius does not exclude from it', async () => {
    const r = await run('PROBATION', [excludedOther.crn], mine(excludedOther.crn));
    expect(r.errors).toBeUndefined();
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: { crn: excludedOther.crn, excluded: true, officerNotes: excludedOther.officerNotes } });
  });

  it('withholds an excluded record from the police, who have no nDelius account to check', async () => {
    const r = await run('POLICE', [excludedOther.crn]);
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: null, probationRecord: null });
    expect(standIn.requests.get(OPERATIONS.access)).toBe(0);
  });

  it('withholds a limited-access record, failing closed, when nDelius cannot answer the access check', async () => {
    const broken = Object.assign(Object.create(client), {
      accessFor: async () => { throw new AdapterError({ agency: 'probation', operation: 'POST /probation-cases/access', code: 'SOURCE_UNAVAILABLE' }); },
    }) as ProbationClient;
    const r = await executeAs(probation, broken, caller('PROBATION', undefined, undefined, { relationships: mine(excludedOther.crn) }), QUERY, { reps: [{ __typename: 'Person', id: idOf(excludedOther.crn) }] });
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: null, probationRecord: null });
    expect(withheld(r)).toMatchObject({ 'supervision.crn': 'RESTRICTED_RECORD' });
  });

  it('checks many limited-access cases in one access call and unmarked cases in none', async () => {
    const r = await run('PROBATION', [excludedOne.crn, excludedOther.crn, restrictedOne.crn, example.crn], mine(example.crn));
    expect((r.data as any)._entities.map((p: any) => p.supervision?.crn ?? null)).toEqual([null, excludedOther.crn, null, example.crn]);
    expect(standIn.requests.get(OPERATIONS.access)).toBe(1);
    standIn.requests.reset();
    await run('PROBATION', [example.crn], mine(example.crn));
    expect(standIn.requests.get(OPERATIONS.access)).toBe(0);
  });

  it('shows a case allocated to nDelius\'s "Unallocated Staff" as unallocated, never as a named offender manager', async () => {
    const r = await run('PROBATION', [unallocatedOne.crn], mine(unallocatedOne.crn));
    const om = (r.data as any)._entities[0].supervision.offenderManager;
    expect(om).toMatchObject({ staffCode: expect.stringMatching(/U$/), name: null, team: { code: unallocatedOne.offenderManager.teamCode } });
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { supervision { offenderManager { unallocated name { fullName } } } } } }`;
    const r2 = await executeAs(probation, client, caller('PROBATION', undefined, undefined, { relationships: mine(unallocatedOne.crn) }), q, { reps: [{ __typename: 'Person', id: idOf(unallocatedOne.crn) }] });
    expect((r2.data as any)._entities[0].supervision.offenderManager).toEqual({ unallocated: true, name: null });
  });

  it('withholds a restricted record from the police', async () => {
    const r = await run('POLICE', [restrictedOne.crn]);
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: null, probationRecord: null });
    expect(withheld(r)).toMatchObject({ 'supervision.crn': 'RESTRICTED_RECORD', 'probationRecord.crn': 'RESTRICTED_RECORD' });
  });

  it('withholds officer notes, requirements and the restriction flags from the police but shows registrations and licence conditions', async () => {
    const r = await run('POLICE');
    expect(withheld(r)).toEqual({
      'supervision.excluded': 'NOT_PERMITTED', 'supervision.officerNotes': 'NOT_PERMITTED',
      'supervision.requirements': 'NOT_PERMITTED', 'supervision.restricted': 'NOT_PERMITTED',
    });
    const person = (r.data as any)._entities[0];
    expect(person.supervision.licenceConditions).toHaveLength(2);
    expect(person.supervision.registrations).toHaveLength(example.registrations.length);
    expect(person.probationRecord.crn).toBe(example.crn);
  });

  it('withholds the probation record from the police once the HMPPS sharing agreement has ended', async () => {
    const restore = setPolicyClock(() => new Date('2029-04-01T12:00:00Z'));
    try {
      const r = await run('POLICE');
      expect((r.data as any)._entities[0]).toBeNull(); // the identity agreement has ended too
      expect(withheld(r)).toEqual({ id: 'AGREEMENT_EXPIRED', supervision: 'AGREEMENT_EXPIRED', probationRecord: 'AGREEMENT_EXPIRED' });
    } finally {
      restore();
    }
  });

  it('shows a victim liaison officer only the CRN and licence conditions of the offender in their own victim\'s case', async () => {
    const r = await run('VICTIMS', [], { victimDefendantIds: [defendantId] }, [idWithCourt]);
    expect(withheld(r)).toEqual({
      probationRecord: 'NOT_PERMITTED', 'supervision.excluded': 'NOT_PERMITTED', 'supervision.offenderManager': 'NOT_PERMITTED', 'supervision.officerNotes': 'NOT_PERMITTED',
      'supervision.registrations': 'NOT_PERMITTED', 'supervision.requirements': 'NOT_PERMITTED', 'supervision.restricted': 'NOT_PERMITTED',
    });
    expect((r.data as any)._entities[0].supervision).toMatchObject({ crn: example.crn, licenceConditions: [{ code: 'NLC8' }, { code: 'NLC5' }] });
  });

  it('withholds supervision from a victim liaison officer when the offender is in none of their victims\' cases', async () => {
    const r = await run('VICTIMS', [], { victimDefendantIds: ['7999999'] }, [idWithCourt]);
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: null, probationRecord: null });
    expect(withheld(r)).toEqual({ supervision: 'NOT_OWN_VICTIM_CASE', probationRecord: 'NOT_PERMITTED' });
  });

  it('withholds supervision and the probation record from a court listing officer', async () => {
    const r = await run('COURTS');
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: null, probationRecord: null });
    expect(withheld(r)).toEqual({ supervision: 'NOT_PERMITTED', probationRecord: 'NOT_PERMITTED' });
  });

  it('gives a person without a probation record null, with no error', async () => {
    const r = await executeAs(probation, client, caller('PROBATION'), QUERY, { reps: [{ __typename: 'Person', id: encodePersonId([{ agency: 'police', localId: '400001' }]) }] });
    expect(r.errors).toBeUndefined();
    expect((r.data as any)._entities[0]).toMatchObject({ supervision: null, probationRecord: null });
  });

  it('reads many people with one call per kind of data', async () => {
    const crns = population.probation.slice(0, 10).map((p) => p.crn);
    const r = await run('PROBATION', crns, mine(...crns));
    expect(r.errors).toBeUndefined();
    expect((r.data as any)._entities.map((p: any) => p.supervision.crn)).toEqual(crns);
    expect(standIn.requests.get(OPERATIONS.crns)).toBe(1);
    // Requirements and licence conditions in one call; registrations one per case (no bulk form in the nDelius contract).
    expect(standIn.requests.get(OPERATIONS.conditions)).toBe(1);
    expect(standIn.requests.get(OPERATIONS.supervisions)).toBe(crns.length);
  });

  it('nulls probation fields with SOURCE_UNAVAILABLE when the service is down, keeping the person', async () => {
    standIn.faults.set({ down: true });
    const r = await run('PROBATION', [example.crn], mine(example.crn));
    const person = (r.data as any)._entities[0];
    expect(person).toMatchObject({ id: idOf(example.crn), supervision: null, probationRecord: null });
    expect(r.errors!.map((e) => [e.extensions?.code, e.extensions?.agency])).toContainEqual(['SOURCE_UNAVAILABLE', 'probation']);
  });

  it('reports BAD_SOURCE_DATA on supervision when the record comes back with an impossible date of birth', async () => {
    await client.credentials.get();
    standIn.faults.set({ malformedRate: 1 });
    const r = await run('PROBATION', [example.crn], mine(example.crn));
    expect(errorPaths(r, 'BAD_SOURCE_DATA')).toEqual(['probationRecord', 'supervision']);
    expect((r.data as any)._entities[0].id).toBe(idOf(example.crn));
  });

  it('nulls only the registration that could not be read', async () => {
    // The real client, with the first registration of the example unreadable.
    const patched = Object.assign(Object.create(client), {
      supervisionByCrn: async (crns: string[]) => {
        const found = await client.supervisionByCrn(crns);
        (found.get(example.crn) as SupervisionDetail).registrations[0] = new AdapterError({ agency: 'probation', operation: OPERATIONS.supervisions, code: 'BAD_SOURCE_DATA', recordId: 'x' });
        return found;
      },
    }) as ProbationClient;
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { supervision { registrations { code } } } } }`;
    const r = await executeAs(probation, patched, caller('PROBATION', undefined, undefined, { relationships: mine(example.crn) }), q, { reps: [{ __typename: 'Person', id: idOf(example.crn) }] });
    expect(errorPaths(r, 'BAD_SOURCE_DATA')).toEqual(['supervision.registrations.0']);
    expect((r.data as any)._entities[0].supervision.registrations).toEqual([null, { code: 'RHRH' }]);
  });
});
