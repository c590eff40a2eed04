// Courts resolvers. Person and Case references are resolved through the per-request loaders, so a
// page of people or cases costs one Libra call per operation, whatever its size.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { AdapterError } from '../../adapters/errors.js';
import type { CourtCase, CourtDefendant } from '../../adapters/courts/mapping.js';
import { localIdsFor } from '../../schema/person-id.js';
import type { SubgraphContext } from '../types.js';
import type { CourtsLoaders } from './loaders.js';

type Ctx = SubgraphContext<CourtsLoaders>;
/** A Case the gateway asks about that the court does not hold: every courts field resolves to null. */
type CaseRef = Partial<CourtCase> & { urn: string };

const firstHearing = (c: CourtCase | AdapterError) => (c instanceof AdapterError ? '9999' : c.hearings[0]?.date ?? '9999');

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
    courtDefendant: async (person: { id: string }, _args: unknown, ctx: Ctx) => {
      const ids = localIdsFor(person.id, 'courts');
      const found = await Promise.all(ids.map((id) => ctx.loaders.defendant.load(id)));
      return found.find((d) => d != null) ?? null;
    },
  },
  Case: {
    __resolveReference: async (ref: { urn: string }, ctx: Ctx): Promise<CaseRef> => (await ctx.loaders.caseByUrn.load(ref.urn)) ?? { urn: ref.urn },
    defendant: (c: CaseRef, _args: unknown, ctx: Ctx) => (c.defendantId ? ctx.loaders.defendant.load(c.defendantId) : null),
  },
  CourtDefendantRecord: {
    pncRecorded: (d: CourtDefendant) => d.pnc.raw,
    pnc: (d: CourtDefendant) => d.pnc.value,
    pncValid: (d: CourtDefendant) => d.pnc.valid,
  },
};
