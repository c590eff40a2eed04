// One deterministic synthetic population that every stand-in legacy system renders in its own format.
// Same seed and size give the same data, byte for byte. Codes come from the real CJS code lists in
// reference/; the people, names and events are invented. The same person appears in several systems
// with the mess real systems have: name variants and order, conflicting dates of birth, missing,
// short-form or mistyped PNC numbers, and records that only name + date of birth can link.
import { rng } from '../platform/rng.js';
import { INFORMAL_FORENAMES } from './names.js';
import { FEMALE_POOL, MALE_POOL, SURNAME_POOL } from './name-pool.js';
import { issueCro, issuePnc } from './identifiers.js';
import { organisationUnits, prisons as prisonRegister } from '../reference/index.js';

export interface PopulationOptions {
  seed?: number;
  size?: number;
  /** The "today" of the synthetic world; fixed so that the data does not drift with the clock. */
  referenceDate?: string;
}

export type Sex = 'M' | 'F';

/** The truth about one person, which no single agency holds. Tests use it as the oracle. */
export interface PersonTruth {
  index: number;
  forename: string;
  middleName: string | null;
  surname: string;
  dateOfBirth: string;
  sex: Sex;
  pnc: string | null;
  cro: string | null;
  nominalId: string | null;
  /** The court's internal defendant id (the stand-in's own; Libra result messages do not carry it). */
  defendantId: string | null;
  /** ASNs of the person's court cases: the courts' keys for them. */
  asns: string[];
  prisonNumber: string | null;
  crn: string | null;
}

/** A name and identity details as one agency recorded them (possibly wrong). */
export interface RecordedIdentity {
  forenames: string[];
  surname: string;
  dateOfBirth: string | null;
  sex: Sex;
  /** As keyed in: long or short form, sometimes with a wrong check character; null when not recorded. */
  pnc: string | null;
  cro: string | null;
}

export interface PoliceNominal extends RecordedIdentity {
  nominalId: string;
  personIndex: number;
  forceCode: string;
  arrests: PoliceArrest[];
  warningMarkers: { code: string; startDate: string; endDate: string | null }[];
  intelligenceFlags: { flagId: string; category: string; grading: string; recordedDate: string; note: string }[];
}
export interface PoliceArrest {
  arrestId: string;
  arrestDate: string;
  offenceCode: string;
  stationOu: string;
  outcome: 'CHARGED' | 'NO_FURTHER_ACTION' | 'CAUTIONED' | 'RELEASED_UNDER_INVESTIGATION';
  caseUrn: string | null;
  /** The Arrest Summons Number given at charge: the key the court's result messages carry. */
  asn: string | null;
  custody: { custodyId: string; detainedAt: string; releasedAt: string | null; releaseReason: string } | null;
}

export interface CourtDefendant extends RecordedIdentity {
  defendantId: string;
  personIndex: number;
  title: string;
  address: string[];
}
export interface CourtCase {
  urn: string;
  asn: string;
  defendantId: string;
  personIndex: number;
  /** SPI (Libra) remand status code: U unconditional bail, B conditional bail, C custody. */
  bailStatus: 'U' | 'B' | 'C';
  custodyTimeLimitExpiry: string | null;
  hearings: { hearingId: string; courtOu: string; date: string; time: string; type: 'FIRST_HEARING' | 'TRIAL' | 'SENTENCE' }[];
  offences: CourtOffence[];
}
export interface CourtOffence {
  sequence: number;
  offenceCode: string;
  wording: string;
  offenceDate: string;
  arrestDate: string;
  chargeDate: string;
  /** SPI plea code (plea-status cross-walk): 1 guilty, 2 not guilty, 3 no plea. */
  plea: '1' | '2' | '3' | null;
  /** CJS verdict code: G guilty, NG not guilty; null while the case is open. */
  finding: 'G' | 'NG' | null;
  convictionDate: string | null;
  results: { code: string; text: string }[];
}

export interface PrisonOffender extends RecordedIdentity {
  offenderNo: string;
  personIndex: number;
  middleNames: string | null;
  aliases: { firstName: string; lastName: string; dateOfBirth: string | null }[];
  bookings: PrisonBooking[];
  alerts: { alertId: number; alertType: string; alertCode: string; description: string; dateCreated: string; dateExpires: string | null; active: boolean }[];
}
export interface PrisonBooking {
  bookingId: number;
  bookingNo: string;
  agencyId: string;
  active: boolean;
  legalStatus: 'SENTENCED' | 'REMAND';
  receptionDate: string;
  releaseDate: string | null;
  conditionalReleaseDate: string | null;
  cellLocation: string | null;
  sentenceDays: number | null;
  /**
   * The last movement of an active booking that took the person out of the prison without releasing
   * them (NOMIS MOVE_TYPE): TAP temporary absence, CRT to court, TRN in transit to another prison.
   * Absent: in the prison (active) or released (inactive).
   */
  movement?: 'TAP' | 'CRT' | 'TRN';
}

export interface ProbationOffender extends RecordedIdentity {
  offenderId: number;
  crn: string;
  personIndex: number;
  middleNames: string[];
  nomsNumber: string | null;
  offenderManager: { staffCode: string; forenames: string; surname: string; teamCode: string; teamDescription: string; probationAreaCode: string; probationAreaDescription: string };
  registrations: { registrationId: number; typeCode: string; typeDescription: string; registerLevel: string | null; startDate: string; nextReviewDate: string | null; riskColour: 'Red' | 'Amber' | 'Green' | 'White'; active: boolean }[];
  requirements: { requirementId: number; category: string; subCategory: string; startDate: string; length: number | null; active: boolean }[];
  licenceConditions: { conditionId: number; code: string; description: string; detail: string; startDate: string; active: boolean }[];
  currentRestriction: boolean;
  restrictionMessage: string | null;
  currentExclusion: boolean;
  exclusionMessage: string | null;
  officerNotes: string;
  /** nDelius usernames a limited-access (excluded) case excludes; absent: nobody named. */
  excludedUsers?: string[];
  /** nDelius usernames a restricted case is restricted to; absent: nobody named (its offender manager reads it through their caseload). */
  restrictedToUsers?: string[];
  /** True when the case is allocated to nDelius's placeholder officer ("Unallocated Staff", staff code ending in U). */
  unallocated?: boolean;
}

export interface VictimRecord {
  victimId: string;
  caseUrn: string;
  offenderPersonIndex: number;
  forename: string;
  surname: string;
  dateOfBirth: string | null;
  address: { line1: string; line2: string; town: string; postcode: string };
  vcsOptedIn: boolean;
  vcsDecisionDate: string | null;
  contactMethod: 'EMAIL' | 'PHONE' | 'LETTER' | 'NONE';
  email: string | null;
  phone: string | null;
  liaisonOfficer: string;
}

export interface Population {
  seed: number;
  size: number;
  referenceDate: string;
  people: PersonTruth[];
  police: PoliceNominal[];
  courts: { defendants: CourtDefendant[]; cases: CourtCase[] };
  prisons: PrisonOffender[];
  probation: ProbationOffender[];
  victims: VictimRecord[];
  /** Well-known people for the README, the integration tests and the benchmarks. */
  examples: {
    /** Index of a person with records in all five systems linked by a valid PNC or cross-reference. */
    everywhere: number;
    /** Index of a person whose probation record has no PNC and no prison cross-reference, so only name + date of birth links it. */
    probableOnly: number;
    /** Index of a person whose police record carries a PNC with a wrong check character. */
    badPnc: number;
  };
}

// ---- deterministic randomness -------------------------------------------------------------------

/** mulberry32 (platform/rng.ts): the same sequence on every platform. */
export { rng };

class Dice {
  constructor(readonly next: () => number) {}
  chance(p: number): boolean { return this.next() < p; }
  int(min: number, max: number): number { return min + Math.floor(this.next() * (max - min + 1)); }
  pick<T>(list: readonly T[]): T { return list[Math.floor(this.next() * list.length)]; }
  letter(): string { return String.fromCharCode(65 + this.int(0, 25)); }
  digits(n: number): string { let s = ''; for (let i = 0; i < n; i++) s += this.int(0, 9); return s; }
}

// ---- vocabularies ------------------------------------------------------------------------------

export const MALE = ['James', 'John', 'Robert', 'Michael', 'William', 'David', 'Richard', 'Joseph', 'Thomas', 'Christopher', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kevin', 'Brian', 'George', 'Edward', 'Ryan', 'Jacob', 'Gary', 'Nicholas', 'Jonathan', 'Stephen', 'Liam', 'Connor', 'Callum', 'Kieran', 'Jamal', 'Mohammed', 'Ahmed', 'Tariq', 'Darren', 'Wayne', 'Lee', 'Craig'];
export const FEMALE = ['Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Lisa', 'Nancy', 'Margaret', 'Sandra', 'Ashley', 'Emily', 'Michelle', 'Amanda', 'Melissa', 'Rebecca', 'Laura', 'Emma', 'Chloe', 'Sophie', 'Aisha', 'Fatima', 'Siobhan', 'Niamh', 'Kerry', 'Stacey', 'Gemma', 'Leanne', 'Danielle', 'Hannah', 'Charlotte', 'Zoe', 'Jade', 'Amy', 'Kayleigh', 'Natalie'];
export const SURNAMES = ['Smith', 'Jones', 'Williams', 'Taylor', 'Brown', 'Davies', 'Evans', 'Wilson', 'Thomas', 'Johnson', 'Roberts', 'Robinson', 'Thompson', 'Wright', 'Walker', 'White', 'Edwards', 'Hughes', 'Green', 'Hall', 'Lewis', 'Harris', 'Clarke', 'Patel', 'Jackson', 'Wood', 'Turner', 'Martin', 'Cooper', 'Hill', 'Ward', 'Morris', 'Moore', 'Clark', 'Lee', 'King', 'Baker', 'Harrison', 'Morgan', 'Allen', "O'Brien", "O'Connor", 'McDonald', 'McCarthy', 'Khan', 'Ahmed', 'Hussain', 'Begum', 'Ali', 'Shah', 'Kowalski', 'Nowak', 'Murphy', 'Kelly', 'Doyle', 'Byrne', 'Smith-Jones', 'Lloyd-Davies', 'Price', 'Bennett', 'Griffiths', 'Kaur', 'Singh', 'Okafor', 'Mensah', 'Adeyemi', 'Campbell', 'Stewart', 'Reid', 'Fraser', 'Ross', 'Graham', 'Hamilton', 'Marshall', 'Owen', 'Powell', 'Rees', 'Jenkins', 'Phillips', 'Parry'];
export const STREETS = ['High Street', 'Station Road', 'Church Lane', 'Victoria Road', 'Green Lane', 'Manor Road', 'Park Avenue', 'Queens Road', 'New Street', 'Mill Lane', 'Kings Road', 'London Road'];
export const TOWNS: [string, string][] = [['Sheffield', 'S1'], ['Leeds', 'LS2'], ['Manchester', 'M4'], ['Bristol', 'BS1'], ['Liverpool', 'L1'], ['Nottingham', 'NG1'], ['Cardiff', 'CF10'], ['Birmingham', 'B5'], ['Newcastle upon Tyne', 'NE1'], ['Bexley', 'DA5'], ['Croydon', 'CR0'], ['Kingston upon Thames', 'KT1']];

/** Real CJS offence codes (present in reference/data/cjs-offence-codes.csv), weighted towards volume crime. */
export const OFFENCE_CODES = ['TH68010', 'TH68010', 'TH68010', 'TH68001', 'TH68023', 'TH68037', 'OF61131', 'OF61016', 'CJ88116', 'CJ88116', 'CJ88159', 'MD71230', 'MD71200', 'PU86003', 'RT88007', 'RT88026', 'CD71039', 'CD71039', 'SX03005', 'CJ03510'];
/** Real CJS result codes (reference/data/cjs-result-codes.csv) for guilty findings, with whether they mean custody. */
const DISPOSALS: { code: string; custody: boolean }[] = [
  { code: '1002', custody: true }, { code: '1002', custody: true }, { code: '1115', custody: false }, { code: '1116', custody: false },
  { code: '1116', custody: false }, { code: '1015', custody: false }, { code: '1052', custody: false }, { code: '1016', custody: false },
];
/** PNC warning signal codes. */
const WARNING_MARKERS = ['VI', 'WE', 'DR', 'SU', 'MH', 'ES', 'FI', 'AT', 'CO', 'IM', 'SE', 'XP'];
const INTELLIGENCE_CATEGORIES = ['DRUGS SUPPLY', 'ORGANISED CRIME GROUP', 'FIREARMS ACCESS', 'COUNTY LINES', 'CHILD EXPLOITATION', 'HANDLING STOLEN GOODS'];
/** NOMIS alert type / code pairs. */
const PRISON_ALERTS: [string, string, string][] = [
  ['X', 'XA', 'Arsonist'], ['X', 'XEL', 'Escape List'], ['X', 'XSA', 'Staff Assaulter'], ['X', 'XCU', 'Controlled Unlock'],
  ['H', 'HA', 'ACCT Open (HMPS)'], ['M', 'MEP', 'Epilepsy'], ['M', 'MAS', 'Asthmatic'], ['S', 'SC', 'Risk to Children'],
  ['V', 'VIP', 'Isolated Prisoner'], ['R', 'RDV', 'Domestic Violence Perpetrator'],
];
const REGISTRATIONS: [string, string, string | null, 'Red' | 'Amber' | 'Green' | 'White'][] = [
  ['MAPP', 'MAPPA', 'M2', 'Red'], ['MAPP', 'MAPPA', 'M1', 'Amber'], ['RHRH', 'High RoSH', null, 'Red'], ['RMRH', 'Medium RoSH', null, 'Amber'],
  ['RLRH', 'Low RoSH', null, 'Green'], ['ALT6', 'Risk to Children', null, 'Red'], ['RVLN', 'Risk to Known Adult', null, 'Amber'], ['WEAP', 'Weapons', null, 'Red'],
];
const REQUIREMENTS: [string, string][] = [['Unpaid Work', 'Regular'], ['Rehabilitation Activity Requirement (RAR)', 'RAR'], ['Curfew', 'Electronic Monitoring'], ['Drug Rehabilitation', 'Non Residential'], ['Alcohol Treatment', 'Outpatient']];
const LICENCE_CONDITIONS: [string, string][] = [
  ['NLC8', 'Exclusion zone'], ['NLC5', 'Non-contact with victim'], ['NLC9', 'Curfew arrangement'], ['NLC2', 'Residence at a specific place'], ['NLC4', 'Drug testing'],
];
const PROBATION_AREAS: [string, string][] = [['N07', 'NPS London'], ['N02', 'NPS North East'], ['N03', 'NPS Wales'], ['N50', 'Greater Manchester'], ['N54', 'North East Region']];

// ---- helpers -----------------------------------------------------------------------------------

function addDays(iso: string, days: number): string {
  const d = new Date(iso + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000);
}

/** A short-form PNC ("01/12345X") as some systems still key it. */
function shortPnc(pnc: string): string {
  const [year, rest] = pnc.split('/');
  return `${year.slice(2)}/${String(Number(rest.slice(0, 7)))}${rest.slice(7)}`;
}
/** The same PNC with its check character replaced by a wrong one: a keying error. */
function mistypedPnc(pnc: string): string {
  const check = pnc.slice(-1);
  return pnc.slice(0, -1) + (check === 'A' ? 'B' : 'A');
}

interface World {
  dice: Dice;
  ref: string;
  courtOus: string[];
  policeOus: Map<string, string[]>;
  prisonIds: string[];
  /** Whether a person's records take a nickname roll (see nameDraws). */
  nicknameSlot: WeakMap<PersonTruth, boolean>;
}

function loadWorld(dice: Dice, ref: string): World {
  const ous = [...organisationUnits().values()];
  const courtOus = ous.filter((o) => /^B\d{2}[A-Z]{2}00$/.test(o.ouCode) && o.thirdLevelName).map((o) => o.ouCode).sort();
  const policeOus = new Map<string, string[]>();
  for (const o of ous) {
    const m = /^(\d{2})([A-Z]{2})(\d{2})$/.exec(o.ouCode);
    if (!m || m[1] === '00' || !o.thirdLevelName) continue;
    (policeOus.get(m[1]) ?? policeOus.set(m[1], []).get(m[1])!).push(o.ouCode);
  }
  for (const list of policeOus.values()) list.sort();
  const prisonIds = [...prisonRegister().values()].filter((p) => p.active && p.male).map((p) => p.prisonId).sort();
  return { dice, ref, courtOus, policeOus, prisonIds, nicknameSlot: new WeakMap() };
}

/** An agency's recording of a person's name and date of birth, with a realistic rate of variation. */
function recordIdentity(w: World, p: PersonTruth, style: { upper?: boolean; dropMiddle?: number; nickname?: number; swap?: number; dobConflict?: number }): { forenames: string[]; surname: string; dateOfBirth: string } {
  const d = w.dice;
  let forename = p.forename;
  // The roll is taken when it always was (see nameDraws), so the random sequence is as before.
  if (style.nickname && w.nicknameSlot.get(p) && d.chance(style.nickname) && INFORMAL_FORENAMES.has(forename)) forename = INFORMAL_FORENAMES.get(forename)!;
  let forenames = [forename, ...(p.middleName && !d.chance(style.dropMiddle ?? 0) ? [p.middleName] : [])];
  let surname = p.surname;
  if (style.swap && d.chance(style.swap)) [forenames, surname] = [[p.surname], forename]; // forename keyed as surname
  let dateOfBirth = p.dateOfBirth;
  if (style.dobConflict && d.chance(style.dobConflict)) {
    const [y, m, day] = dateOfBirth.split('-');
    // Day and month transposed (only when it still makes a date), else a year keyed wrongly.
    dateOfBirth = Number(day) <= 12 && day !== m ? `${y}-${day}-${m}` : `${Number(y) + 1}-${m}-${day}`;
  }
  if (style.upper) { forenames = forenames.map((f) => f.toUpperCase()); surname = surname.toUpperCase(); }
  return { forenames, surname, dateOfBirth };
}

/**
 * A person's names, each from one random number as before: the long-tailed pools of name-pool.ts. Persons 0
 * and 1 (the README's example and the "probable only" example) keep the names they have always had, read
 * from the same numbers on the original short lists. Whether the person's records take a nickname roll
 * follows the forename the original list gives for the same number, so the count and order of random
 * numbers (and every other attribute of every person) are exactly as they were; a nickname is then keyed
 * only when the person's actual forename has an informal form.
 */
function nameDraws(original: boolean) {
  let forenamesDrawn = 0;
  let nicknameSlot = false;
  return {
    /** The forename (first call) or middle name (second call) for one random number. */
    forename(u: number, sex: Sex): string {
      const list = sex === 'M' ? MALE : FEMALE;
      const old = list[Math.floor(u * list.length)];
      if (forenamesDrawn++ === 0) nicknameSlot = INFORMAL_FORENAMES.has(old);
      return original ? old : (sex === 'M' ? MALE_POOL : FEMALE_POOL).draw(u);
    },
    surname(u: number): string { return original ? SURNAMES[Math.floor(u * SURNAMES.length)] : SURNAME_POOL.draw(u); },
    get nicknameSlot(): boolean { return nicknameSlot; },
  };
}

// ---- generation --------------------------------------------------------------------------------

export function generatePopulation(options: PopulationOptions = {}): Population {
  const seed = options.seed ?? 20261101;
  const size = options.size ?? 2000;
  const ref = options.referenceDate ?? '2026-11-01';
  const d = new Dice(rng(seed));
  const w = loadWorld(d, ref);

  const people: PersonTruth[] = [];
  const police: PoliceNominal[] = [];
  const defendants: CourtDefendant[] = [];
  const cases: CourtCase[] = [];
  const prisons: PrisonOffender[] = [];
  const probation: ProbationOffender[] = [];
  const victims: VictimRecord[] = [];
  const usedPrisonNumbers = new Set<string>();
  let bookingSeq = 1_200_000;
  let alertSeq = 1;
  let probationSeq = 2_500_000_000;
  let regSeq = 1;
  let victimSeq = 1;

  for (let i = 0; i < size; i++) {
    const forceExample = i === 0; // person 0 is in every system, cleanly linked: the README's example
    const sex: Sex = d.chance(0.82) ? 'M' : 'F';
    const names = nameDraws(i < 2);
    const dob = addDays('1960-01-01', d.int(0, 365 * 48)); // born 1960–2007: some were under 18 at their offence
    const truth: PersonTruth = {
      index: i,
      forename: names.forename(d.next(), sex),
      middleName: d.chance(0.6) ? names.forename(d.next(), sex) : null,
      surname: names.surname(d.next()),
      dateOfBirth: dob,
      sex,
      pnc: i < 2 || d.chance(0.85) ? issuePnc(d.int(1995, 2025), 100_000 + i * 7 + d.int(0, 6)) : null,
      cro: d.chance(0.5) ? issueCro(10_000 + i * 3 + d.int(0, 2), d.int(0, 25)) : null,
      nominalId: null, defendantId: null, asns: [], prisonNumber: null, crn: null,
    };
    people.push(truth);
    w.nicknameSlot.set(truth, names.nicknameSlot);

    // Police: almost everyone has a nominal record.
    let nominal: PoliceNominal | null = null;
    if (forceExample || d.chance(0.95)) {
      truth.nominalId = String(400_000 + i);
      const id = recordIdentity(w, truth, { upper: true, nickname: 0.05, dobConflict: 0.02 });
      const forceCode = d.pick([...w.policeOus.keys()].sort());
      let pnc = truth.pnc;
      if (pnc && d.chance(0.03)) pnc = mistypedPnc(pnc);
      nominal = {
        nominalId: truth.nominalId, personIndex: i, forceCode, ...id, sex, pnc, cro: truth.cro && d.chance(0.7) ? truth.cro : null,
        arrests: [], warningMarkers: [], intelligenceFlags: [],
      };
      const markers = forceExample ? 2 : d.chance(0.3) ? d.int(1, 3) : 0;
      for (let k = 0; k < markers; k++) {
        const code = forceExample ? ['VI', 'WE'][k] : d.pick(WARNING_MARKERS);
        if (nominal.warningMarkers.some((m) => m.code === code)) continue;
        nominal.warningMarkers.push({ code, startDate: addDays(ref, -d.int(30, 4000)), endDate: d.chance(0.1) ? addDays(ref, -d.int(1, 29)) : null });
      }
      const flags = forceExample ? 1 : d.chance(0.15) ? d.int(1, 2) : 0;
      for (let k = 0; k < flags; k++) {
        nominal.intelligenceFlags.push({
          flagId: `IF${truth.nominalId}${k}`, category: d.pick(INTELLIGENCE_CATEGORIES),
          grading: `${d.int(1, 3)}${d.pick(['A', 'B', 'C'])}${d.int(1, 2)}`, recordedDate: addDays(ref, -d.int(10, 2000)),
          note: 'Intelligence held: see intelligence system',
        });
      }
      police.push(nominal);
    }

    // Courts: 70% have one to three cases, most arising from an arrest.
    const caseCount = forceExample ? 1 : d.chance(0.7) ? d.int(1, 3) : 0;
    let custodialSentence: { date: string; days: number } | null = null;
    let remanded: CourtCase | null = null;
    if (caseCount > 0) {
      truth.defendantId = String(7_000_000 + i);
      const id = recordIdentity(w, truth, { nickname: 0.08, swap: 0.02, dropMiddle: 0.4, dobConflict: 0.03 });
      let pnc = truth.pnc && (forceExample || d.chance(0.6)) ? truth.pnc : null;
      if (pnc && d.chance(0.3)) pnc = shortPnc(pnc);
      const town = d.pick(TOWNS);
      defendants.push({
        defendantId: truth.defendantId, personIndex: i, title: sex === 'M' ? 'Mr' : d.pick(['Ms', 'Mrs', 'Miss']), ...id, sex, pnc, cro: null,
        address: [`${d.int(1, 220)} ${d.pick(STREETS)}`, town[0], `${town[1]} ${d.int(1, 9)}${d.letter()}${d.letter()}`],
      });
      for (let c = 0; c < caseCount; c++) {
        const offenceDate = addDays(ref, -d.int(20, 2500));
        const arrestDate = addDays(offenceDate, d.int(0, 10));
        const chargeDate = addDays(arrestDate, d.int(0, 2));
        const force = nominal?.forceCode ?? '01';
        const urn = `${force}${d.letter()}${d.letter()}${d.digits(7)}`;
        const concluded = !forceExample && daysBetween(offenceDate, ref) > 240 && d.chance(0.85);
        const courtOu = d.pick(w.courtOus);
        const nOffences = d.int(1, 3);
        const offences: CourtOffence[] = [];
        const disposal = d.pick(DISPOSALS);
        const guilty = forceExample || (concluded && d.chance(0.8));
        const convictionDate = concluded || forceExample ? addDays(chargeDate, d.int(30, 200)) : null;
        for (let o = 0; o < nOffences; o++) {
          const code = forceExample && o === 0 ? 'OF61131' : d.pick(OFFENCE_CODES);
          offences.push({
            sequence: o + 1, offenceCode: code, wording: '', offenceDate, arrestDate, chargeDate,
            plea: convictionDate ? (guilty ? '1' : '2') : d.pick(['2', '3'] as const),
            finding: convictionDate ? (guilty ? 'G' : 'NG') : null,
            convictionDate: guilty ? convictionDate : null,
            results: convictionDate ? [guilty ? { code: disposal.code, text: '' } : { code: '2063', text: '' }] : [],
          });
        }
        const bailStatus: CourtCase['bailStatus'] = convictionDate ? 'U' : d.chance(0.25) ? 'C' : d.pick(['U', 'B'] as const);
        const hearings: CourtCase['hearings'] = [{ hearingId: `${urn}-1`, courtOu, date: addDays(chargeDate, d.int(1, 14)), time: '10:00:00', type: 'FIRST_HEARING' }];
        if (convictionDate) hearings.push({ hearingId: `${urn}-2`, courtOu, date: convictionDate, time: d.pick(['10:00:00', '14:00:00']), type: 'SENTENCE' });
        else hearings.push({ hearingId: `${urn}-2`, courtOu, date: addDays(ref, d.int(3, 120)), time: '10:00:00', type: 'TRIAL' });
        const kase: CourtCase = {
          urn, asn: `${offenceDate.slice(2, 4)}${force}${d.letter()}${d.letter()}00${d.digits(11)}${d.letter()}`, defendantId: truth.defendantId, personIndex: i,
          bailStatus, custodyTimeLimitExpiry: bailStatus === 'C' ? addDays(hearings[0].date, 182) : null, hearings, offences,
        };
        cases.push(kase);
        truth.asns.push(kase.asn);
        if (guilty && (disposal.custody || forceExample) && convictionDate) {
          // The example person is still inside, due out 45 days after the reference date.
          custodialSentence = { date: convictionDate, days: forceExample ? 2 * (daysBetween(convictionDate, ref) + 45) : d.int(180, 1800) };
        }
        if (bailStatus === 'C') remanded = kase;
        if (nominal) {
          nominal.arrests.push({
            arrestId: `${truth.nominalId}-${c + 1}`, arrestDate, offenceCode: offences[0].offenceCode, stationOu: d.pick(w.policeOus.get(nominal.forceCode)!),
            outcome: 'CHARGED', caseUrn: urn, asn: kase.asn,
            custody: { custodyId: `CU${force}${d.digits(8)}`, detainedAt: `${arrestDate}T${String(d.int(0, 23)).padStart(2, '0')}:${String(d.int(0, 59)).padStart(2, '0')}:00Z`, releasedAt: `${chargeDate}T11:00:00Z`, releaseReason: bailStatus === 'C' ? 'REMANDED TO COURT' : 'CHARGED AND BAILED' },
          });
        }
        // Victims: most cases have one or two people in the victim contact system.
        const nVictims = forceExample ? 1 : d.chance(0.6) ? d.int(1, 2) : 0;
        for (let v = 0; v < nVictims; v++) {
          const vsex: Sex = d.chance(0.5) ? 'M' : 'F';
          const town2 = d.pick(TOWNS);
          const optedIn = forceExample || d.chance(0.6);
          const method = optedIn ? d.pick(['EMAIL', 'PHONE', 'LETTER'] as const) : 'NONE';
          const forename = (vsex === 'M' ? MALE_POOL : FEMALE_POOL).draw(d.next());
          const surname = SURNAME_POOL.draw(d.next());
          victims.push({
            victimId: `V${String(victimSeq++).padStart(7, '0')}`, caseUrn: urn, offenderPersonIndex: i, forename, surname,
            dateOfBirth: d.chance(0.8) ? addDays('1950-01-01', d.int(0, 365 * 55)) : null,
            address: { line1: `${d.int(1, 300)} ${d.pick(STREETS)}`, line2: '', town: town2[0], postcode: `${town2[1]} ${d.int(1, 9)}${d.letter()}${d.letter()}` },
            vcsOptedIn: optedIn, vcsDecisionDate: addDays(chargeDate, d.int(1, 30)), contactMethod: method,
            email: method === 'EMAIL' ? `${forename}.${surname}`.toLowerCase().replace(/[^a-z.]/g, '') + '@example.org' : null,
            phone: method === 'PHONE' ? `07700 9${d.digits(5)}` : null,
            liaisonOfficer: `VLO${d.int(1, 40).toString().padStart(3, '0')}`,
          });
        }
      }
    }

    // Prisons: those sentenced to custody, and some on remand.
    if (custodialSentence || remanded) {
      let offenderNo: string;
      do offenderNo = `${d.letter()}${d.digits(4)}${d.letter()}${d.letter()}`; while (usedPrisonNumbers.has(offenderNo));
      usedPrisonNumbers.add(offenderNo);
      truth.prisonNumber = offenderNo;
      const id = recordIdentity(w, truth, { upper: true, nickname: 0.03, dobConflict: 0.02 });
      let pnc = truth.pnc && (forceExample || d.chance(0.8)) ? truth.pnc : null;
      if (pnc && d.chance(0.2)) pnc = shortPnc(pnc);
      const bookings: PrisonBooking[] = [];
      const prisonId = d.pick(w.prisonIds);
      if (custodialSentence) {
        const reception = custodialSentence.date;
        const crd = addDays(reception, Math.floor(custodialSentence.days / 2));
        const active = forceExample || crd > ref;
        bookings.push({
          bookingId: bookingSeq++, bookingNo: `${d.digits(5)}${d.letter()}`, agencyId: active ? prisonId : 'OUT', active, legalStatus: 'SENTENCED',
          receptionDate: reception, releaseDate: active ? null : crd, conditionalReleaseDate: forceExample ? addDays(ref, 45) : crd,
          cellLocation: active ? `${prisonId}-${d.pick(['A', 'B', 'C', '1', '2'])}-${d.int(1, 4)}-${String(d.int(1, 40)).padStart(3, '0')}` : null,
          sentenceDays: custodialSentence.days,
        });
      } else if (remanded) {
        bookings.push({
          bookingId: bookingSeq++, bookingNo: `${d.digits(5)}${d.letter()}`, agencyId: prisonId, active: true, legalStatus: 'REMAND',
          receptionDate: remanded.hearings[0].date, releaseDate: null, conditionalReleaseDate: null,
          cellLocation: `${prisonId}-${d.pick(['A', 'B', 'C'])}-${d.int(1, 4)}-${String(d.int(1, 40)).padStart(3, '0')}`, sentenceDays: null,
        });
      }
      const alerts: PrisonOffender['alerts'] = [];
      const nAlerts = forceExample ? 2 : d.int(0, 2);
      for (let k = 0; k < nAlerts; k++) {
        const [type, code, description] = forceExample ? PRISON_ALERTS[k === 0 ? 2 : 5] : d.pick(PRISON_ALERTS);
        alerts.push({ alertId: alertSeq++, alertType: type, alertCode: code, description, dateCreated: addDays(ref, -d.int(1, 900)), dateExpires: null, active: true });
      }
      prisons.push({
        offenderNo, personIndex: i, ...id, forenames: id.forenames.slice(0, 1), middleNames: id.forenames.slice(1).join(' ') || null, sex, pnc,
        cro: truth.cro && d.chance(0.6) ? truth.cro : null,
        aliases: d.chance(0.15) ? [{ firstName: (sex === 'M' ? MALE_POOL : FEMALE_POOL).draw(d.next()).toUpperCase(), lastName: truth.surname.toUpperCase(), dateOfBirth: truth.dateOfBirth }] : [],
        bookings, alerts,
      });
    }

    // Probation: those with community sentences or on licence, and some others under supervision.
    const onLicence = custodialSentence != null;
    if (forceExample || i === 1 || (caseCount > 0 && d.chance(onLicence ? 0.9 : 0.45))) {
      truth.crn = `${d.letter()}${String(100_000 + i).padStart(6, '0')}`;
      const id = recordIdentity(w, truth, { nickname: 0.1, dropMiddle: 0.2, dobConflict: 0.02 });
      // Person 1 is the "probable only" example: no PNC, no prison cross-reference, a nickname.
      const probableOnly = i === 1;
      if (probableOnly && INFORMAL_FORENAMES.has(truth.forename)) id.forenames[0] = INFORMAL_FORENAMES.get(truth.forename)!;
      let pnc = !probableOnly && truth.pnc && (forceExample || d.chance(0.7)) ? truth.pnc : null;
      if (pnc && !forceExample && d.chance(0.02)) pnc = mistypedPnc(pnc);
      const area = d.pick(PROBATION_AREAS);
      const staffForename = d.pick([...MALE, ...FEMALE]);
      const staffSurname = d.pick(SURNAMES);
      const restricted = !forceExample && d.chance(0.03);
      const excluded = !forceExample && d.chance(0.02);
      const registrations: ProbationOffender['registrations'] = [];
      const nRegs = forceExample ? 2 : d.int(0, 2);
      for (let k = 0; k < nRegs; k++) {
        const [code, desc, level, colour] = forceExample ? REGISTRATIONS[k === 0 ? 0 : 2] : d.pick(REGISTRATIONS);
        registrations.push({ registrationId: regSeq++, typeCode: code, typeDescription: desc, registerLevel: level, startDate: addDays(ref, -d.int(10, 700)), nextReviewDate: addDays(ref, d.int(10, 180)), riskColour: colour, active: true });
      }
      const licenceConditions: ProbationOffender['licenceConditions'] = onLicence
        ? LICENCE_CONDITIONS.slice(0, forceExample ? 2 : d.int(1, 3)).map(([code, description], k) => ({
            conditionId: probationSeq + k, code, description,
            detail: code === 'NLC8' ? `Not to enter the area of ${d.pick(TOWNS)[0]} city centre as defined on the attached map` : code === 'NLC5' ? 'Not to contact the victim directly or indirectly' : description,
            startDate: custodialSentence!.date, active: true,
          }))
        : [];
      const requirements: ProbationOffender['requirements'] = !onLicence && caseCount > 0
        ? [0, 1].slice(0, d.int(1, 2)).map((k) => {
            const [category, subCategory] = d.pick(REQUIREMENTS);
            return { requirementId: probationSeq + 10 + k, category, subCategory, startDate: addDays(ref, -d.int(10, 300)), length: d.chance(0.5) ? d.int(40, 200) : null, active: true };
          })
        : [];
      probation.push({
        offenderId: probationSeq++, crn: truth.crn, personIndex: i, ...id, forenames: id.forenames.slice(0, 1), middleNames: id.forenames.slice(1), sex, pnc,
        cro: !probableOnly && truth.cro && d.chance(0.5) ? truth.cro : null,
        nomsNumber: probableOnly ? null : truth.prisonNumber && d.chance(0.9) ? truth.prisonNumber : null,
        offenderManager: {
          staffCode: `${area[0]}A${String(d.int(1, 60)).padStart(3, '0')}`, forenames: staffForename, surname: staffSurname,
          teamCode: `${area[0]}T0${d.int(1, 9)}`, teamDescription: `${d.pick(TOWNS)[0]} OMU`, probationAreaCode: area[0], probationAreaDescription: area[1],
        },
        registrations, requirements, licenceConditions,
        currentRestriction: restricted, restrictionMessage: restricted ? 'This is a restricted record. Please contact a system administrator' : null,
        currentExclusion: excluded, exclusionMessage: excluded ? 'You are excluded from viewing this offender record. Please contact a system administrator' : null,
        officerNotes: `Supervision notes held by ${staffForename} ${staffSurname}`,
      });
    }
  }

  const badPnc = police.find((n) => n.pnc && people[n.personIndex].pnc && n.pnc !== people[n.personIndex].pnc)?.personIndex ?? -1;
  return {
    seed, size, referenceDate: ref, people, police, courts: { defendants, cases }, prisons, probation, victims,
    examples: { everywhere: 0, probableOnly: 1, badPnc },
  };
}

/** The staff and the establishment whose worklists `gatherWorklists` fills. */
export const WORKLIST_STAFF = { offenderManager: 'N07A950', liaisonOfficer: 'VLO950', prisonId: 'MDI' } as const;

/**
 * Gives one offender manager, one victim liaison officer and one establishment worklists of `n` people each
 * (for npm run bench, which asks for worklists of 50 people; a synthetic world's caseloads and rolls are
 * smaller): the first `n` probation cases without a user exclusion move to WORKLIST_STAFF.offenderManager,
 * the first `n` victims to WORKLIST_STAFF.liaisonOfficer, and the first `n` people held in custody to
 * WORKLIST_STAFF.prisonId, wing A. Changes the population in place; the same for the same population.
 */
export function gatherWorklists(population: Population, n: number): typeof WORKLIST_STAFF {
  for (const o of population.probation.filter((x) => !x.currentExclusion).slice(0, n)) o.offenderManager.staffCode = WORKLIST_STAFF.offenderManager;
  for (const v of population.victims.slice(0, n)) v.liaisonOfficer = WORKLIST_STAFF.liaisonOfficer;
  const held = population.prisons.filter((o) => { const b = o.bookings[o.bookings.length - 1]; return b?.active; }).slice(0, n);
  held.forEach((o, i) => {
    const b = o.bookings[o.bookings.length - 1];
    b.agencyId = WORKLIST_STAFF.prisonId;
    b.cellLocation = `${WORKLIST_STAFF.prisonId}-A-${Math.floor(i / 40) + 1}-${String((i % 40) + 1).padStart(3, '0')}`;
    delete b.movement;
  });
  return WORKLIST_STAFF;
}
