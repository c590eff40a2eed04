// The police subgraph: a records-management database queried with SQL (PostgreSQL, or the embedded
// PGlite stand-in), exposing nominals, arrests with custody, PNC warning markers and intelligence flags.
import { readFileSync } from 'node:fs';
import { PoliceClient } from '../../adapters/police/client.js';
import { policeConfig } from '../../adapters/police/config.js';
import { withInternalFields } from '../internal.js';
import type { SubgraphModule } from '../types.js';
import { createLoaders, type PoliceLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';

const police: SubgraphModule<PoliceClient, PoliceLoaders> = {
  name: 'police',
  agency: 'POLICE',
  description: 'Police records management (SQL): nominals, arrests and custody, PNC warning markers, intelligence flags',
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
  resolvers,
  createClient: (env) => new PoliceClient(policeConfig(env)),
  createLoaders,
  identity: (client) => client.identity,
  identifierTypes: ['PNC', 'CRO', 'POLICE_NOMINAL_ID', 'ASN'],
  localIdType: 'POLICE_NOMINAL_ID',
  crossReferenceTypes: ['ASN'],
  // Data-quality report (identity asks through `_dataQualityScan`): the nominals created or arrested since a
  // date, 200 a page in nominal id order, one SELECT per page (`after` is the last id of the page before).
  dataQualityScan: (client, since, after) => client.touchedSince(since, after),
  health: (client) => client.health(),
  close: (client) => client.close(),
  standIn: async () => (await import('../../legacy/police/server.ts')).startStandIn,
};

export default withInternalFields(police);
