// Estimating the model's m and u probabilities from labelled records, and its thresholds from the pairs
// the searches surface. m: how often a true pair is at each level; u: how often two different people
// are, from random pairs of different people. Counts are smoothed (one pseudo-count per level), so no
// level is impossible and no weight is infinite.
import { rng } from '../../../platform/rng.js';
import { BlockingIndex, scorePairs, thresholdFor, type LabelledRecord } from './evaluate.js';
import { key } from './compare.js';
import { COMPARISONS, levelsOf, type ComparisonName, type MatchWeights } from './model.js';

/** Every level of every comparison, in the order the comparison tries them. */
export const LEVELS: Record<ComparisonName, string[]> = {
  surname: ['EXACT', 'PHONETIC', 'ONE_EDIT', 'TWO_EDITS', 'DIFFERENT', 'MISSING'],
  forename: ['EXACT', 'VARIANT', 'PHONETIC', 'ONE_EDIT', 'TWO_EDITS', 'OTHER_FORENAME', 'DIFFERENT', 'MISSING'],
  middleName: ['EXACT', 'ALIKE', 'DIFFERENT', 'MISSING'],
  dateOfBirth: ['EXACT', 'DAY_MONTH_SWAPPED', 'ONE_DIGIT', 'ONE_YEAR_APART', 'WITHIN_A_MONTH', 'SAME_YEAR', 'YEAR_ONLY_SAME', 'DIFFERENT', 'MISSING'],
  sex: ['SAME', 'DIFFERENT', 'MISSING'],
  postcode: ['EXACT', 'SAME_DISTRICT', 'DIFFERENT', 'MISSING'],
};

export interface TrainingOptions {
  /** Random pairs of different people drawn to estimate u. */
  nonMatchSample?: number;
  seed?: number;
  /** Precision the PROBABLE and POSSIBLE thresholds are set for, on the training pairs. */
  precision?: { PROBABLE: number; POSSIBLE: number };
  swapPenalty?: number;
  /** Adjust exact name agreements by the name's frequency (default true). */
  termFrequencies?: boolean;
  trainedOn?: Record<string, unknown>;
}


const round = (n: number, places = 6) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * Shares of records holding each surname and each first forename (by name key), from the index records,
 * for names held by at least `minimum` records; rarer names are taken at the floor (`minimum` records).
 */
export function termFrequencies(records: readonly LabelledRecord[], minimum = 5): NonNullable<MatchWeights['termFrequencies']> {
  const table = (read: (r: LabelledRecord) => string) => {
    const counts = new Map<string, number>();
    let n = 0;
    for (const r of records) {
      const k = read(r);
      if (!k) continue;
      n++;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    const out: Record<string, number> = {};
    for (const [k, c] of [...counts].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))) if (c >= minimum) out[k] = round(c / n);
    return { out, n };
  };
  const surname = table((r) => key(r.surname)), forename = table((r) => key(r.forenames[0]));
  return { surname: surname.out, forename: forename.out, floor: round(minimum / Math.max(surname.n, forename.n)) };
}

/** m/u per level from the true pairs (query, its person's index record) and random non-matching pairs. */
export function estimate(queries: readonly LabelledRecord[], index: readonly LabelledRecord[], options: TrainingOptions = {}): MatchWeights {
  const byPerson = new Map(index.map((r) => [r.personIndex, r]));
  const counts = (): Record<ComparisonName, Map<string, number>> => Object.fromEntries(COMPARISONS.map((c) => [c, new Map<string, number>()])) as Record<ComparisonName, Map<string, number>>;
  const m = counts(), u = counts();
  const tally = (into: Record<ComparisonName, Map<string, number>>, levels: Record<ComparisonName, string>) => {
    for (const c of COMPARISONS) into[c].set(levels[c], (into[c].get(levels[c]) ?? 0) + 1);
  };
  for (const q of queries) {
    const r = byPerson.get(q.personIndex);
    if (r) tally(m, levelsOf(q, r));
  }
  const next = rng(options.seed ?? 7);
  const sample = options.nonMatchSample ?? 100_000;
  for (let drawn = 0; drawn < sample;) {
    const a = queries[Math.floor(next() * queries.length)];
    const b = index[Math.floor(next() * index.length)];
    if (a.personIndex === b.personIndex) continue;
    tally(u, levelsOf(a, b));
    drawn++;
  }
  const comparisons = {} as MatchWeights['comparisons'];
  for (const c of COMPARISONS) {
    const levels = LEVELS[c];
    const total = (map: Map<string, number>) => levels.reduce((s, l) => s + (map.get(l) ?? 0) + 1, 0);
    const mt = total(m[c]), ut = total(u[c]);
    comparisons[c] = Object.fromEntries(levels.map((l) => {
      const mp = ((m[c].get(l) ?? 0) + 1) / mt, up = ((u[c].get(l) ?? 0) + 1) / ut;
      return [l, { m: round(mp), u: round(up), weight: l === 'MISSING' ? 0 : round(Math.log2(mp / up), 3) }];
    }));
  }
  const weights: MatchWeights = {
    description: 'Fellegi–Sunter match weights of the identity subgraph: per comparison and level, m = P(level | same person), u = P(level | different people), weight = log2(m/u) (MISSING weighs 0). A pair\'s match weight is the sum over comparisons; PROBABLE and POSSIBLE from the thresholds. Written by `npm run identity:train`; review the diff before committing.',
    trainedOn: options.trainedOn ?? {},
    thresholds: { PROBABLE: 0, POSSIBLE: 0 },
    swapPenalty: options.swapPenalty ?? 2,
    comparisons,
  };
  if (options.termFrequencies ?? true) weights.termFrequencies = termFrequencies(index);
  // Thresholds from the pairs the searches surface: that is where grades are given.
  const pairs = scorePairs(queries, new BlockingIndex(index), weights);
  const precision = options.precision ?? { PROBABLE: 0.9993, POSSIBLE: 0.996 };
  weights.thresholds.PROBABLE = thresholdFor(pairs, precision.PROBABLE);
  weights.thresholds.POSSIBLE = Math.min(weights.thresholds.PROBABLE, thresholdFor(pairs, precision.POSSIBLE));
  return weights;
}
