// Per-request identity resolution, batched across people. Every person asked for in one tick (aliases,
// search hits, a list's entities) is linked together: each expansion round is one wave, and in a wave
// each agency gets one call carrying every identifier of every person. Candidate searches run only
// when a query selects candidates, again one call per agency for all people. Each agency's call has a
// bounded budget inside the request deadline: an agency that does not answer in time is left out of
// the links and marked in the person id, so only its own fields fail, naming it.
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { AdapterError } from '../../adapters/errors.js';
import { remaining } from '../../platform/deadline.js';
import { decodePersonId, encodePersonId, type Unconsulted } from '../../schema/person-id.js';
import type { Identifier, IdentifierType, IdentityRecord, IdentitySearch } from '../../schema/model.js';
import type { RequestInfo } from '../types.js';
import { cluster, gradeCandidate, idKey, recordHasIdentifier, recordKey, tally, trustedIdentifiers, type CandidateGrade, type LinkBasis } from './linking.js';

/** One agency's people, as identity reaches them: through that agency's own subgraph. */
export interface PeopleSource {
  agency: string;
  supports: IdentifierType[];
  /** Records holding any of the identifiers: one call for the whole wave. */
  find(ids: Identifier[], signal: AbortSignal): Promise<IdentityRecord[]>;
  /** Records matching any of the searches: one call for every search of the wave. */
  search(criteria: IdentitySearch[], signal: AbortSignal): Promise<IdentityRecord[]>;
}

export interface IdentityClient {
  /** The sources for one request (they call on behalf of that request's caller). */
  sources(request: RequestInfo | undefined, requestId: string): PeopleSource[];
  /** How long linking waits for the agencies, in all, before going on without those that have not answered (ms). */
  linkBudgetMs: number;
}

export interface Candidate extends CandidateGrade {
  record: IdentityRecord;
}

export interface ResolvedPerson {
  id: string;
  records: IdentityRecord[];
  basis: Map<string, LinkBasis[]>;
  /** Agencies that could not be consulted while linking, as the errors to report. */
  failures: AdapterError[];
}

/** Expansion stops after this many rounds: enough for PNC → prison number → CRN chains. */
const MAX_ROUNDS = 3;
/** Time kept back from the request deadline to answer in. */
const ANSWER_MARGIN_MS = 150;

/** A key to follow; `agency` set means it is that agency's own id and is asked of that agency only. */
interface Seed {
  id: Identifier;
  agency?: string;
}

interface Expansion {
  records: Map<string, IdentityRecord>;
  /** By agency: the error, and the identifiers that agency was asked for and did not answer about. */
  failed: Map<string, { error: AdapterError; ids: Set<string> }>;
}

const safe = (agency: string, op: string, err: unknown): AdapterError =>
  err instanceof AdapterError ? err : new AdapterError({ agency, operation: op, code: 'SOURCE_UNAVAILABLE', cause: err });

export function createIdentityLoaders(client: IdentityClient, requestId = 'local', request?: RequestInfo) {
  const sources = client.sources(request, requestId);
  const deadline = request?.deadline ?? null;
  const people = new Map<string, ResolvedPerson>();

  /** One call to one agency, cut at `until` (epoch ms); every failure is an AdapterError naming the agency. */
  async function call<T>(agency: string, op: string, until: number, run: (signal: AbortSignal) => Promise<T>): Promise<T | AdapterError> {
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<AdapterError>((resolve) => {
      timer = setTimeout(() => { ac.abort(); resolve(new AdapterError({ agency, operation: op, code: 'SOURCE_TIMEOUT', message: `${agency} system did not answer in time` })); }, Math.max(1, until - Date.now()));
    });
    try {
      return await Promise.race([run(ac.signal).catch((err) => safe(agency, op, err)), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Follows trusted identifiers outwards from every seed at once, one wave per round. */
  async function expandAll(seeds: Seed[]): Promise<Expansion> {
    const until = Date.now() + remaining(deadline, client.linkBudgetMs, ANSWER_MARGIN_MS);
    const found = new Map<string, IdentityRecord>();
    const asked = new Map(sources.map((s) => [s.agency, new Set<string>()]));
    const failed = new Map<string, { error: AdapterError; ids: Set<string> }>();
    // An agency that already answered with a record of a person is not asked again about that person's
    // other identifiers: the answer would be a second record of the same person at the same agency, a
    // duplicate that is that agency's to merge. It saves a wave on almost every look-up.
    const parent = new Map<string, string>();
    const root = (k: string): string => { let r = k; while (parent.has(r)) r = parent.get(r)!; return r; };
    const agenciesOf = new Map<string, Set<string>>();
    const join = (rec: IdentityRecord) => {
      const keys = trustedIdentifiers(rec).map((i) => root(idKey(i)));
      const top = keys[0];
      const agencies = agenciesOf.get(top) ?? new Set<string>();
      for (const k of keys.slice(1)) if (k !== top) { parent.set(k, top); agenciesOf.get(k)?.forEach((a) => agencies.add(a)); agenciesOf.delete(k); }
      agencies.add(rec.agency);
      agenciesOf.set(top, agencies);
    };
    const held = (agency: string, id: Identifier) => agenciesOf.get(root(idKey(id)))?.has(agency) ?? false;
    let frontier = seeds;
    for (let round = 0; round < MAX_ROUNDS && frontier.length; round++) {
      const wave: [PeopleSource, Identifier[]][] = [];
      for (const s of sources) {
        const mine = asked.get(s.agency)!;
        const ids: Identifier[] = [];
        for (const f of frontier) {
          const k = idKey(f.id);
          if ((f.agency && f.agency !== s.agency) || !s.supports.includes(f.id.type) || mine.has(k) || held(s.agency, f.id)) continue;
          mine.add(k);
          ids.push(f.id);
        }
        if (ids.length) wave.push([s, ids]);
      }
      if (!wave.length) break;
      const fresh: IdentityRecord[] = [];
      await Promise.all(wave.map(async ([s, ids]) => {
        const r = await call(s.agency, 'findByIdentifiers', until, (signal) => s.find(ids, signal));
        if (r instanceof AdapterError) {
          const f = failed.get(s.agency) ?? { error: r, ids: new Set<string>() };
          ids.forEach((i) => f.ids.add(idKey(i)));
          failed.set(s.agency, f);
          return;
        }
        for (const rec of r) {
          if (found.has(recordKey(rec))) continue;
          found.set(recordKey(rec), rec);
          fresh.push(rec);
        }
      }));
      fresh.forEach(join);
      frontier = fresh.flatMap(trustedIdentifiers).map((id) => ({ id }));
    }
    return { records: found, failed };
  }

  /** Agencies that could not answer about any identifier of these records or seeds. */
  function unconsultedFor(exp: Expansion, records: IdentityRecord[], seeds: Seed[]): { marks: Unconsulted[]; errors: AdapterError[] } {
    const keys = new Set([...records.flatMap(trustedIdentifiers), ...seeds.map((s) => s.id)].map(idKey));
    const marks: Unconsulted[] = [];
    const errors: AdapterError[] = [];
    for (const [agency, f] of exp.failed) {
      if ([...f.ids].some((k) => keys.has(k))) { marks.push({ agency, timedOut: f.error.code === 'SOURCE_TIMEOUT' }); errors.push(f.error); }
    }
    return { marks, errors };
  }

  /** The person holding the seeds, from a shared expansion; null when no agency holds them. */
  function personOf(seeds: Seed[], exp: Expansion): ResolvedPerson | null {
    const all = [...exp.records.values()];
    const holds = (r: IdentityRecord) => seeds.some((s) => (!s.agency || s.agency === r.agency) && recordHasIdentifier(r, s.id));
    const mine = cluster(all).filter((c) => c.records.some(holds));
    const failures = unconsultedFor(exp, mine.flatMap((c) => c.records), seeds);
    if (!mine.length) {
      if (failures.errors.length) throw unavailable(failures.errors);
      return null;
    }
    // A key naming records that no trusted identifier joins is not one person: merging them would let a
    // caller borrow one person's relationship (a caseload, a victim's case) to read another's records.
    if (mine.length > 1) {
      throw new GraphQLError('This person id names records that are not linked to one another; look the person up by an identifier instead', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    const c = cluster(mine[0].records, seeds.map((s) => s.id))[0];
    const person: ResolvedPerson = {
      id: encodePersonId(c.records.map((r) => ({ agency: r.agency, localId: r.localId })), failures.marks),
      records: c.records, basis: c.basis, failures: failures.errors,
    };
    people.set(person.id, person);
    return person;
  }

  /** Seeds of a loader key: `id|PNC:...` (a looked-up identifier) or `person|P1:...` (each agency's own ids). */
  function seedsOf(key: string): Seed[] {
    if (key.startsWith('id|')) {
      const k = key.slice(3);
      const i = k.indexOf(':');
      return [{ id: { type: k.slice(0, i) as IdentifierType, value: k.slice(i + 1) } }];
    }
    const seeds: Seed[] = [];
    for (const ref of decodePersonId(key.slice(7))) {
      const source = sources.find((s) => s.agency === ref.agency);
      // An agency's own id is only asked of that agency: prison number X at probation is a different question.
      for (const type of source?.supports.filter((t) => t !== 'PNC' && t !== 'CRO') ?? []) seeds.push({ id: { type, value: ref.localId }, agency: ref.agency });
    }
    return seeds;
  }

  /** Everyone asked for in one tick, linked in shared waves. */
  const resolver = new DataLoader<string, ResolvedPerson | null>(async (keys) => {
    const seeds = keys.map(seedsOf);
    const exp = await expandAll(seeds.flat());
    return seeds.map((s) => { try { return personOf(s, exp); } catch (err) { return err as Error; } });
  });

  /** Every agency searched once for all the criteria of the wave; failures by agency. */
  async function searchAll(criteria: IdentitySearch[]) {
    const unique = [...new Map(criteria.map((c) => [`${c.surname}|${c.forename ?? ''}|${c.dateOfBirth ?? ''}|${c.tolerant ? 'T' : ''}${c.swapped ? 'S' : ''}`, c])).values()];
    const until = Date.now() + remaining(deadline, client.linkBudgetMs, ANSWER_MARGIN_MS);
    const records: IdentityRecord[] = [];
    const failures = new Map<string, AdapterError>();
    await Promise.all(sources.map(async (s) => {
      const r = await call(s.agency, 'search', until, (signal) => s.search(unique, signal));
      if (r instanceof AdapterError) failures.set(s.agency, r);
      else records.push(...r);
    }));
    return { records, failures };
  }

  /**
   * Candidates of every person whose candidates were asked for in one tick, batched across people: for each
   * person one tolerant search (alike surnames, and the date of birth with a like forename) and, with a
   * forename, one for records keyed with forename and surname the other way round. The match model grades
   * what they find.
   */
  const candidates = new DataLoader<string, (Candidate | AdapterError)[]>(async (ids) => {
    const criteria: IdentitySearch[] = [];
    const wanted = ids.map((id) => {
      const records = people.get(id)?.records ?? [];
      const surname = tally(records, (r) => r.name.surname)[0]?.value;
      if (!surname) return records;
      const forename = tally(records, (r) => r.name.forenames[0] ?? null)[0]?.value ?? null;
      const dob = tally(records, (r) => r.dateOfBirth)[0]?.value ?? null;
      criteria.push({ surname, forename, dateOfBirth: dob, tolerant: true });
      if (forename) criteria.push({ surname: forename, forename: surname, dateOfBirth: dob, tolerant: true, swapped: true });
      return records;
    });
    if (!criteria.length) return ids.map(() => []);
    const found = await searchAll(criteria);
    return wanted.map((records) => {
      const have = new Set(records.map(recordKey));
      const out = new Map<string, Candidate>();
      for (const r of found.records) {
        if (!records.length || have.has(recordKey(r)) || out.has(recordKey(r))) continue;
        const g = gradeCandidate(records, r);
        if (g) out.set(recordKey(r), { record: r, ...g });
      }
      const sorted = [...out.values()].sort((x, y) => y.weight - x.weight || recordKey(x.record).localeCompare(recordKey(y.record)));
      return [...sorted, ...found.failures.values()];
    });
  });

  return {
    /** One name search (searchPeople), then its hits completed by the records trusted identifiers join to them. */
    async searchPeople(criteria: IdentitySearch) {
      const found = await searchAll([criteria]);
      const exp = await expandAll(found.records.flatMap(trustedIdentifiers).map((id) => ({ id })));
      found.records.forEach((r) => exp.records.set(recordKey(r), r));
      const unconsulted = (records: IdentityRecord[]) => {
        const u = unconsultedFor(exp, records, []);
        for (const [agency, e] of found.failures) { u.marks.push({ agency, timedOut: e.code === 'SOURCE_TIMEOUT' }); u.errors.push(e); }
        return u;
      };
      const hits = new Set(found.records.map(recordKey));
      const clusters = cluster([...exp.records.values()]).filter((c) => c.records.some((r) => hits.has(recordKey(r))));
      const persons = clusters.map((c) => {
        const u = unconsulted(c.records);
        const person: ResolvedPerson = { id: encodePersonId(c.records.map((r) => ({ agency: r.agency, localId: r.localId })), u.marks), records: c.records, basis: c.basis, failures: u.errors };
        people.set(person.id, person);
        return person;
      });
      return { persons, failures: [...found.failures.values()] };
    },
    /** The person holding `id` (already normalised), with every record trusted identifiers join to it. */
    byIdentifier: (id: Identifier) => resolver.load(`id|${idKey(id)}`),
    /** The person behind a Person.id: each agency's own record, then everything joined to those. */
    byPersonId: (personId: string) => (people.has(personId) ? Promise.resolve(people.get(personId)!) : resolver.load(`person|${personId}`)),
    /** Probable and possible records in other agencies that no trusted identifier joins to the person (an error per agency that could not be searched). */
    candidatesOf: (person: ResolvedPerson) => { people.set(person.id, person); return candidates.load(person.id); },
  };
}

export type IdentityLoaders = ReturnType<typeof createIdentityLoaders>;

/** One error naming every agency that could not be consulted, when nothing could be said without them. */
export function unavailable(failures: AdapterError[]): AdapterError {
  const agencies = [...new Set(failures.map((f) => f.agency))].sort();
  return new AdapterError({
    agency: agencies.join(','), operation: 'identity', code: failures.every((f) => f.code === 'SOURCE_TIMEOUT') ? 'SOURCE_TIMEOUT' : 'SOURCE_UNAVAILABLE',
    message: `Cannot say who this is: ${agencies.join(', ')} could not be consulted`,
  });
}
