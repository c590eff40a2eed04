// Each agency's data-quality report, computed through the subgraphs: the agency's own subgraph scans the
// records it touched since a date (`_dataQualityScan`, a bounded number of pages, one legacy call each),
// and identity links the readable ones to the other agencies' records by trusted identifiers (every record
// of the scan in the same tick: one batched call per agency per wave), then counts conflicts, rejected
// identifiers and unreadable records. Counts are not about persons; examples are record ids, released by
// the policy (OWN_AGENCY_RECORDS) only to the agency that holds them.
import { GraphQLError } from 'graphql';
import { AdapterError } from '../../adapters/errors.js';
import { normaliseCro, normalisePnc } from '../../adapters/normalise.js';
import { agencyEnum, type IdentityRecord } from '../../schema/model.js';
import type { SubgraphContext } from '../types.js';
import { conflicts } from './linking.js';
import type { IdentityLoaders } from './loaders.js';

/** Most scan pages one report reads: a larger window is refused, never half-counted. */
export const MAX_SCAN_PAGES = 20;
const MAX_EXAMPLES = 5;
const MAX_DAYS = 366;

type Ctx = SubgraphContext<IdentityLoaders>;
const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

class Counter {
  private readonly m = new Map<string, { count: number; examples: string[] }>();
  add(key: string, example: string) {
    const e = this.m.get(key) ?? { count: 0, examples: [] };
    e.count++;
    if (e.examples.length < MAX_EXAMPLES && !e.examples.includes(example)) e.examples.push(example);
    this.m.set(key, e);
  }
  list(agency: string) {
    return [...this.m].sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b)).map(([key, e]) => ({ agency, key, count: e.count, examples: e.examples }));
  }
}

export const dataQualityResolvers = {
  Query: {
    async dataQualityReport(_: unknown, args: { agency: string; since: string }, ctx: Ctx) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(args.since)) throw badInput('since is a date written YYYY-MM-DD');
      const days = (Date.now() - Date.parse(`${args.since}T00:00:00Z`)) / 86_400_000;
      if (!(days <= MAX_DAYS)) throw badInput(`since must be within the last ${MAX_DAYS} days`);
      const source = ctx.loaders.sourceOf(args.agency);
      const slug = args.agency.toLowerCase();
      if (!source?.scan) throw new AdapterError({ agency: slug, operation: 'dataQualityReport', code: 'SOURCE_UNAVAILABLE', message: `${slug} has no data-quality scan yet` });

      const records: IdentityRecord[] = [];
      const unreadable: { localId: string; reason: string }[] = [];
      let unlinked = 0; // read, but naming nobody another agency holds: counted, not linked
      let after: string | null = null;
      for (let page = 0; ; page++) {
        if (page === MAX_SCAN_PAGES) throw badInput(`${slug} touched more records since ${args.since} than one report scans: ask for a later date`);
        const p = await source.scan(args.since, after);
        records.push(...p.records);
        unreadable.push(...p.unreadable);
        unlinked += p.unlinked ?? 0;
        if (!p.after) break;
        after = p.after;
      }

      const rejected = new Counter();
      const fields = new Counter();
      const unread = new Counter();
      for (const u of unreadable) unread.add(u.reason, u.localId);
      for (const r of records) {
        for (const [type, c, check] of [['PNC', r.pnc, normalisePnc], ['CRO', r.cro, normaliseCro]] as const) {
          if (c.raw != null && c.raw.trim() !== '' && !c.valid) rejected.add(`${type}: ${(check(c.raw) as { reason?: string }).reason ?? 'not a valid identifier'}`, r.localId);
        }
        for (const q of r.dataQuality ?? []) fields.add(`${q.field}: ${q.problem}`, r.localId);
      }

      // Link every readable record in one tick (one batched call per agency per wave), then count the
      // fields on which this agency's record disagrees with another agency's record of the same person.
      const readable = records.filter((r) => !r.unreadable);
      const type = ctx.loaders.localIdType(agencyEnum(slug));
      const conflict = new Counter();
      const notConsulted = new Set<string>();
      if (type) {
        const people = await Promise.all(readable.map((r) => ctx.loaders.byIdentifier({ type, value: r.localId }).catch((e: unknown) => e as Error)));
        const seen = new Set<string>();
        people.forEach((person, i) => {
          if (!person || person instanceof Error) { if (person instanceof AdapterError) notConsulted.add(person.agency); return; }
          for (const f of person.failures) notConsulted.add(f.agency);
          if (seen.has(person.id)) return; // one person, counted once whichever of their records led here
          seen.add(person.id);
          const own = readable[i];
          const others = person.records.filter((x) => x.agency !== slug && !x.unreadable);
          if (!others.length) return;
          const mine = person.records.filter((x) => x.agency === slug && !x.unreadable);
          for (const c of conflicts([...mine, ...others])) {
            // Only disagreements this agency is party to: its value differs from another agency's.
            const holders = c.values.map((v) => v.agencies);
            if (holders.some((a) => a.includes(slug)) && holders.some((a) => a.some((x) => x !== slug))) conflict.add(c.field, own.localId);
          }
        });
      }
      const AG = agencyEnum(slug);
      return {
        agency: AG,
        since: args.since,
        recordsScanned: readable.length + unlinked + unreadable.length,
        conflictsByField: conflict.list(AG),
        rejectedIdentifiersByReason: rejected.list(AG),
        unreadableRecordsByReason: unread.list(AG),
        unreadableFieldsByReason: fields.list(AG),
        agenciesNotConsulted: [...notConsulted].map((a) => agencyEnum(a)).sort(),
      };
    },
  },
};
