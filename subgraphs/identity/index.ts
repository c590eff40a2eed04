// identity: the core subgraph that links agency records into people. It reaches every agency through
// that agency's adapter (the IdentitySource contract), never through another subgraph.
import { readFileSync } from 'node:fs';
import { loadSubgraphs, SUBGRAPH_NAMES } from '../index.js';
import type { Env, SubgraphModule } from '../types.js';
import { createIdentityLoaders, type IdentityClient, type IdentityLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

interface Client extends IdentityClient {
  close(): Promise<void>;
}

/** Builds the identity client from the agency modules' own clients (or from ones the caller already has). */
export async function createIdentityClient(env: Env, existing: Map<string, unknown> = new Map()): Promise<Client> {
  const modules = (await loadSubgraphs(SUBGRAPH_NAMES.filter((n) => n !== 'identity'))).filter((m) => m.identity);
  const owned: { m: SubgraphModule; c: unknown }[] = [];
  const sources = [];
  for (const m of modules) {
    let c = existing.get(m.name);
    if (c === undefined) { c = await m.createClient(env); owned.push({ m, c }); }
    sources.push(m.identity!(c));
  }
  return { sources, close: async () => { await Promise.all(owned.map(({ m, c }) => m.close?.(c))); } };
}

const identity: SubgraphModule<Client, IdentityLoaders> = {
  name: 'identity',
  agency: null,
  description: 'Who a person is across agencies: lookup by any identifier, name + date of birth search, graded links',
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
  resolvers: resolvers as never,
  createClient: (env) => createIdentityClient(env),
  createLoaders: (client) => createIdentityLoaders(client),
  close: (client) => client.close(),
};

export default identity;
