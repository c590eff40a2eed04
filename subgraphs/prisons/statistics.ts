// The remand population (aggregates for performance analysts): counted from Prisoner Search's attribute
// search for legal status REMAND, a bounded number of pages (MAX_PAGES of PAGE_SIZE), and released only as
// a table under disclosure control (subgraphs/statistics.ts). Rows are every establishment in the answer.
import { GraphQLError } from 'graphql';
import { tabulate } from '../../platform/sdc.js';
import { daysBetween, releaseTable } from '../statistics.js';
import type { SubgraphContext } from '../types.js';
import type { PrisonsLoaders } from './loaders.js';

export const PAGE_SIZE = 1000;
/** Most pages one count reads: a larger population is refused, never half-counted. */
export const MAX_PAGES = 20;
const BANDS: [string, number][] = [['0-3 months', 91], ['3-6 months', 182], ['6-12 months', 365], ['over 12 months', Infinity]];

type Ctx = SubgraphContext<PrisonsLoaders>;

export const statisticsResolvers = {
  Query: {
    remandPopulation: async (_p: unknown, page: { first?: number | null; after?: string | null }, ctx: Ctx) => {
      const today = new Date().toISOString().slice(0, 10);
      const pairs: [string, string][] = [];
      const names = new Map<string, string | null>();
      for (let n = 0; ; n++) {
        if (n === MAX_PAGES) throw new GraphQLError(`the remand population is larger than ${MAX_PAGES * PAGE_SIZE}: it cannot be counted in one request`, { extensions: { code: 'SOURCE_UNAVAILABLE', agency: 'prisons' } });
        const p = await ctx.loaders.remandPage(n, PAGE_SIZE);
        for (const e of p.entries) {
          const prison = e.prisonId ?? 'UNKNOWN';
          if (e.prisonId && !names.has(e.prisonId)) names.set(e.prisonId, e.prisonName);
          const days = e.receptionDate ? Math.max(0, daysBetween(e.receptionDate, today)) : null;
          pairs.push([prison, days == null ? 'unknown' : BANDS.find(([, max]) => days <= max)![0]]);
        }
        if (p.last || p.entries.length === 0) break;
      }
      const columns = BANDS.map(([b]) => b);
      if (pairs.some(([, c]) => c === 'unknown')) columns.push('unknown');
      return releaseTable('prisons', 'Query.remandPopulation', {
        title: 'Remand population by establishment and time on remand', rowsAre: 'establishment', columnsAre: 'time on remand',
        table: tabulate(pairs, { columns }), labels: (k) => names.get(k) ?? null,
      }, page);
    },
  },
};
