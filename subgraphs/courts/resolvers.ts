// Courts resolvers. Person and Case references are resolved through the per-request loaders, so a
// page of people or cases costs one Libra call per operation, whatever its size.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { AdapterError } from '../../adapters/errors.js';
import type { CourtCase } from '../../adapters/courts/mapping.js';
import { localIdsFor } from '../../schema/person-id.js';
import { ownIdentifier, type Provenance } from '../../schema/model.js';
import { since, type PersonEvent } from '../events.js';
import type { SubgraphContext } from '../types.js';
import type { CourtsLoaders } from './loaders.js';
import { courtBacklog, courtList, custodyTimeLimitOn, hearingOf, remandCases, remandProvenance, type ListedCaseView, type RemandView } from './listing.js';
import { daysBetween } from '../statistics.js';

type Ctx = SubgraphContext<CourtsLoaders>;
/** A Case the gateway asks about that the court does not hold: every courts field resolves to null. */
type CaseRef = Partial<CourtCase> & { urn: string };

const firstHearing = (c: CourtCase | AdapterError) => (c instanceof AdapterError ? '9999' : c.hearings[0]?.date ?? '9999');

/** The person's court case records: one per ASN in their key. */
async function casesOf(person: { id: string }, ctx: Ctx): Promise<(CourtCase | AdapterError)[]> {
  const asns = localIdsFor(person.id, 'courts');
  if (asns.length === 0) return [];
  const boxes = await ctx.loaders.caseByAsn.loadMany(asns);
  // Unreadable cases come boxed; an Error here is the call itself failing (court down, timeout): the whole field fails.
  const failed = boxes.find((b): b is Error => b instanceof Error);
  if (failed) throw failed;
  return boxes.map((b) => (b as { record: CourtCase | AdapterError | null }).record).filter((c): c is CourtCase | AdapterError => c != null);
}

/** A court event, carrying its case so the policy reads the case's facts (URN, youth) off it. */
export type CourtEvent = PersonEvent & { offence: CourtCase['charges'][number]['offence'] | null; court: CourtCase['court']; case: CourtCase; provenance: Provenance | null };

/** A case's charges, hearings and verdicts as events: codes and register titles only, never wording or result text. */
export function courtEventsOf(c: CourtCase): CourtEvent[] {
  const out: CourtEvent[] = [];
  // Derived from the case: its provenance, with the rule that made the event.
  const from = (c as { provenance?: Provenance }).provenance;
  const base = { reference: c.urn, case: c, provenance: from ? { ...from, derivedBy: "a case's charges, hearings and verdicts as worklist events (codes and register titles only)" } : null };
  for (const h of c.hearings) {
    out.push({ ...base, date: h.date, kind: 'HEARING', offence: null, court: h.court, summary: `${h.typeDescription ?? h.type?.replace(/_/g, ' ').toLowerCase() ?? 'hearing'} at ${h.court.name ?? h.court.code}` });
  }
  for (const ch of c.charges) {
    const offence = ch.offence.title ?? ch.offence.code;
    if (ch.chargeDate) out.push({ ...base, date: ch.chargeDate, kind: 'CHARGE', offence: ch.offence, court: c.court, summary: `Charged: ${offence}` });
    if (ch.finding?.convictionDate) {
      const results = ch.outcomes.map((o) => o.code).join(', ');
      out.push({ ...base, date: ch.finding.convictionDate, kind: 'FINDING', offence: ch.offence, court: c.court, summary: `${ch.finding.description}: ${offence}${results ? `; results ${results}` : ''}` });
    }
  }
  return out;
}

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    case: (_parent: unknown, args: { urn: string }, ctx: Ctx) => ctx.loaders.caseByUrn.load(args.urn),
    courtList: (_: unknown, args: Parameters<typeof courtList>[1], ctx: Ctx) => courtList((r) => ctx.loaders.listHearings(r), args),
    remandCases: (_: unknown, args: Parameters<typeof remandCases>[1], ctx: Ctx) => remandCases((r) => ctx.loaders.listHearings(r), args),
    courtBacklog: (_: unknown, args: Parameters<typeof courtBacklog>[1], ctx: Ctx) => courtBacklog((r) => ctx.loaders.listHearings(r), args),
  },
  ListedCase: {
    hearing: (l: ListedCaseView) => hearingOf(l),
    custodyTimeLimit: (l: ListedCaseView) => custodyTimeLimitOn(l, l.on),
    defendant: (l: ListedCaseView) => ({ agency: 'COURTS', localId: l.asn }),
  },
  RemandCase: {
    custodyTimeLimit: (r: RemandView) => custodyTimeLimitOn(r.line, r.on),
    urn: (r: RemandView) => r.line.urn,
    court: (r: RemandView) => r.next.court,
    nextHearing: (r: RemandView) => hearingOf(r.next),
    chargeDate: (r: RemandView) => r.line.chargeDate,
    ageInDays: (r: RemandView) => (r.line.chargeDate ? daysBetween(r.line.chargeDate, r.on) : null),
    bailStatus: (r: RemandView) => r.line.bailStatus,
    defendant: (r: RemandView) => ({ agency: 'COURTS', localId: r.line.asn }),
    provenance: (r: RemandView) => remandProvenance(r),
  },
  Person: {
    // No fetching here: fields below decode the key and fetch only what the query asks for.
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    // Unreadable cases stay in the list as errors (null at their index with BAD_SOURCE_DATA), last.
    cases: async (person: { id: string }, _args: unknown, ctx: Ctx) => (await casesOf(person, ctx)).sort((a, b) => firstHearing(a).localeCompare(firstHearing(b))),
    courtEvents: async (person: { id: string }, args: { since: string }, ctx: Ctx) => {
      // An unreadable case has no events to list; it is reported (BAD_SOURCE_DATA) in `cases`.
      return since((await casesOf(person, ctx)).filter((c): c is CourtCase => !(c instanceof AdapterError)).flatMap(courtEventsOf), args.since);
    },
    // The defendant as the most recent case names them.
    courtDefendant: async (person: { id: string }, _args: unknown, ctx: Ctx) => {
      const cases = (await casesOf(person, ctx)).filter((c): c is CourtCase => !(c instanceof AdapterError));
      const latest = cases.sort((a, b) => (b.hearings[0]?.date ?? '').localeCompare(a.hearings[0]?.date ?? ''))[0];
      return latest?.defendant ?? null;
    },
  },
  Case: {
    __resolveReference: async (ref: { urn: string }, ctx: Ctx): Promise<CaseRef> => (await ctx.loaders.caseByUrn.load(ref.urn)) ?? { urn: ref.urn },
    // The defendant as a person of the graph, by the ASN the case is keyed by: identity links it.
    offender: (c: CaseRef) => (c.asn ? { agency: 'COURTS', localId: c.asn } : null),
    defendant: (c: CaseRef) => c.defendant ?? null,
  },
  CourtDefendantRecord: {
    identifiers: (d: { asn: string }) => [ownIdentifier('ASN', d.asn)],
  },
};
