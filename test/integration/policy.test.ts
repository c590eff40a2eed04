// The disclosure scenarios of the policy, end to end through the gateway, and through a subgraph's
// `_entities` directly: the same rules hold on every path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAssertion } from '../../auth/assertion.js';
import { importKey } from '../../auth/keys.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { setPolicyClock } from '../../subgraphs/policy.js';
import { NO_RELATIONSHIPS } from '../../subgraphs/types.js';
import { post, query, type GraphQLResponse } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ population: { size: 300 }, logLevel: 'silent' });
}, 120_000);
afterAll(async () => stack?.close());

const person = () => stack.population.people[stack.population.examples.everywhere];
const offenderManager = () => stack.population.probation.find((p) => p.personIndex === stack.population.examples.everywhere)!.offenderManager.staffCode;
const otherOffenderManager = () => stack.population.probation.find((p) => p.offenderManager.staffCode !== offenderManager())!.offenderManager.staffCode;
const liaisonOfficer = () => stack.population.victims.find((v) => v.offenderPersonIndex === stack.population.examples.everywhere)!.liaisonOfficer;
const otherLiaisonOfficer = () => stack.population.victims.find((v) => v.liaisonOfficer !== liaisonOfficer())!.liaisonOfficer;

/** The reason each withheld field path was given, as `path → reason`. */
function withheld(r: GraphQLResponse): Record<string, string> {
  return Object.fromEntries((r.body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => [String(e.extensions!.path), String(e.extensions!.reason)]));
}
const P = (selection: string) => `query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { ${selection} } }`;

describe('a probation officer managing an offender', () => {
  it('sees the police warning markers of a person on their caseload', async () => {
    const r = await query(stack, 'PROBATION', P('warningMarkers { code }'), { pnc: person().pnc }, { staffCode: offenderManager() });
    expect(r.body.data.personByIdentifier.warningMarkers.map((m: { code: string }) => m.code)).toEqual(expect.arrayContaining(['VI', 'WE']));
  });

  it('never sees police intelligence flags', async () => {
    const r = await query(stack, 'PROBATION', P('intelligenceFlags { id }'), { pnc: person().pnc }, { staffCode: offenderManager() });
    expect(r.body.data.personByIdentifier.intelligenceFlags).toBeNull();
    expect(withheld(r)).toEqual({ 'personByIdentifier.intelligenceFlags': 'NOT_PERMITTED' });
  });

  it('does not see the warning markers or officer notes of a person on someone else\'s caseload', async () => {
    const r = await query(stack, 'PROBATION', P('warningMarkers { code } supervision { crn officerNotes }'), { pnc: person().pnc }, { staffCode: otherOffenderManager() });
    expect(r.body.data.personByIdentifier.warningMarkers).toBeNull();
    expect(withheld(r)).toMatchObject({ 'personByIdentifier.warningMarkers': 'NOT_ON_CASELOAD', 'personByIdentifier.supervision.officerNotes': 'NOT_ON_CASELOAD' });
  });
});

describe('a victim liaison officer contacting a victim', () => {
  const q = P(`nextReleaseDate custodyPeriods { expectedReleaseDate cellLocation } prisonAlerts { code }
    supervision { licenceConditions { description detail } officerNotes }`);

  it('sees the offender\'s release date and licence exclusion zones for their own victim\'s case', async () => {
    const r = await query(stack, 'VICTIMS', q, { pnc: person().pnc }, { staffCode: liaisonOfficer() });
    const p = r.body.data.personByIdentifier;
    expect(p.nextReleaseDate).toBe('2026-12-16');
    expect(p.custodyPeriods[0].expectedReleaseDate).toBe('2026-12-16');
    expect(p.supervision.licenceConditions.map((c: { description: string }) => c.description)).toContain('Exclusion zone');
  });

  it('never sees the prisoner\'s cell, health alerts or the probation officer\'s notes', async () => {
    const r = await query(stack, 'VICTIMS', q, { pnc: person().pnc }, { staffCode: liaisonOfficer() });
    const p = r.body.data.personByIdentifier;
    expect(p.custodyPeriods[0].cellLocation).toBeNull();
    expect(p.prisonAlerts).toBeNull();
    expect(p.supervision.officerNotes).toBeNull();
    expect(withheld(r)).toMatchObject({
      'personByIdentifier.custodyPeriods.cellLocation': 'NOT_PERMITTED',
      'personByIdentifier.prisonAlerts': 'NOT_PERMITTED',
      'personByIdentifier.supervision.officerNotes': 'NOT_PERMITTED',
    });
  });

  it('sees no release information for an offender unconnected to their victims', async () => {
    const r = await query(stack, 'VICTIMS', q, { pnc: person().pnc }, { staffCode: otherLiaisonOfficer() });
    expect(r.body.data.personByIdentifier.nextReleaseDate).toBeNull();
    expect(withheld(r)['personByIdentifier.nextReleaseDate']).toBe('NOT_OWN_VICTIM_CASE');
  });
});

describe('victims\' contact details', () => {
  const q = P('cases { urn victims { id contactScheme { optedIn } address { postcode } contactPreferences { method } } }');

  it('are withheld from a police officer, who still learns the victim opted in', async () => {
    const r = await query(stack, 'POLICE', q, { pnc: person().pnc });
    const v = r.body.data.personByIdentifier.cases[0].victims[0];
    expect(v.contactScheme.optedIn).toBe(true);
    expect(v.address).toBeNull();
    expect(v.contactPreferences).toBeNull();
    expect(withheld(r)).toMatchObject({ 'personByIdentifier.cases.victims.address': 'NOT_PERMITTED' });
  });

  it('are shown to the victim\'s own liaison officer', async () => {
    const r = await query(stack, 'VICTIMS', q, { pnc: person().pnc }, { staffCode: liaisonOfficer() });
    expect(r.body.data.personByIdentifier.cases[0].victims[0].address.postcode).toMatch(/\w/);
  });

  it('are withheld from another liaison officer', async () => {
    const r = await query(stack, 'VICTIMS', q, { pnc: person().pnc }, { staffCode: otherLiaisonOfficer() });
    expect(r.body.data.personByIdentifier.cases).toBeNull();
    expect(withheld(r)['personByIdentifier.cases']).toBe('NOT_OWN_VICTIM_CASE');
  });
});

describe('a court listing officer', () => {
  it('sees who is remanded in custody, not offence histories (Libra results carry no custody time limit: null, not a guess)', async () => {
    const remanded = stack.population.courts.cases.find((c) => c.bailStatus === 'C')!;
    const r = await query(stack, 'COURTS', `{ case(urn: "${remanded.urn}") { remandedInCustody custodyTimeLimitExpiry charges { offence { code } } } }`);
    expect(r.body.data.case).toMatchObject({ remandedInCustody: true, custodyTimeLimitExpiry: null, charges: null });
    expect(withheld(r)).toEqual({ 'case.charges': 'NOT_PERMITTED' });
    const arrests = await query(stack, 'COURTS', P('arrests { date }'), { pnc: person().pnc });
    expect(withheld(arrests)).toEqual({ 'personByIdentifier.arrests': 'NOT_PERMITTED' });
  });
});

describe('a performance analyst', () => {
  it('never sees a named person', async () => {
    const r = await query(stack, 'MOJ', P('id name { fullName }'), { pnc: person().pnc });
    expect(r.body.data.personByIdentifier).toBeNull();
    expect(withheld(r)).toEqual({ personByIdentifier: 'NOT_PERMITTED' });
  });
});

describe('purpose', () => {
  it('refuses a purpose the role may not declare before any agency is called', async () => {
    for (const s of stack.standIns.values()) s.requests.reset();
    const r = await query(stack, 'PROBATION', P('id'), { pnc: person().pnc }, { purpose: 'INVESTIGATION' });
    expect(r.status).toBe(403);
    expect(r.body.errors![0].extensions!.code).toBe('PURPOSE_NOT_PERMITTED');
    expect(r.body.data).toBeUndefined();
    expect([...stack.standIns.values()].reduce((n, s) => n + s.requests.get(), 0)).toBe(0);
  });
});

describe('redaction', () => {
  it('reports a withheld field once per path, not once per list item', async () => {
    const r = await query(stack, 'POLICE', '{ searchPeople(surname: "Smith") { person { cases { victims { address { postcode } } } } } }');
    const address = (r.body.errors ?? []).filter((e) => e.extensions?.path === 'searchPeople.person.cases.victims.address');
    expect(address).toHaveLength(1);
    expect(Number(address[0].extensions!.count)).toBeGreaterThan(1);
  });
});

describe('agreements', () => {
  it('stop applying after their end date', async () => {
    const restore = setPolicyClock(() => new Date('2027-04-01T00:00:00Z')); // ISA-POLICE-HMPPS ends 2027-03-31
    try {
      const r = await query(stack, 'PROBATION', P('warningMarkers { code }'), { pnc: person().pnc }, { staffCode: offenderManager() });
      expect(withheld(r)).toEqual({ 'personByIdentifier.warningMarkers': 'AGREEMENT_EXPIRED' });
    } finally {
      restore();
    }
  });
});

describe('the _entities path', () => {
  it('applies the same rules when a subgraph is asked for an entity directly', async () => {
    const id = `P1:police=${person().nominalId},probation=${person().crn}`;
    const body = { query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { warningMarkers { code } intelligenceFlags { id } } } }', variables: { r: [{ __typename: 'Person', id }] } };
    const sign = async (staffCode: string, caseload: string[]) => signAssertion(await importKey(stack.gatewayKeys.privateJwk), stack.gatewayKeys.kid, 'police', {
      subject: 'po', agency: 'PROBATION', roles: ['PROBATION_OFFICER'], purpose: 'OFFENDER_MANAGEMENT', justification: null, requestId: 'req-entities-1',
      staffCode, relationships: { ...NO_RELATIONSHIPS, caseloadCrns: caseload, sources: { caseload: 'probation' } },
    }, body);
    const mine = await post(stack.subgraphs.get('police')!.url, body, { 'x-caller-assertion': await sign(offenderManager(), [person().crn!]) });
    expect(mine.body.data!._entities[0].warningMarkers.length).toBeGreaterThan(0);
    expect(mine.body.data!._entities[0].intelligenceFlags).toBeNull();
    const notMine = await post(stack.subgraphs.get('police')!.url, body, { 'x-caller-assertion': await sign(otherOffenderManager(), []) });
    expect(notMine.body.data!._entities[0].warningMarkers).toBeNull();
    expect(notMine.body.errors!.map((e) => e.extensions!.reason).sort()).toEqual(['NOT_ON_CASELOAD', 'NOT_PERMITTED']);
  });
});

describe('handling caveats travel with the answer', () => {
  async function lastRecord() {
    const head = await stack.audit.store.head();
    return (await stack.audit.store.readRange(head!.seq, 1))[0];
  }

  it('names the purpose, the agreements that released data (those the audit records), the marking and no storage', async () => {
    const r = await query(stack, 'PROBATION', P('name { fullName } warningMarkers { code } custodyPeriods { receptionDate }'), { pnc: person().pnc }, { staffCode: offenderManager() });
    const h = (r.body as { extensions?: { handling?: any } }).extensions?.handling;
    const audited = [...new Set((await lastRecord()).disclosed.map((d) => d.agreement).filter(Boolean))].sort();
    expect(audited.length).toBeGreaterThan(0);
    expect(h).toMatchObject({ purpose: 'OFFENDER_MANAGEMENT', marking: 'OFFICIAL-SENSITIVE', storage: 'NO_STORE' });
    expect(h.agreements.map((a: { id: string }) => a.id)).toEqual(audited);
    expect(h.agreements.find((a: { id: string }) => a.id === 'ISA-POLICE-HMPPS')).toMatchObject({ name: expect.stringContaining('MAPPA'), basis: expect.any(String) });
    // The MAPPA agreement's own note is kept beside the default one.
    expect(h.retention).toEqual(expect.arrayContaining([expect.stringContaining('MAPPA')]));
    expect(r.headers.get('x-protective-marking')).toBe('OFFICIAL-SENSITIVE');
    expect(r.headers.get('x-handling-storage')).toBe('NO_STORE');
  });

  it('names only the identity agreement when the person\'s key is all that was released', async () => {
    const r = await query(stack, 'PROBATION', P('intelligenceFlags { id }'), { pnc: person().pnc }, { staffCode: offenderManager() });
    expect(r.body.data.personByIdentifier.intelligenceFlags).toBeNull();
    const h = (r.body as { extensions?: { handling?: { agreements: { id: string }[]; storage: string } } }).extensions?.handling;
    expect(h?.agreements.map((a) => a.id)).toEqual(['ISA-CJS-IDENTITY']);
    expect(h?.storage).toBe('NO_STORE');
  });

  it('carries none on a refused request', async () => {
    const r = await query(stack, 'PROBATION', P('id'), { pnc: person().pnc }, { purpose: 'INVESTIGATION' });
    expect(r.status).toBe(403);
    expect((r.body as { extensions?: Record<string, unknown> }).extensions?.handling).toBeUndefined();
    expect(r.headers.get('x-protective-marking')).toBeNull();
  });
});
