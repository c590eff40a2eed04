// A fast-check arbitrary of random VALID queries over the graph's API schema: real entry points
// (personByIdentifier, person, searchPeople, case, victim) with values from the population, random
// selection sets to a bounded depth with inline fragments, named fragments, aliases and @include/@skip
// (literal and variable conditions). Every document is checked with graphql's validate() (a filter, so
// shrinking only ever yields valid documents).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  buildASTSchema, getNamedType, isLeafType, isNonNullType, isObjectType, Kind, parse, print, validate, visit,
  type DefinitionNode, type DocumentNode, type GraphQLField, type GraphQLObjectType, type GraphQLSchema,
} from 'graphql';

// ---- the API schema ------------------------------------------------------------------------------

/** The API schema from schema/supergraph.graphql: the supergraph without its join/link machinery. */
export function apiSchemaFromSupergraph(path = new URL('../../schema/supergraph.graphql', import.meta.url)): GraphQLSchema {
  const doc = parse(readFileSync(path, 'utf8'));
  const internal = (name: string) => name.startsWith('join__') || name.startsWith('link__') || name === 'link' || name === 'inaccessible';
  const definitions = doc.definitions.filter((d) => {
    if (d.kind === Kind.SCHEMA_DEFINITION) return false;
    if (d.kind === Kind.DIRECTIVE_DEFINITION) return !internal(d.name.value);
    if ('name' in d && d.name && internal(d.name.value)) return false;
    return true;
  }) as DefinitionNode[];
  // Drop every use of the internal directives, and anything @inaccessible.
  const stripped = visit({ kind: Kind.DOCUMENT, definitions } as DocumentNode, {
    Directive: (node) => (internal(node.name.value) ? null : undefined),
    FieldDefinition: (node) => (node.directives?.some((d) => d.name.value === 'inaccessible') ? null : undefined),
  });
  return buildASTSchema(stripped, { assumeValidSDL: false });
}

// ---- the generated query -------------------------------------------------------------------------

/**
 * A value for a root argument, optionally with the staff codes related to its records (as `AGENCY:code`,
 * e.g. `PROBATION:N07A012` for the offender manager, `VICTIMS:VLO012` for a victim's liaison officer), so
 * that a test can pick callers for whom record conditions hold.
 */
export type Seed = string | { value: string; related?: readonly string[] };

export interface QuerySeeds {
  /** Valid PNCs of real people. */
  pncs: Seed[];
  /** Other identifiers of real people, with their type (CRN, PRISON_NUMBER, ...). */
  identifiers?: { type: string; value: string; related?: readonly string[] }[];
  surnames: Seed[];
  urns: Seed[];
  victimIds: Seed[];
  /** Person ids (P1:...): real ones and, to probe the key, crafted ones. */
  personIds: Seed[];
  /** Staff codes for the worklists (`myCaseload`, `myVictims`), as Seeds whose `related` names the caller to use. */
  offenderManagers?: Seed[];
  liaisonOfficers?: Seed[];
  /** Court codes with hearings, and a day with some listed after it, for the court list (`courtList`, `remandCases`, `courtBacklog`). */
  courts?: Seed[];
  listingDay?: string;
  /** Months (`YYYY-MM`) the aggregates' windows start in. */
  months?: string[];
}

export interface QueryOptions {
  /** Object levels below a root field (default 5: searchPeople → person → cases → victims → address). */
  maxDepth?: number;
  /** Coordinates (`Type.field`) to select more often, e.g. those on the paths to protected values. */
  boost?: ReadonlySet<string>;
  /** Expected number of fields selected per selection set, before boosting (default 2). */
  fieldsPerSet?: number;
  /** Relative weights of the root fields (default personByIdentifier 3, person 3, searchPeople 1, case 2, victim 2). */
  /** Most root fields in one query (default 2); more make lists of people resolved together in shared waves. */
  maxRoots?: number;
  rootWeights?: Partial<Record<'personByIdentifier' | 'person' | 'searchPeople' | 'case' | 'victim' | 'myCaseload' | 'myVictims' | 'courtList' | 'remandCases' | 'courtBacklog' | 'aggregates', number>>;
}

export interface GeneratedQuery {
  query: string;
  variables: Record<string, unknown>;
  /** Staff codes related to the records the root fields name (see Seed), sorted, without duplicates. */
  related: string[];
}

type Cond = { directive: 'include' | 'skip'; value: boolean; via: 'literal' | 'variable' | 'default' } | null;

type Sel =
  | { k: 'field'; name: string; alias: boolean; cond: Cond; children: Sel[] | null }
  | { k: 'inline'; typed: boolean; cond: Cond; children: Sel[] }
  | { k: 'named'; cond: Cond; children: Sel[] };

interface RootArg { name: string; type: string; value: unknown; asVariable: boolean }
interface RootSel { field: string; args: RootArg[]; cond: Cond; children: Sel[]; related: readonly string[] }

// ---- arbitraries ---------------------------------------------------------------------------------

/** A condition; most keep the field (@include(if: true) / @skip(if: false)) so that data flows. */
const condArb: fc.Arbitrary<Cond> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(null) },
  {
    weight: 3,
    arbitrary: fc.record({
      directive: fc.constantFrom('include' as const, 'skip' as const),
      keep: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      via: fc.constantFrom('literal' as const, 'variable' as const, 'default' as const),
    }).map(({ directive, keep, via }) => ({ directive, value: directive === 'include' ? keep : !keep, via })),
  },
);

const aliasArb = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

/** A value for a required argument below the root: only dates are asked for there (`policeEvents(since:)`). */
const REQUIRED_ARG_VALUES: Record<string, string> = { Date: '"2000-01-01"' };

function selectable(type: GraphQLObjectType): GraphQLField<unknown, unknown>[] {
  // Fields a selection can name without arguments, or with required arguments of a type given a value above.
  return Object.values(type.getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type) || REQUIRED_ARG_VALUES[getNamedType(a.type).name]));
}

/** The required arguments of a field below the root, written out: `(since: "2000-01-01")`, or nothing. */
function requiredArgs(field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((a) => isNonNullType(a.type)).map((a) => `${a.name}: ${REQUIRED_ARG_VALUES[getNamedType(a.type).name]}`);
  return args.length ? `(${args.join(', ')})` : '';
}

export function queryArbitrary(schema: GraphQLSchema, seeds: QuerySeeds, options: QueryOptions = {}): fc.Arbitrary<GeneratedQuery> {
  const maxDepth = options.maxDepth ?? 5;
  const boost = options.boost ?? new Set<string>();
  const perSet = options.fieldsPerSet ?? 2;
  const memo = new Map<string, fc.Arbitrary<Sel[]>>();

  /** Selections for an object type with `budget` object levels left (1 = leaves only). */
  function selections(type: GraphQLObjectType, budget: number): fc.Arbitrary<Sel[]> {
    const key = `${type.name}@${budget}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const fields = selectable(type).filter((f) => budget > 1 || isLeafType(getNamedType(f.type)));
    const n = Math.max(fields.length, 1);
    const fieldArbs = fields.map((f) => {
      const named = getNamedType(f.type);
      const boosted = boost.has(`${type.name}.${f.name}`);
      const p = Math.min(0.9, boosted ? 0.6 : perSet / n);
      const w = Math.max(1, Math.round((p / (1 - p)) * 100));
      const child = isObjectType(named) ? selections(named, budget - 1) : fc.constant(null);
      const field = fc.record({ alias: aliasArb, cond: condArb, children: child })
        .map(({ alias, cond, children }): Sel => ({ k: 'field', name: f.name, alias, cond, children }));
      return fc.oneof({ weight: 100, arbitrary: fc.constant(null) }, { weight: w, arbitrary: field });
    });
    const typename: Sel = { k: 'field', name: '__typename', alias: false, cond: null, children: null };
    const picked = fc.tuple(...fieldArbs).map((list) => list.filter((s): s is Sel => s !== null));
    // Some selections go into an inline fragment or a named fragment on the same type.
    const wrapped = fc.tuple(picked, fc.nat({ max: 9 }), fc.nat({ max: 9 }), condArb, fc.boolean()).map(([sels, inlineAt, namedAt, cond, typed]): Sel[] => {
      if (sels.length === 0) return [typename];
      const out: Sel[] = [];
      sels.forEach((s, i) => {
        if (i === inlineAt) out.push({ k: 'inline', typed, cond, children: [s] });
        else if (i === namedAt) out.push({ k: 'named', cond: null, children: [s] });
        else out.push(s);
      });
      return out;
    });
    memo.set(key, wrapped);
    return wrapped;
  }

  const query = schema.getQueryType()!;
  const rootChildren = (field: string) => selections(getNamedType(query.getFields()[field].type) as GraphQLObjectType, maxDepth);
  const asVar = fc.oneof({ weight: 3, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  const seed = (s: Seed) => (typeof s === 'string' ? { value: s, related: [] as readonly string[] } : { value: s.value, related: s.related ?? [] });
  const pick = (list: readonly Seed[], what: string) => {
    if (!list.length) throw new Error(`queryArbitrary: no ${what} to choose from`);
    return fc.constantFrom(...list.map(seed));
  };

  const pncs = seeds.pncs.map(seed).map((s) => ({ type: 'PNC', ...s }));
  const identifiers = [...pncs, ...(seeds.identifiers ?? []).map((i) => ({ type: i.type, value: i.value, related: i.related ?? [] }))];
  const roots: fc.Arbitrary<RootSel>[] = [
    fc.record({
      id: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...pncs) }, { weight: 1, arbitrary: fc.constantFrom(...identifiers) }),
      v1: asVar, v2: asVar, cond: condArb, children: rootChildren('personByIdentifier'),
    }).map(({ id, v1, v2, cond, children }) => ({ field: 'personByIdentifier', cond, children, related: id.related, args: [
      { name: 'type', type: 'IdentifierType!', value: { enum: id.type }, asVariable: v1 },
      { name: 'value', type: 'String!', value: id.value, asVariable: v2 },
    ] })),
    fc.record({ id: pick(seeds.personIds, 'person ids'), v: asVar, cond: condArb, children: rootChildren('person') })
      .map(({ id, v, cond, children }) => ({ field: 'person', cond, children, related: id.related, args: [{ name: 'id', type: 'ID!', value: id.value, asVariable: v }] })),
    fc.record({ s: pick(seeds.surnames, 'surnames'), v: asVar, cond: condArb, children: rootChildren('searchPeople') })
      .map(({ s, v, cond, children }) => ({ field: 'searchPeople', cond, children, related: s.related, args: [{ name: 'surname', type: 'String!', value: s.value, asVariable: v }] })),
    fc.record({ urn: pick(seeds.urns, 'case URNs'), v: asVar, cond: condArb, children: rootChildren('case') })
      .map(({ urn, v, cond, children }) => ({ field: 'case', cond, children, related: urn.related, args: [{ name: 'urn', type: 'ID!', value: urn.value, asVariable: v }] })),
    fc.record({ id: pick(seeds.victimIds, 'victim ids'), v: asVar, cond: condArb, children: rootChildren('victim') })
      .map(({ id, v, cond, children }) => ({ field: 'victim', cond, children, related: id.related, args: [{ name: 'id', type: 'ID!', value: id.value, asVariable: v }] })),
  ];
  // Worklists: a small page (the cost model sizes a page's lists by `first`), for a caller whose staff code the seed names.
  const worklist = (field: 'myCaseload' | 'myVictims', list: readonly Seed[] | undefined) =>
    fc.record({ who: list?.length ? fc.constantFrom(...list.map(seed)) : fc.constant({ value: '', related: [] as readonly string[] }), first: fc.integer({ min: 1, max: 4 }), v: asVar, cond: condArb, children: rootChildren(field) })
      .map(({ who, first, v, cond, children }): RootSel => ({ field, cond, children, related: who.related, args: [{ name: 'first', type: 'Int', value: first, asVariable: v }] }));
  if (query.getFields().myCaseload) roots.push(worklist('myCaseload', seeds.offenderManagers));
  if (query.getFields().myVictims) roots.push(worklist('myVictims', seeds.liaisonOfficers));
  const w = { personByIdentifier: 3, person: 3, searchPeople: 1, case: 2, victim: 2, myCaseload: 2, myVictims: 2, courtList: 1, remandCases: 2, courtBacklog: 1, aggregates: 1, ...options.rootWeights };
  // The court list: a court between two days, the remand cases, the backlog (arguments the root needs, as the seeds give them).
  const day = seeds.listingDay ?? '2026-11-01';
  const listing: { weight: number; arbitrary: fc.Arbitrary<RootSel> }[] = [];
  if (query.getFields().courtList && seeds.courts?.length) {
    listing.push({ weight: w.courtList, arbitrary: fc.record({ court: pick(seeds.courts, 'courts'), first: fc.integer({ min: 1, max: 4 }), v: asVar, cond: condArb, children: rootChildren('courtList') })
      .map(({ court, first, v, cond, children }): RootSel => ({ field: 'courtList', cond, children, related: court.related, args: [
        { name: 'court', type: 'String!', value: court.value, asVariable: v }, { name: 'from', type: 'Date!', value: day, asVariable: v },
        { name: 'to', type: 'Date!', value: '2027-03-31', asVariable: false }, { name: 'first', type: 'Int', value: first, asVariable: v }] })) });
  }
  if (query.getFields().remandCases) {
    listing.push({ weight: w.remandCases, arbitrary: fc.record({ first: fc.integer({ min: 1, max: 4 }), v: asVar, cond: condArb, children: rootChildren('remandCases') })
      .map(({ first, v, cond, children }): RootSel => ({ field: 'remandCases', cond, children, related: [], args: [
        { name: 'on', type: 'Date', value: day, asVariable: v }, { name: 'first', type: 'Int', value: first, asVariable: v }] })) });
  }
  if (query.getFields().courtBacklog) {
    listing.push({ weight: w.courtBacklog, arbitrary: fc.record({ v: asVar, cond: condArb, children: rootChildren('courtBacklog') })
      .map(({ v, cond, children }): RootSel => ({ field: 'courtBacklog', cond, children, related: [], args: [{ name: 'on', type: 'Date', value: day, asVariable: v }] })) });
  }
  // Aggregates (counts under disclosure control): every root field returning a StatisticsTable or a type
  // holding them, found in the schema, so a new aggregate is covered without a line here.
  const months = seeds.months?.length ? seeds.months : ['2026-01'];
  const aggregateRoots = Object.values(query.getFields()).filter((f) => {
    const t = getNamedType(f.type);
    return isObjectType(t) && (t.name === 'StatisticsTable' || Object.values(t.getFields()).some((x) => getNamedType(x.type).name === 'StatisticsTable'));
  });
  const aggregateArb = aggregateRoots.map((f) => fc.record({ from: fc.constantFrom(...months), span: fc.integer({ min: 0, max: 11 }), first: fc.integer({ min: 1, max: 4 }), v: asVar, cond: condArb, children: rootChildren(f.name) })
    .map(({ from, span, first, v, cond, children }): RootSel => {
      const to = (() => { const [y, m] = from.split('-').map(Number); const k = y * 12 + m - 1 + span; return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`; })();
      const args: RootArg[] = f.args.flatMap((a): RootArg[] => {
        if (a.name === 'fromMonth') return [{ name: a.name, type: String(a.type), value: from, asVariable: v }];
        if (a.name === 'toMonth') return [{ name: a.name, type: String(a.type), value: to, asVariable: v }];
        if (a.name === 'first') return [{ name: a.name, type: String(a.type), value: first, asVariable: v }];
        return [];
      });
      return { field: f.name, cond, children, related: [], args };
    }));
  // Data-quality reports: one agency's counts (examples only for its own staff), over the last 90 days.
  if (query.getFields().dataQualityReport) {
    const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
    aggregateArb.push(fc.record({ agency: fc.constantFrom('COURTS', 'PRISONS', 'POLICE'), v: asVar, cond: condArb, children: rootChildren('dataQualityReport') })
      .map(({ agency, v, cond, children }): RootSel => ({ field: 'dataQualityReport', cond, children, related: [], args: [
        { name: 'agency', type: 'Agency!', value: { enum: agency }, asVariable: v }, { name: 'since', type: 'Date!', value: since, asVariable: v }] })));
  }
  const root = fc.oneof(
    { weight: w.personByIdentifier, arbitrary: roots[0] }, { weight: w.person, arbitrary: roots[1] }, { weight: w.searchPeople, arbitrary: roots[2] },
    { weight: w.case, arbitrary: roots[3] }, { weight: w.victim, arbitrary: roots[4] },
    ...(roots[5] ? [{ weight: w.myCaseload, arbitrary: roots[5] }] : []), ...(roots[6] ? [{ weight: w.myVictims, arbitrary: roots[6] }] : []),
    ...listing.filter((l) => l.weight > 0),
    ...aggregateArb.map((arbitrary) => ({ weight: w.aggregates, arbitrary })),
  );

  return fc.tuple(fc.array(root, { minLength: 1, maxLength: options.maxRoots ?? 2 }), fc.boolean())
    .map(([rootSels, named]) => render(schema, rootSels, named))
    .filter((q) => validate(schema, parse(q.query)).length === 0);
}

// ---- printing ------------------------------------------------------------------------------------

function render(schema: GraphQLSchema, roots: RootSel[], namedOperation: boolean): GeneratedQuery {
  const variables: Record<string, unknown> = {};
  const varDefs: string[] = [];
  const fragments: string[] = [];
  let alias = 0;
  let fragment = 0;
  let variable = 0;

  const literal = (v: unknown): string =>
    typeof v === 'object' && v !== null && 'enum' in v ? String((v as { enum: string }).enum) : JSON.stringify(v);
  const directive = (c: Cond): string => {
    if (!c) return '';
    if (c.via === 'literal') return ` @${c.directive}(if: ${c.value})`;
    const name = `c${variable++}`;
    if (c.via === 'variable') { varDefs.push(`$${name}: Boolean!`); variables[name] = c.value; }
    else varDefs.push(`$${name}: Boolean = ${c.value}`); // the default applies: no value is sent
    return ` @${c.directive}(if: $${name})`;
  };
  const set = (type: GraphQLObjectType, sels: Sel[]): string => `{ ${sels.map((s) => selection(type, s)).join(' ')} }`;
  const selection = (type: GraphQLObjectType, s: Sel): string => {
    if (s.k === 'inline') return `...${s.typed ? ` on ${type.name}` : ''}${directive(s.cond)} ${set(type, s.children)}`;
    if (s.k === 'named') {
      const name = `F${fragment++}_${type.name}`;
      const spreadCond = directive(s.cond);
      fragments.push(`fragment ${name} on ${type.name} ${set(type, s.children)}`);
      return `...${name}${spreadCond}`;
    }
    const def = type.getFields()[s.name];
    const head = `${s.alias ? `a${alias++}: ` : ''}${s.name}${def ? requiredArgs(def) : ''}${directive(s.cond)}`;
    if (!s.children) return head;
    const child = getNamedType(type.getFields()[s.name].type) as GraphQLObjectType;
    return `${head} ${set(child, s.children)}`;
  };

  const query = schema.getQueryType()!;
  const body = roots.map((r, i) => {
    const args = r.args.map((a) => {
      if (!a.asVariable) return `${a.name}: ${literal(a.value)}`;
      const name = `r${variable++}`;
      varDefs.push(`$${name}: ${a.type}`);
      variables[name] = typeof a.value === 'object' && a.value !== null && 'enum' in a.value ? (a.value as { enum: string }).enum : a.value;
      return `${a.name}: $${name}`;
    }).join(', ');
    // Two root fields need distinct response names; one may go unaliased.
    const head = `${roots.length > 1 || i > 0 ? `q${i}: ` : ''}${r.field}(${args})${directive(r.cond)}`;
    const child = getNamedType(query.getFields()[r.field].type) as GraphQLObjectType;
    return `${head} ${set(child, r.children)}`;
  }).join(' ');

  const header = varDefs.length || namedOperation ? `query ${namedOperation ? 'Probe' : ''}${varDefs.length ? `(${varDefs.join(', ')})` : ''} ` : '';
  const text = `${header}{ ${body} }${fragments.length ? `\n${fragments.join('\n')}` : ''}`;
  return { query: print(parse(text)), variables, related: [...new Set(roots.flatMap((r) => r.related))].sort() };
}
