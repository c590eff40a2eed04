// Runs a query against one subgraph's protected schema in-process, as a given caller: for subgraph
// resolver and policy tests that do not need HTTP.
import { execute, parse, type ExecutionResult } from 'graphql';
import pino from 'pino';
import { buildProtectedSchema } from '../../subgraphs/harness.js';
import type { Caller, SubgraphModule } from '../../subgraphs/types.js';

const schemas = new WeakMap<SubgraphModule, ReturnType<typeof buildProtectedSchema>>();

export function caller(agency: string, roles: string[] = ['OFFICER'], purpose = 'INVESTIGATION'): Caller {
  return { subject: `test-${agency.toLowerCase()}`, agency, roles, purpose, justification: null };
}

export async function executeAs<C>(module: SubgraphModule<C>, client: C, who: Caller, query: string, variables?: Record<string, unknown>): Promise<ExecutionResult> {
  let schema = schemas.get(module);
  if (!schema) schemas.set(module, (schema = buildProtectedSchema(module)));
  const requestId = `test-${Math.random().toString(36).slice(2)}`;
  const contextValue = { caller: who, requestId, loaders: module.createLoaders(client, requestId), log: pino({ level: 'silent' }) };
  return (await execute({ schema, document: parse(query), variableValues: variables, contextValue })) as ExecutionResult;
}
