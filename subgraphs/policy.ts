// The policy engine: compiles the disclosure policy (schema/policy) into one graphql-shield rule map
// per subgraph, behind this module's own interface so the engine can be swapped later.
//  - deny by default: every field needs an entry, or the subgraph refuses to start (naming the fields);
//  - 'INHERIT' fields get no decision of their own; only value types may inherit, never an entity
//    (reachable through _entities) nor a root field;
//  - a rule that reads nothing but the caller is cached per request ('contextual'); a rule with a record
//    condition reads its parent and is never cached, so no decision leaks across list items.
import { GraphQLError, isObjectType, isUnionType, type GraphQLSchema } from 'graphql';
import { allow, rule } from 'graphql-shield';
import type { IRule, IRules } from 'graphql-shield';
import { AdapterError } from '../adapters/errors.js';
import { AGREEMENTS, entryFor, loadPolicy, PolicyError, ROLES, type Grant, type SubgraphPolicy } from '../schema/policy/index.js';
import type { Agreement } from '../schema/policy/agreements.js';
import { CONDITION_FAILURE, type Condition, type Reason } from '../schema/policy/vocabulary.js';
import { decodePersonKey } from '../schema/person-id.js';
import type { Caller, SubgraphContext } from './types.js';

/** What a record tells the policy about itself, read by each subgraph's fact readers. */
export interface RecordFacts {
  /** A Person key (Person parents give it automatically). */
  personKey?: string;
  crn?: string;
  caseUrn?: string;
  victimId?: string;
  /** True when the record concerns an offence committed under 18; null when it cannot be told. */
  youth?: boolean | null;
  restricted?: boolean;
}

export type FactReader = (parent: any) => RecordFacts;

export type Decision =
  | { allowed: true; grant: string; agreement: string | null }
  | { allowed: false; reason: Reason };

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
  NOT_ON_CASELOAD: 4, NOT_OWN_VICTIM_CASE: 4, NOT_OWN_VICTIM: 4, YOUTH_RECORD: 4, RESTRICTED_RECORD: 4,
};

/** Roles the caller holds that belong to the caller's own agency (a token claiming another agency's role gets nothing). */
function heldRoles(caller: Caller): string[] {
  return caller.roles.filter((r) => (ROLES as Record<string, { agency: string }>)[r]?.agency === caller.agency);
}

function conditionHolds(c: Condition, caller: Caller, facts: RecordFacts): boolean {
  const rel = caller.relationships;
  const refs = facts.personKey ? decodePersonKey(facts.personKey).refs : [];
  const onCaseload = () => (facts.crn != null && rel.caseloadCrns.includes(facts.crn))
    || refs.some((r) => r.agency === 'probation' && rel.caseloadCrns.includes(r.localId));
  switch (c) {
    case 'ON_CASELOAD':
      return onCaseload();
    case 'OWN_VICTIM_CASE':
      return (facts.caseUrn != null && rel.victimCaseUrns.includes(facts.caseUrn))
        || refs.some((r) => r.agency === 'courts' && rel.victimDefendantIds.includes(r.localId));
    case 'OWN_VICTIM':
      return facts.victimId != null && rel.victimIds.includes(facts.victimId);
    case 'ADULT_AT_OFFENCE':
      return facts.youth === false; // unknown age counts as youth: withheld, not guessed
    case 'NOT_RESTRICTED':
      return facts.restricted === false || (facts.restricted === true && onCaseload());
  }
}

/** Relationship facts the gateway could not establish make a conditional grant an outage, not a denial. */
function relationshipOutage(c: Condition, caller: Caller): AdapterError | null {
  const needs: Partial<Record<Condition, string[]>> = { ON_CASELOAD: ['probation'], NOT_RESTRICTED: ['probation'], OWN_VICTIM_CASE: ['victims', 'courts'], OWN_VICTIM: ['victims'] };
  const down = (needs[c] ?? []).find((a) => caller.relationships.unavailable.includes(a));
  return down ? new AdapterError({ agency: down, operation: 'relationships', code: 'SOURCE_UNAVAILABLE', message: `${down} system could not say whether this record is yours, so it is not shown` }) : null;
}

/** Decides one field for one caller (and, for conditional grants, one record). Pure but for the clock. */
export function decide(grants: Grant[], caller: Caller, facts: () => RecordFacts): Decision | AdapterError {
  const roles = heldRoles(caller);
  let reason: Reason = 'NOT_PERMITTED';
  const worse = (r: Reason) => { if (RANK[r] >= RANK[reason]) reason = r; };
  const date = today();
  grants: for (const g of grants) {
    const matching = g.roles.filter((r) => roles.includes(r));
    if (!matching.length) continue;
    const purposeOk = g.purposes === '*'
      ? matching.some((r) => (ROLES[r].purposes as readonly string[]).includes(caller.purpose))
      : (g.purposes as string[]).includes(caller.purpose);
    if (!purposeOk) { worse('PURPOSE_NOT_PERMITTED'); continue; }
    if (g.agreement) {
      const a = (AGREEMENTS as Record<string, Agreement>)[g.agreement];
      if (!(a.purposes as readonly string[]).includes(caller.purpose)) { worse('NO_AGREEMENT'); continue; }
      if (date < a.starts) { worse('AGREEMENT_NOT_STARTED'); continue; }
      if (date > a.ends) { worse('AGREEMENT_EXPIRED'); continue; }
    }
    if (g.conditions.length) {
      const f = facts();
      for (const c of g.conditions) {
        if (!conditionHolds(c, caller, f)) {
          const outage = relationshipOutage(c, caller);
          if (outage) return outage;
          worse(CONDITION_FAILURE[c]);
          continue grants;
        }
      }
    }
    return { allowed: true, grant: g.text, agreement: g.agreement };
  }
  return { allowed: false, reason };
}

// ---- compilation -------------------------------------------------------------------------------
export const withheld = (coordinate: string, reason: Reason) =>
  new GraphQLError(`Withheld: ${coordinate} (${reason})`, { extensions: { code: 'FORBIDDEN', reason, field: coordinate } });

let loaded: Map<string, SubgraphPolicy> | null = null;
export function policyFor(subgraph: string): SubgraphPolicy {
  loaded ??= loadPolicy();
  const p = loaded.get(subgraph);
  if (!p) throw new PolicyError([`no field table for subgraph "${subgraph}": add schema/policy/fields/${subgraph}.ts and list it in schema/policy/index.ts`]);
  return p;
}

/** Federation's own fields: reachable only by the gateway, which every subgraph already insists on. */
const FEDERATION: Record<string, string[]> = { Query: ['_service', '_entities'], _Service: ['sdl'] };

const gatewayOnly: IRule = rule('isGatewayFederationField', { cache: 'contextual' })((_p, _a, ctx: SubgraphContext) => ctx.caller != null);
const inherit = allow as unknown as IRule;

/** Compiles one subgraph's table into a shield rule map; throws PolicyError naming every field without a usable entry. */
export function compilePolicy(subgraph: string, schema: GraphQLSchema, facts: Record<string, FactReader> = {}, policy: SubgraphPolicy = policyFor(subgraph)): IRules {
  const problems: string[] = [];
  const entityTypes = new Set((schema.getType('_Entity') && isUnionType(schema.getType('_Entity')) ? (schema.getType('_Entity') as import('graphql').GraphQLUnionType).getTypes() : []).map((t) => t.name));
  const rules: Record<string, Record<string, IRule>> = {};
  const readers: Record<string, FactReader> = { Person: (p: { id: string }) => ({ personKey: p.id }), ...facts };

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.keys(type.getFields())) {
      const coordinate = `${type.name}.${field}`;
      if (FEDERATION[type.name]?.includes(field)) { (rules[type.name] ??= {})[field] = gatewayOnly; continue; }
      if (['PersonName', 'Address', 'Identifier', 'Offence', 'Organisation'].includes(type.name)) { (rules[type.name] ??= {})[field] = inherit; continue; } // shared value types
      const entry = entryFor(policy, type.name, field);
      if (!entry) { problems.push(`${subgraph} ${coordinate}: no policy entry (add it to schema/policy/fields/${subgraph}.ts)`); continue; }
      if (entry.kind === 'INHERIT') {
        if (type.name === 'Query' || entityTypes.has(type.name)) problems.push(`${subgraph} ${coordinate}: ${type.name} is reachable on its own (root or _entities), so it cannot INHERIT`);
        (rules[type.name] ??= {})[field] = inherit;
        continue;
      }
      const conditional = entry.grants.some((g) => g.conditions.length > 0);
      if (conditional && !readers[type.name]) problems.push(`${subgraph} ${coordinate}: a grant has a record condition but ${type.name} has no fact reader (subgraphs/${subgraph}/index.ts policyFacts)`);
      const read: (parent: unknown, args: Record<string, unknown>) => RecordFacts & { args?: Record<string, unknown> } =
        type.name === 'Query' ? (_p, args) => ({ args }) : (p) => (readers[type.name] ?? (() => ({})))(p);
      // Decided per record (never cached across list items) when the rule reads the record, or when the
      // record is an entity whose subject the audit trail must name; per request otherwise.
      const perRecord = conditional || entityTypes.has(type.name) || type.name === 'Query';
      (rules[type.name] ??= {})[field] = rule(`policy:${subgraph}:${coordinate}`, { cache: perRecord ? 'no_cache' : 'contextual' })(
        (parent, args, ctx: SubgraphContext) => {
          let facts: RecordFacts | undefined; // read at most once per decision
          const factsOnce = () => (facts ??= read(parent, args));
          const d = decide(entry.grants, ctx.caller, factsOnce);
          if (d instanceof AdapterError) return d;
          ctx.disclosures?.record(subgraph, coordinate, d, perRecord ? factsOnce() : null);
          return d.allowed ? true : withheld(coordinate, d.reason);
        },
      );
    }
  }
  if (problems.length) throw new PolicyError(problems);
  return rules as IRules;
}
