// Pure mapping from Prison API / Prisoner Search payloads to the common model's prison types. NOMIS
// quirks handled here: upper-case names, middle names in one space-separated field, PNC ids in short
// form, a released booking that says OUT instead of a prison. Anything malformed throws MappingError.
import { MappingError } from '../errors.js';
import { checkedFrom, displayName, normaliseCro, normalisePnc, parseLegacyDate, parseOptionalDate, readDateOfBirth } from '../normalise.js';
import { prisons as prisonRegister, standingData } from '../../reference/index.js';
import { personName, type CheckedIdentifier, type DataQualityProblem, type IdentityRecord, type Organisation, type PersonName, type Sex } from '../../schema/model.js';
import type { Alert, Prisoner, PrisonerAlias } from './wire.js';

export const AGENCY = 'prisons';

/** NOMIS legal statuses, as the Prison API's InmateDetail.legalStatus enumerates them. */
export const LEGAL_STATUSES = ['RECALL', 'DEAD', 'INDETERMINATE_SENTENCE', 'SENTENCED', 'CONVICTED_UNSENTENCED', 'CIVIL_PRISONER', 'IMMIGRATION_DETAINEE', 'REMAND', 'UNKNOWN', 'OTHER'] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

/**
 * Where a booking stands, from NOMIS's booking status (`ACTIVE IN`, `ACTIVE OUT`, `INACTIVE OUT`,
 * `INACTIVE TRN`) and the last movement type (MOVE_TYPE: TAP, CRT, TRN, ADM, REL). A person in transit
 * between prisons or out on a temporary absence is still in custody, never released.
 */
export const CUSTODY_STATES = ['IN_PRISON', 'TEMPORARY_ABSENCE', 'AT_COURT', 'IN_TRANSIT', 'RELEASED'] as const;
export type CustodyState = (typeof CUSTODY_STATES)[number];

/** One booking: a period in custody. */
export interface CustodyPeriod {
  bookingId: string;
  bookingNumber: string | null;
  prison: Organisation | null;
  /** The NOMIS legal status when it is one of LEGAL_STATUSES; null otherwise (the code is kept in legalStatusCode). */
  legalStatus: LegalStatus | null;
  /** The legal status exactly as NOMIS sent it; a code outside LEGAL_STATUSES is kept here rather than refused. */
  legalStatusCode: string | null;
  /** Where the booking stands; null when NOMIS sent a status this adapter does not know (kept in `status`). */
  custodyState: CustodyState | null;
  /** The NOMIS booking status as sent, e.g. `ACTIVE OUT`. */
  status: string | null;
  receptionDate: string | null;
  active: boolean;
  /** The actual release date; null while the booking is active. */
  releaseDate: string | null;
  /** The conditional release date NOMIS calculated (override first). */
  expectedReleaseDate: string | null;
  sentenceLengthDays: number | null;
  cellLocation: string | null;
}

export interface PrisonAlert {
  /** The Prisoner Alerts API's alert UUID. */
  alertId: string;
  type: string;
  typeDescription: string | null;
  code: string;
  description: string | null;
  dateCreated: string;
  dateExpires: string | null;
  active: boolean;
}

export interface PrisonerAliasRecord {
  name: PersonName;
  dateOfBirth: string | null;
}

/** Who the prison says the person is, with identifiers as recorded and as validated. */
export interface PrisonerRecord {
  prisonNumber: string;
  name: PersonName;
  /** Null when NOMIS holds none or an impossible one (then in `dataQuality`). */
  dateOfBirth: string | null;
  sex: Sex | null;
  /** The gender text as NOMIS sent it; kept when it is outside the CJS cross-walk (then `sex` is null). */
  sexRecorded: string | null;
  pnc: CheckedIdentifier;
  cro: CheckedIdentifier;
  aliases: PrisonerAliasRecord[];
  /** Identity fields recorded in a form that could not be read (kept null above). */
  dataQuality: DataQualityProblem[];
}

/** What one Prisoner Search hit gives the subgraph: the record, and the expected release of an active booking. */
export interface PrisonerSummary {
  record: PrisonerRecord;
  nextReleaseDate: string | null;
}

const PRISON_NUMBER = /^[A-Z]\d{4}[A-Z]{2}$/;
/** Agency ids NOMIS uses for "not in a prison" (OUT released, TRN in transit). */
const NOT_A_PRISON = new Set(['OUT', 'TRN']);

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function requiredText(value: unknown, field: string): string {
  const t = text(value);
  if (t === null) throw new MappingError(field, `a non-empty string, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  return t;
}

function requiredBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new MappingError(field, `true or false, got ${JSON.stringify(value ?? null)}`);
  return value;
}

const isoDate = (value: unknown, field: string) => parseOptionalDate(typeof value === 'string' ? value : value == null ? null : String(value), 'YYYY-MM-DD', field);

export function prisonNumber(value: unknown, field = 'prisonerNumber'): string {
  const t = requiredText(value, field).toUpperCase();
  if (!PRISON_NUMBER.test(t)) throw new MappingError(field, `a prison number such as A1234BC, got "${t}"`);
  return t;
}

/** NOMIS keeps every middle name in one field; names arrive upper case and are tidied for display. */
export function nomisName(first: unknown, middle: unknown, last: unknown, field = 'name'): PersonName {
  const surname = requiredText(last, `${field}.lastName`);
  const forenames = [text(first), ...(text(middle)?.split(/\s+/) ?? [])].filter((x): x is string => x !== null);
  return personName(forenames.map(displayName), displayName(surname));
}

export function checkedPnc(raw: unknown): CheckedIdentifier {
  const r = text(raw);
  return checkedFrom(r, normalisePnc(r));
}

export function checkedCro(raw: unknown): CheckedIdentifier {
  const r = text(raw);
  return checkedFrom(r, normaliseCro(r));
}

const SEX_BY_CJS: Record<string, Sex> = { '0': 'NOT_KNOWN', '1': 'MALE', '2': 'FEMALE', '9': 'NOT_SPECIFIED' };

/**
 * Prisoner Search gender ("Male", "Not Known / Not Recorded") through the CJS gender cross-walk's
 * descriptions. A value outside the cross-walk is free text NOMIS allows: it gives null here, and the
 * record keeps the text (`sexRecorded`) rather than being refused.
 */
export function sexOf(gender: unknown): Sex | null {
  const g = text(gender)?.toLowerCase();
  if (!g) return null;
  const row = standingData.gender().find((r) => g === r.description || g.startsWith(`${r.description} `));
  return row ? SEX_BY_CJS[row.cjsCode] ?? null : null;
}

/** A prison by its agency id, named from the prison register; null for NOMIS's OUT and TRN. */
export function prisonOrganisation(code: unknown): Organisation | null {
  const c = text(code)?.toUpperCase();
  if (!c || NOT_A_PRISON.has(c)) return null;
  return { code: c, name: prisonRegister().get(c)?.name ?? null };
}

/** A legal status NOMIS added after this adapter was written is kept as its code, not refused. */
function legalStatus(value: unknown): LegalStatus | null {
  const v = text(value)?.toUpperCase() ?? null;
  return v !== null && (LEGAL_STATUSES as readonly string[]).includes(v) ? (v as LegalStatus) : null;
}

const IN_CUSTODY: ReadonlySet<CustodyState> = new Set(['IN_PRISON', 'TEMPORARY_ABSENCE', 'AT_COURT', 'IN_TRANSIT']);

/**
 * The custody state of a booking from its NOMIS status (`ACTIVE IN`, `ACTIVE OUT`, `INACTIVE OUT`,
 * `INACTIVE TRN`), in/out status (IN, OUT, TRN) and last movement type (TAP, CRT, TRN, ADM, REL). Null
 * when the status is one this adapter does not know: the caller keeps the code and falls back on the
 * active flag rather than refusing the booking.
 */
export function custodyStateOf(status: unknown, inOutStatus: unknown, lastMovementType: unknown, activeFlag: unknown): CustodyState | null {
  const s = text(status)?.toUpperCase().replace(/\s+/g, ' ') ?? null;
  const move = text(lastMovementType)?.toUpperCase() ?? null;
  const [activity, place] = s ? s.split(' ') : [null, null];
  const where = place ?? text(inOutStatus)?.toUpperCase() ?? null;
  const active = activity === 'ACTIVE' ? true : activity === 'INACTIVE' ? false : typeof activeFlag === 'boolean' ? activeFlag : null;
  if (s !== null && (!['ACTIVE', 'INACTIVE'].includes(activity!) || !['IN', 'OUT', 'TRN'].includes(where!))) return null;
  if (where === 'TRN') return 'IN_TRANSIT';
  if (where === 'IN') return active === false ? null : 'IN_PRISON';
  if (where === 'OUT') {
    if (move === 'TAP') return 'TEMPORARY_ABSENCE';
    if (active === true) return move === 'CRT' ? 'AT_COURT' : 'TEMPORARY_ABSENCE';
    if (active === false) return 'RELEASED';
  }
  return null;
}

function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}

/**
 * The latest booking of a Prisoner Search record as a custody period; null when the person has no booking.
 * Prisoner Search carries the latest booking (id, number, status, prison, cell, legal status and the
 * sentence dates NOMIS calculated, overrides applied), so a list of people costs one batched call rather
 * than one Prison API call per person. Released or in transit, `prisonId` is OUT or TRN and `lastPrisonId`
 * keeps the prison the person left when the index knows it.
 */
export function mapCustodyPeriod(p: Prisoner): CustodyPeriod | null {
  const booking = text(p.bookingId);
  if (booking === null) return null;
  if (!/^\d+$/.test(booking)) throw new MappingError('bookingId', `a whole number, got ${JSON.stringify(p.bookingId)}`);
  const state = custodyStateOf(p.status, p.inOutStatus, p.lastMovementTypeCode, undefined);
  const status = text(p.status)?.toUpperCase() ?? null;
  if (state === null && status === null) throw new MappingError('status', 'a booking status such as ACTIVE IN, got nothing');
  // In transit or on a temporary absence the booking is inactive or "out", but the person is still in custody.
  const active = state !== null ? IN_CUSTODY.has(state) : status!.startsWith('ACTIVE');
  const start = isoDate(p.sentenceStartDate, 'sentenceStartDate');
  const expiry = isoDate(p.sentenceExpiryDate, 'sentenceExpiryDate');
  const length = start && expiry ? daysBetween(start, expiry) : null;
  if (length !== null && length < 0) throw new MappingError('sentenceExpiryDate', `a date on or after the sentence start ${start}, got ${expiry}`);
  const released = active ? null : isoDate(p.releaseDate, 'releaseDate');
  const inPrison = state === null ? active : state === 'IN_PRISON' || state === 'TEMPORARY_ABSENCE' || state === 'AT_COURT';
  return {
    bookingId: booking,
    bookingNumber: text(p.bookNumber),
    prison: prisonOrganisation(inPrison ? p.prisonId : p.lastPrisonId ?? p.prisonId),
    legalStatus: legalStatus(p.legalStatus),
    legalStatusCode: text(p.legalStatus),
    custodyState: state,
    status: text(p.status),
    receptionDate: isoDate(p.receptionDate, 'receptionDate'),
    active,
    releaseDate: released,
    expectedReleaseDate: isoDate(p.conditionalReleaseDate, 'conditionalReleaseDate'),
    sentenceLengthDays: length,
    cellLocation: inPrison ? text(p.cellLocation) : null,
  };
}

/** A Prisoner Alerts API alert. Its free-text description (why it was added) is not carried: the code's description is. */
export function mapAlert(alert: Alert): PrisonAlert {
  const code = alert.alertCode ?? {};
  return {
    alertId: requiredText(alert.alertUuid, 'alertUuid'),
    type: requiredText(code.alertTypeCode, 'alertCode.alertTypeCode').toUpperCase(),
    typeDescription: text(code.alertTypeDescription),
    code: requiredText(code.code, 'alertCode.code').toUpperCase(),
    description: text(code.description),
    dateCreated: parseLegacyDate(requiredText(alert.activeFrom, 'activeFrom'), 'YYYY-MM-DD', 'activeFrom'),
    dateExpires: isoDate(alert.activeTo, 'activeTo'),
    active: requiredBoolean(alert.isActive, 'isActive'),
  };
}

function mapAlias(alias: PrisonerAlias, i: number): PrisonerAliasRecord {
  return { name: nomisName(alias.firstName, alias.middleNames, alias.lastName, `aliases[${i}]`), dateOfBirth: isoDate(alias.dateOfBirth, `aliases[${i}].dateOfBirth`) };
}

export function mapPrisonerRecord(p: Prisoner): PrisonerRecord {
  // An impossible date of birth costs the date, not the prisoner: kept as recorded in dataQuality.
  const dob = readDateOfBirth(p.dateOfBirth, 'YYYY-MM-DD');
  const gender = text(p.gender);
  const sex = sexOf(p.gender);
  const problems = [dob.problem, gender && !sex ? { field: 'sex', recorded: gender.slice(0, 40), problem: 'outside the CJS gender cross-walk' } : null];
  return {
    prisonNumber: prisonNumber(p.prisonerNumber),
    name: nomisName(p.firstName, p.middleNames, p.lastName),
    dateOfBirth: dob.value,
    dataQuality: problems.filter((x): x is DataQualityProblem => x !== null),
    sex,
    sexRecorded: text(p.gender),
    pnc: checkedPnc(p.pncNumber),
    cro: checkedCro(p.croNumber),
    aliases: (Array.isArray(p.aliases) ? p.aliases : []).map(mapAlias),
  };
}

/** The expected release of the latest booking while the person is in custody (in prison, out temporarily or in transit); null otherwise. */
export function nextReleaseDateOf(p: Prisoner): string | null {
  const state = custodyStateOf(p.status, p.inOutStatus, p.lastMovementTypeCode, undefined);
  const inCustody = state !== null ? IN_CUSTODY.has(state) : text(p.status)?.toUpperCase().startsWith('ACTIVE') ?? false;
  if (!inCustody) return null;
  return isoDate(p.conditionalReleaseDate, 'conditionalReleaseDate') ?? isoDate(p.releaseDate, 'releaseDate');
}

export function mapPrisoner(p: Prisoner): PrisonerSummary {
  return { record: mapPrisonerRecord(p), nextReleaseDate: nextReleaseDateOf(p) };
}

/** The identity-linking view of a prisoner record. */
export function toIdentityRecord(r: PrisonerRecord): IdentityRecord {
  return {
    agency: AGENCY, localId: r.prisonNumber, localIdType: 'PRISON_NUMBER', name: r.name,
    aliases: r.aliases.map((a) => a.name), dateOfBirth: r.dateOfBirth, sex: r.sex, pnc: r.pnc, cro: r.cro, crossReferences: [],
    dataQuality: r.dataQuality,
  };
}
