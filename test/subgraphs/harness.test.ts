import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { loadPolicy, type FieldTable } from '../../schema/policy/index.js';
import { buildProtectedSchema } from '../../subgraphs/harness.js';
import type { SubgraphModule } from '../../subgraphs/types.js';
import { caller } from '../helpers/subgraph.js';
import { execute, parse } from 'graphql';
import pino from 'pino';

// A tiny agency, to test the harness's promises without any real system behind it.
const module: SubgraphModule = {
  name: 'testagency', agency: 'POLICE', description: 'test',
  typeDefs: `type Query { thing(fail: Boolean): Thing }
    type Thing { id: ID!  secret: String  public: String }`,
  resolvers: { Query: { thing: (_: unknown, a: { fail?: boolean }) => { if (a.fail) throw new AdapterError({ agency: 'testagency', operation: 'getThing', code: 'SOURCE_UNAVAILABLE' }); return { id: '1', secret: 's3cret', public: 'hello' }; } } },
  createClient: () => ({}), createLoaders: () => ({}),
};

function policy(table: FieldTable) {
  return loadPolicy({ testagency: { owner: 'POLICE', table } }).get('testagency')!;
}
const TABLE: FieldTable = {
  'Query.thing': ['OPERATIONAL : * | ISA-CJS-IDENTITY'],
  'Thing.id': ['OPERATIONAL : * | ISA-CJS-IDENTITY'],
  'Thing.public': ['OPERATIONAL : * | ISA-CJS-IDENTITY'],
  'Thing.secret': ['POLICE_OFFICER : INVESTIGATION | own'],
};

async function run(table: FieldTable, who: ReturnType<typeof caller>, query: string) {
  const schema = buildProtectedSchema(module, policy(table));
  return execute({ schema, document: parse(query), contextValue: { caller: who, requestId: 'r', loaders: {}, log: pino({ level: 'silent' }) } });
}

describe('the subgraph harness', () => {
  it('refuses to build a subgraph with a field that has no policy entry, naming the field', () => {
    const { 'Thing.secret': _, ...missing } = TABLE;
    expect(() => buildProtectedSchema(module, policy(missing))).toThrow(/testagency Thing\.secret: no policy entry/);
  });

  it('names every field when the subgraph has no table file at all, after the missing file', () => {
    // testagency is not in the registry, so no schema/policy/fields/testagency.ts is found for it.
    let message = '';
    try { buildProtectedSchema(module); } catch (err) { message = (err as Error).message; }
    expect(message).toMatch(/no field table for subgraph "testagency": add schema\/policy\/fields\/testagency\.ts/);
    for (const f of ['Query.thing', 'Thing.id', 'Thing.secret', 'Thing.public']) expect(message).toContain(`testagency ${f}: no policy entry`);
  });

  it('withholds a DENY field from everyone, its own agency too', async () => {
    const r = await run({ ...TABLE, 'Thing.secret': 'DENY' }, caller('POLICE', ['POLICE_OFFICER'], 'INVESTIGATION'), '{ thing { public secret } }');
    expect(r.data?.thing).toEqual({ public: 'hello', secret: null });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('withholds a field the policy does not grant the caller, as FORBIDDEN with the reason', async () => {
    const r = await run(TABLE, caller('PROBATION'), '{ thing { id public secret } }');
    expect(r.data).toEqual({ thing: { id: '1', public: 'hello', secret: null } });
    expect(r.errors?.map((e) => [e.extensions.code, e.extensions.reason])).toEqual([['FORBIDDEN', 'NOT_PERMITTED']]);
  });

  it('shows the field to the role and purpose the policy names', async () => {
    const r = await run(TABLE, caller('POLICE'), '{ thing { secret } }');
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ thing: { secret: 's3cret' } });
  });

  it('reports an outage as SOURCE_UNAVAILABLE, never as FORBIDDEN', async () => {
    const r = await run(TABLE, caller('POLICE'), '{ thing(fail: true) { id } }');
    expect(r.errors?.map((e) => [e.extensions.code, e.extensions.agency])).toEqual([['SOURCE_UNAVAILABLE', 'testagency']]);
  });

  it('refuses a value-type INHERIT on a root field', () => {
    expect(() => buildProtectedSchema(module, policy({ ...TABLE, 'Query.thing': 'INHERIT' }))).toThrow(/Query\.thing: Query is reachable on its own/);
  });

  it('builds every registered subgraph: every field has a policy entry', async () => {
    const { loadSubgraphs } = await import('../../subgraphs/index.js');
    for (const m of await loadSubgraphs()) expect(() => buildProtectedSchema(m), m.name).not.toThrow();
  });
});
