// The prisons subgraph: custody periods, alerts, release dates and the NOMIS identity record, from the
// HMPPS Prison API and Prisoner Search API.
import { readFileSync } from 'node:fs';
import { PrisonsClient } from '../../adapters/prisons/client.js';
import { prisonsConfig } from '../../adapters/prisons/config.js';
import { withInternalFields } from '../internal.js';
import type { SubgraphModule } from '../types.js';
import { createLoaders, type PrisonsLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';
import { statisticsResolvers } from './statistics.js';

const prisons: SubgraphModule<PrisonsClient, PrisonsLoaders> = {
  name: 'prisons',
  agency: 'PRISONS',
  description: 'Prison custody (NOMIS via the HMPPS Prison API and Prisoner Search): bookings, alerts, release dates, prisoner identity',
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')
    // Aggregates for performance analysts (statistics.graphql / statistics.ts), kept apart from the worklists.
    + '\n' + readFileSync(new URL('./statistics.graphql', import.meta.url), 'utf8'),
  resolvers: { ...resolvers, Query: { ...(resolvers.Query as object), ...statisticsResolvers.Query } } as unknown as SubgraphModule['resolvers'],
  createClient: (env) => new PrisonsClient(prisonsConfig(env)),
  createLoaders,
  identity: (client) => client.identity,
  identifierTypes: ['PRISON_NUMBER', 'PNC', 'CRO'],
  localIdType: 'PRISON_NUMBER',
  // Data-quality report (identity asks through `_dataQualityScan`): the people received since a date, a
  // Prisoner Search page of 200 per call (`after` is the next page's number).
  async dataQualityScan(client, since, after) {
    const page = after && /^\d{1,4}$/.test(after) ? Number(after) : 0;
    const r = await client.receivedSince(since, page);
    return { records: r.records, unreadable: r.unreadable, after: r.last ? null : String(page + 1) };
  },
  health: (client) => client.health(),
  close: async () => {},
  standIn: async () => (await import('../../legacy/prisons/server.ts')).startStandIn,
};

export default withInternalFields(prisons);
