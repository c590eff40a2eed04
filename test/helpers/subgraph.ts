// Runs a query against one subgraph's protected schema in-process, as a given caller: for subgraph
// resolver and policy tests that do not need HTTP.
import { execute, parse, type ExecutionResult } from 'graphql';
import pino from 'pino';
import { buildProtectedSchema } from '../../subgraphs/harness.js';
import { NO_RELATIONSHIPS, type Caller, type Relationships, type SubgraphModule } from '../../subgraphs/types.js';

const schemas = new WeakMap<SubgraphModule, ReturnType<typeof buildProtectedSchema>>();

/** The everyday role of each agency's staff, and the purpose they usually declare. */
export const DEFAULT_ROLE: Record<string, [string, string]> = {
  POLICE: ['POLICE_OFFICER', 'INVESTIGATION'],
  CPS: ['CPS_PROSECUTOR', 'PROSECUTION'],
  COURTS: ['COURT_LISTING_OFFICER', 'COURT_LISTING'],
  PRISONS: ['PRISON_OFFICER', 'CUSTODY_MANAGEMENT'],
  PROBATION: ['PROBATION_OFFICER', 'OFFENDER_MANAGEMENT'],
  VICTIMS: ['VICTIM_LIAISON_OFFICER', 'VICTIM_CONTACT'],
  MOJ: ['PERFORMANCE_ANALYST', 'STATISTICS'],
  AUDIT: ['AUDITOR', 'AUDIT'],
};

/** A caller of `agency` in its everyday role (or the roles and purpose given), with optional relationships. */
/** Which subgraph answers each relationship fact, as the gateway derives it from the registry's modules. */
export const SOURCES: Relationships['sources'] = { caseload: 'probation', victimsOfOfficer: 'victims', defendantsOfCases: 'courts' };

export function caller(agency: string, roles?: string[], purpose?: string, extra: { staffCode?: string; relationships?: Partial<Relationships> } = {}): Caller {
  const [role, usual] = DEFAULT_ROLE[agency] ?? ['UNKNOWN_ROLE', 'INVESTIGATION'];
  return {
    subject: `test-${agency.toLowerCase()}`, agency, roles: roles ?? [role], purpose: purpose ?? usual, justification: null,
    staffCode: extra.staffCode ?? null, relationships: { ...NO_RELATIONSHIPS, sources: SOURCES, ...extra.relationships },
  };
}

export async function executeAs<C>(module: SubgraphModule<C>, client: C, who: Caller, query: string, variables?: Record<string, unknown>): Promise<ExecutionResult> {
  let schema = schemas.get(module);
  if (!schema) schemas.set(module, (schema = buildProtectedSchema(module)));
  const requestId = `test-${Math.random().toString(36).slice(2)}`;
  const contextValue = { caller: who, requestId, loaders: module.createLoaders(client, requestId), log: pino({ level: 'silent' }) };
  return (await execute({ schema, document: parse(query), variableValues: variables, contextValue })) as ExecutionResult;
}
