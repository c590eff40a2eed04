// Cross-agency record linkage, as pure functions over IdentityRecords. No central index is kept: every
// request links afresh from what the agencies hold now.
//
// Grades follow FHIR's match grades:
//   CERTAIN  — joined by a trusted identifier: a PNC or CRO whose check character validates, an agency's
//              own id, or a cross-reference one agency holds to another's record (probation's NOMS number).
//   PROBABLE — no shared trusted identifier and none that contradicts; the match model's weight over
//              name, date of birth, sex and postcode is at least its PROBABLE threshold. Shown as a
//              candidate, never merged.
//   POSSIBLE — the same, with a weight between the POSSIBLE and PROBABLE thresholds
//              (schema/identity/match-weights.json; see match/model.ts).
// A record whose trusted PNC/CRO differs from the person's is certainly not them and is not offered.
import { nameKey } from '../../adapters/normalise.js';
import { explain, matchRecordOf, matchWeights, score, type MatchScore, type MatchWeights } from './match/model.js';
import type { Identifier, IdentityRecord } from '../../schema/model.js';

export type MatchGrade = 'CERTAIN' | 'PROBABLE' | 'POSSIBLE';
export type LinkBasis =
  | 'REQUESTED_IDENTIFIER' | 'PNC' | 'CRO' | 'CROSS_REFERENCE' | 'AGENCY_ID'
  | 'MATCH_WEIGHT';

export const recordKey = (r: Pick<IdentityRecord, 'agency' | 'localId'>): string => `${r.agency}=${r.localId}`;
export const idKey = (id: Identifier): string => `${id.type}:${id.value.toUpperCase()}`;

/** The identifiers of a record that may join it to another with certainty. */
export function trustedIdentifiers(r: IdentityRecord): Identifier[] {
  const ids: Identifier[] = [{ type: r.localIdType, value: r.localId }];
  if (r.pnc.valid && r.pnc.value) ids.push({ type: 'PNC', value: r.pnc.value });
  if (r.cro.valid && r.cro.value) ids.push({ type: 'CRO', value: r.cro.value });
  ids.push(...r.crossReferences);
  return ids;
}

/** Why a trusted identifier joins: the basis reported on the link. */
function basisOf(id: Identifier, r: IdentityRecord): LinkBasis {
  if (id.type === 'PNC') return 'PNC';
  if (id.type === 'CRO') return 'CRO';
  return id.type === r.localIdType && id.value.toUpperCase() === r.localId.toUpperCase() ? 'AGENCY_ID' : 'CROSS_REFERENCE';
}

export function recordHasIdentifier(r: IdentityRecord, id: Identifier): boolean {
  const k = idKey(id);
  return trustedIdentifiers(r).some((t) => idKey(t) === k);
}

export interface Cluster {
  records: IdentityRecord[];
  /** How each record (by recordKey) was joined. */
  basis: Map<string, LinkBasis[]>;
}

/**
 * Groups records into people by shared trusted identifiers (union-find). `seed` identifiers mark the
 * records the caller asked for, whose basis is REQUESTED_IDENTIFIER.
 */
export function cluster(records: IdentityRecord[], seed: Identifier[] = []): Cluster[] {
  const unique = [...new Map(records.map((r) => [recordKey(r), r])).values()];
  const parent = unique.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  const owner = new Map<string, number>();
  unique.forEach((r, i) => {
    for (const id of trustedIdentifiers(r)) {
      const k = idKey(id);
      const j = owner.get(k);
      if (j === undefined) owner.set(k, i);
      else parent[find(i)] = find(j);
    }
  });
  const groups = new Map<number, IdentityRecord[]>();
  unique.forEach((r, i) => (groups.get(find(i)) ?? groups.set(find(i), []).get(find(i))!).push(r));

  const seedKeys = new Set(seed.map(idKey));
  return [...groups.values()].map((group) => {
    const basis = new Map<string, LinkBasis[]>();
    const counts = new Map<string, number>();
    for (const r of group) for (const id of trustedIdentifiers(r)) counts.set(idKey(id), (counts.get(idKey(id)) ?? 0) + 1);
    for (const r of group) {
      const b = new Set<LinkBasis>();
      for (const id of trustedIdentifiers(r)) {
        if (seedKeys.has(idKey(id))) b.add('REQUESTED_IDENTIFIER');
        if ((counts.get(idKey(id)) ?? 0) > 1) b.add(basisOf(id, r)); // shared with another record of the group
      }
      if (b.size === 0) b.add('AGENCY_ID'); // a group of one
      basis.set(recordKey(r), [...b].sort());
    }
    return { records: group.sort(byAgencyThenId), basis };
  }).sort((a, b) => byAgencyThenId(a.records[0], b.records[0]));
}

function byAgencyThenId(a: IdentityRecord, b: IdentityRecord): number {
  return a.agency.localeCompare(b.agency) || a.localId.localeCompare(b.localId);
}

/** A contradiction: both hold a trusted identifier of the same type with different values. */
function contradicts(a: IdentityRecord, b: IdentityRecord): boolean {
  if (a.pnc.valid && b.pnc.valid && a.pnc.value !== b.pnc.value) return true;
  if (a.cro.valid && b.cro.valid && a.cro.value !== b.cro.value) return true;
  // Both records of the same agency with different local ids are, to that agency, different people.
  return false;
}

export interface CandidateGrade {
  grade: Exclude<MatchGrade, 'CERTAIN'>;
  basis: LinkBasis;
  /** The pair's match weight (sum of log2(m/u) over the comparisons made). */
  weight: number;
  /** Which comparisons drove the grade, each at its level and weight, and which could not be made. */
  reason: string;
}

/**
 * How likely `candidate` is the person whose certain records are `cluster`, by the match model (the best
 * of the candidate's comparisons with each of the person's records); null when below POSSIBLE, or when a
 * trusted identifier says it is someone else. Never CERTAIN: only a trusted identifier is.
 */
export function gradeCandidate(clusterRecords: IdentityRecord[], candidate: IdentityRecord, weights: MatchWeights = matchWeights()): CandidateGrade | null {
  if (clusterRecords.some((r) => contradicts(r, candidate))) return null;
  const b = matchRecordOf(candidate);
  let best: MatchScore | null = null;
  for (const r of clusterRecords) {
    const s = score(matchRecordOf(r), b, weights);
    if (!best || s.weight > best.weight) best = s;
  }
  if (!best?.grade) return null;
  return { grade: best.grade, basis: 'MATCH_WEIGHT', weight: best.weight, reason: explain(best, weights) };
}

export interface SourcedValue {
  value: string | null;
  agencies: string[];
}

/** Values of one attribute across the records, most supported first (ties: agency order). */
export function tally(records: IdentityRecord[], read: (r: IdentityRecord) => string | null): SourcedValue[] {
  const map = new Map<string | null, string[]>();
  for (const r of records) {
    const v = read(r);
    (map.get(v) ?? map.set(v, []).get(v)!).push(r.agency);
  }
  return [...map.entries()]
    .map(([value, agencies]) => ({ value, agencies: [...new Set(agencies)].sort() }))
    .sort((a, b) => (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || b.agencies.length - a.agencies.length || a.agencies[0].localeCompare(b.agencies[0]));
}

export interface Conflict {
  field: string;
  values: SourcedValue[];
}

/** A trusted identifier's canonical value, or null: one that failed its check is a rejected identifier, not a conflict. */
const trusted = (id: IdentityRecord['pnc']) => (id.valid ? id.value : null);

/**
 * Attributes on which the linked records disagree, each with every value and who holds it. Compared:
 * date of birth; surname and first forename as name keys (case and punctuation aside); sex, where
 * NOT_KNOWN says nothing and so disagrees with nothing; PNC and CRO in canonical form, so that one
 * number written two ways is no conflict. Records joined by a PNC cannot differ on it, but records
 * joined by another key (an agency id, a cross-reference, a CRO) can.
 */
export function conflicts(records: IdentityRecord[]): Conflict[] {
  const out: Conflict[] = [];
  const fields: [string, (r: IdentityRecord) => string | null, (r: IdentityRecord) => string | null][] = [
    ['dateOfBirth', (r) => r.dateOfBirth, (r) => r.dateOfBirth],
    ['surname', (r) => nameKey(r.name.surname), (r) => r.name.surname],
    ['forename', (r) => nameKey(r.name.forenames[0]), (r) => r.name.forenames[0] ?? null],
    ['sex', (r) => (r.sex === 'NOT_KNOWN' ? null : r.sex), (r) => r.sex],
    ['pnc', (r) => trusted(r.pnc), (r) => trusted(r.pnc)],
    ['cro', (r) => trusted(r.cro), (r) => trusted(r.cro)],
  ];
  for (const [field, key, display] of fields) {
    const present = records.filter((r) => key(r) != null && key(r) !== '');
    const distinct = new Set(present.map(key));
    if (distinct.size > 1) {
      // Compare on the normalised key, but show each agency's own spelling.
      const byKey = tally(present, key);
      out.push({ field, values: byKey.map((v) => ({ value: display(present.find((r) => key(r) === v.value)!), agencies: v.agencies })) });
    }
  }
  return out;
}
