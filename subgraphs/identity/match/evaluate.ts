// Scoring the match model on labelled records: blocking as the agencies' tolerant searches find records,
// then the model's grade for every pair the blocking surfaces. Used by `npm run identity:train` (to pick
// the thresholds), `npm run identity:eval` and the evaluation test. Pure, in memory.
import { nameKey } from '../../../adapters/normalise.js';
import { compareForenames, soundex, withinOneEdit } from './compare.js';
import { gradeOf, score, type MatchRecord, type MatchWeights, type ModelGrade } from './model.js';

/** A record with its truth: records with the same `personIndex` are the same person. */
export interface LabelledRecord extends MatchRecord {
  id: string;
  personIndex: number;
}

/**
 * What the searches surface for a person (the blocking): records whose surname is the same, sounds the
 * same or is one edit away from the person's surname (the surname search where the system is tolerant),
 * or from the person's forename (the swapped-name search), and records born on the same day whose
 * forename is alike (the date-of-birth search).
 */
export class BlockingIndex {
  private readonly byKey = new Map<string, LabelledRecord[]>();
  private readonly bySoundex = new Map<string, LabelledRecord[]>();
  private readonly byDeletion = new Map<string, LabelledRecord[]>();
  private readonly byDob = new Map<string, LabelledRecord[]>();

  constructor(records: readonly LabelledRecord[]) {
    const add = (map: Map<string, LabelledRecord[]>, k: string, r: LabelledRecord) => { if (k) (map.get(k) ?? map.set(k, []).get(k)!).push(r); };
    for (const r of records) {
      const k = nameKey(r.surname);
      add(this.byKey, k, r);
      add(this.bySoundex, soundex(k), r);
      for (const d of deletions(k)) add(this.byDeletion, d, r);
      if (r.dateOfBirth) add(this.byDob, r.dateOfBirth, r);
    }
  }

  /** Records whose surname is alike to `name`: same key, same Soundex code, or one edit apart. */
  surnameAlike(name: string | null | undefined): LabelledRecord[] {
    const k = nameKey(name);
    if (k.length < 2) return [];
    const out = new Set<LabelledRecord>([...(this.byKey.get(k) ?? []), ...(this.bySoundex.get(soundex(k)) ?? [])]);
    for (const d of deletions(k)) for (const r of this.byDeletion.get(d) ?? []) if (!out.has(r) && withinOneEdit(k, nameKey(r.surname))) out.add(r);
    return [...out];
  }

  /** Every record the searches for `q` would return. */
  candidates(q: MatchRecord): LabelledRecord[] {
    const out = new Set<LabelledRecord>(this.surnameAlike(q.surname));
    for (const r of this.surnameAlike(q.forenames[0])) out.add(r);
    if (q.dateOfBirth) {
      for (const r of this.byDob.get(q.dateOfBirth) ?? []) {
        const level = compareForenames(q.forenames, r.forenames);
        if (level !== 'DIFFERENT' && level !== 'MISSING') out.add(r);
      }
    }
    return [...out];
  }
}

/** The key and every string one deletion away from it: two keys one edit apart always share one. */
function deletions(k: string): string[] {
  const out = new Set<string>([k]);
  for (let i = 0; i < k.length; i++) out.add(k.slice(0, i) + k.slice(i + 1));
  return [...out];
}

export interface ScoredPair {
  query: string;
  record: string;
  match: boolean;
  weight: number;
}

/** Every blocked pair of every query, scored. */
export function scorePairs(queries: readonly LabelledRecord[], index: BlockingIndex, weights: MatchWeights): ScoredPair[] {
  const out: ScoredPair[] = [];
  for (const q of queries) {
    for (const r of index.candidates(q)) out.push({ query: q.id, record: r.id, match: q.personIndex === r.personIndex, weight: score(q, r, weights).weight });
  }
  return out;
}

export interface GradeFigures {
  truePositives: number;
  falsePositives: number;
  /** True pairs not given this grade or better. */
  falseNegatives: number;
  precision: number;
  recall: number;
}

export interface Evaluation {
  truePairs: number;
  blockedPairs: number;
  /** Share of true pairs the searches surface at all. */
  blockingRecall: number;
  probable: GradeFigures;
  probableOrPossible: GradeFigures;
}

function figures(pairs: readonly ScoredPair[], truePairs: number, admit: (g: ModelGrade | null) => boolean, weights: MatchWeights): GradeFigures {
  let tp = 0, fp = 0;
  for (const p of pairs) {
    if (!admit(gradeOf(p.weight, weights))) continue;
    if (p.match) tp++; else fp++;
  }
  return { truePositives: tp, falsePositives: fp, falseNegatives: truePairs - tp, precision: tp + fp ? tp / (tp + fp) : 1, recall: truePairs ? tp / truePairs : 1 };
}

/** Precision and recall of PROBABLE and of PROBABLE + POSSIBLE; `truePairs` is every query's true pair, found or not. */
export function evaluate(pairs: readonly ScoredPair[], truePairs: number, weights: MatchWeights): Evaluation {
  const blocked = pairs.filter((p) => p.match).length;
  return {
    truePairs, blockedPairs: pairs.length, blockingRecall: truePairs ? blocked / truePairs : 1,
    probable: figures(pairs, truePairs, (g) => g === 'PROBABLE', weights),
    probableOrPossible: figures(pairs, truePairs, (g) => g !== null, weights),
  };
}

/**
 * The lowest weight from which every pair at or above it is right at least `precision` of the time
 * (rounded up to a half), or `ceiling` when none is.
 */
export function thresholdFor(pairs: readonly ScoredPair[], precision: number, ceiling = 40): number {
  const sorted = [...pairs].sort((a, b) => b.weight - a.weight);
  let tp = 0, fp = 0;
  let best = ceiling;
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i].match) tp++; else fp++;
    // Only cut between distinct weights: a threshold admits every pair of its weight.
    if (i + 1 < sorted.length && sorted[i + 1].weight === sorted[i].weight) continue;
    if (tp / (tp + fp) >= precision) best = sorted[i].weight;
  }
  return Math.ceil(best * 2) / 2;
}
