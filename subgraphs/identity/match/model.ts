// The Fellegi–Sunter match model: each comparison (surname, forename, second forename, date of birth, sex,
// postcode) puts
// a pair of records at one level; each level carries m (how often true pairs are at that level) and u
// (how often different people are), and the pair's match weight is the sum of log2(m/u) over the
// comparisons that could be made. A missing value weighs nothing either way. The weights are data,
// estimated by `npm run identity:train` and kept for review in schema/identity/match-weights.json; the
// grade thresholds are in the same file. The model never grades CERTAIN: only a trusted identifier does.
import { readFileSync } from 'node:fs';
import type { IdentityRecord, PersonName } from '../../../schema/model.js';
import { compareDob, compareForenames, compareMiddleNames, comparePostcode, compareSex, compareSurname, key } from './compare.js';

export const COMPARISONS = ['surname', 'forename', 'middleName', 'dateOfBirth', 'sex', 'postcode'] as const;
export type ComparisonName = (typeof COMPARISONS)[number];

/** What a record offers the model: its name, date of birth (or only the year, when the date was unreadable), sex and postcode. */
export interface MatchRecord {
  forenames: readonly string[];
  surname: string | null;
  dateOfBirth: string | null;
  birthYear?: number | null;
  sex: string | null;
  postcode?: string | null;
}

export interface LevelWeight {
  m: number;
  u: number;
  /** log2(m / u); 0 for MISSING. */
  weight: number;
}

export interface MatchWeights {
  description: string;
  trainedOn: Record<string, unknown>;
  /** Match weight from which a pair is PROBABLE, and from which POSSIBLE. */
  thresholds: { PROBABLE: number; POSSIBLE: number };
  /** Taken off the weight when the names only agree read the other way round (forename keyed as surname). */
  swapPenalty: number;
  comparisons: Record<ComparisonName, Record<string, LevelWeight>>;
  /**
   * Term-frequency adjustment (as Splink makes it): an exact surname or first forename is weighed by how
   * common that name is, log2(m / frequency), so agreeing on a rare name counts for more than on a common
   * one. Frequencies are shares of records holding the name (by name key); a name not in the table is
   * taken to be as rare as `floor`. Absent: the level's own u.
   */
  termFrequencies?: { surname: Record<string, number>; forename: Record<string, number>; floor: number };
}

export interface ComparisonOutcome {
  comparison: ComparisonName;
  level: string;
  weight: number;
  /** For an exact name weighed by its frequency: the share of records that hold that name. */
  frequency?: number;
}

export type ModelGrade = 'PROBABLE' | 'POSSIBLE';

export interface MatchScore {
  weight: number;
  grade: ModelGrade | null;
  swapped: boolean;
  comparisons: ComparisonOutcome[];
}

const WEIGHTS_FILE = new URL('../../../schema/identity/match-weights.json', import.meta.url);
let loaded: MatchWeights | null = null;
/** The reviewed weights (read once). */
export function matchWeights(): MatchWeights {
  return (loaded ??= JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8')) as MatchWeights);
}

/** A record as the model sees it; a year is still compared when only the year of an unreadable date was legible. */
export function matchRecordOf(r: Pick<IdentityRecord, 'name' | 'dateOfBirth' | 'sex'> & Partial<Pick<IdentityRecord, 'postcode' | 'dataQuality'>>): MatchRecord {
  let birthYear: number | null = null;
  if (!r.dateOfBirth) {
    const raw = r.dataQuality?.find((q) => q.field === 'dateOfBirth')?.recorded ?? '';
    const y = /^(19|20)\d\d/.exec(raw.replace(/\D/g, '')) ?? /(?:^|\D)((?:19|20)\d\d)(?:\D|$)/.exec(raw);
    if (y) birthYear = Number(y[0].replace(/\D/g, '').slice(0, 4));
  }
  return { forenames: r.name.forenames, surname: r.name.surname, dateOfBirth: r.dateOfBirth, birthYear, sex: r.sex, postcode: r.postcode ?? null };
}

/** The level of every comparison of a pair, with no weights: what training counts. */
export function levelsOf(a: MatchRecord, b: MatchRecord): Record<ComparisonName, string> {
  return {
    surname: compareSurname(a.surname, b.surname),
    forename: compareForenames(a.forenames, b.forenames),
    middleName: compareMiddleNames(a.forenames, b.forenames),
    dateOfBirth: compareDob(a.dateOfBirth, b.dateOfBirth, a.birthYear, b.birthYear),
    sex: compareSex(a.sex, b.sex),
    postcode: comparePostcode(a.postcode, b.postcode),
  };
}

/** b with its first forename and its surname exchanged: how a record keyed the other way round reads. */
function swapped(b: MatchRecord): MatchRecord | null {
  if (!b.forenames[0] || !b.surname) return null;
  return { ...b, forenames: [b.surname, ...b.forenames.slice(1)], surname: b.forenames[0] };
}

function weigh(levels: Record<ComparisonName, string>, w: MatchWeights, a: MatchRecord): ComparisonOutcome[] {
  return COMPARISONS.map((comparison) => {
    const level = levels[comparison];
    const lw = w.comparisons[comparison][level];
    if (!lw) throw new Error(`match weights have no ${comparison} level ${level}`);
    const tf = w.termFrequencies;
    if (tf && level === 'EXACT' && (comparison === 'surname' || comparison === 'forename')) {
      // How common the name is as either kind of name: a record read the other way round compares a
      // forename as a surname, and must not pass for a rare surname.
      const name = comparison === 'surname' ? key(a.surname) : key(a.forenames[0]);
      const frequency = Math.max(tf.surname[name] ?? 0, tf.forename[name] ?? 0, tf.floor);
      return { comparison, level, weight: Math.round(Math.log2(lw.m / frequency) * 1000) / 1000, frequency };
    }
    return { comparison, level, weight: level === 'MISSING' ? 0 : lw.weight };
  });
}

export function gradeOf(weight: number, w: MatchWeights = matchWeights()): ModelGrade | null {
  return weight >= w.thresholds.PROBABLE ? 'PROBABLE' : weight >= w.thresholds.POSSIBLE ? 'POSSIBLE' : null;
}

/** Scores a pair both ways round (as keyed, and with b's forename and surname exchanged) and keeps the better. */
export function score(a: MatchRecord, b: MatchRecord, w: MatchWeights = matchWeights()): MatchScore {
  const direct = weigh(levelsOf(a, b), w, a);
  const sum = (cs: ComparisonOutcome[]) => cs.reduce((s, c) => s + c.weight, 0);
  let best: MatchScore = { weight: sum(direct), grade: null, swapped: false, comparisons: direct };
  const s = swapped(b);
  if (s) {
    const other = weigh(levelsOf(a, s), w, a);
    const total = sum(other) - w.swapPenalty;
    if (total > best.weight) best = { weight: total, grade: null, swapped: true, comparisons: other };
  }
  best.weight = Math.round(best.weight * 100) / 100;
  best.grade = gradeOf(best.weight, w);
  return best;
}

const LABELS: Record<ComparisonName, string> = { surname: 'surname', forename: 'forename', middleName: 'second forename', dateOfBirth: 'date of birth', sex: 'sex', postcode: 'postcode' };
const LEVEL_TEXT: Record<string, string> = {
  EXACT: 'the same', PHONETIC: 'sounds the same', ONE_EDIT: 'one letter apart', DIFFERENT: 'different', VARIANT: 'a known variant',
  OTHER_FORENAME: 'among the other forenames', DAY_MONTH_SWAPPED: 'day and month swapped', ONE_DIGIT: 'one digit apart',
  ONE_YEAR_APART: 'a year apart', SAME_YEAR: 'the same year only', SAME: 'the same', SAME_DISTRICT: 'the same district', ALIKE: 'alike',
  TWO_EDITS: 'two letters apart', WITHIN_A_MONTH: 'within a month', YEAR_ONLY_SAME: 'the same year (only a year legible)',
};
const signed = (n: number) => `${n >= 0 ? '+' : '−'}${Math.abs(n).toFixed(1)}`;

/**
 * The sentence a candidate carries: the grade and weight, then every comparison that was made, strongest
 * evidence first, and every one that could not be made because a value was missing. Nothing is said to
 * match that was not compared.
 */
export function explain(s: MatchScore, w: MatchWeights = matchWeights(), below = 'below POSSIBLE'): string {
  const made = s.comparisons.filter((c) => c.level !== 'MISSING').sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight));
  const missing = s.comparisons.filter((c) => c.level === 'MISSING').map((c) => LABELS[c.comparison]);
  // Shown to one decimal, rounded down, so a weight just under a threshold never reads as reaching it.
  const shown = (Math.floor(s.weight * 10 + 1e-9) / 10).toFixed(1);
  const head = s.grade
    ? `${s.grade}: match weight ${shown} (${s.grade} from ${w.thresholds[s.grade]})`
    : `${below}: match weight ${shown} (POSSIBLE from ${w.thresholds.POSSIBLE})`;
  const share = (f: number) => ` (a name 1 in ${Math.max(1, Math.round(1 / f)).toLocaleString('en-GB')} records hold)`;
  const parts = made.map((c) => `${LABELS[c.comparison]} ${LEVEL_TEXT[c.level] ?? c.level.toLowerCase()}${c.frequency ? share(c.frequency) : ''} ${signed(c.weight)}`);
  if (s.swapped) parts.push(`forename and surname read the other way round ${signed(-w.swapPenalty)}`);
  return `${head}; ${parts.join(', ') || 'nothing could be compared'}${missing.length ? `; not compared (missing): ${missing.join(', ')}` : ''}`;
}

/** A name as a MatchRecord for a search: only what the search gave. */
export function searchRecord(name: Pick<PersonName, 'forenames' | 'surname'>, dateOfBirth: string | null): MatchRecord {
  return { forenames: name.forenames, surname: name.surname, dateOfBirth, sex: null, postcode: null };
}
