// The disclosure policy as data: the vocabulary (roles, purposes, conditions), the information-sharing
// agreements, and one field table per subgraph. This module reads the tables, checks every name in
// them, and gives the policy engine and the matrix one validated model. It never decides anything.
//
// A field table maps `Type.field` (or `Type.*` for every field of a type; an exact entry wins) to:
//   'INHERIT' — a value type's field, decided by the field that returned its parent;
//   'DENY'    — decided: no one is shown it (what a new agency's table says until it is decided); or
//   a list of grants, each one line:   ROLES : PURPOSES | AGREEMENT [| if CONDITION [& CONDITION]]
//     ROLES      role names or role groups, comma-separated
//     PURPOSES   purposes, comma-separated, or * for any purpose the role may declare
//     AGREEMENT  an agreement id, or `own` for the owning agency's own staff
//   or, for an internal field, `SERVICE <service>`: only that service's own signed call (never a person).
// Grants are alternatives: the first that holds discloses the field.
import { createHash } from 'node:crypto';
import { AGGREGATE_FIELDS, DISCLOSURE_CONTROL, checkDisclosureControl } from './statistics.js';
import { AGREEMENTS, type Agreement } from './agreements.js';
import { CONDITION_IN_LISTS, CONDITIONS, PURPOSES, ROLE_GROUPS, ROLES, SERVICES, type Condition, type Purpose, type Role, type Service } from './vocabulary.js';
import { existsSync } from 'node:fs';
import { SUBGRAPH_NAMES } from '../../subgraphs/index.js';

export type FieldTable = Record<string, 'INHERIT' | 'DENY' | string[]>;

export interface Grant {
  /** The line as written, for the matrix and error messages. */
  text: string;
  roles: Role[];
  purposes: Purpose[] | '*';
  /** null for the owning agency's own staff. */
  agreement: string | null;
  conditions: Condition[];
  /** For internal fields: the services whose own calls this grant admits (roles are then empty). */
  services?: Service[];
}

export type FieldPolicy = { kind: 'INHERIT' } | { kind: 'GRANTS'; grants: Grant[] };

export interface SubgraphPolicy {
  subgraph: string;
  /** The agency that owns the data (token agency claim), or ALL for shared identity. */
  owner: string;
  entries: Map<string, FieldPolicy>;
}

/** Owners of the core subgraphs' tables that are not an agency's own (shared identity is everyone's). */
const CORE_OWNERS: Record<string, string> = { identity: 'ALL' };

/**
 * The field tables, by subgraph, with the agency that owns each: found from the registry, one file per
 * subgraph, schema/policy/fields/<slug>.ts, exporting the table (as `<slug>`, `table` or default) and
 * optionally its `owner` (default the slug in capitals). A subgraph without a file has no table, and
 * the coverage check names every one of its fields.
 */
async function discoverTables(): Promise<Record<string, { owner: string; table: FieldTable }>> {
  const out: Record<string, { owner: string; table: FieldTable }> = {};
  for (const name of SUBGRAPH_NAMES as readonly string[]) {
    const file = new URL(`./fields/${name}.ts`, import.meta.url);
    if (!existsSync(file)) continue;
    const mod = (await import(`./fields/${name}.ts`)) as Record<string, unknown>;
    const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    const table = (mod[name] ?? mod[camel] ?? mod.table ?? mod.default) as FieldTable | undefined;
    if (!table || typeof table !== 'object') throw new Error(`schema/policy/fields/${name}.ts must export its field table (as "${camel}", "table" or default)`);
    out[name] = { owner: typeof mod.owner === 'string' ? mod.owner : CORE_OWNERS[name] ?? name.replace(/-/g, '_').toUpperCase(), table };
  }
  return out;
}

/** Agencies an agreement's owner stands for: HMPPS is prisons and probation together. */
const OWNER_COVERS: Record<string, string[]> = { HMPPS: ['PRISONS', 'PROBATION'] };

export class PolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`the disclosure policy is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

function expandRoles(names: string[], where: string, problems: string[]): Role[] {
  const out = new Set<Role>();
  for (const n of names) {
    if (n in ROLES) out.add(n as Role);
    else if (ROLE_GROUPS[n]) ROLE_GROUPS[n].forEach((r) => out.add(r));
    else problems.push(`${where}: unknown role or group "${n}"`);
  }
  return [...out];
}

export function parseGrant(text: string, where: string, owner: string, problems: string[]): Grant | null {
  const service = /^SERVICE\s+(.+)$/.exec(text.trim());
  if (service) {
    const services = service[1].split(',').map((s) => s.trim());
    for (const s of services) if (!(s in SERVICES)) problems.push(`${where}: unknown service "${s}"`);
    if (!/^_/.test(where.split('.').pop() ?? '')) problems.push(`${where}: a SERVICE grant is only for internal fields (named _...)`);
    return { text, roles: [], purposes: '*', agreement: null, conditions: [], services: services as Service[] };
  }
  const [head, agreementPart, conditionPart, extra] = text.split('|').map((s) => s.trim());
  const [rolePart, purposePart, more] = (head ?? '').split(':').map((s) => s.trim());
  if (!rolePart || !purposePart || more !== undefined || !agreementPart || extra !== undefined) {
    problems.push(`${where}: "${text}" must read ROLES : PURPOSES | AGREEMENT [| if CONDITION]`);
    return null;
  }
  const roles = expandRoles(rolePart.split(',').map((s) => s.trim()), where, problems);
  let purposes: Purpose[] | '*' = '*';
  if (purposePart !== '*') {
    purposes = purposePart.split(',').map((s) => s.trim()) as Purpose[];
    for (const p of purposes) if (!(p in PURPOSES)) problems.push(`${where}: unknown purpose "${p}"`);
  }
  const agreement = agreementPart === 'own' ? null : agreementPart;
  const conditions: Condition[] = [];
  if (conditionPart) {
    if (!conditionPart.startsWith('if ')) problems.push(`${where}: conditions must start with "if", got "${conditionPart}"`);
    for (const c of conditionPart.replace(/^if\s+/, '').split('&').map((s) => s.trim())) {
      if (c in CONDITIONS) conditions.push(c as Condition);
      else problems.push(`${where}: unknown condition "${c}"`);
    }
  }
  for (const role of roles) {
    const def = ROLES[role];
    if (purposes !== '*') for (const p of purposes) if (!(def.purposes as readonly string[]).includes(p)) problems.push(`${where}: ${role} may never declare ${p}`);
    if (agreement === null && owner !== 'ALL' && def.agency !== owner) problems.push(`${where}: ${role} (${def.agency}) is not ${owner} staff: name an agreement instead of "own"`);
  }
  if (agreement !== null) {
    const a = (AGREEMENTS as Record<string, Agreement>)[agreement];
    if (!a) problems.push(`${where}: unknown agreement "${agreement}"`);
    else {
      const covers = a.owner === 'ALL' || a.owner === owner || owner === 'ALL' || (OWNER_COVERS[a.owner] ?? []).includes(owner);
      if (!covers) problems.push(`${where}: agreement ${agreement} shares ${a.owner} data, not ${owner}`);
      for (const role of roles) if (!a.receivers.includes(ROLES[role].agency)) problems.push(`${where}: agreement ${agreement} does not name ${ROLES[role].agency} (${role}) as a receiver`);
      if (purposes !== '*') {
        for (const p of purposes) if (!(a.purposes as readonly string[]).includes(p)) problems.push(`${where}: agreement ${agreement} does not cover ${p}`);
      } else {
        for (const role of roles) if (!ROLES[role].purposes.some((p) => (a.purposes as readonly string[]).includes(p))) problems.push(`${where}: agreement ${agreement} covers none of ${role}'s purposes`);
      }
    }
  }
  return { text, roles, purposes, agreement, conditions };
}

// Read once, after PolicyError exists (discovery throws one for a malformed table file).
export const FIELD_TABLES: Record<string, { owner: string; table: FieldTable }> = await discoverTables();

/** Reads and checks every field table; throws PolicyError listing every problem at once. */
export function loadPolicy(tables = FIELD_TABLES): Map<string, SubgraphPolicy> {
  const problems: string[] = [];
  const out = new Map<string, SubgraphPolicy>();
  for (const [subgraph, { owner, table }] of Object.entries(tables)) {
    const entries = new Map<string, FieldPolicy>();
    for (const [coordinate, value] of Object.entries(table)) {
      const where = `${subgraph} ${coordinate}`;
      if (!/^[A-Z_][A-Za-z0-9_]*\.([A-Za-z_][A-Za-z0-9_]*|\*)$/.test(coordinate)) problems.push(`${where}: expected Type.field or Type.*`);
      if (value === 'INHERIT') { entries.set(coordinate, { kind: 'INHERIT' }); continue; }
      // Decided and denied to everyone: no grant can hold.
      if (value === 'DENY') { entries.set(coordinate, { kind: 'GRANTS', grants: [] }); continue; }
      if (!Array.isArray(value) || value.length === 0) { problems.push(`${where}: expected 'INHERIT', 'DENY' or a list of grants`); continue; }
      const grants = value.map((g) => parseGrant(g, where, owner, problems)).filter((g): g is Grant => g !== null);
      entries.set(coordinate, { kind: 'GRANTS', grants });
    }
    out.set(subgraph, { subgraph, owner, entries });
  }
  problems.push(...checkDisclosureControl());
  // An aggregate field released under a disclosure control rule must be a field the table grants.
  for (const [subgraph, fields] of Object.entries(AGGREGATE_FIELDS)) {
    for (const coordinate of Object.keys(fields)) if (!tables[subgraph]?.table[coordinate] && tables === FIELD_TABLES) problems.push(`${subgraph} ${coordinate}: a disclosure control rule names a field the policy table does not`);
  }
  if (problems.length) throw new PolicyError(problems);
  return out;
}

/** The entry deciding `Type.field`: the exact one, else `Type.*`; undefined when the table has neither. */
export function entryFor(policy: SubgraphPolicy, type: string, field: string): FieldPolicy | undefined {
  return policy.entries.get(`${type}.${field}`) ?? policy.entries.get(`${type}.*`);
}

/** A short hash of the whole policy (vocabulary, agreements, tables): recorded with every decision. */
export function policyVersion(tables = FIELD_TABLES): string {
  const canonical = JSON.stringify({ PURPOSES, ROLES, ROLE_GROUPS, CONDITIONS, CONDITION_IN_LISTS, SERVICES, AGREEMENTS, DISCLOSURE_CONTROL, AGGREGATE_FIELDS, tables });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12);
}

export { AGREEMENTS, CONDITION_IN_LISTS, CONDITIONS, PURPOSES, ROLE_GROUPS, ROLES, SERVICES };
export type { Condition, Purpose, Role, Service };
