// The prosecution service through the gateway, as its users and everyone else meet it: prosecutors get
// case files joined to the person and to the case; the witness care unit gets the victims and witnesses
// of a case and nothing else; everyone else gets FORBIDDEN at no cost to the prosecution's system; a
// request about N people costs it one call per wave; an outage fails its fields only, naming it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../platform/stack.js';
import { aliasesQuery, callsPerAgency, resetCounts } from '../helpers/legacy-calls.js';
import { codes, query } from '../helpers/stack.js';

const PROSECUTOR = { role: 'CPS_PROSECUTOR', purpose: 'PROSECUTION' };
const WITNESS_CARE = { role: 'WITNESS_CARE_OFFICER', purpose: 'VICTIM_CONTACT' };
const PERSON = `query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) {
  name { fullName }
  cases { urn prosecution { urn review { status } } }
  prosecutionCases { urn status chargingDecision { decision test decisionDate } review { status } defendants { pnc { canonical valid } asn { canonical } charges { offence { code } } }
    witnessCare { role } provenance { agency system recordId retrievedAt } }
} }`;
const CASE = 'query($urn: ID!) { prosecutionCase(urn: $urn) { urn witnessCare { role name { fullName } victimReference contactMethod provenance { agency } } chargingDecision { decision } } }';

describe('the prosecution service through the gateway', () => {
  let stack: Stack;
  beforeAll(async () => { stack = await startStack({ population: { size: 300 }, logLevel: 'silent', breaker: { failures: 1_000_000, cooldownMs: 1000 } }); }, 120_000);
  afterAll(async () => stack?.close());
  afterEach(() => stack.standIns.get('prosecution')!.faults.reset());

  const person = () => stack.population.people[stack.population.examples.everywhere];
  const casesOf = (index: number) => stack.population.courts.cases.filter((c) => c.personIndex === index);

  it('gives a prosecutor the person\'s case files, with charging decision, review and provenance, joined to the court cases by URN', async () => {
    const r = await query(stack, 'CPS', PERSON, { pnc: person().pnc }, PROSECUTOR);
    expect(r.body.errors).toBeUndefined();
    const p = r.body.data.personByIdentifier;
    const urns = casesOf(person().index).map((c) => c.urn).sort();
    expect(p.prosecutionCases.map((f: { urn: string }) => f.urn).sort()).toEqual(urns);
    const file = p.prosecutionCases[0];
    expect(file.chargingDecision).toMatchObject({ decision: 'CHARGE' });
    expect(file.defendants[0].pnc).toEqual({ canonical: person().pnc, valid: true });
    expect(file.provenance).toMatchObject({ agency: 'PROSECUTION', recordId: file.urn });
    expect(Date.parse(file.provenance.retrievedAt)).not.toBeNaN();
    // The same file through the court's case (Case extended by URN).
    expect(p.cases.map((c: { prosecution: { urn: string } }) => c.prosecution.urn).sort()).toEqual(urns);
  });

  it('gives the witness care unit the victims and witnesses of a case, and withholds the charging decision', async () => {
    const kase = casesOf(person().index)[0];
    const r = await query(stack, 'CPS', CASE, { urn: kase.urn }, WITNESS_CARE);
    const f = r.body.data.prosecutionCase;
    const victims = stack.population.victims.filter((v) => v.caseUrn === kase.urn).map((v) => v.victimId).sort();
    expect(f.witnessCare.filter((w: { role: string }) => w.role === 'VICTIM').map((w: { victimReference: string }) => w.victimReference).sort()).toEqual(victims);
    expect(victims.length).toBeGreaterThan(0);
    expect(f.chargingDecision).toBeNull();
    expect(r.body.errors?.map((e) => `${e.extensions?.code}:${e.extensions?.field}`)).toEqual(['FORBIDDEN:ProsecutionCaseFile.chargingDecision']);
  });

  it('gives a prison officer nothing of the prosecution (negative twin), and costs the prosecution\'s system nothing', async () => {
    resetCounts(stack);
    const r = await query(stack, 'PRISONS', 'query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { name { fullName } prosecutionCases { urn } } }', { pnc: person().pnc });
    expect(r.body.data.personByIdentifier.name).not.toBeNull();
    expect(r.body.data.personByIdentifier.prosecutionCases).toBeNull();
    expect(codes(r)).toEqual(['FORBIDDEN:prosecution']);
    const c = await query(stack, 'PRISONS', CASE, { urn: casesOf(person().index)[0].urn });
    expect(c.body.data.prosecutionCase).toBeNull();
    expect(codes(c)).toEqual(['FORBIDDEN:prosecution']);
    expect(callsPerAgency(stack).prosecution).toBe(0);
  });

  it('tells the investigating police the charging decision on the person\'s cases, and withholds the review', async () => {
    const r = await query(stack, 'POLICE', 'query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { prosecutionCases { urn chargingDecision { decision } review { status } } } }', { pnc: person().pnc });
    const files = r.body.data.personByIdentifier.prosecutionCases;
    expect(files.length).toBe(casesOf(person().index).length);
    expect(files[0].chargingDecision.decision).toBe('CHARGE');
    expect(files[0].review).toBeNull();
    expect(new Set(r.body.errors?.map((e) => `${e.extensions?.code}:${e.extensions?.field}`))).toEqual(new Set(['FORBIDDEN:ProsecutionCaseFile.review']));
  });

  it('gives a victim liaison officer, who contacts victims too, no witness care contact without an agreement', async () => {
    const r = await query(stack, 'VICTIMS', CASE, { urn: casesOf(person().index)[0].urn }, { staffCode: 'VLO001' });
    expect(r.body.data?.prosecutionCase ?? null).toBeNull();
    expect(codes(r)).toEqual(['FORBIDDEN:prosecution']);
  });

  it('costs the prosecution\'s system one call per wave for 1, 10 and 50 people', async () => {
    // People the police hold by their true PNC with a charged arrest: identity links them to their ASNs.
    const pncs = stack.population.police.filter((n) => n.pnc && n.pnc === stack.population.people[n.personIndex].pnc && n.arrests.some((a) => a.asn)).map((n) => n.pnc!);
    const calls: Record<number, number> = {};
    for (const n of [1, 10, 50]) {
      resetCounts(stack);
      const r = await query(stack, 'CPS', aliasesQuery(pncs.slice(0, n), 'prosecutionCases { urn }'), {}, PROSECUTOR);
      expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 2))).toBeUndefined();
      expect(Object.values(r.body.data).filter((p: any) => p.prosecutionCases.length > 0)).toHaveLength(n);
      calls[n] = callsPerAgency(stack).prosecution;
    }
    expect(calls).toEqual({ 1: 1, 10: 1, 50: 1 });
  }, 60_000);

  it('when the prosecution\'s system is down its fields fail naming it; the rest of the person is still there', async () => {
    stack.standIns.get('prosecution')!.faults.set({ down: true });
    const r = await query(stack, 'CPS', PERSON, { pnc: person().pnc }, PROSECUTOR);
    const p = r.body.data.personByIdentifier;
    expect(p.name.fullName).toBeTruthy();
    expect(p.prosecutionCases).toBeNull();
    expect(codes(r)).toContain('SOURCE_UNAVAILABLE:prosecution');
    expect(r.text).not.toMatch(/127\.0\.0\.1|case-files|HTTP 503|at .*\.ts/);
  });
});
