// Internal fields: how services ask an agency's subgraph for facts on a caller's behalf, so that only
// the agency's own subgraph ever speaks to its system. The identity subgraph finds people
// (`_identityRecords`, `_identitySearch`); the gateway establishes a caller's relationships
// (`_caseload`, `_victimsOfOfficer`, `_defendantsOfCases`). Each field is derived from a capability the
// module declares, is @inaccessible in the supergraph (no client can ask for it), and answers only a
// service's own signed assertion (`SERVICE <name>` grants in the policy tables).
import { injectTraceHeaders } from '../platform/telemetry.js';
import type { CryptoKey } from 'jose';
import { AdapterError, type AdapterErrorCode } from '../adapters/errors.js';
import { ASSERTION_HEADER, signAssertion, type CallerClaims } from '../auth/assertion.js';
import { importKey, jwkFromEnv, loadOrCreateDevKeyPair } from '../auth/keys.js';
import { DEADLINE_HEADER, remaining } from '../platform/deadline.js';
import type { Identifier, IdentityRecord, IdentitySearch, IdentitySource } from '../schema/model.js';
import { NO_RELATIONSHIPS, type Caller, type Env, type SubgraphContext, type SubgraphModule } from './types.js';

/** More than this many keys in one internal call is not a request about people but a dump. */
export const MAX_INTERNAL_KEYS = 5000;
/** A system that cannot search for several people at once gets at most this many searches at a time. */
const SEARCH_CONCURRENCY = 4;

const clients = new WeakMap<object, unknown>();

function clientOf(ctx: SubgraphContext): unknown {
  if (!clients.has(ctx.loaders as object)) throw new Error('internal field called without loaders made by withInternalFields');
  return clients.get(ctx.loaders as object);
}

function bounded<T>(keys: readonly T[], what: string): readonly T[] {
  if (keys.length > MAX_INTERNAL_KEYS) throw new AdapterError({ agency: 'internal', operation: what, code: 'SOURCE_UNAVAILABLE', message: `at most ${MAX_INTERNAL_KEYS} keys per internal call, got ${keys.length}` });
  return keys;
}

/** Every search of a wave: one legacy call where the system can take several criteria, else a few at a time. */
export async function searchAll(source: IdentitySource, criteria: readonly IdentitySearch[]): Promise<IdentityRecord[]> {
  const results: IdentityRecord[][] = [];
  // A system that cannot search tolerantly gets the exact surname with no date filter (date slips still surface).
  if (!source.tolerantSearch) criteria = criteria.map((c) => (c.tolerant ? { surname: c.surname, forename: c.forename ?? null } : c));
  if (source.searchMany) results.push(await source.searchMany([...criteria]));
  else {
    let next = 0;
    const worker = async () => { while (next < criteria.length) results.push(await source.search(criteria[next++])); };
    await Promise.all(Array.from({ length: Math.min(SEARCH_CONCURRENCY, criteria.length) }, worker));
  }
  return [...new Map(results.flat().map((r) => [r.localId, r])).values()];
}

/** The module with the internal fields its capabilities call for (unchanged when it declares none). */
export function withInternalFields<C, L>(m: SubgraphModule<C, L>): SubgraphModule<C, L> {
  const sdl: string[] = [];
  const resolvers: Record<string, (parent: unknown, args: any, ctx: SubgraphContext) => unknown> = {};
  const identity = m.identity;
  if (identity) {
    sdl.push(
      '  "Internal (identity subgraph only): this agency\'s records holding any of the identifiers."',
      '  _identityRecords(lookups: [_IdentifierInput!]!): [_IdentityRecord!]! @shareable @inaccessible',
      '  "Internal (identity subgraph only): this agency\'s records matching any of the searches."',
      '  _identitySearch(criteria: [_IdentitySearchInput!]!): [_IdentityRecord!]! @shareable @inaccessible',
    );
    resolvers._identityRecords = async (_p, args: { lookups: Identifier[] }, ctx) => {
      const source = identity(clientOf(ctx) as C);
      const ids = bounded(args.lookups, '_identityRecords').filter((l) => source.supports.includes(l.type));
      return ids.length ? source.findByIdentifiers([...ids]) : [];
    };
    resolvers._identitySearch = async (_p, args: { criteria: IdentitySearch[] }, ctx) => searchAll(identity(clientOf(ctx) as C), bounded(args.criteria, '_identitySearch'));
  }
  const rel = m.relationships;
  if (rel?.caseload) {
    sdl.push('  "Internal (gateway only): CRNs of the people an offender manager supervises."', '  _caseload(staffCode: String!): [String!]! @shareable @inaccessible');
    resolvers._caseload = (_p, args: { staffCode: string }, ctx) => rel.caseload!(clientOf(ctx) as C, args.staffCode);
  }
  if (rel?.victimsOfOfficer) {
    sdl.push('  "Internal (gateway only): the victims a victim liaison officer looks after, with their cases."', '  _victimsOfOfficer(staffCode: String!): [_OfficerVictim!]! @shareable @inaccessible');
    resolvers._victimsOfOfficer = (_p, args: { staffCode: string }, ctx) => rel.victimsOfOfficer!(clientOf(ctx) as C, args.staffCode);
  }
  if (rel?.defendantsOfCases) {
    sdl.push('  "Internal (gateway only): the ASNs of the defendants of the given cases."', '  _defendantsOfCases(urns: [String!]!): [String!]! @shareable @inaccessible');
    resolvers._defendantsOfCases = (_p, args: { urns: string[] }, ctx) => rel.defendantsOfCases!(clientOf(ctx) as C, [...bounded(args.urns, '_defendantsOfCases')]);
  }
  const scan = m.dataQualityScan;
  if (scan) {
    sdl.push('  "Internal (identity subgraph only): one page of this agency\'s records touched since a date, for its data-quality report."',
      '  _dataQualityScan(since: Date!, after: String): _DataQualityScanPage! @shareable @inaccessible');
    resolvers._dataQualityScan = (_p, args: { since: string; after?: string | null }, ctx) => scan(clientOf(ctx) as C, args.since, args.after ?? null);
  }
  if (!sdl.length) return m;
  const base = m.resolvers as Record<string, Record<string, unknown>>;
  return {
    ...m,
    typeDefs: `${m.typeDefs}\n# Internal fields, derived from the module's capabilities (subgraphs/internal.ts).\nextend type Query {\n${sdl.join('\n')}\n}\n`,
    resolvers: { ...base, Query: { ...(base.Query ?? {}), ...resolvers } } as SubgraphModule['resolvers'],
    createLoaders: (client, requestId, request) => {
      const loaders = m.createLoaders(client, requestId, request);
      clients.set(loaders as object, client);
      return loaders;
    },
  };
}

// ---- the calling side ---------------------------------------------------------------------------

/** A service's own signing key: internal calls are signed as that service, never as the gateway for a client. */
export interface ServiceSigner {
  service: string;
  key: CryptoKey;
  kid: string;
}

export interface InternalCall {
  /** The subgraph asked (its name is the assertion's audience and the agency errors name). */
  subgraph: string;
  url: string;
  signer: ServiceSigner;
  /** The original caller and request id, carried so the agency's audit and policy see who is behind the call. */
  caller: CallerClaims;
  deadline: number | null;
  /** Upper bound on this call; the request deadline cuts it shorter. */
  timeoutMs: number;
  signal?: AbortSignal;
  query: string;
  variables: Record<string, unknown>;
}

const PASSED_CODES = new Set<AdapterErrorCode>(['SOURCE_UNAVAILABLE', 'SOURCE_TIMEOUT', 'SOURCE_AUTH', 'BAD_SOURCE_DATA'] as AdapterErrorCode[]);

/** One internal GraphQL call; every failure becomes an AdapterError naming the subgraph's agency, never a host or a status. */
export async function callInternal<T>(c: InternalCall, field: string): Promise<T> {
  const fail = (code: AdapterErrorCode, cause?: unknown) => new AdapterError({ agency: c.subgraph, operation: field, code, cause });
  const timeout = AbortSignal.timeout(remaining(c.deadline, c.timeoutMs));
  const signal = c.signal ? AbortSignal.any([c.signal, timeout]) : timeout;
  let res: Response;
  try {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [ASSERTION_HEADER]: await signAssertion(c.signer.key, c.signer.kid, c.subgraph, c.caller, { query: c.query, variables: c.variables }, c.signer.service),
      'x-request-id': c.caller.requestId,
      ...(c.deadline ? { [DEADLINE_HEADER]: String(c.deadline) } : {}),
    };
    injectTraceHeaders(headers); // the subgraph's work joins the caller's trace
    res = await fetch(c.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: c.query, variables: c.variables }),
      signal,
    });
  } catch (err) {
    throw fail((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError' ? 'SOURCE_TIMEOUT' : 'SOURCE_UNAVAILABLE', err);
  }
  let body: { data?: Record<string, unknown> | null; errors?: { extensions?: { code?: string } }[] };
  try {
    body = await res.json() as typeof body;
  } catch (err) {
    throw fail((err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError' ? 'SOURCE_TIMEOUT' : 'SOURCE_UNAVAILABLE', err);
  }
  const value = body.data?.[field];
  if (body.errors?.length || value == null) {
    const code = body.errors?.map((e) => e.extensions?.code).find((x): x is AdapterErrorCode => PASSED_CODES.has(x as AdapterErrorCode));
    throw fail(code ?? 'SOURCE_UNAVAILABLE', new Error(`internal call ${field} answered HTTP ${res.status} with ${body.errors?.length ?? 0} error(s)`));
  }
  return value as T;
}

/** Selection of an identity record over the wire, the same for every agency. */
export const IDENTITY_RECORD_SELECTION = `agency localId localIdType dateOfBirth sex
  name { title forenames surname fullName } aliases { title forenames surname fullName }
  pnc { raw value valid } cro { raw value valid } crossReferences { type value } unreadable
  postcode dataQuality { field recorded problem }`;

/** Selection of a data-quality scan page over the wire. */
export const DATA_QUALITY_SCAN_SELECTION = `records { ${IDENTITY_RECORD_SELECTION} } unreadable { localId reason } unlinked after`;

/** `<SERVICE>_ASSERTION_KEY` (private JWK JSON) or, outside production, the service's development key. */
export async function serviceSigner(env: Env, service: 'gateway' | 'identity' | 'audit'): Promise<ServiceSigner> {
  const name = `${service.toUpperCase()}_ASSERTION_KEY`;
  const jwk = env[name] ? jwkFromEnv(name, env[name]!) : env.NODE_ENV === 'production' ? null : (await loadOrCreateDevKeyPair(service)).privateJwk;
  if (!jwk) throw new Error(`${name} is required in production`);
  return { service, key: await importKey(jwk), kid: String(jwk.kid ?? service) };
}

/** Public keys of the services allowed to make internal calls: `<SERVICE>_ASSERTION_PUBLIC_KEY` or, outside production, their development keys. */
export async function serviceVerifyKeys(env: Env, services: readonly ('identity' | 'audit')[] = ['identity', 'audit']): Promise<Record<string, CryptoKey>> {
  const out: Record<string, CryptoKey> = {};
  for (const s of services) {
    const name = `${s.toUpperCase()}_ASSERTION_PUBLIC_KEY`;
    const jwk = env[name] ? jwkFromEnv(name, env[name]!) : env.NODE_ENV === 'production' ? null : (await loadOrCreateDevKeyPair(s)).publicJwk;
    if (jwk) out[s] = await importKey(jwk); // absent in production: that service's calls are refused
  }
  return out;
}

/** Where subgraph `name` answers: given, else `<NAME>_SUBGRAPH_URL`; throws naming the variable. */
export function subgraphUrl(name: string, env: Env, given?: Record<string, string>): string {
  const key = `${name.toUpperCase().replace(/-/g, '_')}_SUBGRAPH_URL`;
  const url = given?.[name] ?? env[key];
  if (!url) throw new Error(`set ${key}: the ${name} subgraph is asked through its URL`);
  return url;
}

/** The claims an internal call carries: the original caller and request, without the caller's relationships. */
export function claimsOf(caller: Caller, requestId: string): CallerClaims {
  return {
    subject: caller.subject, agency: caller.agency, roles: caller.roles, purpose: caller.purpose, justification: caller.justification,
    requestId, staffCode: caller.staffCode, relationships: NO_RELATIONSHIPS,
  };
}
