// probation: supervision in the community and the probation case record, from the probation offender
// search service (nDelius) through adapters/probation.
import { readFileSync } from 'node:fs';
import { createProbationClient, type ProbationClient } from '../../adapters/probation/client.js';
import type { SubgraphModule } from '../types.js';
import { createLoaders, type ProbationLoaders } from './loaders.js';
import { permissions } from './permissions.js';
import { resolvers } from './resolvers.js';

const probation: SubgraphModule<ProbationClient, ProbationLoaders> = {
  name: 'probation',
  agency: 'PROBATION',
  description: 'Probation (nDelius offender search): supervision, offender manager, registrations, requirements, licence conditions',
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
  resolvers: resolvers as never,
  permissions,
  createClient: (env) => createProbationClient(env),
  createLoaders,
  identity: (client) => client.identity,
  health: (client) => client.health(),
  // The client holds no sockets of its own (global fetch) and only a cached token.
  close: async () => {},
  standIn: async () => (await import('../../legacy/probation/server.ts')).startStandIn,
};

export default probation;
