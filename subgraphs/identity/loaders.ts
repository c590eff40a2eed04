// Per-request identity resolution. Lookups go through one DataLoader per agency, so every identifier
// asked for in one tick of the event loop costs that agency one batched legacy call, and nothing is
// cached beyond the request.
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { AdapterError } from '../../adapters/errors.js';
import { encodePersonId, decodePersonId } from '../../schema/person-id.js';
import type { Identifier, IdentityRecord, IdentitySearch, IdentitySource } from '../../schema/model.js';
import { cluster, gradeCandidate, idKey, recordHasIdentifier, recordKey, tally, trustedIdentifiers, type CandidateGrade, type Cluster, type LinkBasis } from './linking.js';

export interface IdentityClient {
  sources: IdentitySource[];
}

export interface Candidate extends CandidateGrade {
  record: IdentityRecord;
}

export interface ResolvedPerson {
  id: string;
  records: IdentityRecord[];
  basis: Map<string, LinkBasis[]>;
  candidates: Candidate[];
  /** Agencies that could not be consulted, as the errors to report. */
  failures: AdapterError[];
}

/** Expansion stops after this many rounds: enough for PNC → prison number → CRN chains. */
const MAX_ROUNDS = 3;

const safe = (source: IdentitySource, op: string, err: unknown): AdapterError =>
  err instanceof AdapterError ? err : new AdapterError({ agency: source.agency, operation: op, code: 'SOURCE_UNAVAILABLE', cause: err });

export function createIdentityLoaders(client: IdentityClient) {
  const byId = new Map<string, DataLoader<string, IdentityRecord[]>>();
  for (const source of client.sources) {
    byId.set(source.agency, new DataLoader<string, IdentityRecord[]>(async (keys) => {
      const ids: Identifier[] = keys.map((k) => { const i = k.indexOf(':'); return { type: k.slice(0, i) as Identifier['type'], value: k.slice(i + 1) }; });
      try {
        const records = await source.findByIdentifiers(ids);
        return ids.map((id) => records.filter((r) => recordHasIdentifier(r, id)));
      } catch (err) {
        const e = safe(source, 'findByIdentifiers', err);
        return ids.map(() => e);
      }
    }));
  }
  const searches = new Map<string, Promise<IdentityRecord[] | AdapterError>>();
  const resolved = new Map<string, Promise<ResolvedPerson | null>>();

  /** Records holding any of `ids`, from every agency that can be searched by them. */
  async function findByIdentifiers(ids: Identifier[], only?: (source: IdentitySource, id: Identifier) => boolean) {
    const records: IdentityRecord[] = [];
    const failures = new Map<string, AdapterError>();
    await Promise.all(client.sources.map(async (source) => {
      const wanted = ids.filter((id) => source.supports.includes(id.type) && (!only || only(source, id)));
      if (!wanted.length) return;
      const results = await byId.get(source.agency)!.loadMany(wanted.map(idKey));
      for (const r of results) {
        if (r instanceof Error) failures.set(source.agency, safe(source, 'findByIdentifiers', r));
        else records.push(...r);
      }
    }));
    return { records, failures };
  }

  async function search(criteria: IdentitySearch) {
    const records: IdentityRecord[] = [];
    const failures = new Map<string, AdapterError>();
    await Promise.all(client.sources.map(async (source) => {
      const key = `${source.agency}|${criteria.surname}|${criteria.forename ?? ''}|${criteria.dateOfBirth ?? ''}`;
      let p = searches.get(key);
      if (!p) searches.set(key, (p = source.search(criteria).catch((err) => safe(source, 'search', err))));
      const r = await p;
      if (r instanceof Error) failures.set(source.agency, r);
      else records.push(...r);
    }));
    return { records, failures };
  }

  /** Follows trusted identifiers outwards from `seed` until no new record appears. */
  async function expand(seed: Identifier[], only?: (source: IdentitySource, id: Identifier) => boolean) {
    const asked = new Set<string>();
    const found = new Map<string, IdentityRecord>();
    const failures = new Map<string, AdapterError>();
    let frontier = seed;
    for (let round = 0; round < MAX_ROUNDS && frontier.length; round++) {
      const ids = frontier.filter((id) => !asked.has(idKey(id)));
      ids.forEach((id) => asked.add(idKey(id)));
      if (!ids.length) break;
      const res = await findByIdentifiers(ids, round === 0 ? only : undefined);
      res.failures.forEach((e, a) => failures.set(a, e));
      const fresh = res.records.filter((r) => !found.has(recordKey(r)));
      fresh.forEach((r) => found.set(recordKey(r), r));
      frontier = fresh.flatMap(trustedIdentifiers);
    }
    return { records: [...found.values()], failures };
  }

  /** Probable and possible records in other agencies that no trusted identifier joins to the person. */
  async function findCandidates(records: IdentityRecord[]) {
    const surname = tally(records, (r) => r.name.surname)[0]?.value;
    if (!surname) return { candidates: [] as Candidate[], failures: new Map<string, AdapterError>() };
    const forename = tally(records, (r) => r.name.forenames[0] ?? null)[0]?.value ?? null;
    const dob = tally(records, (r) => r.dateOfBirth)[0]?.value ?? null;
    // Two searches: same surname and date of birth (catches forename variants), same surname and forename (catches date slips).
    const [a, b] = await Promise.all([
      dob ? search({ surname, dateOfBirth: dob }) : Promise.resolve({ records: [], failures: new Map() }),
      forename ? search({ surname, forename }) : Promise.resolve({ records: [], failures: new Map() }),
    ]);
    const have = new Set(records.map(recordKey));
    const candidates = new Map<string, Candidate>();
    for (const r of [...a.records, ...b.records]) {
      if (have.has(recordKey(r)) || candidates.has(recordKey(r))) continue;
      const g = gradeCandidate(records, r);
      if (g) candidates.set(recordKey(r), { record: r, ...g });
    }
    const failures = new Map([...a.failures, ...b.failures]);
    return { candidates: [...candidates.values()].sort((x, y) => (x.grade === y.grade ? recordKey(x.record).localeCompare(recordKey(y.record)) : x.grade === 'PROBABLE' ? -1 : 1)), failures };
  }

  async function resolveFrom(seed: Identifier[], only?: (source: IdentitySource, id: Identifier) => boolean): Promise<ResolvedPerson | null> {
    const expanded = await expand(seed, only);
    const failures = new Map(expanded.failures);
    const clusters = cluster(expanded.records, seed);
    const mine = clusters.filter((c) => c.records.some((r) => seed.some((id) => recordHasIdentifier(r, id))));
    if (!mine.length) {
      if (failures.size) throw unavailable([...failures.values()]);
      return null;
    }
    // A key naming records that no trusted identifier joins is not one person: merging them would let a
    // caller borrow one person's relationship (a caseload, a victim's case) to read another's records.
    if (mine.length > 1) {
      throw new GraphQLError('This person id names records that are not linked to one another; look the person up by an identifier instead', { extensions: { code: 'BAD_USER_INPUT' } });
    }
    const merged: Cluster = { records: mine.flatMap((c) => c.records), basis: new Map(mine.flatMap((c) => [...c.basis])) };
    const cand = await findCandidates(merged.records);
    cand.failures.forEach((e, a) => failures.set(a, e));
    return {
      id: encodePersonId(merged.records.map((r) => ({ agency: r.agency, localId: r.localId })), [...expanded.failures.keys()]),
      records: merged.records, basis: merged.basis, candidates: cand.candidates, failures: [...failures.values()],
    };
  }

  function memo(key: string, run: () => Promise<ResolvedPerson | null>) {
    let p = resolved.get(key);
    if (!p) resolved.set(key, (p = run()));
    return p;
  }

  return {
    search,
    expand,
    findCandidates,
    /** The person holding `id` (already normalised), with every record trusted identifiers join to it. */
    byIdentifier: (id: Identifier) => memo(`id|${idKey(id)}`, () => resolveFrom([id])),
    /** The person behind a Person.id: each agency's own record, then everything joined to those. */
    byPersonId: (personId: string) =>
      memo(`person|${personId}`, () => {
        const refs = decodePersonId(personId);
        const seed: Identifier[] = [];
        const owner = new Map<string, string>();
        for (const ref of refs) {
          const source = client.sources.find((s) => s.agency === ref.agency);
          if (!source) continue;
          for (const type of source.supports.filter((t) => t !== 'PNC' && t !== 'CRO')) {
            seed.push({ type, value: ref.localId });
            owner.set(idKey({ type, value: ref.localId }), ref.agency);
          }
        }
        // An agency's own id is only asked of that agency: prison number X at probation is a different question.
        return resolveFrom(seed, (source, id) => owner.get(idKey(id)) === source.agency);
      }),
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
