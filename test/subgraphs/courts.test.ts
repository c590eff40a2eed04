import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CourtsClient } from '../../adapters/courts/client.js';
import { ageOn } from '../../adapters/normalise.js';
import type { StandIn } from '../../legacy/faults.js';
import { generatePopulation, type CourtCase, type CourtDefendant, type Population } from '../../legacy/population.js';
import { encodePersonId } from '../../schema/person-id.js';
import courts from '../../subgraphs/courts/index.js';
import { setPolicyClock } from '../../subgraphs/policy.js';
import { caller, executeAs } from '../helpers/subgraph.js';

let population: Population;
let standIn: StandIn;
let client: CourtsClient;
let restoreClock: () => void;

beforeAll(async () => {
  population = generatePopulation({ size: 300 });
  // Agreements are checked against the population's "today", not the wall clock.
  restoreClock = setPolicyClock(() => new Date(`${population.referenceDate}T12:00:00Z`));
  standIn = await (await courts.standIn!())({ population, port: 0 });
  client = await courts.createClient(standIn.env);
});
afterEach(() => {
  standIn.faults.reset();
  standIn.requests.reset();
});
afterAll(async () => {
  restoreClock();
  await standIn.close();
});

const PERSON_QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
  id
  cases { urn asn bailStatus { code description } remandedInCustody custodyTimeLimitExpiry hearings { date type court { code name } }
          charges { sequence offence { code title } plea { code } finding { code convictionDate } outcomes { code description } } }
  courtDefendant { asn urn name { fullName } dateOfBirth sex address { lines town postcode } }
} } }`;
const CASE_QUERY = `query($urn: ID!) { case(urn: $urn) { urn asn remandedInCustody custodyTimeLimitExpiry bailStatus { code } hearings { date } charges { sequence } defendant { asn } } }`;

/** Cases the court has resulted by the population's "today": the ones it has delivered messages about. */
const delivered = (c: CourtCase) => c.hearings[0].date <= population.referenceDate;
const casesOf = (d: CourtDefendant) => population.courts.cases.filter((c) => c.defendantId === d.defendantId && delivered(c));
/** The person key the identity subgraph would give: one courts part per ASN of the person's cases. */
const personKey = (d: CourtDefendant, extra: { agency: string; localId: string }[] = []) => encodePersonId([...casesOf(d).map((c) => ({ agency: 'courts', localId: c.asn })), ...extra]);
const personRef = (d: CourtDefendant, extra: { agency: string; localId: string }[] = []) => ({ __typename: 'Person', id: personKey(d, extra) });
/** Defendants with at least one delivered case. */
const heard = () => population.courts.defendants.filter((d) => casesOf(d).length > 0);
const errorCodes = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) => (r.errors ?? []).map((e) => e.extensions?.code);
/** Withheld fields by path, with the reason the policy gave. */
const withheld = (r: { errors?: readonly { path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[] }) =>
  Object.fromEntries((r.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => [e.path!.join('.'), e.extensions?.reason]));
/** Whether the court would call this a youth record: any offence committed before the defendant turned 18. */
const isYouth = (c: CourtCase) => {
  const dob = population.courts.defendants.find((d) => d.defendantId === c.defendantId)!.dateOfBirth!;
  return c.offences.some((o) => ageOn(dob, o.offenceDate) < 18);
};
const adultInCustody = () => population.courts.cases.find((c) => c.bailStatus === 'C' && delivered(c) && c.hearings[1].date > population.referenceDate && !isYouth(c))!;
const youthCase = () => population.courts.cases.find((c) => isYouth(c) && delivered(c))!;

describe('courts subgraph', () => {
  it('says where every part of a case came from: Libra, the case URN or the part of it, and when the batch was read', async () => {
    const d = heard().find((x) => casesOf(x).some((c) => c.offences.some((o) => o.results.length > 0)))!;
    const P = 'provenance { agency system recordId retrievedAt derivedBy }';
    const q = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person {
      cases { urn ${P} bailStatus { ${P} } hearings { id ${P} } charges { sequence ${P} plea { ${P} } finding { ${P} } outcomes { code ${P} } } }
      courtDefendant { asn ${P} } courtEvents(since: "1900-01-01") { reference ${P} } } } }`;
    const before = new Date().toISOString();
    const r = await executeAs(courts, client, caller('CPS'), q, { reps: [personRef(d)] });
    const after = new Date().toISOString();
    expect(r.errors).toBeUndefined();
    const person = (r.data as any)._entities[0];
    const read = { agency: 'COURTS', system: 'Libra (ResultedCaseMessage 0.6g)', derivedBy: null, retrievedAt: expect.any(String) };
    const k = person.cases[0];
    expect(k.provenance).toEqual({ ...read, recordId: k.urn });
    if (k.bailStatus) expect(k.bailStatus.provenance).toEqual({ ...read, recordId: k.urn });
    expect(k.hearings[0].provenance).toEqual({ ...read, recordId: k.hearings[0].id });
    const charge = k.charges[0];
    expect(charge.provenance).toEqual({ ...read, recordId: `${k.urn}/offence ${charge.sequence}` });
    if (charge.plea) expect(charge.plea.provenance).toEqual(charge.provenance);
    if (charge.outcomes.length) expect(charge.outcomes[0].provenance).toEqual({ ...read, recordId: `${k.urn}/offence ${charge.sequence}/result 1` });
    expect(person.courtDefendant.provenance).toEqual({ ...read, recordId: person.courtDefendant.asn });
    expect(person.courtEvents[0].provenance).toMatchObject({ agency: 'COURTS', recordId: person.courtEvents[0].reference, derivedBy: expect.stringContaining('events') });
    // One batch call to Libra: one instant, between the request's start and end.
    const at = k.provenance.retrievedAt;
    expect(at >= before && at <= after).toBe(true);
    expect(new Set(person.cases.map((c: any) => c.provenance.retrievedAt))).toEqual(new Set([at]));
  });

  it('shows a court listing officer the cases and the defendant record, address included, but withholds the charges', async () => {
    const d = heard()[0];
    const r = await executeAs(courts, client, caller('COURTS'), PERSON_QUERY, { reps: [personRef(d, [{ agency: 'police', localId: '400000' }])] });
    const person = (r.data as any)._entities[0];
    expect(casesOf(d).map((c) => c.asn)).toContain(person.courtDefendant.asn);
    expect(person.courtDefendant).toMatchObject({ dateOfBirth: d.dateOfBirth, sex: d.sex === 'M' ? 'MALE' : 'FEMALE', address: { postcode: d.address[2] } });
    const urns = casesOf(d).map((c) => c.urn).sort();
    expect(person.cases.map((c: { urn: string }) => c.urn).sort()).toEqual(urns);
    expect(person.cases.every((c: { charges: unknown }) => c.charges === null)).toBe(true);
    expect(withheld(r)).toEqual(Object.fromEntries(urns.map((_, i) => [`_entities.0.cases.${i}.charges`, 'NOT_PERMITTED'])));
    expect(errorCodes(r).every((c) => c === 'FORBIDDEN')).toBe(true);
  });

  it('shows a CPS prosecutor the charges and the defendant record', async () => {
    const d = heard()[0];
    const r = await executeAs(courts, client, caller('CPS'), PERSON_QUERY, { reps: [personRef(d)] });
    expect(r.errors).toBeUndefined();
    const person = (r.data as any)._entities[0];
    const truth = casesOf(d).find((c) => c.urn === person.cases[0].urn)!;
    expect(person.cases[0].charges.map((c: { sequence: number }) => c.sequence)).toEqual(truth.offences.map((o) => o.sequence));
    expect(person.courtDefendant.name.fullName.toUpperCase()).toContain(d.surname.toUpperCase());
  });

  it('shows a court listing officer the bail status of a case in custody (Libra messages carry no custody time limit), but not its charges', async () => {
    const truth = adultInCustody();
    const r = await executeAs(courts, client, caller('COURTS'), CASE_QUERY, { urn: truth.urn });
    expect(r.data?.case).toMatchObject({ urn: truth.urn, asn: truth.asn, remandedInCustody: true, custodyTimeLimitExpiry: null, bailStatus: { code: 'CUSTODY' }, charges: null, defendant: { asn: truth.asn } });
    expect(withheld(r)).toEqual({ 'case.charges': 'NOT_PERMITTED' });
  });

  it('withholds the defendant record and custody time limits from a police officer but shows the cases and charges', async () => {
    const d = heard()[0];
    const r = await executeAs(courts, client, caller('POLICE'), PERSON_QUERY, { reps: [personRef(d)] });
    const person = (r.data as any)._entities[0];
    expect(person.cases.length).toBeGreaterThan(0);
    expect(person.cases[0].charges.length).toBeGreaterThan(0);
    expect(person.courtDefendant).toBeNull();
    expect(withheld(r)).toEqual({
      '_entities.0.courtDefendant': 'NOT_PERMITTED',
      ...Object.fromEntries(person.cases.map((_: unknown, i: number) => [`_entities.0.cases.${i}.custodyTimeLimitExpiry`, 'NOT_PERMITTED'])),
    });
    expect(errorCodes(r).every((c) => c === 'FORBIDDEN')).toBe(true);
    expect(standIn.requests.snapshot()).toEqual({ GetResultedCases: 1 }); // the cases; the withheld record costs nothing more
  });

  it('withholds cases from a performance analyst, who works on no named person', async () => {
    const r = await executeAs(courts, client, caller('MOJ'), '{ case(urn: "01ZD0303208") { urn } }');
    expect(r.data?.case).toBeNull();
    expect(withheld(r)).toEqual({ case: 'NOT_PERMITTED' });
    expect(standIn.requests.get()).toBe(0);
  });

  it('withholds a case from a victim liaison officer when it is not a case of one of their victims', async () => {
    const truth = adultInCustody();
    const r = await executeAs(courts, client, caller('VICTIMS'), '{ case(urn: "' + truth.urn + '") { urn } }');
    expect(r.data?.case).toBeNull();
    expect(withheld(r)).toEqual({ 'case.urn': 'NOT_OWN_VICTIM_CASE' });
  });

  it('shows a victim liaison officer the court and hearings of their own victim\'s case, but not bail, remand or charges', async () => {
    const truth = adultInCustody();
    const vlo = caller('VICTIMS', undefined, undefined, { relationships: { victimCaseUrns: [truth.urn] } });
    const r = await executeAs(courts, client, vlo, CASE_QUERY, { urn: truth.urn });
    expect(r.data?.case).toEqual({
      urn: truth.urn, asn: null, remandedInCustody: null, custodyTimeLimitExpiry: null, bailStatus: null,
      hearings: truth.hearings.map((h) => ({ date: h.date })), charges: null, defendant: null,
    });
    expect(withheld(r)).toEqual({
      'case.asn': 'NOT_PERMITTED', 'case.remandedInCustody': 'NOT_PERMITTED', 'case.custodyTimeLimitExpiry': 'NOT_PERMITTED',
      'case.bailStatus': 'NOT_PERMITTED', 'case.charges': 'NOT_PERMITTED', 'case.defendant': 'NOT_PERMITTED',
    });
  });

  it('reports SOURCE_UNAVAILABLE, not a denial, when the victims system could not say whose case it is', async () => {
    const truth = adultInCustody();
    const vlo = caller('VICTIMS', undefined, undefined, { relationships: { unavailable: ['victims'] } });
    const r = await executeAs(courts, client, vlo, '{ case(urn: "' + truth.urn + '") { urn } }');
    expect(r.data?.case).toBeNull();
    expect(r.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'SOURCE_UNAVAILABLE', agency: 'victims' })]);
  });

  it('finds an adult case by URN for a probation officer, with remand but not the ASN, custody time limit or defendant record', async () => {
    const truth = adultInCustody();
    const r = await executeAs(courts, client, caller('PROBATION'), `query($urn: ID!) { case(urn: $urn) { urn asn remandedInCustody custodyTimeLimitExpiry bailStatus { code } defendant { asn } } }`, { urn: truth.urn });
    expect(r.data?.case).toEqual({ urn: truth.urn, asn: null, remandedInCustody: true, custodyTimeLimitExpiry: null, bailStatus: { code: 'CUSTODY' }, defendant: null });
    expect(withheld(r)).toEqual({ 'case.asn': 'NOT_PERMITTED', 'case.custodyTimeLimitExpiry': 'NOT_PERMITTED', 'case.defendant': 'NOT_PERMITTED' });
  });

  it.each([
    ['prison officer', 'PRISONS'],
    ['probation officer', 'PROBATION'],
    ['victim liaison officer, even for their own victim\'s case', 'VICTIMS'],
  ])('withholds a youth case from a %s', async (_who, agency) => {
    const truth = youthCase();
    const who = caller(agency, undefined, undefined, { relationships: { victimCaseUrns: [truth.urn] } });
    const r = await executeAs(courts, client, who, '{ case(urn: "' + truth.urn + '") { urn hearings { date } } }');
    expect(r.data?.case).toBeNull();
    expect(withheld(r)).toMatchObject({ 'case.urn': 'YOUTH_RECORD' });
    expect(Object.values(withheld(r)).every((reason) => reason === 'YOUTH_RECORD')).toBe(true);
  });

  it.each([['police officer', 'POLICE'], ['CPS prosecutor', 'CPS'], ['court listing officer', 'COURTS']])('shows a youth case to a %s', async (_who, agency) => {
    const truth = youthCase();
    const r = await executeAs(courts, client, caller(agency), '{ case(urn: "' + truth.urn + '") { urn hearings { date } } }');
    expect(r.errors).toBeUndefined();
    expect(r.data?.case).toEqual({ urn: truth.urn, hearings: truth.hearings.map((h) => ({ date: h.date })) });
  });

  it('withholds a case from a police officer once the court records agreement has ended', async () => {
    const truth = population.courts.cases[0];
    const restore = setPolicyClock(() => new Date('2029-04-01T12:00:00Z'));
    try {
      const r = await executeAs(courts, client, caller('POLICE'), '{ case(urn: "' + truth.urn + '") { urn } }');
      expect(r.data?.case).toBeNull();
      expect(withheld(r)).toEqual({ case: 'AGREEMENT_EXPIRED' });
      expect(standIn.requests.get()).toBe(0);
    } finally {
      restore();
    }
  });

  it('gives a person with no court record no cases and no defendant record, without calling the court', async () => {
    const r = await executeAs(courts, client, caller('COURTS'), PERSON_QUERY, { reps: [{ __typename: 'Person', id: 'P1:police=400001' }] });
    expect(r.errors).toBeUndefined();
    expect((r.data as any)._entities[0]).toMatchObject({ cases: [], courtDefendant: null });
    expect(standIn.requests.get()).toBe(0);
  });

  it('looks up the cases of many people with one legacy call', async () => {
    const reps = heard().slice(0, 10).map((d) => personRef(d));
    const r = await executeAs(courts, client, caller('CPS'), PERSON_QUERY, { reps });
    expect(r.errors).toBeUndefined();
    expect(standIn.requests.snapshot()).toEqual({ GetResultedCases: 1 });
    expect((r.data as any)._entities.map((p: { cases: unknown[] }) => p.cases.length)).toEqual(heard().slice(0, 10).map((d) => casesOf(d).length));
  });

  it('nulls only the unreadable case, with BAD_SOURCE_DATA naming the courts agency', async () => {
    const owner = heard().find((d) => casesOf(d).length > 1)!;
    standIn.faults.set({ malformedRate: 1 });
    const r = await executeAs(courts, client, caller('POLICE'), `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { id cases { urn } } } }`, { reps: [personRef(owner)] });
    const cases = (r.data as any)._entities[0].cases as ({ urn: string } | null)[];
    expect(cases.filter((c) => c === null)).toHaveLength(1);
    expect(cases.filter((c) => c !== null).length).toBeGreaterThan(0);
    expect(r.errors?.map((e) => e.extensions)).toEqual([expect.objectContaining({ code: 'BAD_SOURCE_DATA', agency: 'courts' })]);
  });

  it('nulls the courts fields of a person when the court system is down, keeping the person', async () => {
    standIn.faults.set({ down: true });
    const d = heard()[0];
    const r = await executeAs(courts, client, caller('COURTS'), PERSON_QUERY, { reps: [personRef(d)] });
    expect((r.data as any)._entities[0]).toEqual({ id: personKey(d), cases: null, courtDefendant: null });
    expect(errorCodes(r)).toEqual(['SOURCE_UNAVAILABLE', 'SOURCE_UNAVAILABLE']);
    expect(r.errors?.every((e) => e.extensions?.agency === 'courts')).toBe(true);
  });

  it('resolves a Case another subgraph refers to by URN, and one the court does not hold to empty fields', async () => {
    const truth = population.courts.cases.find(delivered)!;
    const r = await executeAs(courts, client, caller('POLICE'), `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Case { urn asn hearings { date } } } }`,
      { reps: [{ __typename: 'Case', urn: truth.urn }, { __typename: 'Case', urn: '99XX0000000' }] });
    expect(r.errors).toBeUndefined();
    expect((r.data as any)._entities).toEqual([
      { urn: truth.urn, asn: truth.asn, hearings: truth.hearings.map((h) => ({ date: h.date })) },
      { urn: '99XX0000000', asn: null, hearings: null },
    ]);
    expect(standIn.requests.get('GetResultedCases')).toBe(1);
  });
});
