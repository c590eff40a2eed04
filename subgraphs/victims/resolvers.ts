// Resolvers of the victims subgraph. Entity references do no fetching; fields read through the
// per-request loaders, and adapter errors are thrown (or returned as list items) so GraphQL reports
// them with their code and agency.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { AdapterError } from '../../adapters/errors.js';
import type { Victim } from '../../adapters/victims/mapping.js';
import { pageOf } from '../paging.js';
import type { SubgraphContext } from '../types.js';
import type { VictimsLoaders } from './loaders.js';

type Ctx = SubgraphContext<VictimsLoaders>;

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    victim: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.loaders.victimById.load(args.id),
    // The victims the gateway established for this request from this subgraph's `_victimsOfOfficer`: the
    // list is exactly the set OWN_VICTIM holds for, and costs no read beyond that one (an unchanged export is not read again).
    async myVictims(_: unknown, args: { first?: number | null; after?: string | null }, ctx: Ctx) {
      const rel = ctx.caller.relationships;
      if (rel.unavailable.includes('victims')) throw new AdapterError({ agency: 'victims', operation: 'victims of officer', code: 'SOURCE_UNAVAILABLE', message: 'victims system could not list the victims' });
      const page = pageOf(rel.victimIds, args);
      const found = await ctx.loaders.victimById.loadMany(page.keys);
      // A victim gone from the export since the gateway asked is left out; an unreadable one is null with its error.
      const items = found.filter((v) => v != null);
      return { items, totalCount: page.totalCount, nextCursor: page.nextCursor };
    },
  },
  Victim: {
    // What the victim opted in to hear: nothing of the offender unless they joined the scheme.
    informedCase: (v: Victim) => (v.contactScheme?.optedIn ? { urn: v.caseUrn } : null),
  },
  Case: {
    // The courts subgraph owns the case; any URN is a case here, and one with no victims has [].
    __resolveReference: (ref: { urn: string }) => ({ urn: ref.urn }),
    victims: (parent: { urn: string }, _: unknown, ctx: Ctx) => ctx.loaders.victimsByCase.load(parent.urn),
  },
};
