// A labelled set of messy duplicates for scoring identity matching: a population of people, each held
// once in an "index" of agency records, and for some of them a second record keyed by another agency,
// with the mistakes staff make: one-letter typos, forename and surname swapped, informal and
// transliterated forenames, dates of birth with day and month swapped, one digit wrong, a year out or
// impossible (kept as recorded), missing forenames, dates, sex and postcodes, relatives who share a
// surname and an address. Seeded and deterministic: the same options give the same set. The truth is kept
// (`personIndex`), so the project can score itself. Names come from the synthetic population's long-tailed
// pools (name-pool.ts), each from one random number.
import { rng, TOWNS } from './population.js';
import { FEMALE_POOL, MALE_POOL, SURNAME_POOL } from './name-pool.js';
import { INFORMAL_FORENAMES } from './names.js';

export interface MessOptions {
  seed?: number;
  /** People in the index (one record each). */
  people?: number;
  /** People who also have a second, messy record: the true pairs. At most `people`. */
  duplicates?: number;
  /** Multiplies every error rate (1: the rates below). */
  messiness?: number;
}

/** One agency record as the generator keyed it. */
export interface MessRecord {
  id: string;
  /** The person recorded: two records with the same index are the same person. */
  personIndex: number;
  forenames: string[];
  surname: string;
  /** ISO date, or null when missing or unreadable. */
  dateOfBirth: string | null;
  /** Set when the date was recorded as an impossible value, kept as keyed (e.g. `19960094`). */
  dateOfBirthRecorded: string | null;
  /** MALE, FEMALE, or null when recorded as not known (N). */
  sex: 'MALE' | 'FEMALE' | null;
  postcode: string | null;
  /** The mistakes made in keying this record (kinds as in MessySet.mistakes). */
  mistakes: string[];
}

export interface MessySet {
  seed: number;
  /** One record per person. */
  index: MessRecord[];
  /** A second record of each of the first `duplicates` people. */
  queries: MessRecord[];
  /** How many of each kind of mistake the queries and index carry. */
  mistakes: Record<string, number>;
}

/** Transliterations staff key for the same name. The generator's own list. */
const TRANSLITERATIONS: Record<string, string[]> = {
  Mohammed: ['Muhammad', 'Mohammad', 'Mohamed'], Ahmed: ['Ahmad'], Aisha: ['Ayesha', 'Aysha'], Fatima: ['Fatimah'], Tariq: ['Tarik'],
  Jamal: ['Jamaal'], Siobhan: ['Shevaun'], Niamh: ['Neve'], Hussain: ['Hussein', 'Husain'], Begum: ['Begam'], Khan: ['Kahn'],
};

/** Base rates per record of each kind of mistake (realistic for keyed-in identity data). */
const RATES = {
  surnameTypo: 0.14, forenameTypo: 0.07, informal: 0.06, transliteration: 0.5, swap: 0.03, middleFirst: 0.02,
  forenameMissing: 0.03, dobSwap: 0.03, dobDigit: 0.04, dobYear: 0.02, dobMissing: 0.04, dobImpossible: 0.01,
  sexMissing: 0.08, sexWrong: 0.005, postcodeHeld: 0.55, moved: 0.25, surnameChanged: 0.01,
};

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function generateMessySet(options: MessOptions = {}): MessySet {
  const seed = options.seed ?? 20261202;
  const people = options.people ?? 20_000;
  const duplicates = Math.min(people, options.duplicates ?? 5_000);
  const k = options.messiness ?? 1;
  const next = rng(seed);
  const chance = (p: number) => next() < p * k;
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const mistakes: Record<string, number> = {};
  let current: string[] = [];
  const note = (kind: string) => { mistakes[kind] = (mistakes[kind] ?? 0) + 1; current.push(kind); };

  interface Truth { forename: string; middle: string | null; surname: string; dob: string; sex: 'MALE' | 'FEMALE'; postcode: string }
  const truths: Truth[] = [];
  for (let i = 0; i < people; i++) {
    const relative = i > 0 && next() < 0.1 ? truths[int(Math.max(0, i - 50), i - 1)] : null; // a relative: same surname and address
    const sex = next() < 0.8 ? 'MALE' : 'FEMALE';
    const names = sex === 'MALE' ? MALE_POOL : FEMALE_POOL;
    const town = pick(TOWNS);
    const dob = new Date(Date.UTC(1960, 0, 1) + int(0, 365 * 48) * 86_400_000).toISOString().slice(0, 10);
    truths.push({
      forename: names.draw(next()), middle: next() < 0.6 ? names.draw(next()) : null, surname: relative?.surname ?? SURNAME_POOL.draw(next()), dob, sex,
      postcode: relative?.postcode ?? `${town[1]} ${int(1, 9)}${pick([...LETTERS])}${pick([...LETTERS])}`,
    });
  }

  /** One letter typed wrongly, dropped, doubled or two letters transposed. */
  const typo = (name: string): string => {
    if (name.length < 3) return name + pick([...LETTERS]).toLowerCase();
    const at = int(1, name.length - 1);
    switch (int(0, 3)) {
      case 0: return name.slice(0, at) + pick([...LETTERS]).toLowerCase() + name.slice(at + 1);
      case 1: return name.slice(0, at) + name.slice(at + 1);
      case 2: return name.slice(0, at) + name[at] + name.slice(at);
      default: return at < name.length - 1 ? name.slice(0, at) + name[at + 1] + name[at] + name.slice(at + 2) : name.slice(0, -1);
    }
  };

  const record = (t: Truth, personIndex: number, id: string): MessRecord => {
    current = [];
    let forename = t.forename;
    if (INFORMAL_FORENAMES.has(forename) && chance(RATES.informal)) { forename = INFORMAL_FORENAMES.get(forename)!; note('informal forename'); }
    else if (TRANSLITERATIONS[forename] && chance(RATES.transliteration)) { forename = pick(TRANSLITERATIONS[forename]); note('transliterated forename'); }
    else if (chance(RATES.forenameTypo)) { forename = typo(forename); note('forename typo'); }
    let forenames = [forename, ...(t.middle ? [t.middle] : [])];
    if (t.middle && chance(RATES.middleFirst)) { forenames = [t.middle]; note('middle name as forename'); }
    let surname = t.surname;
    if (TRANSLITERATIONS[surname] && chance(RATES.transliteration)) { surname = pick(TRANSLITERATIONS[surname]); note('transliterated surname'); }
    else if (chance(RATES.surnameChanged)) { surname = SURNAME_POOL.draw(next()); note('surname changed'); }
    else if (chance(RATES.surnameTypo)) { surname = typo(surname); note('surname typo'); }
    if (chance(RATES.swap)) { [forenames, surname] = [[surname, ...forenames.slice(1)], forenames[0]]; note('forename and surname swapped'); }
    if (chance(RATES.forenameMissing)) { forenames = []; note('forename missing'); }

    let dob: string | null = t.dob;
    let recorded: string | null = null;
    const [y, m, d] = t.dob.split('-');
    if (chance(RATES.dobMissing)) { dob = null; note('date of birth missing'); }
    else if (chance(RATES.dobImpossible)) { dob = null; recorded = `${y}${pick(['00', '13', m])}${pick(['00', '94', '32'])}`; note('impossible date of birth'); }
    else if (Number(d) <= 12 && d !== m && chance(RATES.dobSwap)) { dob = `${y}-${d}-${m}`; note('day and month swapped'); }
    else if (chance(RATES.dobDigit)) {
      // One digit of the day or the last of the year keyed wrongly, keeping a real date.
      const candidates = [`${y.slice(0, 3)}${int(0, 9)}-${m}-${d}`, `${y}-${m}-${d[0]}${int(0, 9)}`, `${y}-${m}-${int(0, 2)}${d[1]}`];
      const c = pick(candidates);
      if (!Number.isNaN(Date.parse(c + 'T00:00:00Z')) && new Date(c + 'T00:00:00Z').toISOString().slice(0, 10) === c && c !== t.dob) { dob = c; note('one digit of the date of birth'); }
    } else if (chance(RATES.dobYear)) { dob = `${Number(y) + pick([-1, 1])}-${m}-${d}`; note('date of birth a year out'); }

    let sex: MessRecord['sex'] = t.sex;
    if (chance(RATES.sexMissing)) { sex = null; note('sex not known'); }
    else if (chance(RATES.sexWrong)) { sex = t.sex === 'MALE' ? 'FEMALE' : 'MALE'; note('sex wrong'); }

    let postcode: string | null = null;
    if (next() < RATES.postcodeHeld) {
      postcode = t.postcode;
      if (chance(RATES.moved)) { const town = pick(TOWNS); postcode = `${town[1]} ${int(1, 9)}${pick([...LETTERS])}${pick([...LETTERS])}`; note('moved address'); }
    }
    return { id, personIndex, forenames, surname, dateOfBirth: dob, dateOfBirthRecorded: recorded, sex, postcode, mistakes: current };
  };

  const index = truths.map((t, i) => record(t, i, `I${i}`));
  const queries: MessRecord[] = [];
  for (let i = 0; i < duplicates; i++) queries.push(record(truths[i], i, `Q${i}`));
  return { seed, index, queries, mistakes };
}
