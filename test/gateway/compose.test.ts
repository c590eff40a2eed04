import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CompositionError, composeSupergraph } from '../../gateway/compose.js';
import { loadSubgraphs } from '../../subgraphs/index.js';

describe('supergraph composition', () => {
  it('is deterministic and matches the checked-in schema/supergraph.graphql', async () => {
    const modules = await loadSubgraphs();
    const a = composeSupergraph(modules);
    const b = composeSupergraph([...modules].reverse());
    expect(b).toBe(a);
    const checkedIn = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');
    expect(checkedIn.replace(/^#.*\n/, '').trimEnd()).toBe(a.trimEnd());
  });

  it('names the subgraph and the field when two subgraphs disagree', async () => {
    const modules = await loadSubgraphs();
    const broken = modules.map((m) => (m.name === 'victims' ? { ...m, typeDefs: m.typeDefs.replace(/urn: ID!/, 'urn: Int!') } : m));
    let err: unknown;
    try { composeSupergraph(broken); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CompositionError);
    expect((err as Error).message).toMatch(/victims/);
    expect((err as Error).message).toMatch(/Case\.urn/);
  });

  it('names the subgraph whose SDL does not parse', async () => {
    const [police] = await loadSubgraphs(['police']);
    expect(() => composeSupergraph([{ ...police, typeDefs: 'type Person @key(fields: "id") { id: ID! ' }])).toThrow(/\[police\].*does not parse/);
  });
});
