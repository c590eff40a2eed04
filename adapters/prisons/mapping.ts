// Pure mapping from Prison API / Prisoner Search payloads to the common model's prison types. NOMIS
// quirks handled here: upper-case names, middle names in one space-separated field, PNC ids in short
// form, a released booking that says OUT instead of a prison. Anything malformed throws MappingError.
import { MappingError } from '../errors.js';
import { displayName, normaliseCro, normalisePnc, parseLegacyDate, parseOptionalDate } from '../normalise.js';
import { prisons as prisonRegister, standingData } from '../../reference/index.js';
import { personName, type CheckedIdentifier, type IdentityRecord, type Organisation, type PersonName, type Sex } from '../../schema/model.js';
import type { Alert, InmateDetail, Prisoner, PrisonerAlias } from './wire.js';

export const AGENCY = 'prisons';

/** NOMIS legal statuses, as the Prison API's InmateDetail.legalStatus enumerates them. */
export const LEGAL_STATUSES = ['RECALL', 'DEAD', 'INDETERMINATE_SENTENCE', 'SENTENCED', 'CONVICTED_UNSENTENCED', 'CIVIL_PRISONER', 'IMMIGRATION_DETAINEE', 'REMAND', 'UNKNOWN', 'OTHER'] as const;
export type LegalStatus = (typeof LEGAL_STATUSES)[number];

/** One booking: a period in custody. */
export interface CustodyPeriod {
  bookingId: string;
  bookingNumber: string | null;
  prison: Organisation | null;
  legalStatus: LegalStatus | null;
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
  dateOfBirth: string;
  sex: Sex | null;
  pnc: CheckedIdentifier;
  cro: CheckedIdentifier;
  aliases: PrisonerAliasRecord[];
}

/** What one Prisoner Search hit gives the subgraph: the record, and the expected release of an active booking. */
export interface PrisonerSummary {
  record: PrisonerRecord;
  nextReleaseDate: string | null;
}

const PRISON_NUMBER = /^[A-Z]\d{4}[A-Z]{2}$/;
/** Agency ids NOMIS uses for "not in a prison". */
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
  const check = normalisePnc(r);
  return { raw: r, value: check.value, valid: check.valid };
}

export function checkedCro(raw: unknown): CheckedIdentifier {
  const r = text(raw);
  const check = normaliseCro(r);
  return { raw: r, value: check.value, valid: check.valid };
}

const SEX_BY_CJS: Record<string, Sex> = { '0': 'NOT_KNOWN', '1': 'MALE', '2': 'FEMALE', '9': 'NOT_SPECIFIED' };

/** Prisoner Search gender ("Male", "Not Known / Not Recorded") through the CJS gender cross-walk's descriptions. */
export function sexOf(gender: unknown): Sex | null {
  const g = text(gender)?.toLowerCase();
  if (!g) return null;
  const row = standingData.gender().find((r) => g === r.description || g.startsWith(`${r.description} `));
  if (!row) throw new MappingError('gender', `a gender in the CJS cross-walk (male, female, not known, not specified), got "${gender}"`);
  return SEX_BY_CJS[row.cjsCode] ?? null;
}

/** A prison by its agency id, named from the prison register; null for NOMIS's OUT and TRN. */
export function prisonOrganisation(code: unknown): Organisation | null {
  const c = text(code)?.toUpperCase();
  if (!c || NOT_A_PRISON.has(c)) return null;
  return { code: c, name: prisonRegister().get(c)?.name ?? null };
}

function legalStatus(value: unknown): LegalStatus | null {
  const v = text(value);
  if (v === null) return null;
  if (!(LEGAL_STATUSES as readonly string[]).includes(v)) throw new MappingError('legalStatus', `one of ${LEGAL_STATUSES.join(', ')}, got "${v}"`);
  return v as LegalStatus;
}

function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / 86_400_000);
}

/** The latest booking of an InmateDetail as a custody period; null when the person has no booking. */
export function mapCustodyPeriod(detail: InmateDetail): CustodyPeriod | null {
  if (detail.bookingId == null) return null;
  if (!Number.isInteger(detail.bookingId)) throw new MappingError('bookingId', `a whole number, got ${JSON.stringify(detail.bookingId)}`);
  const active = requiredBoolean(detail.activeFlag, 'activeFlag');
  const s = detail.sentenceDetail ?? {};
  const start = isoDate(s.sentenceStartDate, 'sentenceDetail.sentenceStartDate');
  const expiry = isoDate(s.sentenceExpiryDate, 'sentenceDetail.sentenceExpiryDate');
  const length = start && expiry ? daysBetween(start, expiry) : null;
  if (length !== null && length < 0) throw new MappingError('sentenceDetail.sentenceExpiryDate', `a date on or after the sentence start ${start}, got ${expiry}`);
  const expected = isoDate(s.conditionalReleaseOverrideDate, 'sentenceDetail.conditionalReleaseOverrideDate') ?? isoDate(s.conditionalReleaseDate, 'sentenceDetail.conditionalReleaseDate');
  const released = active ? null : isoDate(s.releaseDate, 'sentenceDetail.releaseDate');
  return {
    bookingId: String(detail.bookingId),
    bookingNumber: text(detail.bookingNo),
    // A released booking's agencyId is OUT; latestLocationId keeps the prison it was released from.
    prison: prisonOrganisation(active ? detail.agencyId : detail.latestLocationId ?? detail.agencyId),
    legalStatus: legalStatus(detail.legalStatus),
    receptionDate: isoDate(detail.receptionDate, 'receptionDate'),
    active,
    releaseDate: released,
    expectedReleaseDate: expected,
    sentenceLengthDays: length,
    cellLocation: active ? text(detail.assignedLivingUnit?.description) : null,
  };
}

export function mapAlert(alert: Alert): PrisonAlert {
  if (alert.alertId == null) throw new MappingError('alertId', 'an alert id, got nothing');
  return {
    alertId: String(alert.alertId),
    type: requiredText(alert.alertType, 'alertType'),
    typeDescription: text(alert.alertTypeDescription),
    code: requiredText(alert.alertCode, 'alertCode'),
    description: text(alert.alertCodeDescription),
    dateCreated: parseLegacyDate(requiredText(alert.dateCreated, 'dateCreated'), 'YYYY-MM-DD', 'dateCreated'),
    dateExpires: isoDate(alert.dateExpires, 'dateExpires'),
    active: requiredBoolean(alert.active, 'active'),
  };
}

function mapAlias(alias: PrisonerAlias, i: number): PrisonerAliasRecord {
  return { name: nomisName(alias.firstName, alias.middleNames, alias.lastName, `aliases[${i}]`), dateOfBirth: isoDate(alias.dateOfBirth, `aliases[${i}].dateOfBirth`) };
}

export function mapPrisonerRecord(p: Prisoner): PrisonerRecord {
  return {
    prisonNumber: prisonNumber(p.prisonerNumber),
    name: nomisName(p.firstName, p.middleNames, p.lastName),
    dateOfBirth: parseLegacyDate(requiredText(p.dateOfBirth, 'dateOfBirth'), 'YYYY-MM-DD', 'dateOfBirth'),
    sex: sexOf(p.gender),
    pnc: checkedPnc(p.pncNumber),
    cro: checkedCro(p.croNumber),
    aliases: (p.aliases ?? []).map(mapAlias),
  };
}

/** The expected release of the latest booking while it is active (status ACTIVE IN / ACTIVE OUT); null otherwise. */
export function nextReleaseDateOf(p: Prisoner): string | null {
  const active = text(p.status)?.toUpperCase().startsWith('ACTIVE') ?? false;
  if (!active) return null;
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
  };
}
