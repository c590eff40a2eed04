// The contract every subgraph module fulfils. The registry (subgraphs/index.ts) lists modules by slug;
// the harness, the gateway, `npm start`, health checks, composition and the policy coverage check all
// iterate that list, so adding an agency is new folders plus one line in the registry.
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { Logger } from 'pino';
import type { IdentifierType, IdentityRecord, IdentitySource } from '../schema/model.js';
import type { StartStandIn } from '../legacy/faults.js';
import type { FactReader } from './policy.js';

export interface RelationshipSource<Client> {
  /** CRNs of the people an offender manager supervises. */
  caseload?(client: Client, staffCode: string): Promise<string[]>;
  /** The victims a victim liaison officer looks after, with their case URNs. */
  victimsOfOfficer?(client: Client, staffCode: string): Promise<{ victimId: string; caseUrn: string }[]>;
  /** The court keys (ASNs) of the defendants of the given cases. */
  defendantsOfCases?(client: Client, urns: string[]): Promise<string[]>;
}

/** The relationship facts a subgraph may declare it answers (see RelationshipSource). */
export const RELATIONSHIP_FACTS = ['caseload', 'victimsOfOfficer', 'defendantsOfCases'] as const;
export type RelationshipFact = (typeof RELATIONSHIP_FACTS)[number];

/**
 * What the gateway established about the caller's own records, for record-level rules: the people on
 * their caseload, their victims and those victims' cases. `unavailable` names agencies that could not
 * be asked, so a rule depending on them reports an outage rather than a denial.
 */
export interface Relationships {
  caseloadCrns: string[];
  victimIds: string[];
  victimCaseUrns: string[];
  victimDefendantIds: string[];
  /** Subgraphs that could not be asked (or, when no subgraph declares a fact, the fact's name). */
  unavailable: string[];
  /**
   * Which subgraph answers each fact, from the capabilities the registry's modules declare: the ids a
   * fact lists are that agency's local ids. A fact with no source can never be met.
   */
  sources?: Partial<Record<RelationshipFact, string>>;
}

export const NO_RELATIONSHIPS: Relationships = { caseloadCrns: [], victimIds: [], victimCaseUrns: [], victimDefendantIds: [], unavailable: [] };

/** Who is asking, as the gateway asserted it. Subgraphs never see the caller's own token. */
export interface Caller {
  subject: string;
  /** The caller's agency, e.g. POLICE, PROBATION, CPS. */
  agency: string;
  roles: string[];
  /** Declared purpose of the request (X-Purpose), already checked against the caller's roles. */
  purpose: string;
  justification: string | null;
  /** The caller's staff code in their agency's system (offender manager, victim liaison officer). */
  staffCode: string | null;
  relationships: Relationships;
  /** The service asking on the caller's behalf (identity, gateway, audit): it may call internal fields only. */
  actor?: string | null;
}

/** What a subgraph knows of one request when it makes that request's loaders. */
export interface RequestInfo {
  caller: Caller;
  /** Epoch ms by which the whole client request must be answered; null when the caller set none. */
  deadline: number | null;
}

/** Where policy decisions of one request are collected, for the audit trail. */
export interface DisclosureLog {
  record(subgraph: string, coordinate: string, decision: { allowed: boolean }, facts: unknown): void;
}

export interface SubgraphContext<Loaders = unknown> {
  caller: Caller;
  requestId: string;
  /** Epoch ms by which the whole client request must be answered (from the gateway), or null. */
  deadline?: number | null;
  /** Fresh per request: a DataLoader's cache never outlives the request that filled it. */
  loaders: Loaders;
  log: Logger;
  disclosures?: DisclosureLog;
}

export type Env = Record<string, string | undefined>;

/** The federation surface a subgraph declares (subgraphs/harness.ts federationLink). */
export interface FederationLinkOptions {
  /** The federation spec version linked, `2.<minor>` (default 2.7). */
  version?: string;
  /** Directives imported by name, beside the common ones (`@tag`, `@override`, `@interfaceObject`, `@composeDirective`, ...). */
  imports?: string[];
  /** Federated tracing (`ftv1`) when the gateway asks for it (default on). */
  tracing?: boolean;
}

export interface SubgraphModule<Client = any, Loaders = any> {
  /** The agency slug (or `identity` for the core subgraph): folder, subgraph name, env prefix, log field. */
  name: string;
  /**
   * The GraphQL Agency enum value of this agency: its slug upper-cased (checked by the registry), or null
   * for a core subgraph. The enum is derived from these (subgraphs/agencies.ts); whose staff see the
   * agency's data as their own is the policy table's `owner` (schema/policy/fields/<name>.ts).
   */
  agency: string | null;
  /**
   * Subject kinds this agency's records are named by in the audit trail, kind → subject type (the
   * courts: `{ case: 'CASE' }`), so the audit knows whose record `case=…` is without naming agencies.
   */
  subjects?: Record<string, string>;
  /** One line for the README and `npm start`; for an agency, also the description of its Agency enum value. */
  description: string;
  /** The subgraph's own SDL (schema/common.graphql is prepended by the harness). */
  typeDefs: string;
  /** Its federation link and tracing, when it needs more than the defaults (v2.7, the common imports, tracing on). */
  federation?: FederationLinkOptions;
  resolvers: GraphQLResolverMap<SubgraphContext<Loaders>>;
  /**
   * How the policy reads record conditions off this subgraph's objects, by type (Person is built in).
   * Every field needs an entry in schema/policy/fields/<name>.ts: the harness refuses to start otherwise.
   */
  policyFacts?: Record<string, FactReader>;
  /** Capabilities the gateway uses to establish a caller's relationships (caseload, own victims), served as internal fields. */
  relationships?: RelationshipSource<Client>;
  /**
   * The agency's bounded scan for its data-quality report: one page of the records it touched since a date
   * (a page per legacy call), as identity records, unreadable ones with the reason they could not be read.
   * Served to the identity subgraph only, through the internal field `_dataQualityScan`.
   */
  dataQualityScan?: (client: Client, since: string, after: string | null) => Promise<DataQualityScanPage>;
  /** The long-lived adapter client (connections, tokens, timeouts) for this agency, from the environment. */
  createClient(env: Env): Client | Promise<Client>;
  /** Fresh loaders for one request. */
  createLoaders(client: Client, requestId: string, request?: RequestInfo): Loaders;
  /**
   * How this agency's people are found, for the identity subgraph's internal calls to this subgraph
   * (`Query._identityRecords`, `_identitySearch`); absent for agencies that hold no people records.
   */
  identity?(client: Client): IdentitySource;
  /** The identifier types this agency can be searched by (its IdentitySource's `supports`), declared so others need no client to know. */
  identifierTypes?: IdentifierType[];
  /**
   * Identifier types this agency's records carry as cross-references to other agencies' records (police
   * arrests carry the ASN the court keys its records by). When this agency cannot answer while linking,
   * an agency reachable only through those keys is unknown, not empty.
   */
  crossReferenceTypes?: IdentifierType[];
  /** The identifier type of this agency's own record ids (what a worklist's LinkedRecord names), e.g. CRN. */
  localIdType?: IdentifierType;
  /** A cheap call proving the legacy system answers; throws an AdapterError otherwise. */
  health?(client: Client): Promise<void>;
  close?(client: Client): Promise<void>;
  /** Starts the embedded stand-in legacy system for `npm start` and the tests. */
  standIn?(): Promise<StartStandIn>;
}

/** One page of an agency's data-quality scan. */
export interface DataQualityScanPage {
  records: IdentityRecord[];
  /** Records the agency holds but could not read, by their id, with why (the expectation and the field, never the value). */
  unreadable: { localId: string; reason: string }[];
  /** Records read that name nobody another agency holds (a victim): counted as scanned, never linked. */
  unlinked?: number | null;
  /** Where the next page starts; null on the last. */
  after: string | null;
}
