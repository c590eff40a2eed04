// Pure mapping from Libra wire payloads to the courts part of the common model. Codes go through the
// CJS cross-walks (SPI plea, verdict and remand-status codes; CJS gender; offence, result and OU lists);
// dates are parsed by declared format; anything malformed throws MappingError for that record only.
import { MappingError } from '../errors.js';
import { ageOn, displayName, nameKey, normalisePnc, parseLegacyDate, parseOptionalDate } from '../normalise.js';
import { personName, type Address, type CheckedIdentifier, type IdentityRecord, type Offence, type Organisation, type PersonName, type Sex } from '../../schema/model.js';
import { crossWalk, offenceCodes, organisationUnits, resultCodes, standingData } from '../../reference/index.js';
import type { WireCase, WireDefendant, WireHearing, WireOffence, WireResult, WireSimpleAddress } from './wire.js';

// ---- the courts model (what resolvers return) --------------------------------------------------

export interface CourtDefendant {
  defendantId: string;
  name: PersonName;
  dateOfBirth: string | null;
  sex: Sex | null;
  /** The PNC id as keyed at court and what normalisation made of it. */
  pnc: CheckedIdentifier;
  address: Address | null;
}

export type BailStatusCode = 'UNCONDITIONAL_BAIL' | 'CONDITIONAL_BAIL' | 'CUSTODY' | 'CARE' | 'SECURE_CARE' | 'NOT_APPLICABLE';
export interface BailStatus { code: BailStatusCode; spiCode: string; description: string }

export type HearingType = 'FIRST_HEARING' | 'TRIAL' | 'SENTENCE' | 'OTHER';
export interface Hearing { id: string; court: Organisation; date: string; time: string | null; type: HearingType; typeCode: string | null; typeDescription: string | null }

export type PleaCode = 'GUILTY' | 'NOT_GUILTY' | 'NO_PLEA' | 'ADMITS' | 'DENIES' | 'CONSENTS' | 'OPPOSED';
export interface Plea { code: PleaCode; spiCode: string; cjsCode: string; description: string }

export type FindingCode = 'GUILTY' | 'NOT_GUILTY' | 'GUILTY_OF_ALTERNATIVE_OFFENCE' | 'NO_CONVICTION' | 'CAUTION';
export interface Finding { code: FindingCode; spiCode: string; description: string; convictionDate: string | null }

export interface Outcome { code: string; description: string | null; text: string | null; resultType: string | null; qualifiers: string[] }
export interface OffenceQualifier { code: string; description: string | null }

export interface Charge {
  sequence: number;
  offence: Offence;
  offenceQualifier: OffenceQualifier | null;
  wording: string | null;
  offenceDate: string | null;
  arrestDate: string | null;
  chargeDate: string | null;
  plea: Plea | null;
  finding: Finding | null;
  outcomes: Outcome[];
}

export interface CourtCase {
  urn: string;
  asn: string | null;
  /** The defendant's court id: resolvers load the defendant record by it. Not a schema field. */
  defendantId: string;
  court: Organisation | null;
  bailStatus: BailStatus | null;
  custodyTimeLimitExpiry: string | null;
  remandedInCustody: boolean | null;
  hearings: Hearing[];
  charges: Charge[];
  /** The defendant's date of birth as the case records it: what decides whether this is a youth record. Not a schema field. */
  defendantDateOfBirth: string | null;
  /** True when any charge was committed before the defendant turned 18. Not a schema field. */
  youthAtOffence: boolean;
}

// ---- code tables --------------------------------------------------------------------------------

const PLEA_BY_CJS: Record<string, PleaCode> = { G: 'GUILTY', NG: 'NOT_GUILTY', NONE: 'NO_PLEA', ADM: 'ADMITS', DEN: 'DENIES', CON: 'CONSENTS', OPP: 'OPPOSED' };
const FINDING_BY_SPI: Record<string, FindingCode> = { G: 'GUILTY', N: 'NOT_GUILTY', A: 'GUILTY_OF_ALTERNATIVE_OFFENCE', O: 'NO_CONVICTION', C: 'CAUTION' };
// SPI C and P are both "Custody" in the remand-status cross-walk (CJS PR / PB).
const BAIL_BY_SPI: Record<string, BailStatusCode> = { U: 'UNCONDITIONAL_BAIL', B: 'CONDITIONAL_BAIL', C: 'CUSTODY', P: 'CUSTODY', L: 'CARE', S: 'SECURE_CARE', A: 'NOT_APPLICABLE' };
/** The CJS type-of-hearing codes Libra lists use most (CJS standing data, type-of-hearing.json). */
const HEARING_TYPES: Record<string, [HearingType, string]> = {
  FH: ['FIRST_HEARING', 'First Hearing'], FHEAH: ['FIRST_HEARING', 'First Hearing - Early Admin Hearing'], FHEFH: ['FIRST_HEARING', 'First Hearing - Early First Hearing'],
  TRIAL: ['TRIAL', 'Trial'], STPSR: ['SENTENCE', 'Sentence, Without Pre-Sentence Report'], SWPSR: ['SENTENCE', 'Sentence, With Pre-Sentence Report'], DS: ['SENTENCE', 'Deferred Sentence'],
  MNTN: ['OTHER', 'Mention'], RMAND: ['OTHER', 'Remand'], PTR: ['OTHER', 'Pre Trial Review'], PBV: ['OTHER', 'Plea Before Venue'], MOT: ['OTHER', 'Mode Of Trial'],
};
/** The qualifier letters the CJS offence list uses on an 8th character (SX03001A/B/C). */
const OFFENCE_QUALIFIERS: Record<string, string> = { A: 'Attempt', B: 'Aid, abet, counsel or procure', C: 'Conspiracy' };

// ---- helpers ------------------------------------------------------------------------------------

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

function required(v: unknown, field: string): string {
  const t = text(v);
  if (t == null) throw new MappingError(field, 'a value, got none');
  return t;
}

export function organisation(code: string): Organisation {
  return { code, name: organisationUnits().get(code)?.name ?? null };
}

/** CJS gender code → Sex; the cross-walk descriptions ("not known", "male") are the enum values. */
export function mapGender(code: string | null | undefined): Sex | null {
  const c = text(code);
  if (c == null) return null;
  const row = crossWalk(standingData.gender(), 'cjsCode', c);
  if (!row) throw new MappingError('Gender', `a CJS gender code (0, 1, 2, 9), got "${c}"`);
  return row.description.toUpperCase().replace(/\s+/g, '_') as Sex;
}

export function mapPlea(code: string | null | undefined): Plea | null {
  const c = text(code);
  if (c == null) return null;
  const row = crossWalk(standingData.plea(), 'spiCode', c);
  const mapped = row && PLEA_BY_CJS[row.cjsCode];
  if (!row || !mapped) throw new MappingError('Plea', `an SPI plea code, got "${c}"`);
  return { code: mapped, spiCode: c, cjsCode: row.cjsCode, description: row.description };
}

export function mapFinding(code: string | null | undefined, convictionDate: string | null | undefined): Finding | null {
  const c = text(code);
  const date = parseOptionalDate(text(convictionDate), 'YYYY-MM-DD', 'ConvictionDate');
  if (c == null) return null;
  const row = crossWalk(standingData.verdict(), 'spiCode', c);
  const mapped = row && FINDING_BY_SPI[c];
  if (!row || !mapped) throw new MappingError('Finding', `an SPI verdict code, got "${c}"`);
  return { code: mapped, spiCode: c, description: row.description, convictionDate: date };
}

export function mapBailStatus(code: string | null | undefined): BailStatus | null {
  const c = text(code);
  if (c == null) return null;
  const row = crossWalk(standingData.remandStatus(), 'spiCode', c);
  const mapped = BAIL_BY_SPI[c];
  if (!row || !mapped) throw new MappingError('BailStatus', `an SPI remand status code, got "${c}"`);
  return { code: mapped, spiCode: c, description: row.description };
}

/** A Libra offence code → the CJS offence (base code, title from the list) and any qualifier letter kept apart. */
export function mapOffenceCode(code: string | null | undefined): { offence: Offence; qualifier: OffenceQualifier | null } {
  const c = required(code, 'OffenceCode').toUpperCase();
  const m = /^([A-Z]{2}\d{5})([A-Z])$/.exec(c);
  const base = m ? m[1] : c;
  const known = offenceCodes().get(base);
  return {
    offence: { code: base, title: known?.title ?? null, category: known?.category ?? null },
    qualifier: m ? { code: m[2], description: OFFENCE_QUALIFIERS[m[2]] ?? null } : null,
  };
}

export function mapResult(r: WireResult): Outcome {
  const code = required(r.ResultCode, 'ResultCode');
  if (!/^\d{4}$/.test(code)) throw new MappingError('ResultCode', `a four-digit CJS result code, got "${code}"`);
  const known = resultCodes().get(code);
  return { code, description: known?.description ?? null, text: text(r.ResultText), resultType: text(known?.type), qualifiers: (r.ResultCodeQualifier ?? []).map(String).filter((q) => q.trim() !== '') };
}

/** `10:00:00` or `10:00` → `10:00`. */
export function mapTime(value: string | null | undefined, field = 'TimeOfHearing'): string | null {
  const t = text(value);
  if (t == null) return null;
  const m = /^([01]\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?$/.exec(t);
  if (!m) throw new MappingError(field, `a time as HH:MM[:SS], got "${t}"`);
  return `${m[1]}:${m[2]}`;
}

const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}$/i;

/** Libra keeps addresses as free lines; the postcode is the last line when it looks like one, the town the line before. */
export function mapAddress(a: WireSimpleAddress | undefined): Address | null {
  if (!a) return null;
  const lines = [a.AddressLine1, a.AddressLine2, a.AddressLine3, a.AddressLine4, a.AddressLine5].map(text).filter((l): l is string => l != null);
  if (lines.length === 0) return null;
  let postcode: string | null = null;
  let town: string | null = null;
  if (lines.length > 1 && POSTCODE.test(lines[lines.length - 1])) postcode = lines.pop()!.toUpperCase().replace(/\s+/g, ' ');
  if (postcode && lines.length > 1) town = lines.pop()!;
  return { lines, town, postcode };
}

// ---- records ------------------------------------------------------------------------------------

export function mapDefendant(w: WireDefendant): CourtDefendant {
  const defendantId = required(w.DefendantId, 'DefendantId');
  const details = w.CourtIndividualDefendant?.PersonDefendant?.BasePersonDetails;
  const n = details?.PersonName;
  const surname = displayName(required(n?.PersonFamilyName, 'PersonFamilyName'));
  const forenames = [n?.PersonGivenName1, n?.PersonGivenName2, n?.PersonGivenName3].map(text).filter((x): x is string => x != null).map(displayName);
  const rawPnc = text(w.PNCIdentifier);
  const pnc = normalisePnc(rawPnc);
  return {
    defendantId,
    name: personName(forenames, surname, text(n?.PersonTitle)),
    dateOfBirth: parseOptionalDate(text(details?.Birthdate), 'YYYY-MM-DD', 'Birthdate'),
    sex: mapGender(details?.Gender),
    pnc: { raw: rawPnc, value: pnc.value, valid: pnc.valid },
    address: mapAddress(w.CourtIndividualDefendant?.Address?.SimpleAddress),
  };
}

export function mapHearing(h: WireHearing, index: number, urn: string): Hearing {
  const typeCode = text(h.HearingType);
  const known = typeCode ? HEARING_TYPES[typeCode.toUpperCase()] : undefined;
  return {
    id: text(h.HearingId) ?? `${urn}-${index + 1}`,
    court: organisation(required(h.CourtHearingLocation, 'CourtHearingLocation')),
    date: parseLegacyDate(required(h.DateOfHearing, 'DateOfHearing'), 'YYYY-MM-DD', 'DateOfHearing'),
    time: mapTime(h.TimeOfHearing),
    type: known?.[0] ?? 'OTHER',
    typeCode,
    typeDescription: known?.[1] ?? null,
  };
}

export function mapOffence(o: WireOffence): Charge {
  const base = o.BaseOffenceDetails;
  const seq = required(base?.OffenceSequenceNumber, 'OffenceSequenceNumber');
  if (!/^\d{1,3}$/.test(seq)) throw new MappingError('OffenceSequenceNumber', `a sequence number such as 001, got "${seq}"`);
  const { offence, qualifier } = mapOffenceCode(base?.OffenceCode);
  return {
    sequence: Number(seq),
    offence,
    offenceQualifier: qualifier,
    wording: text(base?.OffenceWording),
    offenceDate: parseOptionalDate(text(base?.OffenceTiming?.OffenceStart?.OffenceDateStartDate), 'YYYY-MM-DD', 'OffenceDateStartDate'),
    arrestDate: parseOptionalDate(text(base?.ArrestDate), 'YYYY-MM-DD', 'ArrestDate'),
    chargeDate: parseOptionalDate(text(base?.ChargeDate), 'YYYY-MM-DD', 'ChargeDate'),
    plea: mapPlea(o.Plea),
    finding: mapFinding(o.Finding, o.ConvictionDate),
    outcomes: (o.Result ?? []).map(mapResult),
  };
}

export function mapCase(w: WireCase): CourtCase {
  const urn = required(w.PTIURN, 'PTIURN').toUpperCase();
  const defendant = w.Defendant?.[0];
  const defendantId = required(defendant?.DefendantId, 'Defendant/DefendantId');
  const bailStatus = mapBailStatus(defendant?.CourtIndividualDefendant?.BailStatus);
  const courtCode = text(w.CourtHearingLocation);
  const hearings = (w.Hearing ?? []).map((h, i) => mapHearing(h, i, urn)).sort((a, b) => a.date.localeCompare(b.date) || (a.time ?? '').localeCompare(b.time ?? ''));
  const charges = (defendant?.Offence ?? []).map(mapOffence).sort((a, b) => a.sequence - b.sequence);
  const defendantDateOfBirth = parseOptionalDate(text(defendant?.CourtIndividualDefendant?.PersonDefendant?.BasePersonDetails?.Birthdate), 'YYYY-MM-DD', 'Birthdate');
  return {
    urn,
    asn: text(defendant?.ProsecutorReference),
    defendantId,
    court: courtCode ? organisation(courtCode) : (hearings[0]?.court ?? null),
    bailStatus,
    custodyTimeLimitExpiry: parseOptionalDate(text(defendant?.CourtIndividualDefendant?.CustodyTimeLimit), 'YYYY-MM-DD', 'CustodyTimeLimit'),
    remandedInCustody: bailStatus ? bailStatus.code === 'CUSTODY' : null,
    hearings,
    charges,
    defendantDateOfBirth,
    youthAtOffence: defendantDateOfBirth != null && charges.some((c) => c.offenceDate != null && ageOn(defendantDateOfBirth, c.offenceDate) < 18),
  };
}

/** What a court defendant record says about who the person is, for cross-agency linking. */
export function toIdentityRecord(d: CourtDefendant): IdentityRecord {
  return {
    agency: 'courts', localId: d.defendantId, localIdType: 'COURT_DEFENDANT_ID',
    name: d.name, aliases: [], dateOfBirth: d.dateOfBirth, sex: d.sex, pnc: d.pnc,
    cro: { raw: null, value: null, valid: false }, // Libra does not hold CRO numbers
    crossReferences: [],
  };
}

/** The forms a PNC id may be stored in at court: long (`2001/0012345X`) and short (`01/12345X`). */
export function pncSearchForms(value: string): string[] {
  const n = normalisePnc(value);
  if (!n.valid) return [value.trim().toUpperCase()];
  const [year, rest] = n.value.split('/');
  return [n.value, `${year.slice(2)}/${String(Number(rest.slice(0, 7)))}${rest.slice(7)}`];
}

/** True when a defendant matches identity search criteria on normalised surname and, when given, date of birth. */
export function matchesSearch(d: CourtDefendant, surname: string, dateOfBirth?: string | null): boolean {
  return nameKey(d.name.surname) === nameKey(surname) && (!dateOfBirth || d.dateOfBirth === dateOfBirth);
}
