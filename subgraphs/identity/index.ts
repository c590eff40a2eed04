// identity: the core subgraph that links agency records into people. It holds no agency's credentials:
// it asks each agency's own subgraph through that subgraph's internal fields, signing as itself.
import { readFileSync } from 'node:fs';
import type { Identifier, IdentityRecord, IdentitySearch } from '../../schema/model.js';
import { loadSubgraphs, SUBGRAPH_NAMES } from '../index.js';
import { callInternal, claimsOf, DATA_QUALITY_SCAN_SELECTION, IDENTITY_RECORD_SELECTION, serviceSigner, subgraphUrl, type ServiceSigner } from '../internal.js';
import { NO_RELATIONSHIPS, type DataQualityScanPage, type Env, type SubgraphModule } from '../types.js';
import { createIdentityLoaders, type IdentityClient, type IdentityLoaders, type PeopleSource } from './loaders.js';
import { resolvers } from './resolvers.js';
import { dataQualityResolvers } from './data-quality.js';

interface Client extends IdentityClient {
  close(): Promise<void>;
}

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 50 || n > 120_000) throw new Error(`${name} must be a whole number of milliseconds from 50 to 120000, got "${raw}"`);
  return n;
}

const FIND = `query Find($lookups: [_IdentifierInput!]!) { _identityRecords(lookups: $lookups) { ${IDENTITY_RECORD_SELECTION} } }`;
const SCAN = `query Scan($since: Date!, $after: String) { _dataQualityScan(since: $since, after: $after) { ${DATA_QUALITY_SCAN_SELECTION} } }`;
/** A data-quality scan page may take longer than a lookup: it reads a page of records, not a handful. */
const SCAN_TIMEOUT_MS = 20_000;
const SEARCH = `query Search($criteria: [_IdentitySearchInput!]!) { _identitySearch(criteria: $criteria) { ${IDENTITY_RECORD_SELECTION} } }`;

/**
 * The identity client: for every agency in the registry that holds people, its subgraph's URL (given,
 * or `<SLUG>_SUBGRAPH_URL`) and identity's own signing key (`IDENTITY_ASSERTION_KEY`, a development key
 * otherwise). `IDENTITY_LINK_BUDGET_MS` bounds how long linking waits for the agencies (default 4000).
 */
export async function createIdentityClient(env: Env, opts: { urls?: Record<string, string>; signer?: ServiceSigner } = {}): Promise<Client> {
  const all = await loadSubgraphs(SUBGRAPH_NAMES.filter((n) => n !== 'identity' && n !== 'audit'));
  const modules = all.filter((m) => m.identity && m.identifierTypes?.length);
  const targets = modules.map((m) => ({ name: m.name, supports: m.identifierTypes!, yields: m.crossReferenceTypes ?? [], url: subgraphUrl(m.name, env, opts.urls), scans: !!m.dataQualityScan }));
  // Agencies that hold nobody other agencies know (victims) are never linked, but have a data-quality report too.
  const scanOnly = all.filter((m) => m.dataQualityScan && !modules.includes(m)).map((m) => ({ name: m.name, url: subgraphUrl(m.name, env, opts.urls) }));
  const signer = opts.signer ?? (await serviceSigner(env, 'identity'));
  const linkBudgetMs = int(env, 'IDENTITY_LINK_BUDGET_MS', 4000);
  return {
    linkBudgetMs,
    localIdTypes: Object.fromEntries(modules.filter((m) => m.agency && m.localIdType).map((m) => [m.agency!, m.localIdType!])),
    sources: (request, requestId) => {
      const caller = claimsOf(request?.caller ?? { subject: 'identity', agency: 'SERVICE', roles: [], purpose: 'AUDIT', justification: null, staffCode: null, relationships: NO_RELATIONSHIPS }, requestId);
      return targets.map((t): PeopleSource => {
        const base = { subgraph: t.name, url: t.url, signer, caller, deadline: request?.deadline ?? null, timeoutMs: linkBudgetMs };
        return {
          agency: t.name,
          supports: t.supports,
          yields: t.yields,
          find: (ids: Identifier[], signal) => callInternal<IdentityRecord[]>({ ...base, signal, query: FIND, variables: { lookups: ids.map((i) => ({ type: i.type, value: i.value })) } }, '_identityRecords'),
          search: (criteria: IdentitySearch[], signal) => callInternal<IdentityRecord[]>({
            ...base, signal, query: SEARCH, variables: { criteria: criteria.map((c) => ({ surname: c.surname, forename: c.forename ?? null, dateOfBirth: c.dateOfBirth ?? null })) },
          }, '_identitySearch'),
          ...(t.scans ? { scan: (since: string, after: string | null) => callInternal<DataQualityScanPage>({ ...base, timeoutMs: SCAN_TIMEOUT_MS, query: SCAN, variables: { since, after } }, '_dataQualityScan') } : {}),
        };
      });
    },
    scanners: (request, requestId) => {
      const caller = claimsOf(request?.caller ?? { subject: 'identity', agency: 'SERVICE', roles: [], purpose: 'AUDIT', justification: null, staffCode: null, relationships: NO_RELATIONSHIPS }, requestId);
      return scanOnly.map((t) => ({
        agency: t.name,
        scan: (since: string, after: string | null) => callInternal<DataQualityScanPage>({
          subgraph: t.name, url: t.url, signer, caller, deadline: request?.deadline ?? null, timeoutMs: SCAN_TIMEOUT_MS, query: SCAN, variables: { since, after },
        }, '_dataQualityScan'),
      }));
    },
    close: async () => {},
  };
}

const identity: SubgraphModule<Client, IdentityLoaders> = {
  name: 'identity',
  agency: null,
  description: 'Who a person is across agencies: lookup by any identifier, name + date of birth search, graded links',
  typeDefs: readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')
    // Each agency's data-quality report (data-quality.graphql / data-quality.ts), kept apart from linking.
    + '\n' + readFileSync(new URL('./data-quality.graphql', import.meta.url), 'utf8'),
  resolvers: { ...resolvers, ...dataQualityResolvers, Query: { ...resolvers.Query, ...dataQualityResolvers.Query } } as never,
  // A report count's examples are record ids of one agency: the OWN_AGENCY_RECORDS condition reads which.
  policyFacts: { DataQualityCount: (c: { agency: string }) => ({ recordsAgency: c.agency }) },
  createClient: (env) => createIdentityClient(env),
  createLoaders: (client, requestId, request) => createIdentityLoaders(client, requestId, request),
  close: (client) => client.close(),
};

export default identity;
