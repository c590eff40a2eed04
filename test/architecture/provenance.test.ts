// Every object an agency contributes says where it came from. Checked over the composed supergraph
// (schema/supergraph.graphql, what clients see), so a new agency type, or a new agency, without a
// `provenance: Provenance` field fails here.
//
// The rule. An *agency object type* is an object type of the supergraph that only agency subgraphs
// define (a subgraph module with an `agency`, from the registry): the common model's shared value types
// (PersonName, Offence, Provenance itself, ...) are defined by every subgraph, core ones included, and the
// entity stubs that join agencies together (Person, LinkedRecord) are defined by the identity subgraph
// too, so neither is an agency object type. Of those, the only ones without provenance are:
//   - Query and federation's or the graph's internal types (named `_...`);
//   - pages and aggregates (WRAPPERS below): they hold records, each of which carries its own provenance.
// Every other one must have a `provenance` field of type `Provenance`, resolved by an agency subgraph.
import { readFileSync } from 'node:fs';
import { Kind, parse, type ConstDirectiveNode, type ObjectTypeDefinitionNode } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSubgraphs } from '../../subgraphs/index.js';

/** Pages and aggregates of an agency's records: no record of their own, each item has provenance. */
const WRAPPERS: Record<string, string> = {
  VictimPage: 'a page of victims',
  CaseloadPage: 'a page of caseload records',
  PrisonRoll: 'a page of roll entries',
  RollCounts: 'counts over a page of roll entries',
  CourtListPage: 'a page of a court list',
  RemandCasePage: 'a page of remand cases',
  RemandCounts: 'counts over the whole remand list',
};

/** Values the identity subgraph derives from agency records (grades, matches): they name the rule that made them. */
const DERIVED_BY_IDENTITY = ['AgencyLink', 'MatchCandidate', 'PersonMatch'];

const doc = parse(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'));
const objectTypes = doc.definitions.filter((d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION);
const graphNames = new Map<string, string>();
for (const d of doc.definitions) {
  if (d.kind !== Kind.ENUM_TYPE_DEFINITION || d.name.value !== 'join__Graph') continue;
  for (const v of d.values ?? []) {
    const name = v.directives?.find((x) => x.name.value === 'join__graph')?.arguments?.find((a) => a.name.value === 'name')?.value;
    if (name?.kind === Kind.STRING) graphNames.set(v.name.value, name.value);
  }
}
const graphsOf = (directives: readonly ConstDirectiveNode[] | undefined, directive: string): string[] =>
  (directives ?? []).filter((d) => d.name.value === directive).flatMap((d) => {
    const g = d.arguments?.find((a) => a.name.value === 'graph')?.value;
    return g?.kind === Kind.ENUM ? [graphNames.get(g.value)!] : [];
  });

let agencySubgraphs: Set<string>;
let agencyTypes: ObjectTypeDefinitionNode[];
beforeAll(async () => {
  agencySubgraphs = new Set((await loadSubgraphs()).filter((m) => m.agency).map((m) => m.name));
  agencyTypes = objectTypes.filter((t) => {
    const graphs = graphsOf(t.directives, 'join__type');
    return graphs.length > 0 && graphs.every((g) => agencySubgraphs.has(g));
  });
});

const provenanceOf = (t: ObjectTypeDefinitionNode) => t.fields?.find((f) => f.name.value === 'provenance');
const typeName = (node: NonNullable<ReturnType<typeof provenanceOf>>['type']): string =>
  node.kind === Kind.NAMED_TYPE ? node.name.value : node.kind === Kind.NON_NULL_TYPE ? typeName(node.type) : `[${typeName(node.type)}]`;

describe('provenance in the supergraph', () => {
  it('finds the agency object types by the rule (a sanity check on the rule itself)', () => {
    const names = agencyTypes.map((t) => t.name.value);
    expect(agencySubgraphs.size).toBeGreaterThanOrEqual(5);
    // A record type of each agency is in; the shared model and the joining stubs are not.
    expect(names).toEqual(expect.arrayContaining(['Arrest', 'Case', 'CustodyPeriod', 'Supervision', 'Victim']));
    for (const notAgency of ['Person', 'LinkedRecord', 'PersonName', 'Offence', 'Provenance', 'RecordedIdentifier', 'Query']) expect(names).not.toContain(notAgency);
  });

  it('gives every agency object type a `provenance: Provenance` field, resolved by an agency subgraph', () => {
    const missing: string[] = [];
    for (const t of agencyTypes) {
      const name = t.name.value;
      if (name === 'Query' || name.startsWith('_') || WRAPPERS[name]) continue;
      const f = provenanceOf(t);
      if (!f) { missing.push(`${name}: no provenance field`); continue; }
      if (typeName(f.type) !== 'Provenance') missing.push(`${name}.provenance is ${typeName(f.type)}, not Provenance`);
      const by = graphsOf(f.directives, 'join__field');
      const resolvers = by.length ? by : graphsOf(t.directives, 'join__type');
      if (!resolvers.some((g) => agencySubgraphs.has(g))) missing.push(`${name}.provenance is resolved by ${resolvers.join(', ')}, not an agency`);
    }
    expect(missing).toEqual([]);
  });

  it('lists only wrappers that still exist and still have no provenance', () => {
    for (const name of Object.keys(WRAPPERS)) {
      const t = agencyTypes.find((x) => x.name.value === name);
      expect(t, `${name} is no longer an agency object type: drop it from WRAPPERS`).toBeDefined();
    }
  });

  it('gives the values identity derives from agency records (links, match candidates, search matches) provenance too', () => {
    for (const name of DERIVED_BY_IDENTITY) {
      const t = objectTypes.find((x) => x.name.value === name)!;
      expect(provenanceOf(t), `${name}.provenance`).toBeDefined();
    }
  });
});
