// The courts subgraph: magistrates' court cases, hearings, charges and defendant records from Libra.
import { readFileSync } from 'node:fs';
import { CourtsClient } from '../../adapters/courts/client.js';
import { courtsConfig } from '../../adapters/courts/config.js';
import type { SubgraphModule } from '../types.js';
import { createLoaders, type CourtsLoaders } from './loaders.js';
import { permissions } from './permissions.js';
import { resolvers } from './resolvers.js';

const courts: SubgraphModule<CourtsClient, CourtsLoaders> = {
  name: 'courts',
  agency: 'COURTS',
  description: "Magistrates' court cases, hearings, charges, pleas, results and defendant records (Libra, SOAP)",
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
  resolvers,
  permissions,
  createClient: (env) => new CourtsClient(courtsConfig(env)),
  createLoaders,
  identity: (client) => client.identity,
  health: (client) => client.health(),
  close: async () => {}, // plain HTTP requests: nothing held open between calls
  standIn: async () => (await import('../../legacy/courts/server.ts')).startStandIn,
};

export default courts;
