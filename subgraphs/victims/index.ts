// The victims subgraph: victims of a case and their contact scheme decisions, from the victim contact
// system's nightly flat-file exports. It holds no offender identities, so it has no IdentitySource.
import { readFileSync } from 'node:fs';
import { createVictimsClient, type VictimsClient } from '../../adapters/victims/client.js';
import { withInternalFields } from '../internal.js';
import type { SubgraphModule } from '../types.js';
import { createLoaders, type VictimsLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

const victims: SubgraphModule<VictimsClient, VictimsLoaders> = {
  name: 'victims',
  agency: 'VICTIMS',
  subjects: { victim: 'VICTIM' },
  description: 'Victim contact scheme: victims of a case, their scheme decisions and contact preferences (flat-file exports read in place)',
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
  resolvers,
  createClient: (env) => createVictimsClient(env),
  createLoaders,
  // A victim tells the policy whose victim it is (by id) and its case.
  policyFacts: {
    Victim: (v: { id: string; caseUrn?: string }) => ({ victimId: v.id, caseUrn: v.caseUrn }),
    Case: (c: { urn: string }) => ({ caseUrn: c.urn }),
  },
  relationships: {
    victimsOfOfficer: (client, staffCode) => client.victimsOfOfficer(staffCode),
  },
  // Data-quality report (identity asks through `_dataQualityScan`): the victims of the current exports
  // updated since a date, 200 a page in id order; the exports are read once, not once per page.
  dataQualityScan: async (client, since, after) => ({ records: [], ...(await client.scanSince(since, after)) }),
  health: (client) => client.health(),
  close: (client) => client.close(),
  standIn: async () => (await import('../../legacy/victims/server.ts')).startStandIn,
};

export default withInternalFields(victims);
