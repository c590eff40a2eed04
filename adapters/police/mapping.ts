// Pure mapping from police database rows to the common model. Every date is parsed in its column's
// declared format, codes go through the CJS cross-walks and code lists, and anything that cannot be
// read faithfully throws MappingError, which the client turns into BAD_SOURCE_DATA for that record only.
import { MappingError } from '../errors.js';
import { checkedFrom, displayName, normaliseAsn, normaliseCro, normalisePnc, parseLegacyDate, parseOptionalDate, readDateOfBirth } from '../normalise.js';
import { personName, type CheckedIdentifier, type DataQualityProblem, type IdentityRecord, type Offence, type Organisation, type PersonName, type Sex } from '../../schema/model.js';
import { crossWalk, offenceCodes, organisationUnits, standingData } from '../../reference/index.js';
import type { ArrestRow, IntelFlagRow, NominalRow, WarningMarkerRow } from './wire.js';

export const AGENCY = 'police';

/** The police record of a person, as the policeNominal field shows it. */
export interface PoliceNominal {
  nominalId: string;
  name: PersonName;
  dateOfBirth: string | null;
  sex: Sex | null;
  /** The PNC id as keyed, its canonical `YYYY/NNNNNNNC` form (null when it does not validate) and why not. */
  pnc: CheckedIdentifier;
  /** The CRO number as keyed, normalised and checked. */
  cro: CheckedIdentifier;
  force: Organisation | null;
  /** ASNs of the nominal's arrests, canonical: the keys of their court cases. */
  asns: string[];
  /** Identity fields recorded in a form that could not be read (kept null above): an impossible birth date, a sex code outside the cross-walk. */
  dataQuality: DataQualityProblem[];
}

export type ArrestOutcome = 'CHARGED' | 'NO_FURTHER_ACTION' | 'CAUTIONED' | 'RELEASED_UNDER_INVESTIGATION';

export interface CustodyRecord {
  id: string;
  detainedAt: string;
  releasedAt: string | null;
  releaseReason: string | null;
}

export interface Arrest {
  id: string;
  date: string;
  offence: Offence | null;
  station: Organisation | null;
  outcome: ArrestOutcome;
  caseUrn: string | null;
  /** Arrest Summons Number, canonical 20-character form; null before charge. */
  asn: string | null;
  custodyRecord: CustodyRecord | null;
}

export interface WarningMarker {
  /** The marker's key in the police system: nominal id and marker sequence, `400000/2`. */
  recordId: string;
  code: string;
  description: string | null;
  startDate: string;
  endDate: string | null;
  active: boolean;
}

export interface IntelligenceFlag {
  id: string;
  category: string;
  categoryCode: string;
  grading: string | null;
  recordedDate: string | null;
  note: string | null;
}

/** REFERENCE_CODES domain ARR_OUTCOME → the model's outcome. */
const OUTCOMES: Record<string, ArrestOutcome> = { CHG: 'CHARGED', NFA: 'NO_FURTHER_ACTION', CAU: 'CAUTIONED', RUI: 'RELEASED_UNDER_INVESTIGATION' };

const text = (v: string | null | undefined): string | null => (v == null || String(v).trim() === '' ? null : String(v).trim());

function required(v: string | null | undefined, field: string, what: string): string {
  const t = text(v);
  if (t === null) throw new MappingError(field, `${what}, got nothing`);
  return t;
}

/** The nominal id as text: NUMERIC(10) arrives as a string from pg and may arrive as a number elsewhere. */
export function nominalIdOf(v: string | number | null | undefined): string {
  const t = v == null ? '' : String(v).trim();
  if (!/^\d{1,10}$/.test(t)) throw new MappingError('NOMINAL_ID', `a numeric nominal id, got "${t}"`);
  return t;
}

/** PNC gender code (M, F, U) through the CJS gender cross-walk; throws on a code outside it. */
export function mapSex(code: string | null): Sex | null {
  const c = text(code);
  if (c === null) return null;
  const row = crossWalk(standingData.gender(), 'pncCode', c.toUpperCase());
  if (!row) throw new MappingError('SEX_CODE', `a PNC gender code (M, F, U), got "${c}"`);
  return row.description.toUpperCase().replace(/\s+/g, '_') as Sex;
}

/** The sex of a nominal: a code outside the cross-walk (N, "not known", keyed by some forces) is null with the problem kept, not a lost record. */
function readSex(code: string | null): { value: Sex | null; problem: DataQualityProblem | null } {
  try {
    return { value: mapSex(code), problem: null };
  } catch (err) {
    if (!(err instanceof MappingError)) throw err;
    return { value: null, problem: { field: 'sex', recorded: String(code).trim().slice(0, 10), problem: 'expected a PNC gender code (M, F, U)' } };
  }
}

export function mapForce(code: string | null): Organisation | null {
  const c = text(code);
  if (c === null) return null;
  return { code: c, name: standingData.forces().find((f) => f.code === c)?.name ?? null };
}

export function checkedPnc(raw: string | null): CheckedIdentifier {
  const r = text(raw);
  return checkedFrom(r, normalisePnc(r));
}

export function checkedCro(raw: string | null): CheckedIdentifier {
  const r = text(raw);
  return checkedFrom(r, normaliseCro(r));
}

export function mapNominal(row: NominalRow): PoliceNominal {
  const nominalId = nominalIdOf(row.NOMINAL_ID);
  const surname = displayName(required(row.SURNAME, 'SURNAME', 'a surname'));
  const forenames = [row.FORENAME_1, row.FORENAME_2, row.FORENAME_3].map(text).filter((f): f is string => f !== null).map(displayName);
  const pnc = checkedPnc(row.PNC_ID);
  const cro = checkedCro(row.CRO_NO);
  const dob = readDateOfBirth(row.BIRTH_DATE, 'DD/MM/YYYY', 'BIRTH_DATE');
  const sex = readSex(row.SEX_CODE);
  return {
    nominalId,
    name: personName(forenames, surname),
    dateOfBirth: dob.value,
    sex: sex.value,
    pnc, cro,
    force: mapForce(row.FORCE_CODE),
    asns: [...new Set((text(row.ASNS ?? null) ?? '').split(/\s+/).filter((a) => a !== '').map(normaliseAsn))],
    dataQuality: [dob.problem, sex.problem].filter((p): p is DataQualityProblem => p !== null),
  };
}

/** What this nominal says about who the person is, for cross-agency linking. */
export function toIdentityRecord(n: PoliceNominal): IdentityRecord {
  return {
    agency: AGENCY, localId: n.nominalId, localIdType: 'POLICE_NOMINAL_ID', name: n.name, aliases: [],
    dateOfBirth: n.dateOfBirth, sex: n.sex,
    pnc: n.pnc,
    cro: n.cro,
    // The court keys its result messages by the ASN the police gave at charge: they are the police's cross-references to court records.
    crossReferences: n.asns.map((value) => ({ type: 'ASN' as const, value })),
    dataQuality: n.dataQuality,
  };
}

/** Every way a valid, normalised CRO number may have been keyed: with or without leading zeros. */
export function croKeyedForms(cro: string): string[] {
  const m = /^(\d{6})\/(\d{2}[A-Z])$/.exec(cro);
  return m ? [...new Set([cro, `${String(Number(m[1]))}/${m[2]}`])] : [cro];
}

const ukOffset = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'shortOffset' });
/** Minutes UK time is ahead of UTC at an instant: 0 (GMT) or 60 (BST). */
function ukOffsetMinutes(utcMs: number): number {
  const name = ukOffset.formatToParts(new Date(utcMs)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT(?:([+-]\d{1,2})(?::(\d{2}))?)?/.exec(name);
  return m?.[1] ? Number(m[1]) * 60 + Math.sign(Number(m[1])) * Number(m[2] ?? 0) : 0;
}

/**
 * A custody TIMESTAMP, written in UK wall-clock time without an offset, as an ISO UTC instant.
 * In the repeated hour when clocks go back the earlier (BST) instant is taken.
 */
export function ukLocalToUtc(value: string, field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) throw new MappingError(field, `a UK local time as YYYY-MM-DD HH:MI:SS, got "${value}"`);
  parseLegacyDate(`${m[1]}-${m[2]}-${m[3]}`, 'YYYY-MM-DD', field); // rejects 31 February and the like
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) throw new MappingError(field, `a real time of day, got "${value}"`);
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), h, mi, s);
  const bst = wall - 3_600_000;
  const utc = ukOffsetMinutes(bst) === 60 ? bst : wall - ukOffsetMinutes(wall) * 60_000;
  return new Date(utc).toISOString().replace('.000Z', 'Z');
}

export function mapOffence(code: string | null): Offence | null {
  const c = text(code);
  if (c === null) return null;
  const known = offenceCodes().get(c.toUpperCase());
  return { code: c.toUpperCase(), title: known?.title ?? null, category: known?.category ?? null };
}

export function mapStation(ou: string | null): Organisation | null {
  const c = text(ou);
  if (c === null) return null;
  return { code: c, name: organisationUnits().get(c)?.name ?? null };
}

export function mapArrest(row: ArrestRow): Arrest {
  const id = required(row.ARREST_ID, 'ARREST_ID', 'an arrest id');
  const outcomeCode = required(row.OUTCOME_CODE, 'OUTCOME_CODE', 'an arrest outcome code');
  const outcome = OUTCOMES[outcomeCode.toUpperCase()];
  if (!outcome) throw new MappingError('OUTCOME_CODE', `an ARR_OUTCOME code (CHG, NFA, CAU, RUI), got "${outcomeCode}"`);
  const custodyId = text(row.CUSTODY_ID);
  return {
    id,
    date: parseLegacyDate(required(row.ARREST_DATE, 'ARREST_DATE', 'an arrest date'), 'DD-MON-YYYY', 'ARREST_DATE'),
    offence: mapOffence(row.OFFENCE_CODE),
    station: mapStation(row.STATION_OU),
    outcome,
    caseUrn: text(row.CASE_URN),
    asn: text(row.ASN ?? null) === null ? null : normaliseAsn(row.ASN!),
    custodyRecord: custodyId === null ? null : {
      id: custodyId,
      detainedAt: ukLocalToUtc(required(row.DETAINED_DATETIME, 'DETAINED_DATETIME', 'a detention time'), 'DETAINED_DATETIME'),
      releasedAt: text(row.RELEASED_DATETIME) === null ? null : ukLocalToUtc(row.RELEASED_DATETIME!, 'RELEASED_DATETIME'),
      releaseReason: text(row.RELEASE_REASON),
    },
  };
}

function yesNo(v: string | null, field: string): boolean {
  const t = text(v)?.toUpperCase();
  if (t === 'Y') return true;
  if (t === 'N') return false;
  throw new MappingError(field, `a Y/N flag, got "${v ?? ''}"`);
}

export function mapWarningMarker(row: WarningMarkerRow): WarningMarker {
  return {
    recordId: `${nominalIdOf(row.NOMINAL_ID)}/${String(row.MARKER_SEQ).trim()}`,
    code: required(row.MARKER_CODE, 'MARKER_CODE', 'a warning signal code').toUpperCase(),
    description: text(row.DESCRIPTION),
    startDate: parseLegacyDate(required(row.START_DATE, 'START_DATE', 'a start date'), 'YYYY-MM-DD', 'START_DATE'),
    endDate: parseOptionalDate(row.END_DATE, 'YYYY-MM-DD', 'END_DATE'),
    active: yesNo(row.ACTIVE_FLAG, 'ACTIVE_FLAG'),
  };
}

export function mapIntelFlag(row: IntelFlagRow): IntelligenceFlag {
  const categoryCode = required(row.CATEGORY_CODE, 'CATEGORY_CODE', 'an intelligence category code');
  return {
    id: required(row.FLAG_ID, 'FLAG_ID', 'a flag id'),
    category: text(row.CATEGORY_DESC) ?? categoryCode,
    categoryCode,
    grading: text(row.GRADING),
    recordedDate: parseOptionalDate(row.RECORDED_DATE, 'YYYYMMDD', 'RECORDED_DATE'),
    note: text(row.NOTE_TEXT),
  };
}
