// The contract every subgraph module fulfils. The registry (subgraphs/index.ts) lists modules by slug;
// the harness, the gateway, `npm start`, health checks, composition and the policy coverage check all
// iterate that list, so adding an agency is new folders plus one line in the registry.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { IRules } from 'graphql-shield';
import type { Logger } from 'pino';
import type { IdentitySource } from '../schema/model.js';
import type { StartStandIn } from '../legacy/faults.js';

/** Who is asking, as the gateway asserted it. Subgraphs never see the caller's own token. */
export interface Caller {
  subject: string;
  /** The caller's agency, e.g. POLICE, PROBATION, CPS. */
  agency: string;
  roles: string[];
  /** Declared purpose of the request (X-Purpose). */
  purpose: string;
  justification: string | null;
}

export interface SubgraphContext<Loaders = unknown> {
  caller: Caller;
  requestId: string;
  /** Fresh per request: a DataLoader's cache never outlives the request that filled it. */
  loaders: Loaders;
  log: Logger;
}

export type Env = Record<string, string | undefined>;

export interface SubgraphModule<Client = any, Loaders = any> {
  /** The agency slug (or `identity` for the core subgraph): folder, subgraph name, env prefix, log field. */
  name: string;
  /** The GraphQL Agency enum value whose staff see this agency's own data, or null for a core subgraph. */
  agency: string | null;
  /** One line for the README and `npm start`. */
  description: string;
  /** The subgraph's own SDL (schema/common.graphql is prepended by the harness). */
  typeDefs: string;
  resolvers: GraphQLResolverMap<SubgraphContext<Loaders>>;
  /** graphql-shield rule map, Type → field → rule. Every field needs an entry: the harness refuses to start otherwise. */
  permissions: IRules;
  /** The long-lived adapter client (connections, tokens, timeouts) for this agency, from the environment. */
  createClient(env: Env): Client | Promise<Client>;
  /** Fresh loaders for one request. */
  createLoaders(client: Client, requestId: string): Loaders;
  /** How the identity subgraph links this agency's people; absent for agencies that hold no people records. */
  identity?(client: Client): IdentitySource;
  /** A cheap call proving the legacy system answers; throws an AdapterError otherwise. */
  health?(client: Client): Promise<void>;
  close?(client: Client): Promise<void>;
  /** Starts the embedded stand-in legacy system for `npm start` and the tests. */
  standIn?(): Promise<StartStandIn>;
}
