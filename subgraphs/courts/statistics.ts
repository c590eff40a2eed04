// Court statistics (aggregates for performance analysts): counted from the result store's reporting scan
// of the cases heard in a window, bounded (at most MAX_SCAN_PAGES pages of 200 cases per request, or the
// request is refused as too broad), and released only as tables under disclosure control
// (subgraphs/statistics.ts). Nothing here names a person: the scan's records are reduced to counts.
import { GraphQLError } from 'graphql';
import { AdapterError } from '../../adapters/errors.js';
import type { CourtCase } from '../../adapters/courts/mapping.js';
import { standingData } from '../../reference/index.js';
import { tabulate } from '../../platform/sdc.js';
import { daysBetween, lastDayOf, monthsBetween, releaseTable } from '../statistics.js';
import type { SubgraphContext } from '../types.js';
import { readAt } from '../provenance.js';
import { SOURCE, type CourtsLoaders } from './loaders.js';

/** Most months one report covers. */
export const MAX_MONTHS = 12;
/** Most scan pages one report reads (200 cases each): a broader window is refused, never half-counted. */
export const MAX_SCAN_PAGES = 25;

/** Custody time limits from the first hearing, by CJS offence category (Custody Time Limits Regulations 1987, regs 4 and 5). */
const CTL_DAYS: Record<string, number> = { CI: 182, CE: 70 };
const SUMMARY_CTL_DAYS = 56;
const BANDS: [string, number][] = [['0-7', 7], ['8-14', 14], ['15-28', 28], ['29-56', 56], ['57+', Infinity]];

interface Scan { from: string; to: string; asOf: string; cases: CourtCase[]; notCounted: number; readAt: string }

export interface StatisticsParent { fromMonth: string; toMonth: string; scan: () => Promise<Scan> }

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

async function scanWindow(loaders: CourtsLoaders, from: string, to: string): Promise<{ cases: CourtCase[]; notCounted: number; readAt: string }> {
  const cases: CourtCase[] = [];
  let notCounted = 0;
  let after: string | null = null;
  for (let page = 0; ; page++) {
    if (page === MAX_SCAN_PAGES) throw badInput(`the window holds more than ${MAX_SCAN_PAGES * 200} cases: ask for fewer months`);
    const p = await loaders.scanCasesHeard(from, to, after);
    for (const c of p.cases) {
      if (c.record instanceof AdapterError) notCounted++;
      else cases.push(c.record);
    }
    if (!p.after) return { cases, notCounted, readAt: readAt() };
    after = p.after;
  }
}

const courtName = (cases: CourtCase[]) => {
  const names = new Map<string, string | null>();
  for (const c of cases) {
    for (const h of c.hearings) names.set(h.court.code, h.court.name);
    if (c.court) names.set(c.court.code, c.court.name);
  }
  return (code: string) => names.get(code) ?? null;
};
const firstHearing = (c: CourtCase) => c.hearings[0]?.date ?? null;
const undecided = (c: CourtCase) => c.charges.every((ch) => ch.finding == null);
function ctlDays(c: CourtCase): number {
  const cats = c.charges.map((ch) => ch.offence.category ?? '');
  return Math.max(SUMMARY_CTL_DAYS, ...cats.map((cat) => CTL_DAYS[cat] ?? SUMMARY_CTL_DAYS));
}
const categoryLabel = (code: string) => standingData.offenceCategory().find((c) => c.cjsCode === code)?.description ?? null;

type Ctx = SubgraphContext<CourtsLoaders>;
type Page = { first?: number | null; after?: string | null };
const COORDINATE = 'Query.courtStatistics';

/** Every court with a case in the scan: the rows of a table by court whatever is counted, so a row's presence says nothing. */
const courtsOf = (cases: CourtCase[]) => [...new Set(cases.flatMap((c) => [...(c.court ? [c.court.code] : []), ...c.hearings.map((h) => h.court.code)]))].sort();

export const statisticsResolvers = {
  Query: {
    courtStatistics: (_p: unknown, args: { fromMonth: string; toMonth: string }, ctx: Ctx): StatisticsParent => {
      let months: string[];
      try { months = monthsBetween(args.fromMonth, args.toMonth, MAX_MONTHS); } catch (e) { throw badInput((e as Error).message); }
      const from = `${months[0]}-01`;
      const to = lastDayOf(months[months.length - 1]);
      const today = new Date().toISOString().slice(0, 10);
      let scan: Promise<Scan> | null = null;
      // Read once per request, whichever tables are asked for.
      return { fromMonth: args.fromMonth, toMonth: args.toMonth, scan: () => (scan ??= scanWindow(ctx.loaders, from, to).then((s) => ({ ...s, from, to, asOf: to < today ? to : today }))) };
    },
  },
  CourtStatistics: {
    from: async (p: StatisticsParent) => (await p.scan()).from,
    to: async (p: StatisticsParent) => (await p.scan()).to,
    asOf: async (p: StatisticsParent) => (await p.scan()).asOf,
    casesNotCounted: async (p: StatisticsParent) => (await p.scan()).notCounted,
    // Counts are derived: the scan they were made over, when its last page was read, and the rule.
    provenance: async (p: StatisticsParent) => {
      const s = await p.scan();
      return { agency: SOURCE.agency, system: SOURCE.system, recordId: null, retrievedAt: s.readAt, derivedBy: `counts over the resulted cases heard ${s.from} to ${s.to}, released under disclosure control` };
    },
    hearingsByCourtAndMonth: async (p: StatisticsParent, page: Page) => {
      const s = await p.scan();
      const pairs: [string, string][] = [];
      for (const c of s.cases) for (const h of c.hearings) if (h.date >= s.from && h.date <= s.to) pairs.push([h.court.code, h.date.slice(0, 7)]);
      const columns = monthsBetween(p.fromMonth, p.toMonth, MAX_MONTHS);
      return releaseTable('courts', COORDINATE, { title: 'Hearings by court and month', rowsAre: 'court', columnsAre: 'month', table: tabulate(pairs, { rows: courtsOf(s.cases), columns }), labels: courtName(s.cases) }, page);
    },
    chargesByOffenceCategoryAndOutcome: async (p: StatisticsParent, page: Page) => {
      const s = await p.scan();
      const pairs: [string, string][] = [];
      for (const c of s.cases) {
        const first = firstHearing(c);
        if (!first || first < s.from || first > s.to) continue;
        for (const ch of c.charges) pairs.push([ch.offence.category ?? 'UNKNOWN', ch.finding?.code ?? 'UNDECIDED']);
      }
      const columns = ['GUILTY', 'GUILTY_OF_ALTERNATIVE_OFFENCE', 'NOT_GUILTY', 'NO_CONVICTION', 'CAUTION', 'UNDECIDED'];
      return releaseTable('courts', COORDINATE, { title: 'Charges by offence category and outcome', rowsAre: 'offence category', columnsAre: 'outcome', table: tabulate(pairs, { columns }), labels: categoryLabel }, page);
    },
    chargeToFirstHearingByCourt: async (p: StatisticsParent, page: Page) => {
      const s = await p.scan();
      const pairs: [string, string][] = [];
      for (const c of s.cases) {
        const first = firstHearing(c);
        const charged = c.charges.map((ch) => ch.chargeDate).filter((d): d is string => d != null).sort()[0];
        if (!first || !charged || first < s.from || first > s.to || !c.court) continue;
        const days = Math.max(0, daysBetween(charged, first));
        pairs.push([c.court.code, BANDS.find(([, max]) => days <= max)![0]]);
      }
      return releaseTable('courts', COORDINATE, { title: 'Days from charge to first hearing, by court', rowsAre: 'court', columnsAre: 'days', table: tabulate(pairs, { rows: courtsOf(s.cases), columns: BANDS.map(([b]) => b) }), labels: courtName(s.cases) }, page);
    },
    custodyTimeLimitBreachesByCourt: async (p: StatisticsParent, page: Page) => {
      const s = await p.scan();
      const pairs: [string, string][] = [];
      for (const c of s.cases) {
        const first = firstHearing(c);
        if (!first || !c.court || c.remandedInCustody !== true || !undecided(c)) continue;
        if (daysBetween(first, s.asOf) > ctlDays(c)) pairs.push([c.court.code, 'breaches']);
      }
      return releaseTable('courts', COORDINATE, { title: 'Custody time limits passed, by court', rowsAre: 'court', columnsAre: 'count', table: tabulate(pairs, { rows: courtsOf(s.cases), columns: ['breaches'] }), labels: courtName(s.cases) }, page);
    },
  },
};
