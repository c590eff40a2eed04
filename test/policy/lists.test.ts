// Lists under the policy: an item the caller may not see is left out or shown as withheld, as the failed
// condition's `inLists` says, whatever fields the query selects; the audit log names it either way. And
// the policy wraps only the fields that need a decision, without losing deny by default.
import { execute, GraphQLError, parse } from 'graphql';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CourtsClient } from '../../adapters/courts/client.js';
import { ageOn } from '../../adapters/normalise.js';
import { auditRecord } from '../../gateway/audit.js';
import type { StandIn } from '../../legacy/faults.js';
import { generatePopulation, type CourtCase, type Population } from '../../legacy/population.js';
import { CONDITION_IN_LISTS, CONDITIONS, loadPolicy, type FieldTable } from '../../schema/policy/index.js';
import courts from '../../subgraphs/courts/index.js';
import { RequestDisclosures } from '../../subgraphs/disclosures.js';
import { buildProtectedSchema, buildUnprotectedSchema } from '../../subgraphs/harness.js';
import { compilePolicy, setPolicyClock } from '../../subgraphs/policy.js';
import type { Caller, SubgraphModule } from '../../subgraphs/types.js';
import { caller } from '../helpers/subgraph.js';

type Result = Awaited<ReturnType<typeof execute>>;
const reasons = (r: Result) => (r.errors ?? []).map((e) => e.extensions?.reason);

async function run(schema: ReturnType<typeof buildProtectedSchema>, module: SubgraphModule, client: unknown, who: Caller, query: string, variables?: Record<string, unknown>) {
  const disclosures = new RequestDisclosures();
  const contextValue = { caller: who, requestId: 'lists-test', loaders: module.createLoaders(client, 'lists-test'), log: pino({ level: 'silent' }), disclosures };
  const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue });
  return { result, disclosures: disclosures.toJSON() };
}

describe('the policy vocabulary', () => {
  it('says for every record condition whether a list leaves the record out or shows it withheld', () => {
    for (const c of Object.keys(CONDITIONS)) expect(['OMIT', 'WITHHOLD'], c).toContain((CONDITION_IN_LISTS as Record<string, string>)[c]);
    expect(CONDITION_IN_LISTS.ADULT_AT_OFFENCE).toBe('OMIT');
  });
});

// ---- a court's cases: a youth case among adult ones -------------------------------------------------
describe('a list of court cases with a youth case in it', () => {
  let population: Population;
  let standIn: StandIn;
  let client: CourtsClient;
  let restoreClock: () => void;
  let schema: ReturnType<typeof buildProtectedSchema>;
  let defendantId: string;
  let youth: CourtCase;
  let adult: CourtCase[];

  beforeAll(async () => {
    population = generatePopulation({ size: 300 });
    restoreClock = setPolicyClock(() => new Date(`${population.referenceDate}T12:00:00Z`));
    standIn = await (await courts.standIn!())({ population, port: 0 });
    // A generous timeout: this tests the policy, not the court system's speed on a loaded machine.
    client = await courts.createClient({ ...standIn.env, COURTS_TIMEOUT_MS: '30000' });
    schema = buildProtectedSchema(courts);
    const isYouth = (c: CourtCase) => {
      const dob = population.courts.defendants.find((d) => d.defendantId === c.defendantId)!.dateOfBirth!;
      return c.offences.some((o) => ageOn(dob, o.offenceDate) < 18);
    };
    // A defendant with a youth case and at least one adult case, so the list is not simply empty.
    const mixed = population.courts.defendants.find((d) => {
      const cases = population.courts.cases.filter((c) => c.defendantId === d.defendantId);
      return d.dateOfBirth && cases.some(isYouth) && cases.some((c) => !isYouth(c));
    });
    if (!mixed) throw new Error('expected the population to hold a defendant with both a youth and an adult case');
    defendantId = mixed.defendantId;
    const cases = population.courts.cases.filter((c) => c.defendantId === defendantId);
    youth = cases.find(isYouth)!;
    adult = cases.filter((c) => !isYouth(c));
  });
  afterAll(async () => {
    restoreClock();
    await standIn.close();
  });

  const casesOf = (selection: string) => `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Person { cases { ${selection} } } } }`;
  // The person key the identity subgraph gives: one courts part per ASN of the defendant's cases.
  const reps = () => ({ reps: [{ __typename: 'Person', id: `P1:${population.courts.cases.filter((c) => c.defendantId === defendantId).map((c) => `courts=${c.asn}`).sort().join(',')}` }] });
  const listed = (r: Result) => (r.data as { _entities: { cases: { urn?: string }[] }[] })._entities[0].cases;

  it('a prison officer\'s list of cases omits a youth case without an error', async () => {
    const { result } = await run(schema, courts, client, caller('PRISONS'), casesOf('urn court { code }'), reps());
    expect(result.errors).toBeUndefined();
    expect(listed(result).map((c) => c.urn).sort()).toEqual(adult.map((c) => c.urn).sort());
    expect(JSON.stringify(result)).not.toContain(youth.urn);
  });

  it('a police officer\'s list of cases still shows the youth case', async () => {
    const { result } = await run(schema, courts, client, caller('POLICE'), casesOf('urn'), reps());
    expect(result.errors).toBeUndefined();
    expect(listed(result).map((c) => c.urn)).toContain(youth.urn);
  });

  it('a probation officer\'s list leaves the youth case out even when the query selects only fields nobody in probation may see', async () => {
    // Were the item kept here, counting the items of this query against the one above would reveal it.
    const { result } = await run(schema, courts, client, caller('PROBATION'), casesOf('asn'), reps());
    expect(listed(result)).toHaveLength(adult.length);
    expect(reasons(result).every((r) => r === 'NOT_PERMITTED')).toBe(true);
  });

  it('the audit record lists the omitted youth case as withheld', async () => {
    const who = caller('PRISONS');
    const { disclosures } = await run(schema, courts, client, who, casesOf('urn'), reps());
    const omitted = disclosures.find((d) => d.coordinate === 'Person.cases' && d.decision === 'WITHHELD');
    expect(omitted).toMatchObject({ agency: 'courts', reason: 'YOUTH_RECORD', subjectIds: [`case=${youth.urn}`] });
    // The gateway's audit record carries it as a withheld entry, and names the case among the subjects.
    const record = auditRecord({ ...who, requestId: 'lists-test', staffCode: null, justification: null } as never, { query: casesOf('urn') }, disclosures, 'SUCCESS', 'v');
    expect(record.withheld).toContainEqual(expect.objectContaining({ coordinate: 'Person.cases', reason: 'YOUTH_RECORD', subjectIds: [`case=${youth.urn}`] }));
    expect(record.subjects.map((s) => s.id)).toContain(`case=${youth.urn}`);
  });

  it('the audit record of a police officer\'s list withholds no case', async () => {
    const { disclosures } = await run(schema, courts, client, caller('POLICE'), casesOf('urn'), reps());
    expect(disclosures.filter((d) => d.decision === 'WITHHELD')).toEqual([]);
    expect(disclosures.find((d) => d.coordinate === 'Case.urn')?.subjectIds).toContain(`case=${youth.urn}`);
  });
});

// ---- a tiny agency: omitted and withheld items, remembered decisions, unwrapped fields ----------------
const items = [
  { id: 'A1', youth: false, restricted: false, note: 'adult one', place: { wing: 'WING-A1' } },
  { id: 'Y1', youth: true, restricted: false, note: 'youth one', place: { wing: 'WING-Y1' } },
  { id: 'R1', youth: false, restricted: true, note: 'restricted one', place: { wing: 'WING-R1' } },
  { id: 'A2', youth: false, restricted: false, note: 'adult two', place: { wing: 'WING-A2' } },
];
const registry: SubgraphModule = {
  name: 'testlists', agency: 'PRISONS', description: 'test',
  typeDefs: `type Query { records: [Rec]  record(id: ID!): Rec }
    type Rec @key(fields: "id") { id: ID!  note: String  place: Place }
    type Place { wing: String }`,
  resolvers: { Query: { records: () => items, record: (_: unknown, a: { id: string }) => items.find((i) => i.id === a.id) ?? null } },
  policyFacts: { Rec: (r: { youth: boolean; restricted: boolean }) => ({ youth: r.youth, restricted: r.restricted }) },
  createClient: () => ({}), createLoaders: () => ({}),
};
const TABLE: FieldTable = {
  'Query.records': ['PRISON_OFFICER : * | own', 'POLICE_OFFICER : * | ISA-HMPPS-POLICE'],
  'Query.record': ['PRISON_OFFICER : * | own'],
  'Rec.id': ['PRISON_OFFICER : * | own | if ADULT_AT_OFFENCE & NOT_RESTRICTED', 'POLICE_OFFICER : * | ISA-HMPPS-POLICE'],
  'Rec.note': ['PRISON_OFFICER : * | own | if ADULT_AT_OFFENCE & NOT_RESTRICTED'],
  'Rec.place': ['PRISON_OFFICER : * | own | if ADULT_AT_OFFENCE & NOT_RESTRICTED'],
  'Place.*': 'INHERIT',
};
const testPolicy = loadPolicy({ testlists: { owner: 'PRISONS', table: TABLE } }).get('testlists')!;
const ALL = '{ records { id note place { wing } } }';

describe('a list whose items fail different conditions', () => {
  const schema = buildProtectedSchema(registry, testPolicy);

  it('leaves out the youth record, shows the restricted one as withheld, and the adults in full', async () => {
    const { result, disclosures } = await run(schema, registry, {}, caller('PRISONS'), ALL);
    // R1's fields are withheld and `id: ID!` takes the item with it: a null item with its reason.
    expect(result.data).toEqual({ records: [{ id: 'A1', note: 'adult one', place: { wing: 'WING-A1' } }, null, { id: 'A2', note: 'adult two', place: { wing: 'WING-A2' } }] });
    expect(reasons(result)).toEqual(['RESTRICTED_RECORD', 'RESTRICTED_RECORD', 'RESTRICTED_RECORD']);
    expect((result.errors ?? []).map((e) => e.path?.join('.')).sort()).toEqual(['records.1.id', 'records.1.note', 'records.1.place']);
    expect(JSON.stringify(result)).not.toMatch(/Y1|youth|YOUTH/);
    expect(disclosures).toContainEqual(expect.objectContaining({ coordinate: 'Query.records', decision: 'WITHHELD', reason: 'YOUTH_RECORD' }));
  });

  it('shows every record to a caller whose grant has no condition on them', async () => {
    const { result } = await run(schema, registry, {}, caller('POLICE'), '{ records { id } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ records: items.map((i) => ({ id: i.id })) });
  });

  it('never applies a decision made for one item to the next item when their conditions differ', async () => {
    // The same records in another order: a remembered "shown" for an adult must not show the youth record.
    const reversed = [...items].reverse();
    const module = { ...registry, resolvers: { Query: { records: () => reversed, record: () => null } } };
    const { result } = await run(buildProtectedSchema(module, testPolicy), module, {}, caller('PRISONS'), ALL);
    expect(result.data).toEqual({ records: [{ id: 'A2', note: 'adult two', place: { wing: 'WING-A2' } }, null, { id: 'A1', note: 'adult one', place: { wing: 'WING-A1' } }] });
    expect(JSON.stringify(result)).not.toContain('WING-Y1');
  });

  it('withholds a field on every restricted item with an error that reads as one made for that item alone', async () => {
    const many = Array.from({ length: 5 }, (_x, i) => ({ id: `R${i}`, youth: false, restricted: true, note: `restricted ${i}`, place: { wing: `W${i}` } }));
    const module = { ...registry, resolvers: { Query: { records: () => many, record: () => null } } };
    const { result } = await run(buildProtectedSchema(module, testPolicy), module, {}, caller('PRISONS'), '{ records { note } }');
    expect(result.data).toEqual({ records: many.map(() => ({ note: null })) });
    expect(result.errors).toHaveLength(5);
    const fresh = (e: GraphQLError) => new GraphQLError(e.message, { nodes: e.nodes, path: e.path, extensions: { ...e.extensions } });
    // The first item's decision is graphql-shield's (asynchronous), so its error may come last.
    const errors = [...(result.errors ?? [])].sort((a, b) => Number(a.path?.[1]) - Number(b.path?.[1]));
    for (const [i, e] of errors.entries()) {
      expect(e).toBeInstanceOf(GraphQLError);
      expect(e.path).toEqual(['records', i, 'note']);
      expect(Object.keys(e)).toEqual(Object.keys(fresh(e)));
      expect(JSON.stringify(e)).toBe(JSON.stringify(fresh(e)));
      expect(e.extensions).toEqual({ code: 'FORBIDDEN', reason: 'RESTRICTED_RECORD', agreement: null, field: 'Rec.note' });
    }
  });

  it('shows one youth record asked for by its id as withheld: the caller named it, so nothing new is revealed', async () => {
    const { result } = await run(schema, registry, {}, caller('PRISONS'), '{ record(id: "Y1") { id note } }');
    expect(result.data).toEqual({ record: null });
    expect(reasons(result)).toEqual(['YOUTH_RECORD', 'YOUTH_RECORD']);
  });
});

describe('fields without a wrapper', () => {
  it('wraps every field with a grant and leaves out only INHERIT fields and shared value types', () => {
    const compiled = compilePolicy('testlists', buildUnprotectedSchema(registry), registry.policyFacts, testPolicy);
    const unwrapped = [...compiled.unwrapped.keys()];
    expect(unwrapped).toContain('Place.wing');
    expect(unwrapped).toContain('PersonName.fullName');
    for (const coordinate of Object.keys(TABLE).filter((k) => TABLE[k] !== 'INHERIT')) expect(unwrapped).not.toContain(coordinate);
    expect(unwrapped.some((c) => c.startsWith('Query.') || c.startsWith('Rec.'))).toBe(false);
    // `_`-named types are the internal value types of the common model, reachable only through internal fields.
    for (const c of unwrapped.filter((x) => x.startsWith('_'))) expect(compiled.unwrapped.get(c)).toMatch(/^an internal value type/);
  });

  it('shows a value type\'s fields only when the field that returned it is shown', async () => {
    const schema = buildProtectedSchema(registry, testPolicy);
    const { result } = await run(schema, registry, {}, caller('POLICE'), '{ records { id place { wing } } }');
    expect((result.data as { records: { place: unknown }[] }).records.every((r) => r.place === null)).toBe(true);
    expect(JSON.stringify(result.data)).not.toContain('WING-');
    expect(reasons(result).every((r) => r === 'NOT_PERMITTED')).toBe(true);
  });
});
