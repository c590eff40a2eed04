// An independent oracle for the disclosure policy: may this caller ever see this value? It reads the
// policy DATA (loadPolicy() tables, ROLES, AGREEMENTS) and the population's truth, and never calls the
// engine (subgraphs/policy.ts). It judges a value by the path of field coordinates that leads to it:
// the value may be seen only if EVERY coordinate on the path is granted to the caller for the record.
//
// Its own reading of the grammar (schema/policy/index.ts):
//  - the caller holds the token's roles that belong to the token's agency; the purpose must be one of
//    those roles may declare, else nothing at all is disclosed;
//  - a coordinate is decided by the table of the subgraph that resolves it (from the supergraph's
//    @join__field / @join__type), by its exact entry, else its `Type.*` entry; 'INHERIT' passes (the
//    parent field decided); the shared value types (PersonName, Address, ...) inherit too;
//  - a grant holds when the caller holds one of its roles, the purpose is listed (or, for `*`, is one
//    that role may declare), the agreement (if any) names the caller's agency as a receiver, covers the
//    purpose and is in force today (inclusive dates; `own` needs the caller to be the owning agency's
//    staff), and every condition holds for the record;
//  - conditions are judged from the population's truth about the record the coordinate's parent is:
//    a Person by its index, a Case by its URN, a Victim by its id, a Supervision by its CRN.
import { readFileSync } from 'node:fs';
import { Kind, parse, type ConstDirectiveNode, type ObjectTypeDefinitionNode } from 'graphql';
import { AGREEMENTS, loadPolicy, ROLES, type Grant, type SubgraphPolicy } from '../../schema/policy/index.js';
import type { CanaryRecord } from '../../legacy/canaries.js';
import type { Population } from '../../legacy/population.js';

type RoleName = keyof typeof ROLES;
const roleDefs = ROLES as Record<string, { agency: string; purposes: readonly string[] }>;
const agreements = AGREEMENTS as Record<string, { owner: string; receivers: readonly string[]; purposes: readonly string[]; starts: string; ends: string }>;

/** Value types every subgraph shares; no table names them, they take their parent's decision. */
const SHARED_VALUE_TYPES = new Set(['PersonName', 'Address', 'Identifier', 'RecordedIdentifier', 'Provenance', 'Offence', 'Organisation']);

// ---- who may declare what ----------------------------------------------------------------------

/** The roles of the token that count: those of the token's agency. */
export function heldRoles(roles: readonly string[], agency: string): string[] {
  return roles.filter((r) => roleDefs[r]?.agency === agency);
}

/** The purposes a role may declare. */
export function purposesOf(role: string): string[] {
  return [...(roleDefs[role]?.purposes ?? [])];
}

/** The purposes a caller with these roles (of this agency) may declare. */
export function declarablePurposes(roles: readonly string[], agency: string): string[] {
  return [...new Set(heldRoles(roles, agency).flatMap(purposesOf))];
}

export function mayDeclare(roles: readonly string[], agency: string, purpose: string): boolean {
  return declarablePurposes(roles, agency).includes(purpose);
}

// ---- which subgraph resolves a coordinate --------------------------------------------------------

let owners: Map<string, string[]> | null = null;

/** `Type.field` → the subgraphs that resolve it, read from the supergraph's join directives. */
export function coordinateOwners(): Map<string, string[]> {
  if (owners) return owners;
  const doc = parse(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8'));
  const graphName = new Map<string, string>();
  for (const def of doc.definitions) {
    if (def.kind === Kind.ENUM_TYPE_DEFINITION && def.name.value === 'join__Graph') {
      for (const v of def.values ?? []) {
        const d = v.directives?.find((x) => x.name.value === 'join__graph');
        const name = d?.arguments?.find((a) => a.name.value === 'name')?.value;
        if (name?.kind === Kind.STRING) graphName.set(v.name.value, name.value);
      }
    }
  }
  const graphsOf = (directives: readonly ConstDirectiveNode[] | undefined, directive: string): string[] =>
    (directives ?? []).filter((d) => d.name.value === directive).flatMap((d) => {
      const g = d.arguments?.find((a) => a.name.value === 'graph')?.value;
      return g?.kind === Kind.ENUM ? [graphName.get(g.value) ?? g.value.toLowerCase()] : [];
    });
  owners = new Map();
  for (const def of doc.definitions) {
    if (def.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const type = def as ObjectTypeDefinitionNode;
    const typeGraphs = graphsOf(type.directives, 'join__type');
    for (const f of type.fields ?? []) {
      const fieldGraphs = graphsOf(f.directives, 'join__field');
      owners.set(`${type.name.value}.${f.name.value}`, fieldGraphs.length ? [...new Set(fieldGraphs)] : typeGraphs);
    }
  }
  return owners;
}

let policy: Map<string, SubgraphPolicy> | null = null;
function tables(): Map<string, SubgraphPolicy> {
  return (policy ??= loadPolicy());
}

export type Entry = { kind: 'INHERIT' } | { kind: 'GRANTS'; owner: string; grants: Grant[] };

/** The entries that decide a coordinate, one per subgraph resolving it. Throws when the policy has none. */
export function entriesFor(coordinate: string): Entry[] {
  const [type, field] = coordinate.split('.');
  if (SHARED_VALUE_TYPES.has(type)) return [{ kind: 'INHERIT' }];
  const subgraphs = coordinateOwners().get(coordinate);
  if (!subgraphs?.length) throw new Error(`oracle: ${coordinate} is not a field of the supergraph`);
  return subgraphs.map((s) => {
    const t = tables().get(s);
    if (!t) throw new Error(`oracle: no policy table for subgraph ${s}`);
    const e = t.entries.get(`${type}.${field}`) ?? t.entries.get(`${type}.*`);
    if (!e) throw new Error(`oracle: ${s} has no policy entry for ${coordinate}`);
    return e.kind === 'INHERIT' ? { kind: 'INHERIT' as const } : { kind: 'GRANTS' as const, owner: t.owner, grants: e.grants };
  });
}

// ---- record facts from the population's truth ----------------------------------------------------

const same = (a: string | null | undefined, b: string | null | undefined) => a != null && b != null && a.trim().toUpperCase() === b.trim().toUpperCase();

function age(dob: string, on: string): number {
  const [by, bm, bd] = dob.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

interface Caller {
  held: string[];
  agency: string;
  purpose: string;
  staffCode: string | null;
}

/** Does condition `c` hold for the record that is the parent (of type `type`) of a coordinate? */
function conditionHolds(c: string, type: string, record: CanaryRecord, caller: Caller, pop: Population): boolean {
  const staff = caller.staffCode;
  const isProbationStaff = caller.agency === 'PROBATION' && staff != null;
  const isVictimStaff = caller.agency === 'VICTIMS' && staff != null;
  const probationRecord = () => (record.crn ? pop.probation.find((p) => p.crn === record.crn) : undefined);
  switch (c) {
    case 'ON_CASELOAD':
      if (!isProbationStaff) return false;
      if (type === 'Person') return pop.probation.some((p) => p.personIndex === record.personIndex && same(p.offenderManager.staffCode, staff));
      if (type === 'Supervision' || type === 'ProbationOffenderRecord') return same(probationRecord()?.offenderManager.staffCode, staff);
      return false;
    case 'OWN_VICTIM_CASE': {
      if (!isVictimStaff) return false;
      const mine = pop.victims.filter((v) => same(v.liaisonOfficer, staff));
      if (type === 'Person') {
        const urns = new Set(pop.courts.cases.filter((k) => k.personIndex === record.personIndex).map((k) => k.urn));
        return mine.some((v) => urns.has(v.caseUrn));
      }
      if (type === 'Case') return record.caseUrn != null && mine.some((v) => v.caseUrn === record.caseUrn);
      return false;
    }
    case 'OWN_VICTIM':
      if (!isVictimStaff || type !== 'Victim' || !record.victimId) return false;
      return same(pop.victims.find((v) => v.victimId === record.victimId)?.liaisonOfficer, staff);
    case 'ADULT_AT_OFFENCE': {
      if (type !== 'Case' || !record.caseUrn) return false;
      const kase = pop.courts.cases.find((k) => k.urn === record.caseUrn);
      const dob = kase && pop.courts.defendants.find((d) => d.defendantId === kase.defendantId)?.dateOfBirth;
      if (!kase || !dob) return false; // unknown age counts as youth
      return kase.offences.every((o) => age(dob, o.offenceDate) >= 18);
    }
    case 'NOT_RESTRICTED': {
      if (type !== 'Supervision' && type !== 'ProbationOffenderRecord') return false;
      const p = probationRecord();
      if (!p) return false;
      // Limited access is per user in nDelius: a probation user is excluded only when the case names them (the
      // population names nobody unless a test does); anyone else gets the case's marks. Caseload never lifts an exclusion.
      const excluded = p.currentExclusion && (caller.agency !== 'PROBATION' || (p.excludedUsers ?? []).length > 0);
      if (excluded) return false;
      return !p.currentRestriction || (isProbationStaff && same(p.offenderManager.staffCode, staff));
    }
    default:
      return false;
  }
}

function grantHolds(g: Grant, owner: string, type: string, record: CanaryRecord, caller: Caller, pop: Population, today: string): boolean {
  const matching = g.roles.filter((r) => caller.held.includes(r));
  if (!matching.length) return false;
  const purposeOk = g.purposes === '*'
    ? matching.some((r) => purposesOf(r).includes(caller.purpose))
    : (g.purposes as string[]).includes(caller.purpose) && matching.some((r) => purposesOf(r).includes(caller.purpose));
  if (!purposeOk) return false;
  if (g.agreement === null) {
    if (owner !== 'ALL' && !matching.some((r) => roleDefs[r].agency === owner)) return false;
  } else {
    const a = agreements[g.agreement];
    if (!a) return false;
    if (!a.receivers.includes(caller.agency)) return false;
    if (!a.purposes.includes(caller.purpose)) return false;
    if (today < a.starts || today > a.ends) return false;
  }
  return g.conditions.every((c) => conditionHolds(c, type, record, caller, pop));
}

/** Is one coordinate granted to the caller for this record? */
export function coordinateGranted(coordinate: string, caller: Caller, record: CanaryRecord, pop: Population, today: string): boolean {
  const type = coordinate.split('.')[0];
  // Resolved by several subgraphs (a key field): any one that may answer it is enough.
  return entriesFor(coordinate).some((e) => e.kind === 'INHERIT' || e.grants.some((g) => grantHolds(g, e.owner, type, record, caller, pop, today)));
}

/**
 * True only if EVERY coordinate on `path` is granted to this caller for `record` under the policy data,
 * for the declared purpose, on `today` (YYYY-MM-DD). An empty path is a value in no field: never.
 */
export function mayEverSee(
  callerRoles: readonly string[], agency: string, purpose: string, staffCode: string | null | undefined,
  path: readonly string[], record: CanaryRecord, population: Population, today: string,
): boolean {
  const held = heldRoles(callerRoles, agency);
  if (!held.length || !mayDeclare(held, agency, purpose) || path.length === 0) return false;
  const caller: Caller = { held, agency, purpose, staffCode: staffCode ?? null };
  return path.every((c) => coordinateGranted(c, caller, record, population, today));
}

export type { RoleName };
