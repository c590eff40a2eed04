// Worklists end to end through the gateway and the stand-ins: an offender manager's caseload with what
// happened to each person since a date, and a victim liaison officer's victims with what each victim chose
// to hear about the offender. Each with its negative twins (another role or purpose gets nothing; a record
// outside the caller's caseload or victims is withheld), the audit record of what was withheld, and the
// legacy calls of a page, which do not grow with its length.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatePopulation, type Population } from '../../legacy/population.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { callsPerAgency, readmeBlock, resetCounts, waves } from '../helpers/legacy-calls.js';
import { query, type GraphQLResponse } from '../helpers/stack.js';

/** An offender manager and a liaison officer with long lists, made from the synthetic population. */
const OM = 'N07A900';
const VLO = 'VLO900';
const CASELOAD = 40;
const VICTIMS = 30;
/** Identity's expansion rounds: the most linking waves (so calls) one agency sees for any page. */
const MAX_LINK_WAVES = 3;

let stack: Stack;
let pop: Population;

const ageOn = (dob: string, date: string) => {
  const [y, m, d] = dob.split('-').map(Number);
  const [Y, M, D] = date.split('-').map(Number);
  return Y - y - (M < m || (M === m && D < d) ? 1 : 0);
};
const isYouthCase = (p: Population, c: Population['courts']['cases'][number]) => {
  const dob = p.courts.defendants.find((d) => d.defendantId === c.defendantId)?.dateOfBirth;
  return !dob || c.offences.some((o) => ageOn(dob, o.offenceDate) < 18);
};

beforeAll(async () => {
  const p = generatePopulation({ size: 300 });
  // The caseload: the person held by every agency, a person with a youth case, then others, 40 in all.
  const everywhere = p.probation.find((o) => o.personIndex === p.examples.everywhere)!;
  const youth = p.probation.find((o) => o !== everywhere && p.courts.cases.some((c) => c.personIndex === o.personIndex && isYouthCase(p, c)));
  const chosen = [everywhere, ...(youth ? [youth] : []), ...p.probation.filter((o) => o !== everywhere && o !== youth && !o.currentExclusion)].slice(0, CASELOAD);
  for (const o of chosen) o.offenderManager.staffCode = OM;
  // The liaison officer's victims: the example person's victims, then others, opted in or not.
  const mine = [...p.victims.filter((v) => v.offenderPersonIndex === p.examples.everywhere), ...p.victims.filter((v) => v.offenderPersonIndex !== p.examples.everywhere)].slice(0, VICTIMS);
  for (const v of mine) v.liaisonOfficer = VLO;
  stack = await startStack({ population: p, logLevel: 'silent', breaker: { failures: 1_000_000, cooldownMs: 1000 } });
  pop = stack.population;
  // Tokens fetched and every path warmed once, so a busy machine's cold start does not read as an agency timing out.
  await query(stack, 'PROBATION', readmeBlock('caseload-query'), { since: '2026-01-01', first: 50 }, { staffCode: OM });
  await query(stack, 'VICTIMS', readmeBlock('victims-query'), { first: 50 }, { staffCode: VLO });
}, 120_000);
afterAll(async () => stack?.close());

const asOM = (q: string, variables: Record<string, unknown> = {}, as: { role?: string; purpose?: string; staffCode?: string } = {}) =>
  query(stack, 'PROBATION', q, variables, { staffCode: OM, ...as });
const asVLO = (q: string, variables: Record<string, unknown> = {}, as: { role?: string; purpose?: string; staffCode?: string } = {}) =>
  query(stack, 'VICTIMS', q, variables, { staffCode: VLO, ...as });

const forbidden = (r: GraphQLResponse) => Object.fromEntries((r.body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => [String(e.extensions!.path), String(e.extensions!.reason)]));

async function lastRecord() {
  const head = await stack.audit.store.head();
  return (await stack.audit.store.readRange(head!.seq, 1))[0];
}

/** The Monday on or before a date. */
function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

const caseloadCrns = () => pop.probation.filter((o) => o.offenderManager.staffCode === OM).map((o) => o.crn).sort();

/** The query an offender manager pastes, from the README. */
const CASELOAD_QUERY = readmeBlock('caseload-query');

describe('my caseload', () => {
  it('a probation officer sees their caseload with what happened since Monday', async () => {
    // "Monday": the start of the week of the median arrest of the people on the caseload, so some fall before it and some after.
    const people = new Set(pop.probation.filter((o) => o.offenderManager.staffCode === OM).map((o) => o.personIndex));
    const arrests = pop.police.filter((n) => people.has(n.personIndex)).flatMap((n) => n.arrests.map((a) => a.arrestDate)).sort();
    const since = mondayOf(arrests[Math.floor(arrests.length / 2)]);
    const r = await asOM(CASELOAD_QUERY, { since, first: 50 });
    expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 3))).toBeUndefined();
    const page = r.body.data.myCaseload;
    expect(page.totalCount).toBe(CASELOAD);
    expect(page.items.map((i: { localId: string }) => i.localId)).toEqual(caseloadCrns());
    expect(page.nextCursor).toBeNull();
    let police = 0;
    let court = 0;
    for (const item of page.items) {
      const p = item.person;
      // Linked across agencies, not just the probation record the caseload names.
      expect(p.id).toContain(`probation=${item.localId}`);
      for (const list of [p.policeEvents, p.courtEvents]) {
        expect(list.every((e: { date: string }) => e.date >= since), JSON.stringify(list)).toBe(true);
        expect(list.map((e: { date: string }) => e.date)).toEqual([...list.map((e: { date: string }) => e.date)].sort().reverse());
      }
      // Exactly the police's arrests since Monday of the nominals linked to the person.
      const nominals = p.links.filter((l: { agency: string } | null) => l?.agency === 'POLICE').map((l: { localId: string }) => l.localId);
      const truth = pop.police.filter((n) => nominals.includes(n.nominalId)).flatMap((n) => n.arrests).filter((a) => a.arrestDate >= since).map((a) => a.arrestDate).sort().reverse();
      expect(p.policeEvents.map((e: { date: string }) => e.date)).toEqual(truth);
      police += p.policeEvents.length;
      court += p.courtEvents.length;
    }
    expect(police, 'some arrests fall after Monday').toBeGreaterThan(0);
    expect(court, 'some court events fall after Monday').toBeGreaterThan(0);
    expect(police, 'and some before').toBeLessThan(arrests.length);
  }, 60_000);

  it('pages the caseload with a cursor, and refuses a page larger than 50', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r = await asOM('query($after: String) { myCaseload(first: 15, after: $after) { totalCount nextCursor items { localId } } }', { after });
      expect(r.body.errors).toBeUndefined();
      const page = r.body.data.myCaseload;
      expect(page.items.length).toBeLessThanOrEqual(15);
      seen.push(...page.items.map((x: { localId: string }) => x.localId));
      after = page.nextCursor;
      if (!after) break;
    }
    expect(seen).toEqual(caseloadCrns());
    const tooBig = await asOM('{ myCaseload(first: 51) { totalCount } }');
    expect(tooBig.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const forged = await asOM('{ myCaseload(after: "not-a-cursor") { totalCount } }');
    expect(forged.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  }, 60_000);

  it('another role, or an offender manager declaring another purpose, gets no caseload', async () => {
    const police = await query(stack, 'POLICE', '{ myCaseload { totalCount items { localId } } }', {}, { staffCode: OM });
    expect(police.body.data?.myCaseload ?? null).toBeNull();
    expect(forbidden(police)).toEqual({ myCaseload: 'NOT_PERMITTED' });
    const safeguarding = await asOM('{ myCaseload { totalCount items { localId } } }', {}, { purpose: 'SAFEGUARDING' });
    expect(safeguarding.body.data?.myCaseload ?? null).toBeNull();
    expect(forbidden(safeguarding)).toEqual({ myCaseload: 'PURPOSE_NOT_PERMITTED' });
    expect(safeguarding.text).not.toContain(caseloadCrns()[0]);
    expect((await lastRecord()).withheld).toContainEqual(expect.objectContaining({ agency: 'probation', coordinate: 'Query.myCaseload', reason: 'PURPOSE_NOT_PERMITTED' }));
  });

  it('another offender manager sees their own caseload, and is withheld the events of a person on this one', async () => {
    const other = pop.probation.find((o) => o.offenderManager.staffCode !== OM)!;
    const theirs = await query(stack, 'PROBATION', '{ myCaseload { items { localId } } }', {}, { staffCode: other.offenderManager.staffCode });
    const crns = theirs.body.data.myCaseload.items.map((i: { localId: string }) => i.localId);
    expect(crns).toContain(other.crn);
    expect(crns.some((c: string) => caseloadCrns().includes(c))).toBe(false);
    // A person on this caseload, asked for by the other officer directly: their arrests are withheld.
    const mine = pop.people[pop.examples.everywhere];
    const r = await query(stack, 'PROBATION', 'query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { policeEvents(since: "2000-01-01") { date } } }', { pnc: mine.pnc }, { staffCode: other.offenderManager.staffCode });
    expect(r.body.data.personByIdentifier.policeEvents).toBeNull();
    expect(forbidden(r)).toEqual({ 'personByIdentifier.policeEvents': 'NOT_ON_CASELOAD' });
    expect((await lastRecord()).withheld).toContainEqual(expect.objectContaining({ coordinate: 'Person.policeEvents', reason: 'NOT_ON_CASELOAD' }));
  });

  it('leaves the court events of a youth case out of the caseload, and the audit record says so', async () => {
    const youth = pop.courts.cases.find((c) => isYouthCase(pop, c) && pop.probation.some((o) => o.offenderManager.staffCode === OM && o.personIndex === c.personIndex));
    if (!youth) throw new Error('expected a youth case on the caseload');
    const r = await asOM(CASELOAD_QUERY, { since: '1990-01-01', first: 50 });
    expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 2))).toBeUndefined();
    expect(r.text).not.toContain(youth.urn);
    expect(r.text).not.toContain('YOUTH_RECORD');
    expect((await lastRecord()).withheld).toContainEqual(expect.objectContaining({ agency: 'courts', coordinate: 'Person.courtEvents', reason: 'YOUTH_RECORD', subjectIds: expect.arrayContaining([`case=${youth.urn}`]) }));
    // Its negative twin: the police see that case's events.
    const police = await query(stack, 'POLICE', 'query($pnc: String!) { personByIdentifier(type: PNC, value: $pnc) { courtEvents(since: "1990-01-01") { reference } } }', { pnc: pop.people[youth.personIndex].pnc });
    if (pop.people[youth.personIndex].pnc) expect(police.text).toContain(youth.urn);
  }, 60_000);

  it('costs each agency the same calls for a page of 1, 10 or 40 people', async () => {
    // The README query as pasted, custody periods included (prisons reads them from its batched record lookup).
    const q = CASELOAD_QUERY;
    const table: Record<number, Record<string, number>> = {};
    for (const first of [1, 10, CASELOAD]) {
      resetCounts(stack);
      const r = await asOM(q, { since: '2020-01-01', first });
      expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 2))).toBeUndefined();
      expect(r.body.data.myCaseload.items).toHaveLength(first);
      table[first] = callsPerAgency(stack);
    }
    console.log(`caseload page: legacy calls per agency by page length: ${JSON.stringify(table)}`);
    // Linking's expansion rounds (at most three waves) plus one wave per record operation the query asks of the agency.
    const bound: Record<string, number> = { police: MAX_LINK_WAVES + 1, courts: MAX_LINK_WAVES + 1, prisons: MAX_LINK_WAVES + 1, probation: MAX_LINK_WAVES, victims: 0, prosecution: 0 };
    for (const first of [1, 10, CASELOAD]) for (const [agency, n] of Object.entries(table[first])) expect(n, `${agency} for ${first}: ${JSON.stringify(table)}`).toBeLessThanOrEqual(bound[agency]);
    for (const agency of ['police', 'courts', 'probation']) expect(table[1][agency], agency).toBeGreaterThan(0);
    // Not only bounded: the longest page costs no agency more than one call beyond the shortest (a linking round).
    for (const [agency, n] of Object.entries(table[CASELOAD])) expect(n, `${agency}: ${JSON.stringify(table)}`).toBeLessThanOrEqual((table[1][agency] ?? 0) + 2);
  }, 120_000);

  it('answers a page of 40 in a bounded number of legacy waves with 50 ms on every system', async () => {
    const latencyMs = 50;
    for (const s of stack.standIns.values()) s.faults.set({ latencyMs });
    try {
      const times: number[] = [];
      let fewest = Infinity;
      let chain: string[] = [];
      for (let i = 0; i < 3; i++) {
        resetCounts(stack);
        const t0 = Date.now();
        const r = await asOM(CASELOAD_QUERY, { since: '2026-01-01', first: CASELOAD });
        times.push(Date.now() - t0);
        expect(r.body.errors).toBeUndefined();
        const w = waves(stack, latencyMs);
        if (w.waves < fewest) { fewest = w.waves; chain = w.chain; }
      }
      times.sort((a, b) => a - b);
      console.log(`caseload page of ${CASELOAD}, ${latencyMs} ms per legacy call: ${fewest} waves (${chain.join(' → ')}); p50 ${times[1]} ms`);
      // The caseload (the gateway's one call), the CRNs' own records, linking's expansion rounds (at most
      // three), then every agency's fields at once: none of these grows with the page.
      expect(fewest, chain.join(' → ')).toBeLessThanOrEqual(1 + 1 + MAX_LINK_WAVES + 1);
    } finally {
      for (const s of stack.standIns.values()) s.faults.reset();
    }
  }, 120_000);
});

/** The query a liaison officer pastes, from the README. */
const VICTIMS_QUERY = readmeBlock('victims-query');

const myVictims = () => pop.victims.filter((v) => v.liaisonOfficer === VLO).sort((a, b) => a.victimId.localeCompare(b.victimId));

describe('my victims', () => {
  it('a victim liaison officer sees, for each of their victims who opted in, the offender\'s release date and licence exclusion zones', async () => {
    const r = await asVLO(VICTIMS_QUERY, { first: 50 });
    const page = r.body.data.myVictims;
    expect(page.totalCount).toBe(VICTIMS);
    expect(page.items.map((v: { id: string }) => v.id)).toEqual(myVictims().map((v) => v.victimId));
    // The example offender: in custody until 2026-12-16, with an exclusion zone on licence.
    const example = page.items.find((v: { id: string }) => myVictims().find((t) => t.victimId === v.id)!.offenderPersonIndex === pop.examples.everywhere);
    expect(example.contactScheme.optedIn).toBe(true);
    expect(example.informedCase.offender.person.nextReleaseDate).toBe('2026-12-16');
    expect(example.informedCase.offender.person.custodyPeriods[0].expectedReleaseDate).toBe('2026-12-16');
    expect(example.informedCase.offender.person.supervision.licenceConditions.map((c: { description: string }) => c.description)).toContain('Exclusion zone');
    // Where the court holds the case, the offender is its defendant, linked across agencies.
    for (const v of page.items) {
      const truth = myVictims().find((t) => t.victimId === v.id)!;
      const c = pop.courts.cases.find((x) => x.urn === truth.caseUrn);
      if (!truth.vcsOptedIn || !c || isYouthCase(pop, c) || !v.informedCase?.offender) continue;
      expect(v.informedCase.offender.person.id).toContain(`courts=${c.asn}`);
    }
    // Nothing of the offender is withheld for the officer's own victims' adult cases.
    expect(Object.values(forbidden(r)).filter((reason) => reason === 'NOT_OWN_VICTIM_CASE')).toEqual([]);
  }, 60_000);

  it('shows nothing of the offender to a victim who did not opt in to hear it', async () => {
    const r = await asVLO(VICTIMS_QUERY, { first: 50 });
    const declined = myVictims().filter((v) => !v.vcsOptedIn);
    expect(declined.length).toBeGreaterThan(0);
    for (const t of declined) {
      const v = r.body.data.myVictims.items.find((x: { id: string }) => x.id === t.victimId);
      expect(v.contactScheme.optedIn).toBe(false);
      expect(v.informedCase).toBeNull();
    }
  }, 60_000);

  it('another role, or another liaison officer, gets none of these victims', async () => {
    const probation = await query(stack, 'PROBATION', '{ myVictims { totalCount items { id } } }', {}, { staffCode: VLO });
    expect(probation.body.data?.myVictims ?? null).toBeNull();
    expect(forbidden(probation)).toEqual({ myVictims: 'NOT_PERMITTED' });
    const other = pop.victims.find((v) => v.liaisonOfficer !== VLO)!.liaisonOfficer;
    const theirs = await asVLO('{ myVictims(first: 50) { items { id } } }', {}, { staffCode: other });
    const ids = theirs.body.data.myVictims.items.map((v: { id: string }) => v.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.some((id: string) => myVictims().some((v) => v.victimId === id))).toBe(false);
  });

  it('withholds the offender of a case that is not one of the caller\'s victims\' cases', async () => {
    const other = pop.victims.find((v) => v.liaisonOfficer !== VLO && pop.courts.cases.some((c) => c.urn === v.caseUrn && !isYouthCase(pop, c)) && !myVictims().some((m) => m.caseUrn === v.caseUrn))!;
    const r = await asVLO(`{ case(urn: "${other.caseUrn}") { offender { person { nextReleaseDate } } } }`);
    expect(r.body.data.case.offender).toBeNull();
    expect(forbidden(r)).toEqual({ 'case.offender': 'NOT_OWN_VICTIM_CASE' });
    expect((await lastRecord()).withheld).toContainEqual(expect.objectContaining({ coordinate: 'Case.offender', reason: 'NOT_OWN_VICTIM_CASE' }));
    // Nor does a probation officer reach a defendant from a case URN: they work from their caseload.
    const om = await asOM(`{ case(urn: "${other.caseUrn}") { offender { person { id } } } }`);
    expect(om.body.data.case.offender).toBeNull();
    expect(forbidden(om)).toEqual({ 'case.offender': 'NOT_PERMITTED' });
  });

  it('costs each agency the same calls for a page of 1, 10 or 30 victims', async () => {
    const table: Record<number, Record<string, number>> = {};
    for (const first of [1, 10, VICTIMS]) {
      resetCounts(stack);
      const r = await asVLO(VICTIMS_QUERY, { first });
      expect(r.body.data.myVictims.items).toHaveLength(first);
      table[first] = callsPerAgency(stack);
    }
    console.log(`victims page: legacy calls per agency by page length: ${JSON.stringify(table)}`);
    // One wave for the cases, linking's rounds, one wave per record operation of the agency.
    const bound: Record<string, number> = { courts: 1 + MAX_LINK_WAVES, police: MAX_LINK_WAVES, probation: MAX_LINK_WAVES + 1, prisons: MAX_LINK_WAVES + 1, victims: 1, prosecution: 0 };
    for (const first of [1, 10, VICTIMS]) for (const [agency, n] of Object.entries(table[first])) expect(n, `${agency} for ${first}: ${JSON.stringify(table)}`).toBeLessThanOrEqual(bound[agency]);
    for (const agency of ['courts', 'police', 'probation', 'prisons']) expect(table[VICTIMS][agency], agency).toBeLessThanOrEqual(table[1][agency] + 1);
    expect(table[VICTIMS].courts, 'courts').toBeGreaterThan(0);
  }, 120_000);
});
