// Per-request identity resolution, batched across people. Every person asked for in one tick (aliases,
// search hits, a list's entities) is linked together: each expansion round is one wave, and in a wave
// each agency gets one call carrying every identifier of every person. Candidate searches run only
// when a query selects candidates, again one call per agency for all people. Each agency's call has a
// bounded budget inside the request deadline: an agency that does not answer in time is left out of
// the links and marked in the person id, so only its own fields fail, naming it.
import { readAt } from '../provenance.js';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { AdapterError } from '../../adapters/errors.js';
import { remaining } from '../../platform/deadline.js';
import { decodePersonId, encodePersonId, type Unconsulted } from '../../schema/person-id.js';
import { readable, type Identifier, type IdentifierType, type IdentityRecord, type IdentitySearch } from '../../schema/model.js';
import type { DataQualityScanPage, RequestInfo } from '../types.js';
import { cluster, gradeCandidate, idKey, recordHasIdentifier, recordKey, tally, trustedIdentifiers, type CandidateGrade, type LinkBasis } from './linking.js';

/** One agency's people, as identity reaches them: through that agency's own subgraph. */
export interface PeopleSource {
  agency: string;
  supports: IdentifierType[];
  /** Identifier types its records carry as cross-references to other agencies' records (the registry's `crossReferenceTypes`). */
  yields?: IdentifierType[];
  /** Records holding any of the identifiers: one call for the whole wave. */
  find(ids: Identifier[], signal: AbortSignal): Promise<IdentityRecord[]>;
  /** Records matching any of the searches: one call for every search of the wave. */
  search(criteria: IdentitySearch[], signal: AbortSignal): Promise<IdentityRecord[]>;
  /** One page of the agency's data-quality scan (its subgraph's `_dataQualityScan`); absent when it has none. */
  scan?(since: string, after: string | null): Promise<DataQualityScanPage>;
}

export interface IdentityClient {
  /** The sources for one request (they call on behalf of that request's caller). */
  sources(request: RequestInfo | undefined, requestId: string): PeopleSource[];
  /** How long linking waits for the agencies, in all, before going on without those that have not answered (ms). */
  linkBudgetMs: number;
  /** Each agency's own record id type, by Agency enum value (the registry's `localIdType`). */
  localIdTypes?: Record<string, IdentifierType>;
  /** Agencies that hold nobody the others know (never linked) but scan their records for a data-quality report. */
  scanners?(request: RequestInfo | undefined, requestId: string): DataQualityScanner[];
}

/** An agency's data-quality scan, one page per call. */
export interface DataQualityScanner {
  agency: string;
  scan?(since: string, after: string | null): Promise<DataQualityScanPage>;
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

/** Records as one call returned them, each with when it was read (its links' and candidates' provenance). */
function stampRead(records: IdentityRecord[]): IdentityRecord[] {
  const retrievedAt = readAt();
  return records.map((r) => ({ ...r, retrievedAt }));
}

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

  /**
   * Follows trusted identifiers outwards from every seed at once, one wave per round. `afterFirstRound`
   * sees the records of the first wave as soon as it is in, so that work needing only those (candidate
   * searches) overlaps the later waves (courts by the ASNs police records carry) instead of following them.
   */
  async function expandAll(seeds: Seed[], afterFirstRound?: (found: IdentityRecord[]) => void): Promise<Expansion> {
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
    /** The identifiers of `from` that `s` can be asked about and has not been: marked asked. */
    const idsFor = (s: PeopleSource, from: Seed[]): Identifier[] => {
      const mine = asked.get(s.agency)!;
      const ids: Identifier[] = [];
      for (const f of from) {
        const k = idKey(f.id);
        if ((f.agency && f.agency !== s.agency) || !s.supports.includes(f.id.type) || mine.has(k) || held(s.agency, f.id)) continue;
        mine.add(k);
        ids.push(f.id);
      }
      return ids;
    };
    /** One agency's call; its new records are joined at once and returned. */
    const ask = async (s: PeopleSource, ids: Identifier[], fresh: IdentityRecord[]): Promise<IdentityRecord[]> => {
      const r = await call(s.agency, 'findByIdentifiers', until, (signal) => s.find(ids, signal));
      if (r instanceof AdapterError) {
        const f = failed.get(s.agency) ?? { error: r, ids: new Set<string>() };
        ids.forEach((i) => f.ids.add(idKey(i)));
        failed.set(s.agency, f);
        return [];
      }
      const mineFresh: IdentityRecord[] = [];
      for (const rec of stampRead(r)) {
        if (found.has(recordKey(rec))) continue;
        found.set(recordKey(rec), rec);
        mineFresh.push(rec);
      }
      mineFresh.forEach(join);
      fresh.push(...mineFresh);
      return mineFresh;
    };
    let frontier = seeds;
    for (let round = 0; round < MAX_ROUNDS && frontier.length; round++) {
      const wave: [PeopleSource, Identifier[]][] = [];
      for (const s of sources) {
        const ids = idsFor(s, frontier);
        if (ids.length) wave.push([s, ids]);
      }
      if (!wave.length) break;
      const fresh: IdentityRecord[] = [];
      // An agency this wave does not ask (courts, keyed by the ASNs police records carry) is asked as soon as
      // an answer brings identifiers it can take, not after the slowest agency of the wave: at most one such
      // early call per agency per wave, so the calls stay batched; what later answers bring waits for the next wave.
      const inWave = new Set(wave.map(([s]) => s.agency));
      const early: Promise<unknown>[] = [];
      await Promise.all(wave.map(async ([s, ids]) => {
        const recs = await ask(s, ids, fresh);
        for (const t of sources) {
          if (inWave.has(t.agency) || !recs.length) continue;
          const tids = idsFor(t, recs.flatMap(trustedIdentifiers).map((id) => ({ id })));
          if (tids.length) { inWave.add(t.agency); early.push(ask(t, tids, fresh)); }
        }
      }));
      if (round === 0) afterFirstRound?.([...found.values()]);
      await Promise.all(early);
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
      if (![...f.ids].some((k) => keys.has(k))) continue;
      marks.push({ agency, timedOut: f.error.code === 'SOURCE_TIMEOUT', unreadable: f.error.code === 'BAD_SOURCE_DATA' });
      errors.push(f.error);
      // An agency reached only through keys the failed one holds (courts through the ASNs on police
      // arrests) was never asked: its records are unknown, not absent. Marked so its fields say so.
      const yields = sources.find((s) => s.agency === agency)?.yields ?? [];
      const present = new Set(records.map((r) => r.agency));
      for (const s of sources) {
        if (s.agency === agency || present.has(s.agency) || exp.failed.has(s.agency) || marks.some((m) => typeof m !== 'string' && m.agency === s.agency)) continue;
        if (s.supports.length && s.supports.every((t) => yields.includes(t))) marks.push({ agency: s.agency, timedOut: f.error.code === 'SOURCE_TIMEOUT', unreadable: false });
      }
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

  /** The records holding the seeds, and those trusted identifiers join to them, among `found` so far. */
  function recordsOf(seeds: Seed[], found: IdentityRecord[]): IdentityRecord[] {
    const holds = (r: IdentityRecord) => seeds.some((s) => (!s.agency || s.agency === r.agency) && recordHasIdentifier(r, s.id));
    return cluster(found).filter((c) => c.records.some(holds)).flatMap((c) => c.records);
  }

  /** By loader key: the person's records after the first wave (settled at the latest when linking ends). */
  const early = new Map<string, { promise: Promise<IdentityRecord[]>; settle: (r: IdentityRecord[]) => void; settled: boolean }>();
  function earlyOf(key: string) {
    let e = early.get(key);
    if (!e) {
      let settle!: (r: IdentityRecord[]) => void;
      const promise = new Promise<IdentityRecord[]>((resolve) => { settle = resolve; });
      e = { promise, settled: false, settle: (r) => { if (!e!.settled) { e!.settled = true; settle(r); } } };
      early.set(key, e);
    }
    return e;
  }

  /** Everyone asked for in one tick, linked in shared waves. */
  const resolver = new DataLoader<string, ResolvedPerson | null>(async (keys) => {
    const seeds = keys.map(seedsOf);
    try {
      const exp = await expandAll(seeds.flat(), (found) => keys.forEach((k, i) => earlyOf(k).settle(recordsOf(seeds[i], found))));
      keys.forEach((k, i) => earlyOf(k).settle(recordsOf(seeds[i], [...exp.records.values()])));
      return seeds.map((s) => { try { return personOf(s, exp); } catch (err) { return err as Error; } });
    } finally {
      keys.forEach((k) => earlyOf(k).settle([]));
    }
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
      else records.push(...stampRead(r));
    }));
    return { records, failures };
  }

  /** A candidates question: the records its searches are made from, and the person they are graded against (possibly still linking). */
  interface CandidateAsk { from: IdentityRecord[]; person: Promise<ResolvedPerson> }
  const asks = new Map<string, CandidateAsk>();
  let askSeq = 0;

  /**
   * Candidates of every person whose candidates were asked for in one tick, batched across people: for each
   * person one tolerant search (alike surnames, and the date of birth with a like forename) and, with a
   * forename, one for records keyed with forename and surname the other way round. The searches start from
   * the records known when asked (after the first wave), while linking may still be completing; the match
   * model grades what they find against the person's final records.
   */
  const candidates = new DataLoader<string, (Candidate | AdapterError)[]>(async (tokens) => {
    const criteria: IdentitySearch[] = [];
    const wanted = tokens.map((t) => asks.get(t)!);
    for (const a of wanted) {
      // An unreadable record says nothing about the name or date of birth to search by.
      const records = readable(a.from);
      const surname = tally(records, (r) => r.name.surname)[0]?.value;
      if (!surname) continue;
      const forename = tally(records, (r) => r.name.forenames[0] ?? null)[0]?.value ?? null;
      const dob = tally(records, (r) => r.dateOfBirth)[0]?.value ?? null;
      criteria.push({ surname, forename, dateOfBirth: dob, tolerant: true });
      if (forename) criteria.push({ surname: forename, forename: surname, dateOfBirth: dob, tolerant: true, swapped: true });
    }
    tokens.forEach((t) => asks.delete(t));
    if (!criteria.length) return tokens.map(() => []);
    // A person whose linking failed has no candidates to grade: that failure is reported on the person.
    const [found, persons] = await Promise.all([searchAll(criteria), Promise.all(wanted.map((a) => a.person.catch(() => null)))]);
    return persons.map((person) => {
      const records = person?.records ?? [];
      const have = new Set(records.map(recordKey));
      const out = new Map<string, Candidate>();
      for (const r of found.records) {
        if (!records.length || have.has(recordKey(r)) || out.has(recordKey(r))) continue;
        const g = r.unreadable ? null : gradeCandidate(readable(records), r);
        if (g) out.set(recordKey(r), { record: r, ...g });
      }
      const sorted = [...out.values()].sort((x, y) => y.weight - x.weight || recordKey(x.record).localeCompare(recordKey(y.record)));
      return [...sorted, ...found.failures.values()];
    });
  }, { cache: false });

  return {
    /** The source of an agency (its Agency enum value or slug), for its data-quality scan. */
    /** An agency's data-quality scan: a people source's, or that of an agency whose records are never linked. */
    sourceOf: (agency: string): DataQualityScanner | null => {
      const slug = agency.toLowerCase();
      return sources.find((s) => s.agency === slug) ?? client.scanners?.(request, requestId).find((s) => s.agency === slug) ?? null;
    },
    /** The identifier type of an agency's own record ids (by Agency enum value); null for an agency whose records name no person. */
    localIdType: (agency: string): IdentifierType | null => client.localIdTypes?.[agency] ?? null,
    /** One name search (searchPeople), then its hits completed by the records trusted identifiers join to them. */
    async searchPeople(criteria: IdentitySearch) {
      const found = await searchAll([criteria]);
      const exp = await expandAll(found.records.flatMap(trustedIdentifiers).map((id) => ({ id })));
      found.records.forEach((r) => exp.records.set(recordKey(r), r));
      const unconsulted = (records: IdentityRecord[]) => {
        const u = unconsultedFor(exp, records, []);
        for (const [agency, e] of found.failures) { u.marks.push({ agency, timedOut: e.code === 'SOURCE_TIMEOUT', unreadable: e.code === 'BAD_SOURCE_DATA' }); u.errors.push(e); }
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
    /** The records of the person holding `id` known after the first wave of linking (call after byIdentifier). */
    firstRecords: (id: Identifier) => earlyOf(`id|${idKey(id)}`).promise,
    /**
     * Probable and possible records in other agencies that no trusted identifier joins to the person (an
     * error per agency that could not be searched). `from`: the records to search from when the person is
     * still being linked (by default the person's own).
     */
    candidatesOf: (person: ResolvedPerson | Promise<ResolvedPerson>, from?: IdentityRecord[]) => {
      const token = String(askSeq++);
      const p = Promise.resolve(person);
      if (!(person instanceof Promise)) people.set(person.id, person);
      asks.set(token, { from: from ?? (person instanceof Promise ? [] : person.records), person: p });
      return candidates.load(token);
    },
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
