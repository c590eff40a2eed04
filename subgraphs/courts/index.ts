// The courts subgraph: magistrates' court cases, hearings, charges and defendant records from Libra.
import { readFileSync } from 'node:fs';
import { CourtsClient } from '../../adapters/courts/client.js';
import { courtsConfig } from '../../adapters/courts/config.js';
import type { CourtCase } from '../../adapters/courts/mapping.js';
import { withInternalFields } from '../internal.js';
import type { SubgraphModule } from '../types.js';
import { createLoaders, type CourtsLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

const courts: SubgraphModule<CourtsClient, CourtsLoaders> = {
  name: 'courts',
  agency: 'COURTS',
  subjects: { case: 'CASE' },
  description: "Magistrates' court cases, hearings, charges, pleas, results and defendant records (Libra, SOAP)",
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
  resolvers,
  createClient: (env) => new CourtsClient(courtsConfig(env)),
  createLoaders,
  identity: (client) => client.identity,
  identifierTypes: ['COURT_DEFENDANT_ID', 'PNC'],
  // A case tells the policy its URN and whether it is a youth record (unknown age counts as youth).
  policyFacts: {
    Case: (c: Partial<CourtCase>) => ({ caseUrn: c.urn, youth: c.defendantDateOfBirth ? c.youthAtOffence : null }),
  },
  relationships: {
    async defendantsOfCases(client, urns) {
      const cases = await client.getCases(urns);
      return [...new Set([...cases.values()].filter((c): c is CourtCase => !(c instanceof Error)).map((c) => c.defendantId))];
    },
  },
  health: (client) => client.health(),
  close: async () => {}, // plain HTTP requests: nothing held open between calls
  standIn: async () => (await import('../../legacy/courts/server.ts')).startStandIn,
};

export default withInternalFields(courts);
