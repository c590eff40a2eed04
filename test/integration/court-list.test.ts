// The court listing officer's worklists, end to end through the gateway with the stand-ins: a court's list
// between two days, the remand cases in custody-time-limit priority with each defendant's custody reached
// through the graph, and the backlog by court. Each with its negative twins (another role or purpose gets
// nothing, and no call is made to the court list), and the legacy calls of a page, which do not grow with
// its length. Expected values come from the synthetic world the stand-in serves, never from the adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Population } from '../../legacy/population.js';
import { startStack, type Stack } from '../../platform/stack.js';
import { callsPerAgency, readmeBlock, resetCounts, waves } from '../helpers/legacy-calls.js';
import { query, type GraphQLResponse } from '../helpers/stack.js';

/** Identity's expansion rounds: the most linking waves (so calls) one agency sees for any page. */
const MAX_LINK_WAVES = 3;
const LISTING = 'GET /common-platform/listing/hearings';

let stack: Stack;
let pop: Population;
beforeAll(async () => {
  stack = await startStack({ population: { size: 600 }, logLevel: 'silent', breaker: { failures: 1_000_000, cooldownMs: 1000 } });
  pop = stack.population;
  // Tokens fetched and every path warmed once, so a busy machine's cold start does not read as an agency timing out.
  await query(stack, 'COURTS', REMAND_QUERY, { on: pop.referenceDate, first: 50 });
}, 120_000);
afterAll(async () => stack?.close());

/** The query a listing officer pastes, from the README. */
const REMAND_QUERY = readmeBlock('court-list-query');

const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
const forbidden = (r: GraphQLResponse) => Object.fromEntries((r.body.errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => [String(e.extensions!.path), String(e.extensions!.reason)]));
const remand = () => pop.courts.cases.filter((c) => c.bailStatus === 'C');
const firstCharge = (c: Population['courts']['cases'][number]) => c.offences.map((o) => o.chargeDate).sort()[0];

async function lastRecord() {
  const head = await stack.audit.store.head();
  return (await stack.audit.store.readRange(head!.seq, 1))[0];
}

describe('a court listing officer', () => {
  it('a listing officer sees remand cases ordered by days to custody time limit', async () => {
    const on = pop.referenceDate;
    const within = 28;
    const seen: any[] = [];
    let after: string | null = null;
    let counts: any = null;
    for (let i = 0; i < 10; i++) {
      const r: GraphQLResponse = await query(stack, 'COURTS', REMAND_QUERY, { on, expiringWithinDays: within, first: 50, after });
      expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 3))).toBeUndefined();
      const page: any = r.body.data.remandCases;
      counts = page.counts;
      seen.push(...page.items);
      after = page.nextCursor;
      if (!after) break;
    }
    const truth = remand();
    expect(seen.map((x) => x.urn).sort()).toEqual(truth.map((c) => c.urn).sort());
    // Expired first (longest overdue first), then expiring within 28 days (soonest first), then by age of case.
    const expected = truth.map((c) => {
      const left = daysBetween(on, c.custodyTimeLimitExpiry!);
      const priority = left < 0 ? 'EXPIRED' : left <= within ? 'EXPIRING' : 'RUNNING';
      return { urn: c.urn, priority, left, key: `${priority === 'EXPIRED' ? 0 : priority === 'EXPIRING' ? 1 : 2}|${priority === 'RUNNING' ? firstCharge(c) : c.custodyTimeLimitExpiry}|${c.urn}` };
    }).sort((a, b) => a.key.localeCompare(b.key));
    expect(seen.map((x) => [x.urn, x.priority, x.custodyTimeLimit.daysRemaining])).toEqual(expected.map((e) => [e.urn, e.priority, e.left]));
    expect(seen.map((x) => x.rank)).toEqual(seen.map((_, i) => i + 1));
    expect(counts).toEqual({ expired: expected.filter((e) => e.priority === 'EXPIRED').length, expiring: expected.filter((e) => e.priority === 'EXPIRING').length, running: expected.filter((e) => e.priority === 'RUNNING').length });
    expect(counts.expired, 'some custody time limits have expired').toBeGreaterThan(0);
    expect(counts.expiring, 'some expire within 28 days').toBeGreaterThan(0);
    expect(counts.running, 'some run further').toBeGreaterThan(0);
    // The defendant's custody, reached through the graph: remanded people are held by the prisons.
    for (const x of seen) {
      const c = truth.find((t) => t.urn === x.urn)!;
      expect(x.defendant.localId).toBe(c.asn);
      expect(x.defendant.person.id).toContain(`courts=${c.asn}`);
    }
    const inCustody = seen.filter((x) => x.defendant.person.custodyPeriods?.some((p: { releaseDate: string | null }) => p.releaseDate == null));
    expect(inCustody.length, 'the prisons show the remanded defendants in custody').toBeGreaterThan(seen.length / 2);
  }, 120_000);

  it('a listing officer sees a court\'s hearings between two days, in sitting order', async () => {
    // The court with the most hearings in the coming four months.
    const on = pop.referenceDate;
    const to = addDays(on, 120);
    const by = new Map<string, { urn: string; date: string }[]>();
    for (const c of pop.courts.cases) for (const h of c.hearings) if (h.date >= on && h.date <= to) by.set(h.courtOu, [...(by.get(h.courtOu) ?? []), { urn: c.urn, date: h.date }]);
    const [court, hearings] = [...by].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0];
    const r = await query(stack, 'COURTS', `query($court: String!, $from: Date!, $to: Date!) { courtList(court: $court, from: $from, to: $to, on: $from, first: 50) {
      court { code name } totalCount nextCursor
      items { urn listingSequence hearing { date time court { code } typeDescription } bailStatus { code } custodyTimeLimit { expiry daysRemaining } defendant { localId } } } }`, { court, from: on, to });
    expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 3))).toBeUndefined();
    const list = r.body.data.courtList;
    expect(list.court.code).toBe(court);
    expect(list.court.name).toBeTruthy();
    expect(list.totalCount).toBe(hearings.length);
    expect(list.items.map((i: { urn: string }) => i.urn).sort()).toEqual(hearings.map((h) => h.urn).sort());
    const days = list.items.map((i: { hearing: { date: string; time: string } }) => `${i.hearing.date} ${i.hearing.time}`);
    expect(days).toEqual([...days].sort());
    for (const i of list.items) {
      expect(i.hearing.court.code).toBe(court);
      const c = pop.courts.cases.find((x) => x.urn === i.urn)!;
      expect(i.defendant.localId).toBe(c.asn);
      expect(i.custodyTimeLimit?.expiry ?? null).toBe(c.bailStatus === 'C' ? c.custodyTimeLimitExpiry : null);
      if (i.custodyTimeLimit) expect(i.custodyTimeLimit.daysRemaining).toBe(daysBetween(on, c.custodyTimeLimitExpiry!));
    }
  }, 60_000);

  it('a listing officer sees the backlog by court', async () => {
    const on = pop.referenceDate;
    const r = await query(stack, 'COURTS', `query($on: Date) { courtBacklog(on: $on) { court { code } openCases listedHearings remandedInCustody custodyTimeLimitExpired oldestChargeDate } }`, { on });
    expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 3))).toBeUndefined();
    const rows = r.body.data.courtBacklog;
    const truth = new Map<string, { open: Set<string>; hearings: number; remand: Set<string>; expired: Set<string>; oldest: string }>();
    for (const c of pop.courts.cases) {
      for (const h of c.hearings.filter((x) => x.date >= on)) {
        const t = truth.get(h.courtOu) ?? { open: new Set(), hearings: 0, remand: new Set(), expired: new Set(), oldest: '9999' };
        t.hearings++;
        if (!c.offences.some((o) => o.finding != null)) {
          t.open.add(c.urn);
          if (firstCharge(c) < t.oldest) t.oldest = firstCharge(c);
          if (c.bailStatus === 'C') t.remand.add(c.urn);
          if (c.bailStatus === 'C' && c.custodyTimeLimitExpiry! < on) t.expired.add(c.urn);
        }
        truth.set(h.courtOu, t);
      }
    }
    expect(rows.map((x: { court: { code: string } }) => x.court.code)).toEqual([...truth.keys()].sort());
    for (const row of rows) {
      const t = truth.get(row.court.code)!;
      expect(row).toEqual({ court: { code: row.court.code }, openCases: t.open.size, listedHearings: t.hearings, remandedInCustody: t.remand.size, custodyTimeLimitExpired: t.expired.size, oldestChargeDate: t.open.size ? t.oldest : null });
    }
    // Counts only: no person, case or ASN is named.
    expect(r.text).not.toMatch(/urn|asn|localId/i);
  });

  it('a prison officer asking for the court list gets nothing, and the court list is not asked', async () => {
    resetCounts(stack);
    const r = await query(stack, 'PRISONS', '{ remandCases(first: 5) { totalCount items { urn } } courtBacklog { openCases } }');
    expect(r.body.data?.remandCases ?? null).toBeNull();
    expect(r.body.data?.courtBacklog ?? null).toBeNull();
    expect(forbidden(r)).toEqual({ remandCases: 'NOT_PERMITTED', courtBacklog: 'NOT_PERMITTED' });
    expect(stack.standIns.get('courts')!.requests.get(LISTING)).toBe(0);
    expect((await lastRecord()).withheld).toContainEqual(expect.objectContaining({ agency: 'courts', coordinate: 'Query.remandCases', reason: 'NOT_PERMITTED' }));
  });

  it('another purpose gets nothing', async () => {
    // A prosecutor (who may see cases) is not a listing officer; a listing officer's token declaring another purpose is refused whole.
    const cps = await query(stack, 'CPS', '{ remandCases(first: 5) { totalCount } }');
    expect(cps.body.data?.remandCases ?? null).toBeNull();
    expect(forbidden(cps)).toEqual({ remandCases: 'NOT_PERMITTED' });
    const other = await query(stack, 'COURTS', '{ remandCases(first: 5) { totalCount } }', {}, { purpose: 'PROSECUTION' });
    expect(other.body.data?.remandCases ?? null).toBeNull();
    expect(JSON.stringify(other.body.errors)).toMatch(/PURPOSE/);
    expect(other.text).not.toContain(remand()[0].urn);
  });

  it('pages with a cursor and refuses a page larger than 50, bad dates and a forged cursor', async () => {
    const tooBig = await query(stack, 'COURTS', '{ remandCases(first: 51) { totalCount } }');
    expect(tooBig.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const forged = await query(stack, 'COURTS', '{ remandCases(after: "not-a-cursor") { totalCount } }');
    expect(forged.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const backwards = await query(stack, 'COURTS', '{ courtList(court: "B01EF00", from: "2026-12-01", to: "2026-11-01") { totalCount } }');
    expect(backwards.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('costs each agency the same calls for a page of 1, 10 or 40 remand cases, custody through the graph included', async () => {
    const table: Record<number, Record<string, number>> = {};
    const listing: Record<number, number> = {};
    for (const first of [1, 10, 40]) {
      resetCounts(stack);
      const r = await query(stack, 'COURTS', REMAND_QUERY, { on: pop.referenceDate, first });
      expect(r.body.errors, JSON.stringify(r.body.errors?.slice(0, 2))).toBeUndefined();
      expect(r.body.data.remandCases.items).toHaveLength(first);
      table[first] = callsPerAgency(stack);
      listing[first] = stack.standIns.get('courts')!.requests.get(LISTING);
    }
    console.log(`remand cases page: legacy calls per agency by page length: ${JSON.stringify(table)}`);
    // One court list call per page, whatever its length.
    expect(listing).toEqual({ 1: 1, 10: 1, 40: 1 });
    // The court list, linking's expansion rounds, then one wave per record operation the query asks of the agency.
    const bound: Record<string, number> = { courts: 1 + MAX_LINK_WAVES, police: MAX_LINK_WAVES, prisons: MAX_LINK_WAVES + 1, probation: MAX_LINK_WAVES, victims: 0, prosecution: 0 };
    for (const first of [1, 10, 40]) for (const [agency, n] of Object.entries(table[first])) expect(n, `${agency} for ${first}: ${JSON.stringify(table)}`).toBeLessThanOrEqual(bound[agency]);
    expect(table[40].prisons, 'custody is asked of the prisons').toBeGreaterThan(0);
    for (const [agency, n] of Object.entries(table[40])) expect(n, `${agency}: ${JSON.stringify(table)}`).toBeLessThanOrEqual((table[1][agency] ?? 0) + 1);
  }, 120_000);

  it('answers a page of 50 in a bounded number of legacy waves with 50 ms on every system', async () => {
    const latencyMs = 50;
    for (const s of stack.standIns.values()) s.faults.set({ latencyMs });
    try {
      let fewest = Infinity;
      let chain: string[] = [];
      for (let i = 0; i < 2; i++) {
        resetCounts(stack);
        const r = await query(stack, 'COURTS', REMAND_QUERY, { on: pop.referenceDate, first: 50 });
        expect(r.body.errors).toBeUndefined();
        const w = waves(stack, latencyMs);
        if (w.waves < fewest) { fewest = w.waves; chain = w.chain; }
      }
      console.log(`remand cases page of 50, ${latencyMs} ms per legacy call: ${fewest} waves (${chain.join(' → ')})`);
      // The court list, linking's expansion rounds, then every agency's fields at once.
      expect(fewest, chain.join(' → ')).toBeLessThanOrEqual(1 + MAX_LINK_WAVES + 1);
    } finally {
      for (const s of stack.standIns.values()) s.faults.reset();
    }
  }, 120_000);
});
