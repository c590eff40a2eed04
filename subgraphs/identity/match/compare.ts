// Comparison levels of the match model: each compares one attribute of two records and says how alike
// they are, from a fixed, ordered list of levels (the first that applies wins). Pure functions.
import { nameKey, soundex as soundexOf, withinOneEdit } from '../../../adapters/normalise.js';
import { FORENAME_VARIANT_KEYS } from './variants.js';

/**
 * A small memo for the name reductions (each pair compares the same few names many times). Cleared when
 * full, so it never holds more than a few thousand names of recent requests.
 */
function memo(f: (s: string) => string): (s: string | null | undefined) => string {
  const cache = new Map<string, string>();
  return (s) => {
    const k = s ?? '';
    let v = cache.get(k);
    if (v === undefined) {
      if (cache.size >= 5000) cache.clear();
      v = f(k);
      cache.set(k, v);
    }
    return v;
  };
}

/** nameKey, memoised. */
export const key = memo(nameKey);

/** American Soundex, as PostgreSQL's fuzzystrmatch and most record systems compute it ("Smith" → S530). */
export const soundex = memo((name) => soundexOf(key(name)));

/** Edit distance with adjacent transpositions (optimal string alignment), stopping early once over `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array(b.length + 1).fill(0));
    rows[i][0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, rows[i - 2][j - 2] + 1);
      rows[i][j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
  }
  return rows[a.length][b.length];
}

export { withinOneEdit };

export type SurnameLevel = 'EXACT' | 'PHONETIC' | 'ONE_EDIT' | 'TWO_EDITS' | 'DIFFERENT' | 'MISSING';
export type ForenameLevel = 'EXACT' | 'VARIANT' | 'PHONETIC' | 'ONE_EDIT' | 'TWO_EDITS' | 'OTHER_FORENAME' | 'DIFFERENT' | 'MISSING';
export type MiddleNameLevel = 'EXACT' | 'ALIKE' | 'DIFFERENT' | 'MISSING';
export type DobLevel = 'EXACT' | 'DAY_MONTH_SWAPPED' | 'ONE_DIGIT' | 'ONE_YEAR_APART' | 'WITHIN_A_MONTH' | 'SAME_YEAR' | 'YEAR_ONLY_SAME' | 'DIFFERENT' | 'MISSING';
export type SexLevel = 'SAME' | 'DIFFERENT' | 'MISSING';
export type PostcodeLevel = 'EXACT' | 'SAME_DISTRICT' | 'DIFFERENT' | 'MISSING';

const twoEditsSeen = new Map<string, boolean>();
/** Two keys of at least four letters each, two edits apart (a typo in each record). Memoised, bounded. */
function twoEdits(ka: string, kb: string): boolean {
  if (ka.length < 4 || kb.length < 4 || Math.abs(ka.length - kb.length) > 2) return false;
  const k = ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
  let v = twoEditsSeen.get(k);
  if (v === undefined) {
    if (twoEditsSeen.size >= 50_000) twoEditsSeen.clear();
    v = editDistance(ka, kb, 2) <= 2;
    twoEditsSeen.set(k, v);
  }
  return v;
}

/** Surnames: same key, same Soundex code, one edit apart (typo, transposition), two edits apart, or different. */
export function compareSurname(a: string | null | undefined, b: string | null | undefined): SurnameLevel {
  const ka = key(a), kb = key(b);
  if (!ka || !kb) return 'MISSING';
  if (ka === kb) return 'EXACT';
  if (soundex(ka) === soundex(kb)) return 'PHONETIC';
  if (withinOneEdit(ka, kb)) return 'ONE_EDIT';
  return twoEdits(ka, kb) ? 'TWO_EDITS' : 'DIFFERENT';
}

/**
 * First forenames: also a known variant (William / Bill, Mohammed / Muhammad: the matcher's own table,
 * match/variants.ts), two edits apart, or the first forename found among the other's other forenames.
 */
export function compareForenames(a: readonly string[], b: readonly string[]): ForenameLevel {
  const ka = key(a[0]), kb = key(b[0]);
  if (!ka || !kb) return 'MISSING';
  if (ka === kb) return 'EXACT';
  if (FORENAME_VARIANT_KEYS.get(ka)?.has(kb)) return 'VARIANT';
  if (soundex(ka) === soundex(kb)) return 'PHONETIC';
  if (withinOneEdit(ka, kb)) return 'ONE_EDIT';
  const restA = a.slice(1).map(key), restB = b.slice(1).map(key);
  if (twoEdits(ka, kb)) return 'TWO_EDITS';
  if (restB.includes(ka) || restA.includes(kb)) return 'OTHER_FORENAME';
  return 'DIFFERENT';
}

/** Second forenames (middle names): the same, alike (sounds the same or one edit apart), or different. */
export function compareMiddleNames(a: readonly string[], b: readonly string[]): MiddleNameLevel {
  const ka = key(a[1]), kb = key(b[1]);
  if (!ka || !kb) return 'MISSING';
  if (ka === kb) return 'EXACT';
  return soundex(ka) === soundex(kb) || withinOneEdit(ka, kb) ? 'ALIKE' : 'DIFFERENT';
}

/**
 * Dates of birth (ISO) or, where a record holds only a year it could read (an impossible date kept as a
 * data-quality problem), that year: same date, day and month transposed, one digit keyed wrongly, the
 * same day a year apart, within a month of each other, the same year only, or different. When one record
 * holds only a year, the best that can be said is that the years agree (YEAR_ONLY_SAME), which is
 * stronger evidence than two full dates that share only their year (SAME_YEAR).
 */
export function compareDob(a: string | null | undefined, b: string | null | undefined, yearA?: number | null, yearB?: number | null): DobLevel {
  if (a && b) {
    if (a === b) return 'EXACT';
    const [ya, ma, da] = a.split('-');
    const [yb, mb, db] = b.split('-');
    if (ya === yb && ma === db && da === mb) return 'DAY_MONTH_SWAPPED';
    const da8 = ya + ma + da, db8 = yb + mb + db;
    let diff = 0;
    for (let i = 0; i < 8; i++) if (da8[i] !== db8[i]) diff++;
    if (diff === 1) return 'ONE_DIGIT';
    if (ma === mb && da === db && Math.abs(Number(ya) - Number(yb)) === 1) return 'ONE_YEAR_APART';
    if (Math.abs(Date.parse(a) - Date.parse(b)) <= 31 * 86_400_000) return 'WITHIN_A_MONTH';
    return ya === yb ? 'SAME_YEAR' : 'DIFFERENT';
  }
  const ya = a ? Number(a.slice(0, 4)) : yearA ?? null;
  const yb = b ? Number(b.slice(0, 4)) : yearB ?? null;
  if (ya == null || yb == null) return 'MISSING';
  return ya === yb ? 'YEAR_ONLY_SAME' : 'DIFFERENT';
}

/** Sex: NOT_KNOWN and NOT_SPECIFIED say nothing, and so are missing. */
export function compareSex(a: string | null | undefined, b: string | null | undefined): SexLevel {
  const known = (s: string | null | undefined) => (s === 'MALE' || s === 'FEMALE' ? s : null);
  const ka = known(a), kb = known(b);
  if (!ka || !kb) return 'MISSING';
  return ka === kb ? 'SAME' : 'DIFFERENT';
}

/** UK postcodes: the whole code, the outward code (district) only, or different. */
export function comparePostcode(a: string | null | undefined, b: string | null | undefined): PostcodeLevel {
  const ka = (a ?? '').toUpperCase().replace(/[^A-Z0-9]/g, ''), kb = (b ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (ka.length < 5 || kb.length < 5) return 'MISSING';
  if (ka === kb) return 'EXACT';
  // The inward code is always three characters: what precedes it is the district.
  return ka.slice(0, -3) === kb.slice(0, -3) ? 'SAME_DISTRICT' : 'DIFFERENT';
}
