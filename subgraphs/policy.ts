// The policy engine: compiles the disclosure policy (schema/policy) into one graphql-shield rule map
// per subgraph, behind this module's own interface so the engine can be swapped later.
//  - deny by default: every field needs an entry, or the subgraph refuses to start (naming the fields);
//  - 'INHERIT' fields get no decision of their own; only value types may inherit, never an entity
//    (reachable through _entities) nor a root field;
//  - only fields that need a decision are wrapped: INHERIT fields and the shared value types get no
//    wrapper (graphql-shield's wrapper is async on every field it touches, which is what big lists pay for);
//  - graphql-shield makes each decision the first time a request meets it; the same decision again (the
//    same field for the same caller, on a record meeting the same conditions) is applied from a
//    per-request memo, synchronously. A decision reads the caller and the record's condition outcomes
//    only, so no decision leaks across list items that differ in them;
//  - a list leaves out an item the caller may not know exists, as the failed condition's `inLists`
//    says (schema/policy/vocabulary.ts), and records it as withheld for the audit trail.
import { defaultFieldResolver, getNamedType, GraphQLError, type FieldNode, type GraphQLObjectType, isListType, isNonNullType, isObjectType, isUnionType, responsePathAsArray, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import type { IMiddlewareFunction, IMiddlewareTypeMap } from 'graphql-middleware';
import { allow, rule } from 'graphql-shield';
import type { IRule, IRules } from 'graphql-shield';
import { AdapterError } from '../adapters/errors.js';
import { AGREEMENTS, entryFor, loadPolicy, PolicyError, ROLES, type Grant, type SubgraphPolicy } from '../schema/policy/index.js';
import type { Agreement } from '../schema/policy/agreements.js';
import { CONDITION_FAILURE, CONDITION_IN_LISTS, type Condition, type Reason } from '../schema/policy/vocabulary.js';
import { decodePersonKey } from '../schema/person-id.js';
import type { Caller, RelationshipFact, SubgraphContext } from './types.js';

/** What a record tells the policy about itself, read by each subgraph's fact readers. */
export interface RecordFacts {
  /** A Person key (Person parents give it automatically). */
  personKey?: string;
  crn?: string;
  caseUrn?: string;
  victimId?: string;
  /** True when the record concerns an offence committed under 18; null when it cannot be told. */
  youth?: boolean | null;
  /** The record is restricted from this caller (their offender manager may still read it). */
  restricted?: boolean;
  /** This caller is excluded from the record: nothing, not even their caseload, overrides an exclusion. */
  excluded?: boolean;
  /** The agency whose records these are (a data-quality report's examples): the OWN_AGENCY_RECORDS condition reads it. */
  recordsAgency?: string;
}

export type FactReader = (parent: any) => RecordFacts;

export type Decision =
  | { allowed: true; grant: string; agreement: string | null }
  /** `agreement`: the agreement of the grant whose failure is reported (null when no grant names the caller's role). */
  | { allowed: false; reason: Reason; agreement?: string | null };

// ---- the clock ---------------------------------------------------------------------------------
let clock: () => Date = () => new Date();
/** Replaces the clock agreements are checked against (tests); returns a function that restores it. */
export function setPolicyClock(now: () => Date): () => void {
  const previous = clock;
  clock = now;
  return () => { clock = previous; };
}
const today = () => clock().toISOString().slice(0, 10);

// ---- decisions ---------------------------------------------------------------------------------
const RANK: Record<Reason, number> = {
  NOT_PERMITTED: 0, PURPOSE_NOT_PERMITTED: 1, NO_AGREEMENT: 2, AGREEMENT_NOT_STARTED: 3, AGREEMENT_EXPIRED: 3,
  NOT_ON_CASELOAD: 4, NOT_OWN_VICTIM_CASE: 4, NOT_OWN_VICTIM: 4, YOUTH_RECORD: 4, RESTRICTED_RECORD: 4, NOT_OWN_AGENCY_RECORDS: 4,
};

/** Roles the caller holds that belong to the caller's own agency (a token claiming another agency's role gets nothing). */
function heldRoles(caller: Caller): string[] {
  return caller.roles.filter((r) => (ROLES as Record<string, { agency: string }>)[r]?.agency === caller.agency);
}

const decodedRefs = new WeakMap<RecordFacts, { agency: string; localId: string }[]>();
/** Person references a record's key names, decoded once per record however many conditions ask. */
function refsOf(facts: RecordFacts): { agency: string; localId: string }[] {
  if (!facts.personKey) return [];
  let refs = decodedRefs.get(facts);
  if (!refs) decodedRefs.set(facts, (refs = decodePersonKey(facts.personKey).refs));
  return refs;
}

function conditionHolds(c: Condition, caller: Caller, facts: RecordFacts): boolean {
  const rel = caller.relationships;
  switch (c) {
    case 'ON_CASELOAD':
      return onCaseload(caller, facts);
    case 'OWN_VICTIM_CASE':
      return (facts.caseUrn != null && rel.victimCaseUrns.includes(facts.caseUrn))
        || refsOf(facts).some((r) => r.agency === rel.sources?.defendantsOfCases && rel.victimDefendantIds.includes(r.localId));
    case 'OWN_VICTIM':
      return facts.victimId != null && rel.victimIds.includes(facts.victimId);
    case 'ADULT_AT_OFFENCE':
      return facts.youth === false; // unknown age counts as youth: withheld, not guessed
    case 'NOT_RESTRICTED':
      // An exclusion names the people who may not see a case; being its offender manager does not lift it.
      if (facts.excluded === true) return false;
      return facts.restricted === false || (facts.restricted === true && onCaseload(caller, facts));
    case 'OWN_AGENCY_RECORDS':
      return facts.recordsAgency != null && facts.recordsAgency === caller.agency;
  }
}

function onCaseload(caller: Caller, facts: RecordFacts): boolean {
  const crns = caller.relationships.caseloadCrns;
  const from = caller.relationships.sources?.caseload;
  return (facts.crn != null && crns.includes(facts.crn)) || refsOf(facts).some((r) => r.agency === from && crns.includes(r.localId));
}

/**
 * Which of `conditions` a record meets, as a short key ('10' = the first holds, the second not). For one
 * caller, decide() on a field gives the same answer for every record with the same key: the key is all
 * a decision reads of the record, so it can be remembered per request under it.
 */
export function conditionKey(conditions: readonly Condition[], caller: Caller, facts: RecordFacts): string {
  let key = '';
  for (const c of conditions) key += conditionHolds(c, caller, facts) ? '1' : '0';
  return key;
}

/** Relationship facts the gateway could not establish make a conditional grant an outage, not a denial. */
function relationshipOutage(c: Condition, caller: Caller): AdapterError | null {
  const needs: Partial<Record<Condition, RelationshipFact[]>> = { ON_CASELOAD: ['caseload'], NOT_RESTRICTED: ['caseload'], OWN_VICTIM_CASE: ['victimsOfOfficer', 'defendantsOfCases'], OWN_VICTIM: ['victimsOfOfficer'] };
  const rel = caller.relationships;
  const down = (needs[c] ?? []).map((f) => rel.sources?.[f] ?? f).find((a) => rel.unavailable.includes(a));
  return down ? new AdapterError({ agency: down, operation: 'relationships', code: 'SOURCE_UNAVAILABLE', message: `${down} system could not say whether this record is yours, so it is not shown` }) : null;
}

/** Why a grant does not apply to a person's call whatever the record ('NO_ROLE': it names none of their roles); null when it does. */
function grantFailure(g: Grant, caller: Caller, roles: string[], date: string): Reason | 'NO_ROLE' | null {
  const matching = g.roles.filter((r) => roles.includes(r));
  if (!matching.length) return 'NO_ROLE';
  const purposeOk = g.purposes === '*'
    ? matching.some((r) => (ROLES[r].purposes as readonly string[]).includes(caller.purpose))
    : (g.purposes as string[]).includes(caller.purpose);
  if (!purposeOk) return 'PURPOSE_NOT_PERMITTED';
  if (g.agreement) {
    const a = (AGREEMENTS as Record<string, Agreement>)[g.agreement];
    if (!(a.purposes as readonly string[]).includes(caller.purpose)) return 'NO_AGREEMENT';
    if (date < a.starts) return 'AGREEMENT_NOT_STARTED';
    if (date > a.ends) return 'AGREEMENT_EXPIRED';
  }
  return null;
}

/**
 * Of `conditions`, those decide() can read for this caller: the conditions of the grants that apply to
 * the caller, up to the first applying grant that has none (decide() stops there whatever the record).
 * For one caller, decide() gives the same answer for every record meeting the same of these, so a
 * request remembers its decisions by them alone: a prison officer's unconditional grant on a field that
 * also has a victim liaison officer's conditional grant reads nothing of the record.
 */
export function conditionsRead(grants: Grant[], caller: Caller, conditions: readonly Condition[]): Condition[] {
  if (caller.actor || !conditions.length) return [];
  const roles = heldRoles(caller);
  const date = today();
  const read = new Set<Condition>();
  for (const g of grants) {
    if (g.services || grantFailure(g, caller, roles, date) !== null) continue;
    if (!g.conditions.length) break;
    for (const c of g.conditions) read.add(c);
  }
  return conditions.filter((c) => read.has(c));
}

/** Decides one field for one caller (and, for conditional grants, one record). Pure but for the clock. */
export function decide(grants: Grant[], caller: Caller, facts: () => RecordFacts): Decision | AdapterError {
  // A service's call matches only the grants naming that service; a person's call never matches one.
  if (caller.actor) {
    const g = grants.find((x) => x.services?.includes(caller.actor as never));
    return g ? { allowed: true, grant: g.text, agreement: null } : { allowed: false, reason: 'NOT_PERMITTED', agreement: null };
  }
  grants = grants.filter((g) => !g.services);
  const roles = heldRoles(caller);
  let reason: Reason = 'NOT_PERMITTED';
  let agreement: string | null = null;
  const worse = (r: Reason, a: string | null) => { if (RANK[r] >= RANK[reason]) { reason = r; agreement = a; } };
  const date = today();
  grants: for (const g of grants) {
    const fails = grantFailure(g, caller, roles, date);
    if (fails === 'NO_ROLE') continue;
    if (fails) { worse(fails, g.agreement); continue; }
    if (g.conditions.length) {
      const f = facts();
      for (const c of g.conditions) {
        if (!conditionHolds(c, caller, f)) {
          const outage = relationshipOutage(c, caller);
          if (outage) return outage;
          worse(CONDITION_FAILURE[c], g.agreement);
          continue grants;
        }
      }
    }
    return { allowed: true, grant: g.text, agreement: g.agreement };
  }
  return { allowed: false, reason, agreement };
}

// ---- compilation -------------------------------------------------------------------------------
/**
 * A withheld field's error. A decision, not a fault: it carries no stack (which on a big list would cost
 * more than the policy), and it is located here when the field is known, so GraphQL need not copy it.
 *
 * On a list the same field is withheld for the same reason on many items: the first is made in full
 * (GraphQLError's constructor costs microseconds: two Error captures, property redefinitions, locations
 * read from the query's text) and each further one is a GraphQLError made from it, with its own path and
 * extensions. It reads exactly as one made in full: the same own enumerable properties in the same order
 * (message, path, locations, extensions), the rest (name, nodes, source, positions) from the first.
 */
export function withheld(coordinate: string, reason: Reason, info?: GraphQLResolveInfo, agreement: string | null = null): GraphQLError {
  // The agreement lets a frontend say which information-sharing agreement did not cover the disclosure.
  const extensions = { code: 'FORBIDDEN', reason, agreement, field: coordinate };
  if (!info) return newError(`Withheld: ${coordinate} (${reason})`, extensions);
  let made = firstWithheld.get(info.fieldNodes);
  if (!made) firstWithheld.set(info.fieldNodes, (made = new Map()));
  const key = agreement === null ? `${coordinate} ${reason}` : `${coordinate} ${reason} ${agreement}`;
  let first = made.get(key);
  if (!first) made.set(key, (first = newError(`Withheld: ${coordinate} (${reason})`, extensions, info.fieldNodes)));
  const e = Object.create(first) as { -readonly [K in keyof GraphQLError]: GraphQLError[K] };
  e.message = first.message;
  e.path = responsePathAsArray(info.path);
  e.locations = first.locations;
  e.extensions = extensions;
  return e as GraphQLError;
}
/** The first error made for a field of the query (its nodes), by coordinate, reason and agreement. */
const firstWithheld = new WeakMap<readonly FieldNode[], Map<string, GraphQLError>>();

function newError(message: string, extensions: Record<string, unknown>, nodes?: readonly FieldNode[]): GraphQLError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, { extensions, ...(nodes ? { nodes } : {}) });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

let loaded: Map<string, SubgraphPolicy> | null = null;
/** The subgraph's table, or null when schema/policy/fields/<subgraph>.ts does not exist. */
function loadedPolicy(subgraph: string): SubgraphPolicy | null {
  loaded ??= loadPolicy();
  return loaded.get(subgraph) ?? null;
}
const noTable = (subgraph: string) => `no field table for subgraph "${subgraph}": add schema/policy/fields/${subgraph}.ts (\`npm run new-agency\` writes one denying every field)`;
export function policyFor(subgraph: string): SubgraphPolicy {
  const p = loadedPolicy(subgraph);
  if (!p) throw new PolicyError([noTable(subgraph)]);
  return p;
}

/** Federation's own fields: reachable only by the gateway, which every subgraph already insists on. */
const FEDERATION: Record<string, string[]> = { Query: ['_service', '_entities'], _Service: ['sdl'] };

// A service's internal call asks internal fields by name; it never resolves entities or reads the SDL.
const gatewayOnly: IRule = rule('isGatewayFederationField', { cache: 'contextual' })((_p, _a, ctx: SubgraphContext) => ctx.caller != null && !ctx.caller.actor);
const inherit = allow as unknown as IRule;

/**
 * Value types of the common model: always shown with the field that returned them. A record's
 * `provenance` field is decided like any other field of the record; what it holds goes with it.
 */
const SHARED_VALUE_TYPES = ['PersonName', 'Address', 'Identifier', 'RecordedIdentifier', 'Offence', 'Organisation', 'Provenance'];

/** Which condition a reason reports, so a list knows how to treat an item that failed it. */
const CONDITION_OF: Partial<Record<Reason, Condition>> = Object.fromEntries(Object.entries(CONDITION_FAILURE).map(([c, r]) => [r, c]));

// Statistics under disclosure control (schema/common.graphql), decided by the aggregate field that returned
// them; and the common model's identifier-as-recorded and provenance, shared value types too.
SHARED_VALUE_TYPES.push('StatisticsTable', 'StatisticsRow', 'ControlledCount', 'DisclosureControl',
  ...['RecordedIdentifier', 'Provenance'].filter((t) => !SHARED_VALUE_TYPES.includes(t)));

/** One field that needs a decision, compiled. */
interface FieldGate {
  /** Its place among the subgraph's gates: where a request keeps its decisions on it. */
  index: number;
  coordinate: string;
  type: string;
  /** Where a request keeps its type's records' facts (-1 for Query: a root field reads its arguments, never cached). */
  slot: number;
  grants: Grant[];
  /** Every condition any grant reads, in a fixed order: all a decision reads of a record. */
  conditions: Condition[];
  /** Root fields, entities and conditional fields name their record's subjects in the audit trail. */
  perRecord: boolean;
  read: (parent: unknown, args: Record<string, unknown>) => RecordFacts & { args?: Record<string, unknown> };
}

/** A list field whose items may be ones the caller must not know exist, compiled. */
interface ListGate {
  coordinate: string;
  itemType: string;
  slot: number;
  /** The decided fields of the item type: an item is visible when the caller may see any of them. */
  fields: FieldGate[];
  conditions: Condition[];
  read: FactReader;
}

type ItemVerdict = { omit: false } | { omit: true; reason: Reason; condition: Condition };

/** What one request has decided so far; lives as long as the request's context. */
interface RequestState {
  /** By field (its gate's index). */
  gates: (GateState | undefined)[];
  /** By item type. */
  verdicts: Map<string, ItemVerdicts>;
  /** By type (its slot): the records' facts. */
  facts: (RecordsFacts | undefined)[];
}
interface ItemVerdicts {
  reads: Condition[];
  byOutcomes: Map<string, ItemVerdict>;
  /** This caller sees a field of every item whatever the record: no item is left out. */
  everyItem: boolean;
}
/** A request's decisions on one field. */
interface GateState {
  /** The conditions a decision on it can read for this request's caller (conditionsRead). */
  reads: Condition[];
  /** By the record's outcomes on `reads` ('' when it reads none: one decision for every record). */
  decisions: Map<string, Decision | AdapterError>;
}
/**
 * The facts of one type's records: a Map, not a WeakMap (the records live as long as the request, and a
 * Map costs the collector less), with the last record in front of it (a record's fields are resolved one
 * after another, so most asks are for the record just read).
 */
interface RecordsFacts {
  last: object | null;
  lastFacts: RecordFacts | null;
  byRecord: Map<object, RecordFacts>;
}
/** The request's state rides on its context (one property read per field, where a WeakMap lookup cost more). */
const STATE = Symbol('policy state');
function stateOf(ctx: SubgraphContext): RequestState {
  const c = ctx as SubgraphContext & { [STATE]?: RequestState };
  return c[STATE] ??= { gates: [], verdicts: new Map(), facts: [] };
}

/** A record's facts, read once per record per request whichever fields ask (root fields read their arguments). */
function factsOf(state: RequestState, slot: number, read: FieldGate['read'], parent: unknown, args: Record<string, unknown>): RecordFacts {
  if (slot < 0 || parent === null || typeof parent !== 'object') return read(parent, args);
  const of = state.facts[slot] ??= { last: null, lastFacts: null, byRecord: new Map() };
  if (of.last === parent) return of.lastFacts!;
  let f = of.byRecord.get(parent);
  if (!f) of.byRecord.set(parent, (f = read(parent, args)));
  of.last = parent;
  of.lastFacts = f;
  return f;
}

function gateState(state: RequestState, gate: FieldGate, caller: Caller): GateState {
  return state.gates[gate.index] ??= { reads: conditionsRead(gate.grants, caller, gate.conditions), decisions: new Map() };
}
/** The key a request remembers a decision on a field under: the record's outcomes on the conditions the decision can read. */
const outcomesOf = (gs: GateState, caller: Caller, facts: RecordFacts | undefined): string =>
  gs.reads.length ? conditionKey(gs.reads, caller, facts!) : '';
/** A decision this request has already made on this field for a record like this one, if any. */
function knownDecision(state: RequestState, gate: FieldGate, caller: Caller, facts: RecordFacts | undefined): Decision | AdapterError | undefined {
  const gs = state.gates[gate.index];
  return gs && gs.decisions.get(outcomesOf(gs, caller, facts));
}

/** A request's verdicts on one item type's list items. */
function verdictsOn(state: RequestState, gate: ListGate, caller: Caller): ItemVerdicts {
  let of = state.verdicts.get(gate.itemType);
  if (of) return of;
  // The verdict reads what any of the item's decisions can read for this caller, and nothing else.
  const reads = gate.fields.map((f) => conditionsRead(f.grants, caller, f.conditions));
  const read = new Set(reads.flat());
  // A field whose decision reads nothing of the record (reads empty: decide() never asks for its facts)
  // and shows it to this caller shows every item: none is left out, so the list need not be looked at.
  const everyItem = gate.fields.some((f, i) => !reads[i].length && (decide(f.grants, caller, () => ({})) as { allowed?: boolean }).allowed === true);
  state.verdicts.set(gate.itemType, (of = { reads: gate.conditions.filter((c) => read.has(c)), byOutcomes: new Map(), everyItem }));
  return of;
}

/** Whether a list shows an item: visible when any decided field of it is; otherwise as its failed condition says. */
function itemVerdict(state: RequestState, gate: ListGate, caller: Caller, facts: RecordFacts): ItemVerdict {
  const of = verdictsOn(state, gate, caller);
  const key = of.reads.length ? conditionKey(of.reads, caller, facts) : '';
  let v = of.byOutcomes.get(key);
  if (v) return v;
  v = { omit: false };
  const decisions = gate.fields.map((f) => decide(f.grants, caller, () => facts));
  if (!decisions.some((d) => d instanceof AdapterError || d.allowed)) {
    for (const d of decisions as { allowed: false; reason: Reason }[]) {
      const condition = CONDITION_OF[d.reason];
      if (condition && CONDITION_IN_LISTS[condition] === 'OMIT') { v = { omit: true, reason: d.reason, condition }; break; }
    }
  }
  of.byOutcomes.set(key, v);
  return v;
}

export interface CompiledPolicy {
  /** The graphql-shield rule map: one rule per field that needs a decision, plus federation's own fields. */
  rules: IRules;
  /** Fields that get no wrapper at all, with why: their value is decided by the field that returned their parent. */
  unwrapped: Map<string, string>;
  /**
   * The middleware to apply, from the middleware graphql-shield generated for the whole schema (its fallback
   * rule on every field): unwrapped fields are taken out, decided fields keep shield behind a per-request
   * memo of its decisions, list fields leave out the items the policy says to, everything else is shield's.
   */
  guard(shielded: IMiddlewareTypeMap): IMiddlewareTypeMap;
  /**
   * Takes the middleware layer out of the way of decisions a request has already made: each decided
   * field of `guarded` (the schema with guard()'s middleware applied) resolves, once its decision is
   * known for this request, straight through `plain`'s resolver (the schema before the middleware); the
   * first time, and on every decision it does not know yet, it goes through the middleware (shield) as before.
   */
  shortcut(guarded: GraphQLSchema, plain: GraphQLSchema): GraphQLSchema;
}

/** Compiles one subgraph's table for graphql-shield; throws PolicyError naming every field without a usable entry. */
export function compilePolicy(subgraph: string, schema: GraphQLSchema, facts: Record<string, FactReader> = {}, given?: SubgraphPolicy): CompiledPolicy {
  const problems: string[] = [];
  // Without a table file every field still gets named below, after the missing file itself.
  const found = given ?? loadedPolicy(subgraph);
  if (!found) problems.push(noTable(subgraph));
  const policy: SubgraphPolicy = found ?? { subgraph, owner: 'NONE', entries: new Map() };
  const entityTypes = new Set((schema.getType('_Entity') && isUnionType(schema.getType('_Entity')) ? (schema.getType('_Entity') as import('graphql').GraphQLUnionType).getTypes() : []).map((t) => t.name));
  const rules: Record<string, Record<string, IRule>> = {};
  const gates = new Map<string, FieldGate>();
  const unwrapped = new Map<string, string>();
  const slots = new Map<string, number>();
  const slotOf = (type: string): number => {
    if (type === 'Query') return -1;
    let n = slots.get(type);
    if (n === undefined) slots.set(type, (n = slots.size));
    return n;
  };
  const readers: Record<string, FactReader> = { Person: (p: { id: string }) => ({ personKey: p.id }), ...facts };

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.keys(type.getFields())) {
      const coordinate = `${type.name}.${field}`;
      if (FEDERATION[type.name]?.includes(field)) { (rules[type.name] ??= {})[field] = gatewayOnly; continue; }
      if (SHARED_VALUE_TYPES.includes(type.name)) { // shared value types
        (rules[type.name] ??= {})[field] = inherit;
        unwrapped.set(coordinate, 'a shared value type: decided by the field that returned it');
        continue;
      }
      // Internal value types (schema/common.graphql, `_`-named) are reachable only through internal fields, decided there.
      if (type.name.startsWith('_')) {
        (rules[type.name] ??= {})[field] = inherit;
        unwrapped.set(coordinate, 'an internal value type: decided by the internal field that returned it');
        continue;
      }
      const entry = entryFor(policy, type.name, field);
      if (!entry) { problems.push(`${subgraph} ${coordinate}: no policy entry (add it to schema/policy/fields/${subgraph}.ts)`); continue; }
      if (entry.kind === 'INHERIT') {
        if (type.name === 'Query' || entityTypes.has(type.name)) { problems.push(`${subgraph} ${coordinate}: ${type.name} is reachable on its own (root or _entities), so it cannot INHERIT`); continue; }
        (rules[type.name] ??= {})[field] = inherit;
        unwrapped.set(coordinate, 'INHERIT: decided by the field that returned its parent');
        continue;
      }
      const conditions = [...new Set(entry.grants.flatMap((g) => g.conditions))];
      if (conditions.length && !readers[type.name]) problems.push(`${subgraph} ${coordinate}: a grant has a record condition but ${type.name} has no fact reader (subgraphs/${subgraph}/index.ts policyFacts)`);
      const read: FieldGate['read'] = type.name === 'Query' ? (_p, args) => ({ args }) : (p) => (readers[type.name] ?? (() => ({})))(p);
      // Decided per record (never cached across list items) when the rule reads the record, or when the
      // record is an entity whose subject the audit trail must name; per request otherwise.
      const gate: FieldGate = { index: gates.size, coordinate, type: type.name, slot: slotOf(type.name), grants: entry.grants, conditions, perRecord: conditions.length > 0 || entityTypes.has(type.name) || type.name === 'Query', read };
      gates.set(coordinate, gate);
      (rules[type.name] ??= {})[field] = rule(`policy:${subgraph}:${coordinate}`, { cache: gate.perRecord ? 'no_cache' : 'contextual' })(
        (parent, args, ctx: SubgraphContext, info) => {
          const state = stateOf(ctx);
          const f = gate.perRecord ? factsOf(state, gate.slot, gate.read, parent, args) : undefined;
          const d = decide(gate.grants, ctx.caller, () => f ?? factsOf(state, gate.slot, gate.read, parent, args));
          const gs = gateState(state, gate, ctx.caller);
          gs.decisions.set(outcomesOf(gs, ctx.caller, f), d);
          if (d instanceof AdapterError) return d;
          ctx.disclosures?.record(subgraph, coordinate, d, f ?? null);
          return d.allowed ? true : withheld(coordinate, d.reason, info, d.agreement ?? null);
        },
      );
    }
  }
  if (problems.length) throw new PolicyError(problems);

  // Lists whose items can fail a condition the policy says to leave out of lists.
  const lists = new Map<string, ListGate>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type.name === '_Service') continue;
    for (const f of Object.values(type.getFields())) {
      if (FEDERATION[type.name]?.includes(f.name)) continue; // _entities answers by position: never filtered
      let t = isNonNullType(f.type) ? f.type.ofType : f.type;
      if (!isListType(t)) continue;
      t = getNamedType(t);
      const fields = [...gates.values()].filter((g) => g.type === t.name);
      const conditions = [...new Set(fields.flatMap((g) => g.conditions))];
      if (!conditions.some((c) => CONDITION_IN_LISTS[c] === 'OMIT') || !readers[t.name]) continue;
      lists.set(`${type.name}.${f.name}`, { coordinate: `${type.name}.${f.name}`, itemType: t.name, slot: slotOf(t.name), fields, conditions, read: readers[t.name] });
    }
  }

  /** Leaves out of a resolved list the items the caller may not know exist, each recorded as withheld. */
  const filterItems = (gate: ListGate, ctx: SubgraphContext) => (items: unknown) => {
    if (!Array.isArray(items)) return items;
    const state = stateOf(ctx);
    if (verdictsOn(state, gate, ctx.caller).everyItem) return items;
    return items.filter((item) => {
      if (item === null || typeof item !== 'object' || item instanceof Error) return true; // unreadable records are reported, never dropped
      const f = factsOf(state, gate.slot, gate.read, item, {});
      const v = itemVerdict(state, gate, ctx.caller, f);
      if (v.omit) {
        const decision = { allowed: false, reason: v.reason, grant: `${gate.itemType} failing ${v.condition} is left out of lists` };
        ctx.disclosures?.record(subgraph, gate.coordinate, decision, f);
      }
      return !v.omit;
    });
  };
  const then = (value: unknown, next: (v: unknown) => unknown) =>
    value instanceof Promise ? value.then(next) : next(value);

  function guard(shielded: IMiddlewareTypeMap): IMiddlewareTypeMap {
    const out: Record<string, Record<string, IMiddlewareFunction>> = {};
    for (const [typeName, fieldMap] of Object.entries(shielded)) {
      for (const [field, mw] of Object.entries(fieldMap as Record<string, IMiddlewareFunction>)) {
        const coordinate = `${typeName}.${field}`;
        const gate = gates.get(coordinate);
        const list = lists.get(coordinate);
        if (unwrapped.has(coordinate)) {
          // No decision of its own; a list of records the caller may not know of still leaves them out.
          if (list) (out[typeName] ??= {})[field] = (resolve, parent, args, ctx, info) => then(resolve(parent, args, ctx, info), filterItems(list, ctx)) as Promise<unknown>;
          continue;
        }
        if (!gate || typeof mw !== 'function') { (out[typeName] ??= {})[field] = mw; continue; } // federation's own fields: shield as it is
        (out[typeName] ??= {})[field] = (resolve, parent, args, ctx: SubgraphContext, info) => {
          const state = stateOf(ctx);
          const f = gate.perRecord ? factsOf(state, gate.slot, gate.read, parent, args) : undefined;
          const known = knownDecision(state, gate, ctx.caller, f);
          // First time this request meets this decision: graphql-shield decides (and the rule remembers it).
          if (known === undefined) return list ? (mw(resolve, parent, args, ctx, info).then(filterItems(list, ctx))) : mw(resolve, parent, args, ctx, info);
          // The same decision again (another list item, say): applied without shield's async wrapper.
          if (known instanceof AdapterError) return known as never;
          ctx.disclosures?.record(subgraph, coordinate, known, f ?? null);
          if (!known.allowed) return withheld(coordinate, known.reason, info, known.agreement ?? null) as never;
          const value = resolve(parent, args, ctx, info);
          return (list ? then(value, filterItems(list, ctx)) : value) as Promise<unknown>;
        };
      }
    }
    return out;
  }

  function shortcut(guarded: GraphQLSchema, plain: GraphQLSchema): GraphQLSchema {
    for (const gate of gates.values()) {
      const [typeName, field] = [gate.type, gate.coordinate.slice(gate.type.length + 1)];
      const target = (guarded.getType(typeName) as GraphQLObjectType | undefined)?.getFields()[field];
      const source = (plain.getType(typeName) as GraphQLObjectType | undefined)?.getFields()[field];
      const viaShield = target?.resolve;
      if (!target || !source || !viaShield) continue;
      const resolve = source.resolve ?? defaultFieldResolver;
      const list = lists.get(gate.coordinate);
      const coordinate = gate.coordinate;
      target.resolve = (parent, args, ctx: SubgraphContext, info) => {
        const state = stateOf(ctx);
        const f = gate.perRecord ? factsOf(state, gate.slot, gate.read, parent, args) : undefined;
        const known = knownDecision(state, gate, ctx.caller, f);
        if (known === undefined) return viaShield(parent, args, ctx, info);
        if (known instanceof AdapterError) return known;
        ctx.disclosures?.record(subgraph, coordinate, known, f ?? null);
        if (!known.allowed) return withheld(coordinate, known.reason, info, known.agreement ?? null);
        const value = resolve(parent, args, ctx, info);
        return list ? then(value, filterItems(list, ctx)) : value;
      };
    }
    return guarded;
  }

  return { rules: rules as IRules, unwrapped, guard, shortcut };
}
