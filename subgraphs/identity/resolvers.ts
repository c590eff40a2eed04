import { GraphQLError } from 'graphql';
import { forenamesMatch, nameKey, normaliseAsn, normaliseCro, normalisePnc } from '../../adapters/normalise.js';
import { AdapterError } from '../../adapters/errors.js';
import { explain, matchRecordOf, score, searchRecord, type MatchScore } from './match/model.js';
import { agencyEnum, IDENTIFIER_TYPES, readable, type Identifier, type IdentifierType, type IdentityRecord } from '../../schema/model.js';
import { encodePersonId } from '../../schema/person-id.js';
import type { SubgraphContext } from '../types.js';
import { conflicts, recordKey, tally, trustedIdentifiers, type LinkBasis, type MatchGrade } from './linking.js';
import { unavailable, type IdentityLoaders, type ResolvedPerson } from './loaders.js';

type Ctx = SubgraphContext<IdentityLoaders>;
/**
 * A person as the identity resolvers hand it on: by key, resolved, or still linking (`pending`) with the
 * records the first wave found (`first`), so fields that need only those do not wait for later waves.
 */
interface PersonParent { id?: string; resolved?: ResolvedPerson; pending?: Promise<ResolvedPerson>; first?: IdentityRecord[] }

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/** Normalises an identifier typed by a user; a PNC or CRO whose check character fails is refused, never used as a key. */
export function normaliseInput(type: IdentifierType, value: string): Identifier {
  const v = value.trim();
  if (!v) throw badInput(`${type} must not be empty`);
  if (type === 'PNC' || type === 'CRO') {
    const check = type === 'PNC' ? normalisePnc(v) : normaliseCro(v);
    if (!check.valid) throw badInput(`${type} ${JSON.stringify(v.slice(0, 20))} is not usable as a key: ${check.reason}`);
    return { type, value: check.value };
  }
  if (!/^[A-Za-z0-9/-]{1,30}$/.test(v)) throw badInput(`${type} must be letters and digits, got ${JSON.stringify(v.slice(0, 20))}`);
  return { type, value: type === 'ASN' ? normaliseAsn(v) : v.toUpperCase() };
}

async function resolve(parent: PersonParent, ctx: Ctx): Promise<ResolvedPerson> {
  if (parent.resolved) return parent.resolved;
  if (parent.pending) return parent.pending;
  const r = await ctx.loaders.byPersonId(parent.id!);
  // A key whose records have all gone: an empty person, so agency fields still resolve (to nothing).
  return r ?? { id: parent.id!, records: [], basis: new Map(), failures: [] };
}

/** The rules that derive identity's values, named in their provenance. */
export const LINK_RULE = 'identity linking: trusted identifiers and cross-references (CERTAIN)';
export const MATCH_RULE = 'identity match model (schema/identity/match-weights.json): name, date of birth, sex and postcode comparisons';

/**
 * Where a value identity derived from an agency record came from: that agency, the record's id there, when
 * identity read it (from the agency's own subgraph, which names its system on the record's own fields), and the rule.
 */
export function derivedFrom(r: IdentityRecord, rule: string) {
  return { agency: agencyEnum(r.agency), system: `${r.agency} subgraph (identity records)`, recordId: r.localId, retrievedAt: r.retrievedAt ?? new Date().toISOString(), derivedBy: rule };
}

function link(r: IdentityRecord, grade: MatchGrade, basis: LinkBasis[]) {
  return {
    agency: agencyEnum(r.agency), localId: r.localId, localIdType: r.localIdType, grade, basis, recordedName: r.name, recordedDateOfBirth: r.dateOfBirth, dataQuality: r.dataQuality ?? [], record: r,
    provenance: derivedFrom(r, grade === 'CERTAIN' ? LINK_RULE : MATCH_RULE),
  };
}
type Link = ReturnType<typeof link>;

/** What an unreadable record would have said: an error naming the agency and the record, never a guess. */
const unreadableField = (l: Link) => new AdapterError({ agency: l.record.agency, operation: 'identity record', code: 'BAD_SOURCE_DATA', recordId: l.localId });

/** A single record seen as a person of its own (a candidate, or a search hit). */
function singleton(r: IdentityRecord): PersonParent {
  return { id: encodePersonId([{ agency: r.agency, localId: r.localId }]) };
}

/**
 * How well a search hit matches the search, by the match model on what the search gave (surname,
 * forename, date of birth): PROBABLE from the model's PROBABLE threshold, POSSIBLE otherwise (every hit is
 * what the search asked for; the reason says how weak the match is and what was not compared).
 */
function gradeAgainstSearch(records: IdentityRecord[], surname: string, forename: string | null, dob: string | null): { grade: MatchGrade; basis: LinkBasis; reason: string; provenance: ReturnType<typeof derivedFrom> | null } {
  const asked = searchRecord({ forenames: forename ? forename.split(/\s+/) : [], surname }, dob);
  let best: MatchScore | null = null;
  let bestRecord: IdentityRecord | null = null;
  for (const r of records) {
    const s = score(asked, matchRecordOf(r));
    if (!best || s.weight > best.weight) { best = s; bestRecord = r; }
  }
  if (!best) return { grade: 'POSSIBLE', basis: 'MATCH_WEIGHT', reason: 'no record to compare', provenance: null };
  // The grade is the model's, on the record that matched the search best.
  return { grade: best.grade === 'PROBABLE' ? 'PROBABLE' : 'POSSIBLE', basis: 'MATCH_WEIGHT', reason: explain(best, undefined, 'POSSIBLE (a search hit, weaker than a POSSIBLE candidate)'), provenance: derivedFrom(bestRecord!, MATCH_RULE) };
}


export const resolvers = {
  Query: {
    async personByIdentifier(_: unknown, args: { type: IdentifierType; value: string }, ctx: Ctx): Promise<PersonParent | null> {
      if (!IDENTIFIER_TYPES.includes(args.type)) throw badInput(`unknown identifier type ${args.type}`);
      const id = normaliseInput(args.type, args.value);
      const full = ctx.loaders.byIdentifier(id);
      // Answered once the first wave has found the person: later waves (courts by the ASNs police
      // records carry) complete the person while fields needing only the first records (candidates) go on.
      const first = await ctx.loaders.firstRecords(id);
      if (!first.length) {
        const r = await full;
        return r ? { id: r.id, resolved: r } : null;
      }
      const pending = full.then((r) => {
        if (!r) throw new Error('a person found in the first wave of linking was lost in a later one');
        return r;
      });
      pending.catch(() => {}); // reported by the fields that wait on it, not as an unhandled rejection
      return { pending, first };
    },
    async person(_: unknown, args: { id: string }, ctx: Ctx): Promise<PersonParent | null> {
      const r = await ctx.loaders.byPersonId(args.id);
      return r ? { id: r.id, resolved: r } : null;
    },
    async searchPeople(_: unknown, args: { surname: string; forename?: string | null; dateOfBirth?: string | null }, ctx: Ctx) {
      if (nameKey(args.surname).length < 2) throw badInput('surname must have at least two letters');
      const criteria = { surname: args.surname.trim(), forename: args.forename?.trim() || null, dateOfBirth: args.dateOfBirth ?? null };
      const { persons, failures } = await ctx.loaders.searchPeople(criteria);
      const results: unknown[] = persons.map((person) => ({ person: { id: person.id, resolved: person }, ...gradeAgainstSearch(person.records, criteria.surname, criteria.forename, criteria.dateOfBirth) }));
      results.sort((a, b) => ((a as { grade: string }).grade === 'PROBABLE' ? 0 : 1) - ((b as { grade: string }).grade === 'PROBABLE' ? 0 : 1));
      if (!results.length && failures.length) throw unavailable(failures);
      return [...results, ...failures];
    },
    /** Internal (audit subgraph only): every agency record of the person holding the identifier. */
    async _linkedRecords(_: unknown, args: { type: IdentifierType; value: string }, ctx: Ctx) {
      if (!IDENTIFIER_TYPES.includes(args.type)) throw badInput(`unknown identifier type ${args.type}`);
      const r = await ctx.loaders.byIdentifier(normaliseInput(args.type, args.value));
      return r?.records.map((x) => ({ agency: x.agency, localId: x.localId })) ?? [];
    },
  },
  LinkedRecord: {
    __resolveReference: (ref: { agency: string; localId: string }) => ref,
    // Every record of a worklist page is linked in the same tick: one batched call per agency per wave.
    async person(ref: { agency: string; localId: string }, _: unknown, ctx: Ctx): Promise<PersonParent | null> {
      // The agency's own record id type, as its module declares it (the registry's `localIdType`).
      const type = ctx.loaders.localIdType(ref.agency);
      if (!type) return null; // an agency whose records carry no person id of their own (victims)
      const r = await ctx.loaders.byIdentifier(normaliseInput(type, ref.localId));
      return r ? { id: r.id, resolved: r } : null;
    },
  },
  Person: {
    __resolveReference: (ref: { id: string }): PersonParent => ({ id: ref.id }),
    id: async (p: PersonParent, _: unknown, ctx: Ctx) => p.id ?? (await resolve(p, ctx)).id,
    // Name, date of birth, sex and conflicts are what the readable records say; an unreadable one says nothing.
    async name(p: PersonParent, _: unknown, ctx: Ctx) {
      const r = { records: readable((await resolve(p, ctx)).records) };
      const key = tally(r.records, (x) => `${nameKey(x.name.forenames[0])}|${nameKey(x.name.surname)}`)[0]?.value;
      return r.records.find((x) => `${nameKey(x.name.forenames[0])}|${nameKey(x.name.surname)}` === key)?.name ?? null;
    },
    dateOfBirth: async (p: PersonParent, _: unknown, ctx: Ctx) => tally(readable((await resolve(p, ctx)).records), (x) => x.dateOfBirth)[0]?.value ?? null,
    sex: async (p: PersonParent, _: unknown, ctx: Ctx) => tally(readable((await resolve(p, ctx)).records), (x) => x.sex)[0]?.value ?? null,
    async identifiers(p: PersonParent, _: unknown, ctx: Ctx) {
      const ids = new Map<string, Identifier>();
      for (const r of (await resolve(p, ctx)).records) for (const id of trustedIdentifiers(r)) ids.set(`${id.type}:${id.value}`, id);
      return [...ids.values()].sort((a, b) => a.type.localeCompare(b.type) || a.value.localeCompare(b.value));
    },
    async links(p: PersonParent, _: unknown, ctx: Ctx) {
      const r = await resolve(p, ctx);
      return [...r.records.map((x) => link(x, 'CERTAIN', r.basis.get(recordKey(x)) ?? ['AGENCY_ID'])), ...r.failures];
    },
    // Searched only when selected, for every person of the request at once.
    async candidates(p: PersonParent, _: unknown, ctx: Ctx) {
      const found = await ctx.loaders.candidatesOf(p.pending && p.first ? p.pending : await resolve(p, ctx), p.first);
      return found.map((c) => (c instanceof Error ? c : { link: link(c.record, c.grade, [c.basis]), person: singleton(c.record), reason: c.reason, provenance: derivedFrom(c.record, MATCH_RULE) }));
    },
    conflicts: async (p: PersonParent, _: unknown, ctx: Ctx) =>
      conflicts(readable((await resolve(p, ctx)).records)).map((c) => ({ field: c.field, values: c.values.map((v) => ({ value: v.value, agencies: v.agencies.map(agencyEnum) })) })),
    async rejectedIdentifiers(p: PersonParent, _: unknown, ctx: Ctx) {
      const out = [];
      for (const r of (await resolve(p, ctx)).records) {
        for (const [type, check] of [['PNC', r.pnc], ['CRO', r.cro]] as const) {
          if (check.raw && !check.valid) {
            const reason = (type === 'PNC' ? normalisePnc(check.raw) : normaliseCro(check.raw));
            out.push({ agency: agencyEnum(r.agency), type, recordedValue: check.raw, reason: reason.valid ? 'not trusted' : reason.reason });
          }
        }
      }
      return out;
    },
  },
  AgencyLink: {
    recordedName: (l: Link) => (l.record.unreadable ? unreadableField(l) : l.recordedName),
    recordedDateOfBirth: (l: Link) => (l.record.unreadable ? unreadableField(l) : l.recordedDateOfBirth),
  },
};
