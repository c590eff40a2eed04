// Resolvers of the victims subgraph. Entity references do no fetching; fields read through the
// per-request loaders, and adapter errors are thrown (or returned as list items) so GraphQL reports
// them with their code and agency.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { SubgraphContext } from '../types.js';
import type { VictimsLoaders } from './loaders.js';

type Ctx = SubgraphContext<VictimsLoaders>;

export const resolvers: GraphQLResolverMap<Ctx> = {
  Query: {
    victim: (_: unknown, args: { id: string }, ctx: Ctx) => ctx.loaders.victimById.load(args.id),
  },
  Case: {
    // The courts subgraph owns the case; any URN is a case here, and one with no victims has [].
    __resolveReference: (ref: { urn: string }) => ({ urn: ref.urn }),
    victims: (parent: { urn: string }, _: unknown, ctx: Ctx) => ctx.loaders.victimsByCase.load(parent.urn),
  },
};
