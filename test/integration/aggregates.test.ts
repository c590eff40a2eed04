// Aggregates for performance analysts, end to end through the gateway with the stand-ins: court
// statistics from the court's result store and the remand population from Prisoner Search, counted live,
// released as tables under statistical disclosure control. Expected counts come from the synthetic world
// the stand-ins serve, never from the adapters.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movementOf } from '../../legacy/prisons/render.js';
import type { ControlledTable, ShownCount } from '../../platform/sdc.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { DISCLOSURE_CONTROL } from '../../schema/policy/statistics.js';
import { callsPerAgency, readmeBlock, resetCounts } from '../helpers/legacy-calls.js';
import { recoverable } from '../helpers/sdc.js';
import { query } from '../helpers/stack.js';

const THRESHOLD = DISCLOSURE_CONTROL['SDC-STANDARD'].threshold;
const ANALYST = { role: 'PERFORMANCE_ANALYST', purpose: 'STATISTICS' };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ population: { size: 1500 }, logLevel: 'silent' });
}, 120_000);
afterAll(async () => stack?.close());

const TABLE = 'title rowsAre columnsAre columns rows { key label cells { count suppressed reason } total { count suppressed reason } } totalRows nextCursor columnTotals { count suppressed reason } total { count suppressed reason } disclosureControl { rule threshold roundTo }';
const COURTS = `query Courts($from: String!, $to: String!, $first: Int, $after: String) {
  courtStatistics(fromMonth: $from, toMonth: $to) {
    from to asOf casesNotCounted
    hearingsByCourtAndMonth(first: $first, after: $after) { ${TABLE} }
    chargesByOffenceCategoryAndOutcome(first: $first) { ${TABLE} }
    chargeToFirstHearingByCourt(first: $first) { ${TABLE} }
    custodyTimeLimitBreachesByCourt(first: $first) { ${TABLE} }
  }
}`;
const REMAND = `query Remand($first: Int, $after: String) { remandPopulation(first: $first, after: $after) { ${TABLE} } }`;

interface Answer { columns: string[]; rows: { key: string; cells: ShownCount[]; total: ShownCount | null }[]; totalRows: number; nextCursor: string | null; columnTotals: ShownCount[]; total: ShownCount }

/** Every page of a table (`pick` finds it in the answer), joined: rows in order, the totals of the first page (the same on every page). */
async function wholeTable(q: string, vars: Record<string, unknown>, pick: (data: any) => Answer): Promise<Answer> {
  let after: string | null = null;
  let whole: Answer | null = null;
  for (let i = 0; i < 100; i++) {
    const r: Awaited<ReturnType<typeof query>> = await query(stack, "MOJ", q, { ...vars, first: 50, after }, ANALYST);
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    const t = pick(r.body.data);
    if (whole) { expect(t.total).toEqual(whole.total); expect(t.columnTotals).toEqual(whole.columnTotals); }
    whole = whole ? { ...(whole as Answer), rows: [...(whole as Answer).rows, ...t.rows] } : t;
    if (!t.nextCursor) return whole;
    after = t.nextCursor;
  }
  throw new Error('more than 100 pages');
}

const asControlled = (t: Answer): ControlledTable => ({
  rows: t.rows.map((r) => r.key), columns: t.columns, cells: t.rows.map((r) => r.cells),
  rowTotals: t.columns.length > 1 ? t.rows.map((r) => r.total!) : null, columnTotals: t.columnTotals, grandTotal: t.total,
});
const everyCount = (t: Answer) => [...t.rows.flatMap((r) => [...r.cells, ...(r.total ? [r.total] : [])]), ...t.columnTotals, t.total];

/** A released table agrees with the world: every shown count is the true one, and none is small. */
function expectControlled(t: Answer, expected: Map<string, Map<string, number>>) {
  expect(t.rows.length).toBe(t.totalRows);
  for (const s of everyCount(t)) {
    if (s.suppressed) expect(s).toMatchObject({ count: null, reason: expect.stringMatching(/^(SMALL_CELL|COMPLEMENTARY)$/) });
    else expect(s.count).toBeGreaterThanOrEqual(THRESHOLD);
  }
  t.rows.forEach((r) => r.cells.forEach((s, c) => {
    const truth = expected.get(r.key)?.get(t.columns[c]) ?? 0;
    if (s.suppressed) { if (s.reason === 'SMALL_CELL') expect(truth, `${r.key} ${t.columns[c]}`).toBeLessThan(THRESHOLD); }
    else expect(s.count, `${r.key} ${t.columns[c]}`).toBe(truth);
  }));
  const total = [...expected.values()].flatMap((m) => [...m.values()]).reduce((a, b) => a + b, 0);
  if (!t.total.suppressed) expect(t.total.count).toBe(total);
  expect(recoverable(asControlled(t))).toEqual([]);
}

const count = (pairs: [string, string][]) => {
  const m = new Map<string, Map<string, number>>();
  for (const [r, c] of pairs) { const line = m.get(r) ?? new Map(); line.set(c, (line.get(c) ?? 0) + 1); m.set(r, line); }
  return m;
};
const month = (iso: string, delta: number) => { const d = new Date(`${iso.slice(0, 7)}-01T00:00:00Z`); d.setUTCMonth(d.getUTCMonth() + delta); return d.toISOString().slice(0, 7); };

/** Hearings the court's messages carry: each held session up to the reference date, and the next one listed. */
function hearingsInWorld(from: string, to: string): [string, string][] {
  const ref = stack.population.referenceDate;
  const out: [string, string][] = [];
  for (const c of stack.population.courts.cases) {
    c.hearings.forEach((h, i) => {
      const delivered = h.date <= ref || (i > 0 && c.hearings[i - 1].date <= ref);
      if (delivered && h.date >= from && h.date <= to) out.push([h.courtOu, h.date.slice(0, 7)]);
    });
  }
  return out;
}

const HEARINGS = 'query H($from: String!, $to: String!, $first: Int, $after: String) { courtStatistics(fromMonth: $from, toMonth: $to) { hearingsByCourtAndMonth(first: $first, after: $after) { ' + TABLE + ' } } }';
let hearingsWhole: Promise<Answer> | null = null;
/** The whole table of hearings by court and month for the last twelve months of the world, read once. */
const hearingsTable = () => (hearingsWhole ??= wholeTable(HEARINGS, { from: month(stack.population.referenceDate, -11), to: month(stack.population.referenceDate, 0) }, (d) => d.courtStatistics.hearingsByCourtAndMonth));

describe('a performance analyst', () => {
  it('an analyst sees hearings by court and month with small cells suppressed', { timeout: 60_000 }, async () => {
    const ref = stack.population.referenceDate;
    const from = month(ref, -11), to = month(ref, 0);
    const r = await query(stack, 'MOJ', COURTS, { from, to, first: 50 }, ANALYST);
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    const s = r.body.data.courtStatistics;
    expect(s.from).toBe(`${from}-01`);
    const hearings = await hearingsTable();
    expect(hearings.columns).toHaveLength(12);
    expect(hearings.rows.length).toBeGreaterThan(1);
    expectControlled(hearings, count(hearingsInWorld(`${from}-01`, s.to)));
    // Not vacuous: the world has both small and large cells here, so both are seen.
    expect(everyCount(hearings).some((c) => c.reason === 'SMALL_CELL')).toBe(true);
    expect(everyCount(hearings).some((c) => !c.suppressed)).toBe(true);
    // Every table names the rule it was released under, from the policy data.
    expect(r.body.data.courtStatistics.custodyTimeLimitBreachesByCourt.disclosureControl).toEqual({ rule: 'SDC-STANDARD', threshold: THRESHOLD, roundTo: 1 });
    // The other tables, as far as the first page shows them (one request each would re-read the court).
    for (const t of [s.chargesByOffenceCategoryAndOutcome, s.chargeToFirstHearingByCourt, s.custodyTimeLimitBreachesByCourt] as Answer[]) {
      if (t.nextCursor) continue;
      for (const c of everyCount(t)) if (!c.suppressed) expect(c.count).toBeGreaterThanOrEqual(THRESHOLD);
      expect(recoverable(asControlled(t))).toEqual([]);
    }
    // Never a person: no name, date of birth, ASN or URN of the world is anywhere in the answer.
    const text = JSON.stringify(r.body);
    for (const c of stack.population.courts.cases.slice(0, 200)) { expect(text).not.toContain(c.asn); expect(text).not.toContain(c.urn); }
  });

  it('a suppressed cell cannot be recovered from the totals shown', { timeout: 60_000 }, async () => {
    const ref = stack.population.referenceDate;
    const t = await hearingsTable();
    const small = t.rows.filter((row) => row.cells.some((c) => c.reason === 'SMALL_CELL'));
    expect(small.length).toBeGreaterThan(0);
    // Every line (row with its total, column with its total) hides none or at least two counts.
    for (const row of t.rows) expect([0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].includes([...row.cells, row.total!].filter((c) => c.suppressed).length)).toBe(true);
    t.columns.forEach((_, c) => {
      const hidden = [...t.rows.map((row) => row.cells[c]), t.columnTotals[c]].filter((x) => x.suppressed).length;
      expect(hidden === 0 || hidden >= 2).toBe(true);
    });
    // And by any sum or difference of rows and columns, not just one line at a time.
    expect(recoverable(asControlled(t))).toEqual([]);
  });

  it('sees the remand population by establishment and time on remand, under the same rule', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const days = (d: string) => Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${d}T00:00:00Z`)) / 86_400_000);
    const band = (n: number) => (n <= 91 ? '0-3 months' : n <= 182 ? '3-6 months' : n <= 365 ? '6-12 months' : 'over 12 months');
    const pairs: [string, string][] = [];
    for (const o of stack.population.prisons) {
      const b = o.bookings[o.bookings.length - 1];
      const mv = movementOf(b);
      if (b?.legalStatus === 'REMAND' && (mv.status === 'ACTIVE IN' || mv.status === 'ACTIVE OUT')) pairs.push([mv.agencyId!, band(Math.max(0, days(b.receptionDate)))]);
    }
    expect(pairs.length).toBeGreaterThan(THRESHOLD);
    resetCounts(stack);
    const r = await query(stack, 'MOJ', REMAND, { first: 50 }, ANALYST);
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    expectControlled(await wholeTable(REMAND, {}, (d) => d.remandPopulation), count(pairs));
    // One Prisoner Search page for the whole population per request (two requests: the first page, then all pages again), no other agency asked.
    const pages = Math.ceil(r.body.data.remandPopulation.totalRows / 50);
    expect(callsPerAgency(stack)).toMatchObject({ prisons: 1 + pages, courts: 0, police: 0, probation: 0, victims: 0 });
  });

  it('pages rows without changing what is suppressed, and the court is read the same whatever the page size', async () => {
    const ref = stack.population.referenceDate;
    const vars = { from: month(ref, -11), to: month(ref, 0) };
    const hearingsOnly = 'query H($from: String!, $to: String!, $first: Int, $after: String) { courtStatistics(fromMonth: $from, toMonth: $to) { hearingsByCourtAndMonth(first: $first, after: $after) { rows { key cells { count suppressed } } totalRows nextCursor total { count } } } }';
    resetCounts(stack);
    const whole = (await query(stack, 'MOJ', hearingsOnly, { ...vars, first: 50 }, ANALYST)).body.data.courtStatistics.hearingsByCourtAndMonth;
    const wholeCalls = callsPerAgency(stack);
    resetCounts(stack);
    const one = (await query(stack, 'MOJ', hearingsOnly, { ...vars, first: 1 }, ANALYST)).body.data.courtStatistics.hearingsByCourtAndMonth;
    expect(callsPerAgency(stack)).toEqual(wholeCalls);
    // One reporting-scan call per 200 cases heard in the window, never one per case or per row.
    const cases = new Set(stack.population.courts.cases.filter((c) => c.hearings.some((h, i) => (h.date <= ref || (i > 0 && c.hearings[i - 1].date <= ref)) && h.date >= `${vars.from}-01` && h.date <= `${vars.to}-31`)).map((c) => c.asn));
    expect(wholeCalls.courts).toBe(Math.max(1, Math.ceil(cases.size / 200)));
    expect(wholeCalls).toMatchObject({ prisons: 0, police: 0, probation: 0, victims: 0 });
    expect(one.rows).toEqual(whole.rows.slice(0, 1));
    const two = (await query(stack, 'MOJ', hearingsOnly, { ...vars, first: 1, after: one.nextCursor }, ANALYST)).body.data.courtStatistics.hearingsByCourtAndMonth;
    expect(two.rows).toEqual(whole.rows.slice(1, 2));
    expect(two.total).toEqual(whole.total);
  });

  it('asks for at most twelve whole months', async () => {
    const r = await query(stack, 'MOJ', COURTS, { from: '2025-01', to: '2026-06' }, ANALYST);
    expect(r.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.body.data?.courtStatistics ?? null).toBeNull();
  });

  it('the README query for analysts runs as pasted', async () => {
    const ref = stack.population.referenceDate;
    const r = await query(stack, 'MOJ', readmeBlock('statistics-query'), { fromMonth: month(ref, -5), toMonth: month(ref, 0) }, ANALYST);
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined();
    expect(r.body.data.courtStatistics.hearingsByCourtAndMonth.rows.length).toBeGreaterThan(0);
    expect(r.body.data.remandPopulation.totalRows).toBeGreaterThan(0);
  });
});

describe('nobody else gets aggregates', () => {
  it('a prison officer asking for aggregates gets nothing', async () => {
    resetCounts(stack);
    const r = await query(stack, 'PRISONS', REMAND, {}, { role: 'PRISON_OFFICER', purpose: 'CUSTODY_MANAGEMENT' });
    expect(r.body.data?.remandPopulation ?? null).toBeNull();
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
    const c = await query(stack, 'PRISONS', COURTS, { from: '2026-01', to: '2026-03' }, { role: 'PRISON_OFFICER', purpose: 'CUSTODY_MANAGEMENT' });
    expect(c.body.data?.courtStatistics ?? null).toBeNull();
    expect(c.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // Refused before any agency is asked.
    expect(Object.values(callsPerAgency(stack)).reduce((a, b) => a + b, 0)).toBe(0);
  });

  it('a court listing officer gets no court statistics either', async () => {
    const r = await query(stack, 'COURTS', COURTS, { from: '2026-01', to: '2026-03' }, { role: 'COURT_LISTING_OFFICER', purpose: 'COURT_LISTING' });
    expect(r.body.data?.courtStatistics ?? null).toBeNull();
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_PERMITTED' });
  });
});
