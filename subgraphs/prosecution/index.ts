// The prosecution subgraph: the prosecution service's case files (Common Platform case shapes), charging
// decisions, review status and witness care contacts, joined to Person by the ASNs in the person key
// and to Case by URN.
import { readFileSync } from 'node:fs';
import { ProsecutionClient } from '../../adapters/prosecution/client.js';
import { prosecutionConfig } from '../../adapters/prosecution/config.js';
import type { SubgraphModule } from '../types.js';
import { createLoaders, type ProsecutionLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

const prosecution: SubgraphModule<ProsecutionClient, ProsecutionLoaders> = {
  name: 'prosecution',
  agency: 'PROSECUTION',
  description: 'Prosecution case management: case files (Common Platform prosecution case shapes), charging decisions, review status and witness care contacts, keyed by URN',
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
  resolvers,
  createClient: (env) => new ProsecutionClient(prosecutionConfig(env)),
  createLoaders,
  // A case file tells the audit trail its URN.
  policyFacts: {
    ProsecutionCaseFile: (f: { urn?: string }) => ({ caseUrn: f.urn }),
  },
  health: (client) => client.health(),
  close: async () => {}, // plain HTTP requests: nothing held open between calls
  standIn: async () => (await import('../../legacy/prosecution/server.ts')).startStandIn,
};

export default prosecution;
