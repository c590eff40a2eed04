// probation: supervision in the community and the probation case record, from the probation offender
// search service (nDelius) through adapters/probation.
import { readFileSync } from 'node:fs';
import { createProbationClient, type ProbationClient } from '../../adapters/probation/client.js';
import type { ProbationRecord } from '../../adapters/probation/mapping.js';
import { withInternalFields } from '../internal.js';
import type { SubgraphModule } from '../types.js';
import { createLoaders, type ProbationLoaders } from './loaders.js';
import { resolvers, type CallerAccess } from './resolvers.js';

function factsOf(r: ProbationRecord & { access?: CallerAccess }) {
  return { crn: r.crn, restricted: r.access?.restricted ?? (r.restricted || r.excluded), excluded: r.access?.excluded ?? r.excluded };
}

const probation: SubgraphModule<ProbationClient, ProbationLoaders> = {
  name: 'probation',
  agency: 'PROBATION',
  description: 'Probation (nDelius offender search and integration API): supervision, offender manager, registrations, requirements, licence conditions',
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'),
  resolvers: resolvers as never,
  createClient: (env) => createProbationClient(env),
  createLoaders,
  identity: (client) => client.identity,
  identifierTypes: ['CRN', 'PNC', 'CRO', 'PRISON_NUMBER'],
  localIdType: 'CRN',
  // Supervision and the offender record tell the policy their CRN and whether this caller is restricted
  // from or excluded from them (nDelius's per-user answer; the case's own marks when there is none).
  policyFacts: {
    Supervision: factsOf,
    ProbationOffenderRecord: factsOf,
  },
  relationships: {
    caseload: (client, staffCode) => client.caseload(staffCode),
  },
  // Data-quality report (identity asks through `_dataQualityScan`): the current cases of the delivery units
  // configured, by the offender search's POST /ldu-codes, 200 a page (`after` is the next page's number).
  // The contract has no date filter: the probation report covers the current caseload, whatever `since`.
  dataQualityScan: (client, _since, after) => client.casesOfDeliveryUnits(after && /^\d{1,4}$/.test(after) ? Number(after) : 0),
  health: (client) => client.health(),
  // The client holds no sockets of its own (global fetch) and only a cached token.
  close: async () => {},
  standIn: async () => (await import('../../legacy/probation/server.ts')).startStandIn,
};

export default withInternalFields(probation);
