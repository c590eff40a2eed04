// What a request costs the agencies' legacy systems, counted from the stand-ins' own request logs: a
// request about N people costs each agency a bounded number of batched calls (one per wave) whatever
// N is; the README example takes at most 3 legacy waves in series; and a slow agency delays only its
// own fields, which then fail naming it, within the one request deadline.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../platform/stack.js';
import { aliasesQuery, callsPerAgency, readmeQuery, readmeSelection, resetCounts, waves } from '../helpers/legacy-calls.js';
import { query } from '../helpers/stack.js';

/** Identity's expansion rounds: the most waves (so calls per operation) one agency may see for any N. */
const MAX_CALLS_PER_AGENCY = 3;
const SIZES = [1, 10, 50, 100];

describe('cost of a request is a property of its plan, not of its number of people', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ population: { size: 300 }, logLevel: 'silent', breaker: { failures: 1_000_000, cooldownMs: 1000 } });
    await query(stack, 'POLICE', aliasesQuery([stack.population.people[0].pnc!])); // OAuth tokens fetched once, not counted below
  }, 120_000);
  afterAll(async () => stack?.close());

  it('costs each agency the same few calls for 1, 10, 50 and 100 people asked for by aliases', async () => {
    const pncs = stack.population.people.filter((p) => p.pnc).map((p) => p.pnc!);
    const table: Record<number, Record<string, number>> = {};
    for (const n of SIZES) {
      resetCounts(stack);
      const r = await query(stack, 'POLICE', aliasesQuery(pncs.slice(0, n), 'id links { agency }'));
      expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 2))).toBeUndefined();
      expect(Object.keys(r.body.data)).toHaveLength(n);
      table[n] = callsPerAgency(stack);
    }
    console.log(`legacy calls per agency by people in one request: ${JSON.stringify(table)}`);
    for (const n of SIZES) for (const [agency, calls] of Object.entries(table[n])) expect(calls, `${agency} for ${n} people`).toBeLessThanOrEqual(MAX_CALLS_PER_AGENCY);
    // Not vacuous: every agency holding people was asked.
    for (const agency of ['police', 'courts', 'prisons', 'probation']) expect(table[1][agency]).toBeGreaterThan(0);
    // The courts are asked once, for every ASN the police records of all the people carry.
    expect(table[100].courts, 'courts: one call by ASN whatever the number of people').toBe(table[1].courts);
  }, 120_000);

  it('costs each agency the same few calls for 1, 10, 50 and 100 people with every record field of the README example', async () => {
    // The README selection without candidates (those are counted below): arrests, markers, cases with
    // their hearings and victims, custody and supervision. The gateway's planner sends one fetch per
    // alias; they reach each subgraph as one call per wave, so each agency's count stays put.
    const selection = readmeSelection().replace(/candidates \{[^}]*\}[^}]*\}/, '');
    expect(selection).toContain('arrests');
    expect(selection).not.toContain('candidates');
    const pncs = stack.population.people.filter((p) => p.pnc).map((p) => p.pnc!);
    const table: Record<number, Record<string, number>> = {};
    for (const n of SIZES) {
      resetCounts(stack);
      const r = await query(stack, 'POLICE', aliasesQuery(pncs.slice(0, n), selection));
      expect((r.body.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN'), JSON.stringify(r.body.errors?.slice(0, 2))).toEqual([]);
      expect(Object.keys(r.body.data)).toHaveLength(n);
      table[n] = callsPerAgency(stack);
    }
    console.log(`legacy calls per agency, README record fields, by people in one request: ${JSON.stringify(table)}`);
    // Expansion waves (at most three) plus one wave per record operation of the agency.
    const bound: Record<string, number> = { police: MAX_CALLS_PER_AGENCY + 2, courts: MAX_CALLS_PER_AGENCY + 2, prisons: MAX_CALLS_PER_AGENCY + 2, probation: MAX_CALLS_PER_AGENCY + 3, victims: 2, prosecution: 1 };
    for (const n of SIZES) for (const [agency, calls] of Object.entries(table[n])) expect(calls, `${agency} for ${n} people: ${JSON.stringify(table)}`).toBeLessThanOrEqual(bound[agency]);
    // Record operations happen once per request, not once per person.
    expect(table[100].police, 'police: nominals, arrests, warning markers').toBeLessThanOrEqual(table[1].police + 1);
    expect(table[100].courts, 'courts: one call by ASN for linking, one for the cases').toBe(table[1].courts);
  }, 180_000);

  it('costs each agency the same few calls for every hit of a search, arrests and supervision included', async () => {
    const surname = [...stack.population.people.reduce((m, p) => m.set(p.surname, (m.get(p.surname) ?? 0) + 1), new Map<string, number>())].sort((a, b) => b[1] - a[1])[0][0];
    resetCounts(stack);
    const r = await query(stack, 'POLICE', `{ searchPeople(surname: ${JSON.stringify(surname)}) { person { id links { agency } arrests { date } custodyPeriods { receptionDate } } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.searchPeople.length).toBeGreaterThan(3);
    const calls = callsPerAgency(stack);
    // One search wave, at most three expansion waves, one wave of agency fields.
    for (const [agency, n] of Object.entries(calls)) expect(n, agency).toBeLessThanOrEqual(MAX_CALLS_PER_AGENCY + 2);
  }, 60_000);

  it('costs each agency the same few calls for the candidates of 1, 10 and 50 people', async () => {
    const pncs = stack.population.people.filter((p) => p.pnc).map((p) => p.pnc!);
    const table: Record<number, Record<string, number>> = {};
    for (const n of [1, 10, 50]) {
      resetCounts(stack);
      const r = await query(stack, 'POLICE', aliasesQuery(pncs.slice(0, n), 'id candidates { link { agency localId grade } }'));
      expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 2))).toBeUndefined();
      table[n] = callsPerAgency(stack);
    }
    console.log(`legacy calls per agency with candidates, by people in one request: ${JSON.stringify(table)}`);
    // Linking (at most three waves) plus one batched candidate search per agency, whatever the number of people.
    for (const n of [10, 50]) for (const [agency, calls] of Object.entries(table[n])) expect(calls, `${agency} for ${n} people`).toBeLessThanOrEqual(MAX_CALLS_PER_AGENCY + 1);
    expect(table[50].courts, 'courts: one search for everyone').toBeLessThanOrEqual(table[1].courts + 1);
  }, 120_000);

  it('searches for candidates only when the query asks for them, for every person at once', async () => {
    // Five people: courts and probation take one search per call, a few at a time, so a larger set is slower there (counted, bounded).
    const pncs = stack.population.people.filter((p) => p.pnc).map((p) => p.pnc!).slice(0, 5);
    resetCounts(stack);
    await query(stack, 'POLICE', aliasesQuery(pncs, 'id'));
    const without = callsPerAgency(stack).police;
    resetCounts(stack);
    const r = await query(stack, 'POLICE', aliasesQuery(pncs, 'id candidates { reason }'));
    expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 2))).toBeUndefined();
    // The police database takes every search of the wave in one query.
    expect(callsPerAgency(stack).police).toBe(without + 1);
  }, 60_000);

  it('answers the README example in at most 3 legacy waves in series', async () => {
    const pnc = stack.population.people[stack.population.examples.everywhere].pnc;
    const latencyMs = 150;
    for (const s of stack.standIns.values()) s.faults.set({ latencyMs });
    try {
      resetCounts(stack);
      const r = await query(stack, 'POLICE', readmeQuery(), { pnc });
      expect(r.body.errors).toBeUndefined();
      const w = waves(stack, latencyMs);
      console.log(`README example: ${w.waves} legacy waves: ${w.chain.join(' → ')}`);
      expect(w.waves, w.chain.join(' → ')).toBeLessThanOrEqual(3);
    } finally {
      for (const s of stack.standIns.values()) s.faults.reset();
    }
  }, 60_000);
});

describe('a slow agency delays only its own fields', () => {
  let stack: Stack;
  const deadlineMs = 6000;
  beforeAll(async () => {
    // Linking waits at most a second for any agency, inside a 6 s request deadline.
    stack = await startStack({
      population: { size: 200 }, logLevel: 'silent', breaker: { failures: 1_000_000, cooldownMs: 1000 }, requestDeadlineMs: deadlineMs,
      env: { ...process.env, IDENTITY_LINK_BUDGET_MS: '1000' },
    });
    await query(stack, 'POLICE', aliasesQuery([stack.population.people[0].pnc!]));
  }, 120_000);
  afterAll(async () => stack?.close());

  for (const latencyMs of [2000, 10_000]) {
    it(`gives the person and the other agencies' fields, and errors naming prisons alone, with prisons at ${latencyMs / 1000} s a call`, async () => {
      const truth = stack.population.people[stack.population.examples.everywhere];
      const prisons = stack.standIns.get('prisons')!;
      prisons.faults.set({ latencyMs });
      try {
        const started = Date.now();
        const r = await query(stack, 'POLICE', readmeQuery(), { pnc: truth.pnc });
        const elapsed = Date.now() - started;
        const p = r.body.data?.personByIdentifier;
        expect(p, JSON.stringify(r.body.errors)).toBeTruthy();
        expect(p.name.surname.toUpperCase()).toBe(truth.surname.toUpperCase());
        expect(p.links.filter(Boolean).map((l: { agency: string }) => l.agency).sort()).toEqual(['COURTS', 'POLICE', 'PROBATION']);
        expect(p.arrests.length).toBeGreaterThan(0);
        expect(p.supervision.crn).toBe(truth.crn);
        expect(p.custodyPeriods).toBeNull();
        const errors = r.body.errors ?? [];
        expect(errors.length).toBeGreaterThan(0);
        for (const e of errors) expect(e.extensions, e.message).toMatchObject({ code: 'SOURCE_TIMEOUT', agency: 'prisons' });
        expect(errors.some((e) => e.path?.includes('custodyPeriods'))).toBe(true);
        expect(elapsed).toBeLessThan(deadlineMs);
      } finally {
        prisons.faults.reset();
      }
    }, 60_000);
  }
});
