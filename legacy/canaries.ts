// Canaries: unique marker strings planted in the protected free-text values of a synthetic population,
// so a test can tell from any response (data, errors, extensions, headers) exactly which protected value
// reached a caller, and check that the disclosure policy allowed it.
//
// `plantCanaries(population)` returns a deep copy with the values replaced, and a registry saying, for
// each canary, the record it belongs to and every GraphQL path (field coordinates from a root field) by
// which it can surface. Only values that the adapters pass through unchanged are planted; identity data
// used for linking (people's names, dates of birth, identifiers) is never touched, so identity linking
// is exactly as in the original population. Deterministic: the same population gives the same canaries.
//
// Canary text is `CANARY-<n>-<code>` (upper case). Some values are re-cased on the way (names are tidied
// for display, emails lower-cased), so find canaries case-insensitively: `findCanaries()` does. The one
// exception is the victim's telephone number, which the adapter validates as digits: it is `09990 <n>`
// (n as six digits), which `findCanaries()` also recognises.
import type { Population } from './population.js';

/** The record a canary belongs to: what record-level conditions are judged on. */
export interface CanaryRecord {
  /** The offender / defendant (index into population.people) the record is about. */
  personIndex: number;
  crn?: string;
  caseUrn?: string;
  victimId?: string;
  nominalId?: string;
  defendantId?: string;
  prisonNumber?: string;
}

/** One way a canary can reach a caller: a path of field coordinates from a root field, and the record it is judged on. */
export interface CanarySurface {
  path: string[];
  record: CanaryRecord;
}

export interface Canary {
  /** The n of `CANARY-<n>-<code>`. */
  n: number;
  /** The exact string planted in the population. */
  value: string;
  /** Lower-case text to look for (responses are searched lower-cased). */
  needle: string;
  /** Where it was planted, e.g. `probation[].licenceConditions[].detail`. */
  source: string;
  /** The path from the record's own entity (Person, Case or Victim), e.g. ['Person.supervision', 'Supervision.officerNotes']. */
  path: string[];
  record: CanaryRecord;
  /** Every path from a root field by which it can surface; empty when it must never surface. */
  surfaces: CanarySurface[];
}

export interface PlantedPopulation {
  population: Population;
  canaries: Canary[];
}

/** Roots by which a Person is reached. (Person.candidates → MatchCandidate.person adds no grant of its own.) */
export const PERSON_ROOTS: readonly string[][] = [['Query.personByIdentifier'], ['Query.person'], ['Query.searchPeople', 'PersonMatch.person'],
  // Worklists: an offender manager's caseload; a liaison officer's victim's case's offender (adds no grant a Person root lacks).
  ['Query.myCaseload', 'CaseloadPage.items', 'LinkedRecord.person'],
  ['Query.myVictims', 'VictimPage.items', 'Victim.informedCase', 'Case.offender', 'LinkedRecord.person'],
  ['Query.case', 'Case.offender', 'LinkedRecord.person'],
  // A listing officer's court list and remand cases: each case's defendant.
  ['Query.courtList', 'CourtListPage.items', 'ListedCase.defendant', 'LinkedRecord.person'],
  ['Query.remandCases', 'RemandCasePage.items', 'RemandCase.defendant', 'LinkedRecord.person']];
export const CASE_ROOTS: readonly string[][] = [['Query.case'], ['Query.myVictims', 'VictimPage.items', 'Victim.informedCase'], ['Query.victim', 'Victim.informedCase'],
  ...PERSON_ROOTS.map((r) => [...r, 'Person.cases'])];
export const VICTIM_ROOTS: readonly string[][] = [['Query.victim'], ['Query.myVictims', 'VictimPage.items'], ...CASE_ROOTS.map((r) => [...r, 'Case.victims'])];

const CANARY_TEXT = /canary-(\d+)-[a-z0-9]{4}/g;
const CANARY_PHONE = /09990 (\d{6})/g;

/** A short code from n, deterministic, four characters of [A-Z0-9]. */
function shortcode(n: number): string {
  let h = Math.imul(n ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return (h >>> 0).toString(36).toUpperCase().padStart(4, '0').slice(-4);
}

/** Plants a canary in every protected free-text value the adapters pass through; the input is not changed. */
export function plantCanaries(original: Population): PlantedPopulation {
  const population: Population = structuredClone(original);
  const canaries: Canary[] = [];
  let next = 1;

  const plant = (source: string, path: string[], record: CanaryRecord, surfaces: CanarySurface[], kind: 'text' | 'email' | 'phone' = 'text'): string => {
    const n = next++;
    const token = `CANARY-${n}-${shortcode(n)}`;
    const value = kind === 'email' ? `${token.toLowerCase()}@example.org` : kind === 'phone' ? `09990 ${String(n).padStart(6, '0')}` : token;
    const needle = kind === 'phone' ? value : token.toLowerCase();
    canaries.push({ n, value, needle, source, path, record, surfaces });
    return value;
  };
  const from = (roots: readonly string[][], path: string[], record: CanaryRecord): CanarySurface[] => roots.map((r) => ({ path: [...r, ...path], record }));

  const caseByUrn = new Map(population.courts.cases.map((c) => [c.urn, c]));

  // ---- police: intelligence flag notes, custody release reasons, custody record ids (and so provenance record ids) ----
  for (const n of population.police) {
    const base = { personIndex: n.personIndex, nominalId: n.nominalId };
    for (const f of n.intelligenceFlags) {
      const path = ['Person.intelligenceFlags', 'IntelligenceFlag.note'];
      f.note = plant('police[].intelligenceFlags[].note', path, base, from(PERSON_ROOTS, path, base));
    }
    for (const a of n.arrests) {
      if (!a.custody) continue; // RELEASE_REASON is VARCHAR(40): a canary fits
      const record = { ...base, ...(a.caseUrn ? { caseUrn: a.caseUrn } : {}) };
      const path = ['Person.arrests', 'Arrest.custodyRecord', 'CustodyRecord.releaseReason'];
      a.custody.releaseReason = plant('police[].arrests[].custody.releaseReason', path, record, from(PERSON_ROOTS, path, record));
      // A record id: it surfaces as the custody record's id and as its provenance's recordId, and must go
      // only where the custody record itself may go (CUSTODY_ID is VARCHAR(20): a canary fits).
      const idPath = ['Person.arrests', 'Arrest.custodyRecord', 'CustodyRecord.id'];
      const provenancePath = ['Person.arrests', 'Arrest.custodyRecord', 'CustodyRecord.provenance', 'Provenance.recordId'];
      a.custody.custodyId = plant('police[].arrests[].custody.custodyId', idPath, record, [...from(PERSON_ROOTS, idPath, record), ...from(PERSON_ROOTS, provenancePath, record)]);
    }
  }

  // ---- courts: defendant address (line 1 and town), charge wording, result text --------------------
  for (const d of population.courts.defendants) {
    const record = { personIndex: d.personIndex, defendantId: d.defendantId };
    const cases = population.courts.cases.filter((c) => c.defendantId === d.defendantId);
    // Libra holds [line 1, town, postcode]; the adapter makes the postcode line the postcode and the one before it the town.
    for (const [i, leaf] of [[0, 'Address.lines'], [1, 'Address.town']] as const) {
      const path = ['Person.courtDefendant', 'CourtDefendantRecord.address', leaf];
      const viaCase = ['Case.defendant', 'CourtDefendantRecord.address', leaf];
      d.address[i] = plant(`courts.defendants[].address[${i}]`, path, record, [
        ...from(PERSON_ROOTS, path, record),
        ...cases.flatMap((c) => from(CASE_ROOTS, viaCase, { ...record, caseUrn: c.urn })),
      ]);
    }
  }
  for (const c of population.courts.cases) {
    const record = { personIndex: c.personIndex, caseUrn: c.urn, defendantId: c.defendantId };
    for (const o of c.offences) {
      const path = ['Case.charges', 'Charge.wording'];
      o.wording = plant('courts.cases[].offences[].wording', path, record, from(CASE_ROOTS, path, record));
      for (const r of o.results) {
        const rpath = ['Case.charges', 'Charge.outcomes', 'Outcome.text'];
        r.text = plant('courts.cases[].offences[].results[].text', rpath, record, from(CASE_ROOTS, rpath, record));
      }
    }
  }

  // ---- prisons: booking numbers, cell location of the current booking, alert descriptions ---------------------------
  for (const o of population.prisons) {
    const record = { personIndex: o.personIndex, prisonNumber: o.offenderNo };
    for (const b of o.bookings) {
      const bpath = ['Person.custodyPeriods', 'CustodyPeriod.bookingNumber'];
      b.bookingNo = plant('prisons[].bookings[].bookingNo', bpath, record, from(PERSON_ROOTS, bpath, record));
      if (!b.cellLocation) continue;
      // Kept as `<prison id>-...`: the stand-in strips the prison id and serves the rest as the cell.
      const path = ['Person.custodyPeriods', 'CustodyPeriod.cellLocation'];
      b.cellLocation = `${b.agencyId}-${plant('prisons[].bookings[].cellLocation', path, record, from(PERSON_ROOTS, path, record))}`;
    }
    for (const a of o.alerts) {
      const path = ['Person.prisonAlerts', 'PrisonAlert.description'];
      a.description = plant('prisons[].alerts[].description', path, record, from(PERSON_ROOTS, path, record));
    }
  }

  // ---- probation: notes, licence condition detail, registrations, requirements, officer name -------
  for (const p of population.probation) {
    const record = { personIndex: p.personIndex, crn: p.crn };
    const sup = (...rest: string[]) => ['Person.supervision', ...rest];
    const surfaces = (...paths: string[][]) => paths.flatMap((path) => from(PERSON_ROOTS, path, record));
    {
      const path = sup('Supervision.officerNotes');
      p.officerNotes = plant('probation[].officerNotes', path, record, surfaces(path));
    }
    for (const c of p.licenceConditions) {
      const path = sup('Supervision.licenceConditions', 'LicenceCondition.detail');
      c.detail = plant('probation[].licenceConditions[].detail', path, record, surfaces(path));
    }
    for (const r of p.registrations) {
      const path = sup('Supervision.registrations', 'Registration.description');
      r.typeDescription = plant('probation[].registrations[].typeDescription', path, record, surfaces(path));
    }
    for (const r of p.requirements) {
      const path = sup('Supervision.requirements', 'Requirement.subCategory');
      r.subCategory = plant('probation[].requirements[].subCategory', path, record, surfaces(path));
    }
    {
      const path = sup('Supervision.offenderManager', 'OffenderManager.name', 'PersonName.surname');
      p.offenderManager.surname = plant('probation[].offenderManager.surname', path, record,
        surfaces(path, sup('Supervision.offenderManager', 'OffenderManager.name', 'PersonName.fullName')));
    }
    // The restriction and exclusion messages are in no GraphQL field: they must never surface.
    if (p.restrictionMessage) p.restrictionMessage = plant('probation[].restrictionMessage', [], record, []);
    if (p.exclusionMessage) p.exclusionMessage = plant('probation[].exclusionMessage', [], record, []);
  }

  // ---- victims: name, address, contact details (victims are never linked to people) ---------------
  for (const v of population.victims) {
    const kase = caseByUrn.get(v.caseUrn);
    const record = { personIndex: kase?.personIndex ?? v.offenderPersonIndex, victimId: v.victimId, caseUrn: v.caseUrn };
    const at = (...path: string[]) => from(VICTIM_ROOTS, path, record);
    v.forename = plant('victims[].forename', ['Victim.name', 'PersonName.forenames'], record, [...at('Victim.name', 'PersonName.forenames'), ...at('Victim.name', 'PersonName.fullName')]);
    v.surname = plant('victims[].surname', ['Victim.name', 'PersonName.surname'], record, [...at('Victim.name', 'PersonName.surname'), ...at('Victim.name', 'PersonName.fullName')]);
    v.address.line1 = plant('victims[].address.line1', ['Victim.address', 'Address.lines'], record, at('Victim.address', 'Address.lines'));
    v.address.town = plant('victims[].address.town', ['Victim.address', 'Address.town'], record, at('Victim.address', 'Address.town'));
    if (v.email) v.email = plant('victims[].email', ['Victim.contactPreferences', 'ContactPreferences.email'], record, at('Victim.contactPreferences', 'ContactPreferences.email'), 'email');
    if (v.phone) v.phone = plant('victims[].phone', ['Victim.contactPreferences', 'ContactPreferences.phone'], record, at('Victim.contactPreferences', 'ContactPreferences.phone'), 'phone');
  }

  return { population, canaries };
}

/** The canaries whose text occurs in `text` (searched case-insensitively), each once. */
export function findCanaries(text: string, canaries: readonly Canary[]): Canary[] {
  const byN = new Map(canaries.map((c) => [c.n, c]));
  const lower = text.toLowerCase();
  const found = new Map<number, Canary>();
  for (const re of [CANARY_TEXT, CANARY_PHONE]) {
    re.lastIndex = 0;
    for (const m of lower.matchAll(re)) {
      const c = byN.get(Number(m[1]));
      if (c && lower.includes(c.needle)) found.set(c.n, c);
    }
  }
  return [...found.values()];
}
