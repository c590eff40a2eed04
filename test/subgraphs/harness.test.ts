import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { buildProtectedSchema } from '../../subgraphs/harness.js';
import { isAnyCaller, isFromAgency } from '../../subgraphs/rules.js';
import type { SubgraphModule } from '../../subgraphs/types.js';
import { caller, executeAs } from '../helpers/subgraph.js';

// A tiny agency, to test the harness's promises without any real system behind it.
function agency(overrides: Partial<SubgraphModule> = {}): SubgraphModule {
  return {
    name: 'testagency', agency: 'TESTAGENCY', description: 'test',
    typeDefs: `type Query { thing(fail: Boolean): Thing }
      type Thing { id: ID!  secret: String  public: String }`,
    resolvers: { Query: { thing: (_: unknown, a: { fail?: boolean }) => { if (a.fail) throw new AdapterError({ agency: 'testagency', operation: 'getThing', code: 'SOURCE_UNAVAILABLE' }); return { id: '1', secret: 's3cret', public: 'hello' }; } } },
    permissions: { Query: { thing: isAnyCaller }, Thing: { id: isAnyCaller, public: isAnyCaller, secret: isFromAgency('TESTAGENCY') } },
    createClient: () => ({}), createLoaders: () => ({}),
    ...overrides,
  };
}

describe('the subgraph harness', () => {
  it('refuses to build a subgraph with a field that has no policy entry, naming the field', () => {
    const m = agency({ permissions: { Query: { thing: isAnyCaller }, Thing: { id: isAnyCaller, public: isAnyCaller } } });
    expect(() => buildProtectedSchema(m)).toThrow(/no disclosure policy for Thing\.secret/);
  });

  it('withholds a field from a caller the policy does not name, as FORBIDDEN', async () => {
    const r = await executeAs(agency(), {}, caller('OTHER'), '{ thing { id public secret } }');
    expect(r.data).toEqual({ thing: { id: '1', public: 'hello', secret: null } });
    expect(r.errors?.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });

  it('shows the field to the agency the policy names', async () => {
    const r = await executeAs(agency(), {}, caller('TESTAGENCY'), '{ thing { secret } }');
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ thing: { secret: 's3cret' } });
  });

  it('reports an outage as SOURCE_UNAVAILABLE, never as FORBIDDEN', async () => {
    const r = await executeAs(agency(), {}, caller('TESTAGENCY'), '{ thing(fail: true) { id } }');
    expect(r.errors?.map((e) => [e.extensions.code, e.extensions.agency])).toEqual([['SOURCE_UNAVAILABLE', 'testagency']]);
  });

  it('denies by default a field whose rule table entry is missing at run time', async () => {
    // Built with '*' for coverage, but the rule for Thing is deny-all via shield's fallback when the type entry is absent.
    const m = agency({ permissions: { Query: { thing: isAnyCaller }, Thing: { '*': isFromAgency('NOBODY') } } });
    const r = await executeAs(m, {}, caller('TESTAGENCY'), '{ thing { id } }');
    expect(r.data).toEqual({ thing: null });
    expect(r.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('checks every registered subgraph has a policy entry for every field', async () => {
    const { loadSubgraphs } = await import('../../subgraphs/index.js');
    for (const m of await loadSubgraphs()) expect(() => buildProtectedSchema(m), m.name).not.toThrow();
  });
});

