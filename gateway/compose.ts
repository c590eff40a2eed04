// Composes the supergraph from the registry's subgraph SDL with @apollo/composition. The checked-in
// schema/supergraph.graphql is this function's output with placeholder URLs, so that every
// cross-agency change shows as a diff; the gateway maps each subgraph name to its real URL at start.
import { composeServices } from '@apollo/composition';
import { parse, type GraphQLSchema } from 'graphql';
import { subgraphSdl } from '../subgraphs/harness.js';
import type { SubgraphModule } from '../subgraphs/types.js';

/** The URL written into the checked-in supergraph: `.invalid` never resolves, so it can never be called by mistake. */
export const placeholderUrl = (name: string) => `http://${name}.subgraph.invalid/graphql`;

export class CompositionError extends Error {
  constructor(readonly problems: string[]) {
    super(`supergraph composition failed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

export function composeSupergraph(modules: Pick<SubgraphModule, 'name' | 'typeDefs' | 'federation'>[]): string {
  return compose(modules).supergraphSdl;
}

/** The API schema clients see (no join machinery, nothing @inaccessible): what client operations are checked against. */
export function composeApiSchema(modules: Pick<SubgraphModule, 'name' | 'typeDefs' | 'federation'>[]): GraphQLSchema {
  return compose(modules).schema.toAPISchema().toGraphQLJSSchema();
}

function compose(modules: Pick<SubgraphModule, 'name' | 'typeDefs' | 'federation'>[]) {
  const services = modules.map((m) => {
    try {
      return { name: m.name, url: placeholderUrl(m.name), typeDefs: parse(subgraphSdl(m)) };
    } catch (err) {
      throw new CompositionError([`[${m.name}] subgraphs/${m.name}/schema.graphql does not parse: ${(err as Error).message}`]);
    }
  });
  const result = composeServices(services);
  if (result.errors) {
    // Composition messages already say which subgraph ("[police]") and which field; keep them whole.
    throw new CompositionError(result.errors.map((e) => `${e.extensions?.code ? `${String(e.extensions.code)}: ` : ''}${e.message}`));
  }
  return result;
}
