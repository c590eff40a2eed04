// Pure mapping from probation payloads (wire.ts) to the common model. No I/O: every function is
// tested as an input → output table. Anything that cannot be mapped faithfully throws MappingError,
// which the client turns into BAD_SOURCE_DATA for that one record.
import { MappingError } from '../errors.js';
import { checkedFrom, displayName, normaliseCro, normalisePnc, parseOptionalDate, readDateOfBirth } from '../normalise.js';
import { personName, type CheckedIdentifier, type DataQualityProblem, type IdentityRecord, type PersonName, type Sex } from '../../schema/model.js';
import { standingData } from '../../reference/index.js';
import type {
  WireCaseAccess, WireKeyValue, WireLicenceCondition, WireMappaDetail, WireOffenderDetail, WireOffenderManager, WireRequirement, WireRiskRegistration, WireStaffHuman,
} from './wire.js';

export const AGENCY = 'probation';

/** A team or probation area (provider) by its nDelius code. */
export interface ProbationUnit { code: string; description: string | null }

export interface OffenderManager {
  staffCode: string | null;
  /** Null when nobody is allocated (nDelius's "unallocated" staff). */
  name: PersonName | null;
  unallocated: boolean;
  team: ProbationUnit | null;
  probationArea: ProbationUnit | null;
  fromDate: string | null;
}

/** One OffenderDetail in the common model: the source of ProbationOffenderRecord and Supervision. */
export interface ProbationRecord {
  crn: string;
  /** The offender search service's internal id; null from nDelius's /search/probation-cases, which has none. */
  offenderId: string | null;
  name: PersonName;
  aliases: PersonName[];
  dateOfBirth: string | null;
  sex: Sex | null;
  /** The gender text as nDelius sent it; kept when it is outside the CJS cross-walk (then `sex` is null). */
  sexRecorded: string | null;
  /** Identity fields recorded in a form that could not be read (kept null above): an impossible birth date, a gender outside the cross-walk. */
  dataQuality: DataQualityProblem[];
  pnc: CheckedIdentifier;
  cro: CheckedIdentifier;
  nomsNumber: string | null;
  offenderManager: OffenderManager | null;
  restricted: boolean;
  restrictionMessage: string | null;
  excluded: boolean;
  exclusionMessage: string | null;
  officerNotes: string | null;
}

export type RiskColour = 'RED' | 'AMBER' | 'GREEN' | 'WHITE';

/** A current registration, as nDelius lists them on a case's supervisions (dynamic risks, person status, MAPPA). */
export interface Registration {
  /** nDelius does not expose registration ids on this operation: null. */
  id: string | null;
  code: string;
  description: string | null;
  registerLevel: string | null;
  registerLevelDescription: string | null;
  riskColour: RiskColour | null;
  startDate: string | null;
  nextReviewDate: string | null;
  active: boolean;
}

export interface Requirement {
  id: string;
  categoryCode: string | null;
  category: string | null;
  subCategory: string | null;
  startDate: string | null;
  length: number | null;
  lengthUnit: string | null;
  active: boolean;
}

export interface LicenceCondition {
  id: string | null;
  code: string;
  description: string | null;
  detail: string | null;
  startDate: string | null;
  active: boolean;
}

// A text field that holds anything but a string is read as absent: a required one then fails its
// record, an optional one is null, and nothing throws anything but MappingError.
const blank = (s: unknown): boolean => typeof s !== 'string' || s.trim() === '';
const text = (s: unknown): string | null => (blank(s) ? null : (s as string).trim());
/** An ISO date field: absent is null; anything but a real YYYY-MM-DD date fails that record. */
function isoDate(v: unknown, _format: 'YYYY-MM-DD', field: string): string | null {
  if (v == null || v === '') return null;
  if (typeof v !== 'string') throw new MappingError(field, `a date, got ${typeof v}`);
  return parseOptionalDate(v, 'YYYY-MM-DD', field);
}
/** A list field: anything but an array reads as an empty list. */
const list = <T>(x: T[] | null | undefined): T[] => (Array.isArray(x) ? x : []);

/** An identifier as recorded and what normalisation made of it; an invalid one is kept only as `raw`. */
export function checkedId(raw: string | null | undefined, kind: 'PNC' | 'CRO'): CheckedIdentifier {
  const r = text(raw);
  return checkedFrom(r, kind === 'PNC' ? normalisePnc(r) : normaliseCro(r));
}

/**
 * nDelius gender text ("Male", "Female", "Not Known", "Not Specified") through the CJS gender cross-walk.
 * Text outside the cross-walk gives null; the record keeps it as recorded rather than being refused.
 */
export function mapGender(gender: string | null | undefined): Sex | null {
  if (blank(gender)) return null;
  const row = standingData.gender().find((g) => g.description === gender!.trim().toLowerCase());
  const byCjsCode: Record<string, Sex> = { '0': 'NOT_KNOWN', '1': 'MALE', '2': 'FEMALE', '9': 'NOT_SPECIFIED' };
  return (row && byCjsCode[row.cjsCode]) || null;
}

function name(first: string | null | undefined, middle: string[] | null | undefined, surname: string | null | undefined, field: string, title?: string | null): PersonName {
  if (blank(surname)) throw new MappingError(`${field}.surname`, 'a surname, got none');
  const forenames = [first ?? '', ...list(middle)].filter((f) => !blank(f)).map((f) => displayName(f as string));
  return personName(forenames, displayName(surname!), text(title));
}

function unit(kv: WireKeyValue | null | undefined): ProbationUnit | null {
  return kv && !blank(kv.code) ? { code: kv.code!.trim(), description: text(kv.description) } : null;
}

/**
 * nDelius's placeholder officer "Unallocated Staff": flagged `unallocated`, or named Unallocated Staff,
 * or a staff code ending in U with no officer's name. Never shown as a named offender manager.
 */
export function isUnallocatedStaff(staff: Pick<WireStaffHuman, 'code' | 'forenames' | 'surname' | 'unallocated'> | null | undefined): boolean {
  if (!staff) return false;
  if (staff.unallocated === true) return true;
  const forenames = text(staff.forenames)?.toLowerCase() ?? null;
  const surname = text(staff.surname)?.toLowerCase() ?? null;
  if (surname === 'staff' && (forenames === 'unallocated' || forenames === null)) return true;
  if (forenames?.startsWith('unallocated') && (surname === null || surname === 'staff')) return true;
  return /U$/i.test(text(staff.code) ?? '') && (surname === null || forenames === null);
}

/** The current offender manager: the active one, else the latest without an end date. */
export function mapOffenderManager(managers: WireOffenderManager[] | null | undefined): OffenderManager | null {
  const managed = list(managers).filter((m) => m && typeof m === 'object' && m.softDeleted !== true);
  const current = managed.find((m) => m.active === true) ?? managed.find((m) => blank(m.toDate));
  if (!current) return null;
  const staff = current.staff && typeof current.staff === 'object' ? current.staff : null;
  const unallocated = isUnallocatedStaff(staff);
  return {
    staffCode: text(staff?.code),
    name: !unallocated && staff && !blank(staff.surname) ? name((text(staff.forenames) ?? '').split(' ')[0], (text(staff.forenames) ?? '').split(' ').slice(1), staff.surname, 'offenderManagers.staff') : null,
    unallocated,
    team: unit(current.team),
    probationArea: unit(current.probationArea),
    fromDate: isoDate(current.fromDate, 'YYYY-MM-DD', 'offenderManagers.fromDate'),
  };
}

/** OffenderDetail → ProbationRecord. */
export function mapOffenderDetail(w: WireOffenderDetail): ProbationRecord {
  if (w == null || typeof w !== 'object') throw new MappingError('OffenderDetail', 'an object');
  const crn = text(w.otherIds?.crn);
  if (!crn) throw new MappingError('otherIds.crn', 'a CRN, got none');
  // nDelius's ProbationCaseDetail has no offenderId: absent is null, but a value that is not a number is wrong.
  if (w.offenderId != null && typeof w.offenderId !== 'number') throw new MappingError('offenderId', `a number, got ${typeof w.offenderId}`);
  // An impossible date of birth costs the date, not the case: kept as recorded in dataQuality.
  const dob = typeof w.dateOfBirth === 'string' ? readDateOfBirth(w.dateOfBirth, 'YYYY-MM-DD') : { value: isoDate(w.dateOfBirth, 'YYYY-MM-DD', 'dateOfBirth'), problem: null };
  const gender = text(w.gender);
  const sex = mapGender(w.gender);
  const problems = [dob.problem, gender && !sex ? { field: 'sex', recorded: gender.slice(0, 40), problem: 'outside the CJS gender cross-walk' } : null];
  return {
    crn: crn.toUpperCase(),
    dataQuality: problems.filter((x): x is DataQualityProblem => x !== null),
    offenderId: w.offenderId == null ? null : String(w.offenderId),
    name: name(w.firstName, w.middleNames, w.surname, 'OffenderDetail', w.title),
    aliases: list(w.offenderAliases).filter((a) => a && !blank(a.surname)).map((a) => name(a.firstName, a.middleNames, a.surname, 'offenderAliases')),
    dateOfBirth: dob.value,
    sex,
    sexRecorded: text(w.gender),
    pnc: checkedId(w.otherIds.pncNumber, 'PNC'),
    cro: checkedId(w.otherIds.croNumber, 'CRO'),
    nomsNumber: text(w.otherIds.nomsNumber)?.toUpperCase() ?? null,
    offenderManager: mapOffenderManager(w.offenderManagers),
    restricted: w.currentRestriction === true,
    restrictionMessage: text(w.restrictionMessage),
    excluded: w.currentExclusion === true,
    exclusionMessage: text(w.exclusionMessage),
    officerNotes: text(w.offenderProfile?.notes),
  };
}

/** A current registration from nDelius's dynamic risks or person status (GET /case/{crn}/supervisions). */
export function mapRiskRegistration(w: WireRiskRegistration): Registration {
  const code = text(w?.code);
  if (!code) throw new MappingError('registration.code', 'a registration type code, got none');
  return {
    id: null,
    code: code.toUpperCase(),
    description: text(w.description),
    registerLevel: null,
    registerLevelDescription: null,
    riskColour: null,
    startDate: isoDate(w.startDate, 'YYYY-MM-DD', 'registration.startDate'),
    nextReviewDate: isoDate(w.reviewDate, 'YYYY-MM-DD', 'registration.reviewDate'),
    active: true,
  };
}

/** nDelius's MAPPA detail as the MAPP registration, its level as register level `M1`..`M3`. */
export function mapMappa(w: WireMappaDetail): Registration {
  if (w.level != null && (!Number.isInteger(w.level) || w.level < 0 || w.level > 3)) throw new MappingError('mappaDetail.level', `a MAPPA level 0 to 3, got ${JSON.stringify(w.level)}`);
  return {
    id: null,
    code: 'MAPP',
    description: 'MAPPA',
    registerLevel: w.level == null || w.level === 0 ? null : `M${w.level}`,
    registerLevelDescription: text(w.levelDescription),
    riskColour: null,
    startDate: isoDate(w.startDate, 'YYYY-MM-DD', 'mappaDetail.startDate'),
    nextReviewDate: isoDate(w.reviewDate, 'YYYY-MM-DD', 'mappaDetail.reviewDate'),
    active: true,
  };
}

/** What nDelius says one user may see of one case; null when the answer names no CRN. */
export interface CaseAccess { crn: string; userExcluded: boolean; userRestricted: boolean }

/** nDelius CaseAccess. A flag left out is read as set: an access answer that says nothing does not open a case. */
export function mapCaseAccess(w: WireCaseAccess): CaseAccess {
  const crn = text(w?.crn);
  if (!crn) throw new MappingError('access.crn', 'a CRN, got none');
  return { crn: crn.toUpperCase(), userExcluded: w.userExcluded !== false, userRestricted: w.userRestricted !== false };
}

export function mapRequirement(w: WireRequirement): Requirement {
  if (w.requirementId == null) throw new MappingError('requirement.requirementId', 'an id, got none');
  return {
    id: String(w.requirementId),
    categoryCode: text(w.requirementTypeMainCategory?.code),
    category: text(w.requirementTypeMainCategory?.description),
    subCategory: text(w.requirementTypeSubCategory?.description),
    startDate: isoDate(w.startDate, 'YYYY-MM-DD', 'requirement.startDate'),
    length: typeof w.length === 'number' ? w.length : null,
    lengthUnit: text(w.lengthUnit),
    active: w.active === true,
  };
}

export function mapLicenceCondition(w: WireLicenceCondition): LicenceCondition {
  const code = text(w.licenceConditionTypeMainCat?.code);
  if (!code) throw new MappingError('licenceCondition.licenceConditionTypeMainCat.code', 'a condition code, got none');
  return {
    id: w.licenceConditionId == null ? null : String(w.licenceConditionId),
    code,
    description: text(w.licenceConditionTypeMainCat?.description),
    detail: text(w.licenceConditionNotes),
    startDate: isoDate(w.startDate ?? w.commencementDate, 'YYYY-MM-DD', 'licenceCondition.startDate'),
    active: w.active === true,
  };
}

/** What the identity service links on; the NOMS number is a trusted PRISON_NUMBER cross-reference. */
export function toIdentityRecord(r: ProbationRecord): IdentityRecord {
  return {
    agency: AGENCY,
    localId: r.crn,
    localIdType: 'CRN',
    name: r.name,
    aliases: r.aliases,
    dateOfBirth: r.dateOfBirth,
    sex: r.sex,
    pnc: r.pnc,
    cro: r.cro,
    crossReferences: r.nomsNumber ? [{ type: 'PRISON_NUMBER', value: r.nomsNumber }] : [],
    dataQuality: r.dataQuality,
  };
}
