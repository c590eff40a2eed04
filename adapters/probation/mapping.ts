// Pure mapping from probation payloads (wire.ts) to the common model. No I/O: every function is
// tested as an input → output table. Anything that cannot be mapped faithfully throws MappingError,
// which the client turns into BAD_SOURCE_DATA for that one record.
import { MappingError } from '../errors.js';
import { displayName, normaliseCro, normalisePnc, parseOptionalDate } from '../normalise.js';
import { personName, type CheckedIdentifier, type IdentityRecord, type PersonName, type Sex } from '../../schema/model.js';
import { standingData } from '../../reference/index.js';
import type {
  WireKeyValue, WireLicenceCondition, WireOffenderDetail, WireOffenderManager, WireRegistration, WireRequirement,
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
  offenderId: string;
  name: PersonName;
  aliases: PersonName[];
  dateOfBirth: string | null;
  sex: Sex | null;
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

export interface Registration {
  id: string;
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

const blank = (s: string | null | undefined): boolean => s == null || s.trim() === '';
const text = (s: string | null | undefined): string | null => (blank(s) ? null : s!.trim());

/** An identifier as recorded and what normalisation made of it; an invalid one is kept only as `raw`. */
export function checkedId(raw: string | null | undefined, kind: 'PNC' | 'CRO'): CheckedIdentifier {
  const r = text(raw);
  const check = kind === 'PNC' ? normalisePnc(r) : normaliseCro(r);
  return { raw: r, value: check.value, valid: check.valid };
}

/** nDelius gender text ("Male", "Female", "Not Known", "Not Specified") through the CJS gender cross-walk. */
export function mapGender(gender: string | null | undefined): Sex | null {
  if (blank(gender)) return null;
  const row = standingData.gender().find((g) => g.description === gender!.trim().toLowerCase());
  const byCjsCode: Record<string, Sex> = { '0': 'NOT_KNOWN', '1': 'MALE', '2': 'FEMALE', '9': 'NOT_SPECIFIED' };
  const sex = row && byCjsCode[row.cjsCode];
  if (!sex) throw new MappingError('gender', `a gender on the CJS gender list, got "${gender}"`);
  return sex;
}

function name(first: string | null | undefined, middle: string[] | null | undefined, surname: string | null | undefined, field: string, title?: string | null): PersonName {
  if (blank(surname)) throw new MappingError(`${field}.surname`, 'a surname, got none');
  const forenames = [first ?? '', ...(middle ?? [])].filter((f) => !blank(f)).map(displayName);
  return personName(forenames, displayName(surname!), text(title));
}

function unit(kv: WireKeyValue | null | undefined): ProbationUnit | null {
  return kv && !blank(kv.code) ? { code: kv.code!.trim(), description: text(kv.description) } : null;
}

/** The current offender manager: the active one, else the latest without an end date. */
export function mapOffenderManager(managers: WireOffenderManager[] | null | undefined): OffenderManager | null {
  const list = (managers ?? []).filter((m) => m.softDeleted !== true);
  const current = list.find((m) => m.active === true) ?? list.find((m) => blank(m.toDate));
  if (!current) return null;
  const staff = current.staff ?? null;
  const unallocated = staff?.unallocated === true;
  return {
    staffCode: text(staff?.code),
    name: !unallocated && staff && !blank(staff.surname) ? name((staff.forenames ?? '').split(' ')[0], (staff.forenames ?? '').split(' ').slice(1), staff.surname, 'offenderManagers.staff') : null,
    unallocated,
    team: unit(current.team),
    probationArea: unit(current.probationArea),
    fromDate: parseOptionalDate(current.fromDate, 'YYYY-MM-DD', 'offenderManagers.fromDate'),
  };
}

/** OffenderDetail → ProbationRecord. */
export function mapOffenderDetail(w: WireOffenderDetail): ProbationRecord {
  if (w == null || typeof w !== 'object') throw new MappingError('OffenderDetail', 'an object');
  const crn = text(w.otherIds?.crn);
  if (!crn) throw new MappingError('otherIds.crn', 'a CRN, got none');
  if (typeof w.offenderId !== 'number') throw new MappingError('offenderId', `a number, got ${typeof w.offenderId}`);
  return {
    crn: crn.toUpperCase(),
    offenderId: String(w.offenderId),
    name: name(w.firstName, w.middleNames, w.surname, 'OffenderDetail', w.title),
    aliases: (w.offenderAliases ?? []).filter((a) => !blank(a.surname)).map((a) => name(a.firstName, a.middleNames, a.surname, 'offenderAliases')),
    dateOfBirth: parseOptionalDate(w.dateOfBirth, 'YYYY-MM-DD', 'dateOfBirth'),
    sex: mapGender(w.gender),
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

const COLOURS: Record<string, RiskColour> = { RED: 'RED', AMBER: 'AMBER', GREEN: 'GREEN', WHITE: 'WHITE' };

export function mapRiskColour(colour: string | null | undefined): RiskColour | null {
  if (blank(colour)) return null;
  const c = COLOURS[colour!.trim().toUpperCase()];
  if (!c) throw new MappingError('riskColour', `Red, Amber, Green or White, got "${colour}"`);
  return c;
}

export function mapRegistration(w: WireRegistration): Registration {
  if (blank(w.type?.code)) throw new MappingError('registration.type.code', 'a registration type code, got none');
  return {
    id: String(w.registrationId),
    code: w.type.code!.trim(),
    description: text(w.type.description),
    registerLevel: text(w.registerLevel?.code),
    registerLevelDescription: text(w.registerLevel?.description),
    riskColour: mapRiskColour(w.riskColour),
    startDate: parseOptionalDate(w.startDate, 'YYYY-MM-DD', 'registration.startDate'),
    nextReviewDate: parseOptionalDate(w.nextReviewDate, 'YYYY-MM-DD', 'registration.nextReviewDate'),
    active: w.active === true,
  };
}

export function mapRequirement(w: WireRequirement): Requirement {
  if (w.requirementId == null) throw new MappingError('requirement.requirementId', 'an id, got none');
  return {
    id: String(w.requirementId),
    categoryCode: text(w.requirementTypeMainCategory?.code),
    category: text(w.requirementTypeMainCategory?.description),
    subCategory: text(w.requirementTypeSubCategory?.description),
    startDate: parseOptionalDate(w.startDate, 'YYYY-MM-DD', 'requirement.startDate'),
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
    startDate: parseOptionalDate(w.startDate ?? w.commencementDate, 'YYYY-MM-DD', 'licenceCondition.startDate'),
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
  };
}
