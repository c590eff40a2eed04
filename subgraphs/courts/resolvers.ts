// Courts resolvers. Person and Case references are resolved through the per-request loaders, so a
// page of people or cases costs one Libra call per operation, whatever its size.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { AdapterError } from '../../adapters/errors.js';
import type { CourtCase, CourtDefendant } from '../../adapters/courts/mapping.js';
import { localIdsFor } from '../../schema/person-id.js';
import { since, type PersonEvent } from '../events.js';
import type { SubgraphContext } from '../types.js';
import type { CourtsLoaders } from './loaders.js';

type Ctx = SubgraphContext<CourtsLoaders>;
/** A Case the gateway asks about that the court does not hold: every courts field resolves to null. */
type CaseRef = Partial<CourtCase> & { urn: string };

const firstHearing = (c: CourtCase | AdapterError) => (c instanceof AdapterError ? '9999' : c.hearings[0]?.date ?? '9999');

/** A court event, carrying its case so the policy reads the case's facts (URN, youth) off it. */
export type CourtEvent = PersonEvent & { offence: CourtCase['charges'][number]['offence'] | null; court: CourtCase['court']; case: CourtCase };

/** A case's charges, hearings and verdicts as events: codes and register titles only, never wording or result text. */
export function courtEventsOf(c: CourtCase): CourtEvent[] {
  const out: CourtEvent[] = [];
  const base = { reference: c.urn, case: c };
  for (const h of c.hearings) {
    out.push({ ...base, date: h.date, kind: 'HEARING', offence: null, court: h.court, summary: `${h.typeDescription ?? h.type.replace(/_/g, ' ').toLowerCase()} at ${h.court.name ?? h.court.code}` });
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
  },
  Person: {
    // No fetching here: fields below decode the key and fetch only what the query asks for.
    __resolveReference: (ref: { id: string }) => ({ id: ref.id }),
    cases: async (person: { id: string }, _args: unknown, ctx: Ctx) => {
      const ids = localIdsFor(person.id, 'courts');
      if (ids.length === 0) return [];
      const lists = await Promise.all(ids.map((id) => ctx.loaders.casesByDefendant.load(id)));
      // Unreadable cases stay in the list as errors (null at their index with BAD_SOURCE_DATA), last.
      return lists.flat().sort((a, b) => firstHearing(a).localeCompare(firstHearing(b)));
    },
    courtEvents: async (person: { id: string }, args: { since: string }, ctx: Ctx) => {
      const ids = localIdsFor(person.id, 'courts');
      const lists = await Promise.all(ids.map((id) => ctx.loaders.casesByDefendant.load(id)));
      // An unreadable case has no events to list; it is reported (BAD_SOURCE_DATA) in `cases`.
      return since(lists.flat().filter((c): c is CourtCase => !(c instanceof AdapterError)).flatMap(courtEventsOf), args.since);
    },
    courtDefendant: async (person: { id: string }, _args: unknown, ctx: Ctx) => {
      const ids = localIdsFor(person.id, 'courts');
      const found = await Promise.all(ids.map((id) => ctx.loaders.defendant.load(id)));
      return found.find((d) => d != null) ?? null;
    },
  },
  Case: {
    __resolveReference: async (ref: { urn: string }, ctx: Ctx): Promise<CaseRef> => (await ctx.loaders.caseByUrn.load(ref.urn)) ?? { urn: ref.urn },
    offender: (c: CaseRef) => (c.defendantId ? { agency: 'COURTS', localId: c.defendantId } : null),
    defendant: (c: CaseRef, _args: unknown, ctx: Ctx) => (c.defendantId ? ctx.loaders.defendant.load(c.defendantId) : null),
  },
  CourtDefendantRecord: {
    pncRecorded: (d: CourtDefendant) => d.pnc.raw,
    pnc: (d: CourtDefendant) => d.pnc.value,
    pncValid: (d: CourtDefendant) => d.pnc.valid,
  },
};
