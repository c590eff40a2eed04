// The courts subgraph: magistrates' court cases, hearings, charges and defendant records from Libra.
import { readFileSync } from 'node:fs';
import { CourtsClient } from '../../adapters/courts/client.js';
import { courtsConfig } from '../../adapters/courts/config.js';
import { toIdentityRecord, type CourtCase, type ListedHearing } from '../../adapters/courts/mapping.js';
import { AdapterError, unreadableReason } from '../../adapters/errors.js';
import { unreadableIdentityRecord } from '../../schema/model.js';
import { withInternalFields } from '../internal.js';
import type { SubgraphModule } from '../types.js';
import { createLoaders, type CourtsLoaders } from './loaders.js';
import { resolvers } from './resolvers.js';
import { statisticsResolvers } from './statistics.js';

const caseFacts = (c: Partial<CourtCase>) => ({ caseUrn: c.urn, youth: c.defendantDateOfBirth ? c.youthAtOffence : null });

const courts: SubgraphModule<CourtsClient, CourtsLoaders> = {
  name: 'courts',
  agency: 'COURTS',
  subjects: { case: 'CASE' },
  description: "Magistrates' court cases, hearings, charges, pleas, results and defendants, from Libra result messages (ResultedCaseMessage 0.6g), keyed by ASN",
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')
    // Aggregates for performance analysts (statistics.graphql / statistics.ts), kept apart from the worklists.
    + '\n' + readFileSync(new URL('./statistics.graphql', import.meta.url), 'utf8'),
  resolvers: { ...resolvers, ...statisticsResolvers, Query: { ...(resolvers.Query as object), ...statisticsResolvers.Query } } as typeof resolvers,
  createClient: (env) => new CourtsClient(courtsConfig(env)),
  createLoaders,
  identity: (client) => client.identity,
  // Libra result messages carry no PNC: court records are found by the ASN police arrests carry.
  identifierTypes: ['ASN'],
  localIdType: 'ASN',
  // A case tells the policy its URN and whether it is a youth record (unknown age counts as youth).
  policyFacts: {
    Case: caseFacts,
    // An event is its case's: a youth case's events are left out of lists as the case is.
    CourtEvent: (e: { case: Partial<CourtCase> }) => caseFacts(e.case),
    // A line of the court list is its case's.
    ListedCase: (l: ListedHearing) => caseFacts({ urn: l.urn, defendantDateOfBirth: l.defendantDateOfBirth, youthAtOffence: l.youthAtOffence }),
    RemandCase: (r: { line: ListedHearing }) => caseFacts({ urn: r.line.urn, defendantDateOfBirth: r.line.defendantDateOfBirth, youthAtOffence: r.line.youthAtOffence }),
  },
  relationships: {
    async defendantsOfCases(client, urns) {
      const cases = await client.casesByUrn(urns);
      return [...new Set([...cases.values()].filter((c): c is CourtCase => !(c instanceof Error)).map((c) => c.asn))];
    },
  },
  // Data-quality report (identity asks through `_dataQualityScan`): the cases heard since a date, by the
  // result store's reporting scan, a page of 200 cases per call; an unreadable case kept by its ASN with why.
  async dataQualityScan(client, since, after) {
    const today = new Date().toISOString().slice(0, 10);
    const page = await client.scanCasesHeard(since, today < since ? since : today, after);
    const unreadable = page.cases.filter((c) => c.record instanceof AdapterError).map((c) => ({ localId: c.asn, reason: unreadableReason(c.record as AdapterError) }));
    const records = page.cases.map((c) => (c.record instanceof AdapterError ? unreadableIdentityRecord('courts', c.asn, 'ASN') : toIdentityRecord(c.record.defendant)));
    return { records, unreadable, after: page.after };
  },
  health: (client) => client.health(),
  close: async () => {}, // plain HTTP requests: nothing held open between calls
  standIn: async () => (await import('../../legacy/courts/server.ts')).startStandIn,
};

export default withInternalFields(courts);
