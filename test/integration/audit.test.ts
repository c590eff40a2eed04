// The disclosure audit trail through the whole stack: one record per request naming the caller, the
// purpose and the fields; fail closed when the trail cannot be written; auditors read it through the graph.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageOn } from '../../adapters/normalise.js';
import { verifyChain } from '../../audit/index.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { query } from '../helpers/stack.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ population: { size: 200 }, logLevel: 'silent' });
}, 120_000);
afterAll(async () => stack?.close());

const person = () => stack.population.people[stack.population.examples.everywhere];
const P = (selection: string) => `query Lookup($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { ${selection} } }`;

async function lastRecord() {
  const head = await stack.audit.store.head();
  return (await stack.audit.store.readRange(head!.seq, 1))[0];
}

describe('the audit trail', () => {
  it('records each request once, with caller, purpose, subjects and the fields disclosed and withheld, but no values', async () => {
    const before = (await stack.audit.store.head())?.seq ?? 0;
    const r = await query(stack, 'POLICE', P('name { fullName } arrests { date } cases { victims { address { postcode } } }'), { pnc: person().pnc });
    expect(r.status).toBe(200);
    const rec = await lastRecord();
    expect(rec.seq).toBe(before + 1);
    expect(rec).toMatchObject({ caller: { agency: 'POLICE', roles: ['POLICE_OFFICER'] }, purpose: 'INVESTIGATION', operationName: 'Lookup', outcome: 'PARTIAL' });
    expect(rec.subjects.map((s) => s.id)).toEqual(expect.arrayContaining([`police=${person().nominalId}`, `courts=${person().asns[0]}`]));
    expect(rec.disclosed.map((d) => d.coordinate)).toEqual(expect.arrayContaining(['Person.arrests', 'Person.name', 'Case.victims']));
    expect(rec.disclosed.find((d) => d.coordinate === 'Person.arrests')).toMatchObject({ agency: 'police', rule: 'POLICE : * | own', agreement: null });
    expect(rec.withheld).toContainEqual(expect.objectContaining({ coordinate: 'Victim.address', reason: 'NOT_PERMITTED' }));
    const text = JSON.stringify(rec);
    expect(text).not.toContain(person().surname);
    expect(text).not.toContain(person().dateOfBirth);
  });

  it('records provenance as it records the record it describes: the deciding coordinate and the subjects, so its record id can be traced', async () => {
    const r = await query(stack, 'POLICE', P('arrests { id provenance { recordId } } cases { urn provenance { recordId } }'), { pnc: person().pnc });
    expect(r.status).toBe(200);
    const data = r.body.data.personByIdentifier;
    const rec = await lastRecord();
    // A case's provenance has a rule of its own (as its URN): its coordinate names the case it was disclosed for.
    const kase = data.cases.find((c: { urn: string } | null) => c)!;
    expect(kase.provenance.recordId).toBe(kase.urn);
    expect(rec.disclosed).toContainEqual(expect.objectContaining({ agency: 'courts', coordinate: 'Case.provenance', subjectIds: expect.arrayContaining([`case=${kase.urn}`]) }));
    // An arrest's provenance inherits Person.arrests' decision: that coordinate, with the nominal the arrests were read from.
    expect(data.arrests[0].provenance.recordId).toBe(data.arrests[0].id);
    expect(rec.disclosed).toContainEqual(expect.objectContaining({ coordinate: 'Person.arrests', subjectIds: expect.arrayContaining([`police=${person().nominalId}`]) }));
    expect(JSON.stringify(rec)).not.toContain(data.arrests[0].provenance.retrievedAt);
  });

  it('records a purpose the role may not declare as a denied attempt', async () => {
    const r = await query(stack, 'PROBATION', P('id'), { pnc: person().pnc }, { purpose: 'INVESTIGATION' });
    expect(r.status).toBe(403);
    expect(await lastRecord()).toMatchObject({ caller: { agency: 'PROBATION' }, purpose: 'INVESTIGATION', outcome: 'DENIED', disclosed: [] });
  });

  it('the audit record lists a youth case left out of a prison officer\'s list as withheld', async () => {
    const pop = stack.population;
    const isYouth = (c: (typeof pop.courts.cases)[number]) => {
      const dob = pop.courts.defendants.find((d) => d.defendantId === c.defendantId)?.dateOfBirth;
      return !dob || c.offences.some((o) => ageOn(dob, o.offenceDate) < 18);
    };
    const youth = pop.courts.cases.find((c) => isYouth(c) && pop.people[c.personIndex]?.pnc);
    if (!youth) throw new Error('expected a youth case of a person with a PNC in the population');
    const r = await query(stack, 'PRISONS', P('cases { urn }'), { pnc: pop.people[youth.personIndex].pnc });
    expect(r.status).toBe(200);
    expect(r.text).not.toContain(youth.urn);
    expect(r.text).not.toContain('YOUTH_RECORD');
    const rec = await lastRecord();
    expect(rec.withheld).toContainEqual(expect.objectContaining({ agency: 'courts', coordinate: 'Person.cases', reason: 'YOUTH_RECORD', subjectIds: expect.arrayContaining([`case=${youth.urn}`]) }));
    // The negative twin: the police see the case, and their record withholds no case.
    const police = await query(stack, 'POLICE', P('cases { urn }'), { pnc: pop.people[youth.personIndex].pnc });
    expect(police.text).toContain(youth.urn);
    expect((await lastRecord()).withheld.filter((w) => w.coordinate === 'Person.cases')).toEqual([]);
  });

  it('discloses nothing when the record cannot be written, and resumes by itself when it can', async () => {
    const append = stack.audit.append.bind(stack.audit);
    stack.audit.append = async () => { throw new Error('disk gone'); };
    try {
      const r = await query(stack, 'POLICE', P('name { fullName } arrests { date }'), { pnc: person().pnc });
      expect(r.status).toBe(503);
      expect(r.body.data).toBeUndefined();
      expect(r.body.errors!.map((e) => e.extensions!.code)).toEqual(['AUDIT_UNAVAILABLE']);
      expect(r.text).not.toContain(person().surname);
    } finally {
      stack.audit.append = append;
    }
    const again = await query(stack, 'POLICE', P('name { fullName }'), { pnc: person().pnc });
    expect(again.body.data.personByIdentifier.name.fullName).toMatch(/\w/);
  });

  it('keeps a chain that verifies', async () => {
    await stack.audit.checkpoint();
    const result = await verifyChain(stack.audit.store, stack.auditKeys);
    expect(result).toMatchObject({ ok: true });
  });
});

describe('auditors', () => {
  it('find who accessed a person, by any of their identifiers, and why', async () => {
    await query(stack, 'PRISONS', P('custodyPeriods { receptionDate }'), { pnc: person().pnc });
    const r = await query(stack, 'AUDIT', `{ auditAccessToPerson(type: CRN, value: "${person().crn}") { records { caller { agency subject } purpose disclosed { coordinate } } nextCursor } }`);
    expect(r.body.errors).toBeUndefined();
    const agencies = r.body.data.auditAccessToPerson.records.map((x: { caller: { agency: string } }) => x.caller.agency);
    expect(agencies).toEqual(expect.arrayContaining(['POLICE', 'PRISONS']));
  });

  it('page through everything one user saw between two dates', async () => {
    const r = await query(stack, 'AUDIT', `{ auditActivityOfUser(subject: "dev-police-user", from: "2020-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z", first: 1) { records { seq outcome } nextCursor } }`);
    const page1 = r.body.data.auditActivityOfUser;
    expect(page1.records).toHaveLength(1);
    expect(page1.nextCursor).not.toBeNull();
    const r2 = await query(stack, 'AUDIT', `{ auditActivityOfUser(subject: "dev-police-user", from: "2020-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z", first: 1, after: "${page1.nextCursor}") { records { seq } } }`);
    expect(r2.body.data.auditActivityOfUser.records[0].seq).toBeGreaterThan(page1.records[0].seq);
  });

  it('list disclosures under an agreement', async () => {
    const r = await query(stack, 'AUDIT', '{ auditDisclosuresUnderAgreement(agreement: "ISA-HMPPS-POLICE") { records { caller { agency } } } }');
    expect(r.body.errors).toBeUndefined();
    expect(Array.isArray(r.body.data.auditDisclosuresUnderAgreement.records)).toBe(true);
  });

  it('are the only ones who can read the trail, and their reading is audited too', async () => {
    const denied = await query(stack, 'POLICE', '{ auditDisclosuresUnderAgreement(agreement: "ISA-VCS") { records { seq } } }');
    expect(denied.body.data?.auditDisclosuresUnderAgreement ?? null).toBeNull();
    expect(denied.body.errors![0].extensions!.reason).toBe('NOT_PERMITTED');
    await query(stack, 'AUDIT', '{ auditDisclosuresUnderAgreement(agreement: "ISA-VCS") { records { seq } } }');
    expect(await lastRecord()).toMatchObject({ caller: { agency: 'AUDIT' }, purpose: 'AUDIT' });
  });
});
