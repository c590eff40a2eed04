// Pure mapping from Libra result messages (ResultedCaseMessage, schema 0.6g) to the courts part of the
// common model. Codes go through the CJS cross-walks (SPI plea, verdict, remand-status and gender codes;
// offence, result and OU lists); every date is parsed by its declared format (YYYY-MM-DD), never by
// Date(). A defendant's messages (one per hearing session) make one case record keyed by the ASN.
// Anything that would make the case wrong throws MappingError for that case only; a result line that
// cannot be read (no ResultCode: offences taken into consideration, warrants) fails that line only.
import { AdapterError, MappingError, mapRecord } from '../errors.js';
import { ageOn, displayName, nameKey, normaliseAsn, parseLegacyDate, parseOptionalDate, splitFullName } from '../normalise.js';
import { personName, type Address, type IdentityRecord, type Offence, type Organisation, type PersonName, type Sex } from '../../schema/model.js';
import { crossWalk, offenceCodes, organisationUnits, resultCodes, standingData } from '../../reference/index.js';
import type { CpDefendant, CpHearing, CpOffence, CpPersonDefendant, CpProsecutionCase, CpCustodyTimeLimit, CpDefendantSummary, CpHearingSummary, CpOffenceSummary, CpPlea, CpProsecutionCaseSummary, CpVerdict, WireDefendant, WireDeliverRequest, WireHearingDetails, WireOffence, WireResult, WireSimpleAddress } from './wire.js';

// ---- the courts model (what resolvers return) --------------------------------------------------

/** The defendant as a case's result messages name them. Libra messages carry no PNC: the ASN is the key. */
export interface CourtDefendant {
  /** The Arrest Summons Number (the message's ProsecutorReference), canonical: 20 characters, upper case. */
  asn: string;
  /** The PTIURN of the case the defendant appears in. */
  urn: string;
  name: PersonName;
  dateOfBirth: string | null;
  sex: Sex | null;
  address: Address | null;
}

export type BailStatusCode = 'UNCONDITIONAL_BAIL' | 'CONDITIONAL_BAIL' | 'CUSTODY' | 'CARE' | 'SECURE_CARE' | 'NOT_APPLICABLE';
export interface BailStatus { code: BailStatusCode; spiCode: string; description: string }

export type HearingType = 'FIRST_HEARING' | 'TRIAL' | 'SENTENCE' | 'OTHER';
/** A hearing: a session that resulted the case, or a next hearing a result fixed. Libra messages carry no type of hearing. */
export interface Hearing { id: string; court: Organisation; date: string; time: string | null; type: HearingType | null; typeCode: string | null; typeDescription: string | null }

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
  /** One per result line; a line that cannot be read is an AdapterError in its place (BAD_SOURCE_DATA, that line only). */
  outcomes: (Outcome | AdapterError)[];
}

export interface CourtCase {
  urn: string;
  asn: string;
  /** The defendant as the latest message names them. */
  defendant: CourtDefendant;
  court: Organisation | null;
  bailStatus: BailStatus | null;
  /** Libra result messages carry no custody time limit: always null from this source. */
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

/**
 * SPI gender code → Sex through the gender cross-walk (0 not known, 1 male, 2 female, 9 not specified);
 * `N` and the PNC's `U` (both "not known" in the feeds) are NOT_KNOWN. An unrecognised code says nothing
 * certain about the person, so it is null rather than a refused record.
 */
export function mapGender(code: string | null | undefined): Sex | null {
  const c = text(code)?.toUpperCase();
  if (c == null) return null;
  if (c === 'N' || c === 'U') return 'NOT_KNOWN';
  const row = crossWalk(standingData.gender(), 'spiCode', c) ?? crossWalk(standingData.gender(), 'pncCode', c);
  return row ? (row.description.toUpperCase().replace(/\s+/g, '_') as Sex) : null;
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

/** One defendant of one case in one hearing session: what a message says about a case. */
export interface ResultedPart {
  urn: string;
  hearing: WireHearingDetails | undefined;
  defendant: WireDefendant;
}

/** Every (session, case, defendant) of the delivered messages, in message order. */
export function partsOf(messages: WireDeliverRequest[]): ResultedPart[] {
  const out: ResultedPart[] = [];
  for (const m of messages) {
    for (const session of m.Message?.ResultedCaseMessage?.Session ?? []) {
      for (const c of session.Case ?? []) {
        for (const defendant of c.Defendant ?? []) out.push({ urn: text(c.PTIURN)?.toUpperCase() ?? '', hearing: session.CourtHearing?.Hearing, defendant });
      }
    }
  }
  return out;
}

/** The ASN a part is keyed by, canonical; '' when the message carries none (such a part cannot be linked). */
export const asnOf = (p: ResultedPart): string => normaliseAsn(text(p.defendant.ProsecutorReference) ?? '');

export function mapDefendant(w: WireDefendant, urn: string): CourtDefendant {
  const asn = normaliseAsn(required(w.ProsecutorReference, 'ProsecutorReference'));
  const details = w.CourtIndividualDefendant?.PersonDefendant?.BasePersonDetails;
  const n = details?.PersonName;
  const surname = displayName(required(n?.PersonFamilyName, 'PersonFamilyName'));
  const forenames = [n?.PersonGivenName1, n?.PersonGivenName2, n?.PersonGivenName3].map(text).filter((x): x is string => x != null).map(displayName);
  return {
    asn, urn,
    name: personName(forenames, surname, text(n?.PersonTitle)),
    dateOfBirth: parseOptionalDate(text(details?.Birthdate), 'YYYY-MM-DD', 'Birthdate'),
    sex: mapGender(details?.Gender),
    address: mapAddress(w.CourtIndividualDefendant?.Address?.SimpleAddress),
  };
}

export function mapHearing(h: WireHearingDetails, urn: string): Hearing {
  const court = required(h.CourtHearingLocation, 'CourtHearingLocation');
  const date = parseLegacyDate(required(h.DateOfHearing, 'DateOfHearing'), 'YYYY-MM-DD', 'DateOfHearing');
  const time = mapTime(h.TimeOfHearing);
  return { id: `${urn}/${date}/${time ?? ''}/${court}`.replace(/\/+$/, ''), court: organisation(court), date, time, type: null, typeCode: null, typeDescription: null };
}

/** A result line, or that line's own typed error (the rest of the case still reads). */
export function mapResultLine(r: WireResult, asn: string, offence: number, line: number): Outcome | AdapterError {
  return mapRecord('courts', 'GetResultedCases', `${asn} offence ${offence} result ${line}`, r, mapResult);
}

export function mapOffence(o: WireOffence, asn = ''): Charge {
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
    outcomes: (o.Result ?? []).map((r, i) => mapResultLine(r, asn, Number(seq), i + 1)),
  };
}

/**
 * One case record from every message part of one defendant (one ASN): hearings are every session and
 * every next hearing a result fixed; the defendant, bail status and charges are those of the latest
 * session (results of a later hearing supersede an earlier one's).
 */
export function mapCase(parts: ResultedPart[]): CourtCase {
  if (parts.length === 0) throw new MappingError('Case', 'at least one message part');
  const dated = parts.map((p) => ({ p, date: p.hearing ? parseLegacyDate(required(p.hearing.DateOfHearing, 'DateOfHearing'), 'YYYY-MM-DD', 'DateOfHearing') : '' }));
  dated.sort((a, b) => a.date.localeCompare(b.date));
  const latest = dated[dated.length - 1].p;
  const urn = required(latest.urn, 'PTIURN');
  const defendant = mapDefendant(latest.defendant, urn);
  const hearings = new Map<string, Hearing>();
  const add = (h: WireHearingDetails | undefined) => {
    if (!h || text(h.DateOfHearing) == null) return;
    const mapped = mapHearing(h, urn);
    if (!hearings.has(mapped.id)) hearings.set(mapped.id, mapped);
  };
  for (const { p } of dated) {
    add(p.hearing);
    for (const o of p.defendant.Offence ?? []) for (const r of o.Result ?? []) add(r.NextHearing?.NextHearingDetails);
  }
  const sessions = dated.map(({ p }) => p.hearing).filter((h): h is WireHearingDetails => h != null && text(h.CourtHearingLocation) != null);
  const bailStatus = mapBailStatus(latest.defendant.CourtIndividualDefendant?.BailStatus);
  const charges = (latest.defendant.Offence ?? []).map((o) => mapOffence(o, defendant.asn)).sort((a, b) => a.sequence - b.sequence);
  const dob = defendant.dateOfBirth;
  return {
    urn,
    asn: defendant.asn,
    defendant,
    court: sessions[0] ? organisation(text(sessions[0].CourtHearingLocation)!) : null,
    bailStatus,
    custodyTimeLimitExpiry: null,
    remandedInCustody: bailStatus ? bailStatus.code === 'CUSTODY' : null,
    hearings: [...hearings.values()].sort((a, b) => a.date.localeCompare(b.date) || (a.time ?? '').localeCompare(b.time ?? '')),
    charges,
    defendantDateOfBirth: dob,
    youthAtOffence: dob != null && charges.some((c) => c.offenceDate != null && ageOn(dob, c.offenceDate) < 18),
  };
}

/** One defendant's case record from the delivered messages, with the keys it answers to even when unreadable. */
export interface MappedCase { asn: string; urn: string; record: CourtCase | AdapterError }

/** The delivered messages as case records, one per ASN (a part without an ASN cannot be keyed and is left out); each unreadable case its own error. */
export function mapMessages(messages: WireDeliverRequest[], operation = 'GetResultedCases'): MappedCase[] {
  const byAsn = new Map<string, ResultedPart[]>();
  for (const p of partsOf(messages)) {
    const asn = asnOf(p);
    if (asn) byAsn.set(asn, [...(byAsn.get(asn) ?? []), p]);
  }
  return [...byAsn].sort(([a], [b]) => a.localeCompare(b))
    .map(([asn, parts]) => ({ asn, urn: parts[0].urn, record: mapRecord('courts', operation, asn, parts, mapCase) }));
}

/** What a court defendant record says about who the person is, for cross-agency linking. */
export function toIdentityRecord(d: CourtDefendant): IdentityRecord {
  return {
    agency: 'courts', localId: d.asn, localIdType: 'ASN',
    name: d.name, aliases: [], dateOfBirth: d.dateOfBirth, sex: d.sex,
    // Libra result messages carry neither a PNC nor a CRO number.
    pnc: { raw: null, value: null, valid: false },
    cro: { raw: null, value: null, valid: false },
    crossReferences: [],
    // The postcode of the address the court holds, for the match model to compare (the free lines are not).
    postcode: d.address?.postcode ?? null,
  };
}

/** True when a defendant matches identity search criteria on normalised surname and, when given, date of birth. */
export function matchesSearch(d: CourtDefendant, surname: string, dateOfBirth?: string | null): boolean {
  return nameKey(d.name.surname) === nameKey(surname) && (!dateOfBirth || d.dateOfBirth === dateOfBirth);
}

// ---- Common Platform ----------------------------------------------------------------------------

/** Common Platform plea values → CJS plea-status codes (through which the SPI code and description come). */
const CP_PLEA: Record<string, string> = { GUILTY: 'G', NOT_GUILTY: 'NG', NO_PLEA: 'NONE', ADMITS: 'ADM', DENIES: 'DEN', CONSENTS: 'CON', OPPOSES: 'OPP' };
/** Common Platform verdict category types → SPI verdict codes. */
const CP_VERDICT: Record<string, string> = { GUILTY: 'G', GUILTY_CONVICTED: 'G', NOT_GUILTY: 'N', GUILTY_OF_ALTERNATIVE: 'A', NO_VERDICT: 'O' };

const ukClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** An ISO instant (`2021-06-10T09:00:00.000Z`) as the UK wall-clock date and time of the sitting. */
export function ukSitting(instant: string, field = 'sittingDay'): { date: string; time: string } {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(instant.trim());
  if (!m) throw new MappingError(field, `an ISO date-time with an offset, got "${instant}"`);
  parseLegacyDate(m[1], 'YYYY-MM-DD', field); // an impossible date is refused, never rolled over
  const parts = Object.fromEntries(ukClock.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

function cpPlea(pleas: CpPlea[] | undefined): Plea | null {
  const latest = [...(pleas ?? [])].filter((p) => text(p.pleaValue)).sort((a, b) => (a.pleaDate ?? '').localeCompare(b.pleaDate ?? '')).pop();
  if (!latest) return null;
  const value = text(latest.pleaValue)!.toUpperCase();
  const row = CP_PLEA[value] ? crossWalk(standingData.plea(), 'cjsCode', CP_PLEA[value]) : undefined;
  if (!row) throw new MappingError('pleaValue', `a Common Platform plea value (${Object.keys(CP_PLEA).join(', ')}), got "${value}"`);
  return mapPlea(row.spiCode);
}

function cpFinding(v: CpVerdict | undefined): Finding | null {
  const type = text(v?.verdictType?.categoryType)?.toUpperCase();
  if (!type) return null;
  const spi = CP_VERDICT[type];
  if (!spi) throw new MappingError('verdictType.categoryType', `a Common Platform verdict category (${Object.keys(CP_VERDICT).join(', ')}), got "${type}"`);
  const finding = mapFinding(spi, v?.verdictDate)!;
  return { ...finding, convictionDate: finding.code === 'GUILTY' || finding.code === 'GUILTY_OF_ALTERNATIVE_OFFENCE' ? finding.convictionDate : null };
}

export function mapCpOffence(o: CpOffenceSummary, index: number): Charge {
  const { offence, qualifier } = mapOffenceCode(o.offenceCode);
  return {
    sequence: typeof o.orderIndex === 'number' && Number.isInteger(o.orderIndex) && o.orderIndex > 0 ? o.orderIndex : index + 1,
    offence: { ...offence, title: offence.title ?? text(o.offenceTitle) },
    offenceQualifier: qualifier,
    wording: text(o.wording),
    offenceDate: parseOptionalDate(text(o.startDate), 'YYYY-MM-DD', 'startDate'),
    arrestDate: parseOptionalDate(text(o.arrestDate), 'YYYY-MM-DD', 'arrestDate'),
    chargeDate: parseOptionalDate(text(o.chargeDate), 'YYYY-MM-DD', 'chargeDate'),
    plea: cpPlea(o.plea),
    finding: cpFinding(o.verdict),
    outcomes: [], // results are not part of the search summary (they come with hearing-resulted messages)
  };
}

function cpHearings(hs: CpHearingSummary[] | undefined, defendantId: string | null, urn: string): Hearing[] {
  const out = new Map<string, Hearing>();
  for (const h of hs ?? []) {
    if (defendantId && h.defendantIds && !h.defendantIds.includes(defendantId)) continue;
    const court = required(h.courtCentre?.code, 'courtCentre.code');
    for (const d of h.hearingDays ?? []) {
      const { date, time } = ukSitting(required(d.sittingDay, 'sittingDay'));
      const hearing: Hearing = { id: `${urn}/${date}/${time}/${court}`, court: organisation(court), date, time, type: null, typeCode: null, typeDescription: text(h.hearingType?.description) };
      if (!out.has(hearing.id)) out.set(hearing.id, hearing);
    }
  }
  return [...out.values()].sort((a, b) => a.date.localeCompare(b.date) || (a.time ?? '').localeCompare(b.time ?? ''));
}

/** One defendant of a Common Platform prosecution case summary as a case record keyed by their ASN. */
export function mapCpCase(summary: CpProsecutionCaseSummary, d: CpDefendantSummary): CourtCase {
  const urn = required(summary.prosecutionCaseReference, 'prosecutionCaseReference').toUpperCase();
  const asn = normaliseAsn(required(d.defendantASN, 'defendantASN'));
  // The schema gives the name either in parts (first, middle, last) or whole (defendantName, forenames first).
  const whole = text(d.defendantLastName) == null ? splitFullName(required(d.defendantName, 'defendantName'), 'FORENAMES_FIRST', 'defendantName') : null;
  const forenames = (whole ? whole.forenames : [d.defendantFirstName, ...(text(d.defendantMiddleName)?.split(/\s+/) ?? [])]).map(text).filter((x): x is string => x != null).map(displayName);
  const defendant: CourtDefendant = {
    asn, urn,
    name: personName(forenames, displayName(whole ? whole.surname : required(d.defendantLastName, 'defendantLastName'))),
    dateOfBirth: parseOptionalDate(text(d.defendantDOB), 'YYYY-MM-DD', 'defendantDOB'),
    sex: null, // the search summary does not carry it
    address: null,
  };
  const hearings = cpHearings(summary.hearingSummary, text(d.defendantId), urn);
  const charges = (d.offenceSummary ?? []).map(mapCpOffence).sort((a, b) => a.sequence - b.sequence);
  const dob = defendant.dateOfBirth;
  return {
    urn, asn, defendant,
    court: hearings[0]?.court ?? null,
    bailStatus: null, custodyTimeLimitExpiry: null, remandedInCustody: null, // not in the search summary
    hearings, charges,
    defendantDateOfBirth: dob,
    youthAtOffence: dob != null && charges.some((c) => c.offenceDate != null && ageOn(dob, c.offenceDate) < 18),
  };
}

/** A Common Platform search answer as case records, one per defendant with an ASN; each unreadable one its own error. */
export function mapCpCases(cases: CpProsecutionCaseSummary[], operation = 'searchProsecutionCases'): MappedCase[] {
  const out: MappedCase[] = [];
  for (const c of cases) {
    for (const d of c.defendantSummary ?? []) {
      const asn = normaliseAsn(text(d.defendantASN) ?? '');
      if (!asn) continue; // cannot be keyed, as a Libra part without a ProsecutorReference
      out.push({ asn, urn: text(c.prosecutionCaseReference)?.toUpperCase() ?? '', record: mapRecord('courts', operation, asn, c, (w) => mapCpCase(w, d)) });
    }
  }
  return out;
}

// ---- Common Platform court list (hearings with bail status and custody time limits) -------------

/** A custody time limit as the court recorded it: when it expires and the days already spent in custody. */
export interface CustodyTimeLimit { expiry: string; daysSpent: number | null }

/** One defendant of one case listed at a hearing: a line of the court list. */
export interface ListedHearing {
  hearingId: string;
  court: Organisation;
  date: string;
  time: string | null;
  listingSequence: number | null;
  typeDescription: string | null;
  resulted: boolean;
  urn: string;
  asn: string;
  /** Common Platform's case status, e.g. `ACTIVE`, `INACTIVE`. */
  caseStatus: string | null;
  bailStatus: BailStatus | null;
  /** The case's limit (the defendant's), else the earliest of its offences'; null unless remanded in custody. */
  custodyTimeLimit: CustodyTimeLimit | null;
  /** The earliest charge date of the case's offences: how old the case is. */
  chargeDate: string | null;
  defendantDateOfBirth: string | null;
  youthAtOffence: boolean;
}

function cpCustodyTimeLimit(p: CpPersonDefendant | undefined, offences: CpOffence[]): CustodyTimeLimit | null {
  const fromBail = p?.bailStatus?.custodyTimeLimit;
  const limits = [
    ...(text(p?.custodyTimeLimit) ? [{ timeLimit: p!.custodyTimeLimit, daysSpent: fromBail?.daysSpent }] : []),
    ...(fromBail?.timeLimit ? [fromBail] : []),
    ...offences.map((o) => o.custodyTimeLimit).filter((l): l is CpCustodyTimeLimit => l?.timeLimit != null),
  ];
  if (limits.length === 0) return null;
  const expiry = limits.map((l) => parseLegacyDate(required(l.timeLimit, 'custodyTimeLimit.timeLimit'), 'YYYY-MM-DD', 'custodyTimeLimit.timeLimit')).sort()[0];
  const spent = limits.find((l) => typeof l.daysSpent === 'number')?.daysSpent;
  if (spent != null && (!Number.isInteger(spent) || spent < 0)) throw new MappingError('custodyTimeLimit.daysSpent', `a whole number of days, got "${spent}"`);
  return { expiry, daysSpent: spent ?? null };
}

/** One listed defendant of one case of a hearing. */
function mapListedDefendant(h: CpHearing, c: CpProsecutionCase, d: CpDefendant): ListedHearing {
  const court = required(h.courtCentre?.code, 'courtCentre.code');
  const day = [...(h.hearingDays ?? [])].filter((x) => !x.isCancelled).sort((a, b) => (a.sittingDay ?? '').localeCompare(b.sittingDay ?? ''))[0];
  const { date, time } = ukSitting(required(day?.sittingDay, 'sittingDay'));
  const urn = required(c.prosecutionCaseIdentifier?.caseURN ?? c.prosecutionCaseIdentifier?.prosecutionAuthorityReference, 'caseURN').toUpperCase();
  const p = d.personDefendant;
  const asn = normaliseAsn(required(p?.arrestSummonsNumber, 'arrestSummonsNumber'));
  const bailCode = text(p?.bailStatus?.code);
  const bailStatus = bailCode ? mapBailStatus(bailCode) : null;
  const offences = d.offences ?? [];
  const chargeDates = offences.map((o) => parseOptionalDate(text(o.chargeDate), 'YYYY-MM-DD', 'chargeDate')).filter((x): x is string => x != null).sort();
  const dob = parseOptionalDate(text(p?.personDetails?.dateOfBirth), 'YYYY-MM-DD', 'dateOfBirth');
  const offenceDates = offences.map((o) => parseOptionalDate(text(o.startDate), 'YYYY-MM-DD', 'startDate')).filter((x): x is string => x != null);
  return {
    hearingId: text(h.id) ?? `${urn}/${date}/${time}/${court}`,
    court: { ...organisation(court), name: organisation(court).name ?? text(h.courtCentre?.name) },
    date, time, listingSequence: typeof day?.listingSequence === 'number' ? day.listingSequence : null,
    typeDescription: text(h.type?.description), resulted: h.hasSharedResults === true,
    urn, asn, caseStatus: text(c.caseStatus),
    bailStatus,
    custodyTimeLimit: bailStatus?.code === 'CUSTODY' ? cpCustodyTimeLimit(p, offences) : null,
    chargeDate: chargeDates[0] ?? null,
    defendantDateOfBirth: dob,
    // As for a case read from Libra; the policy counts an unknown age as youth (the subgraph's facts).
    youthAtOffence: dob != null && offenceDates.some((o) => ageOn(dob, o) < 18),
  };
}

/** A Common Platform court list as one line per listed defendant; a line that cannot be read is its own error. */
export function mapCpHearings(hearings: CpHearing[], operation = 'listHearings'): (ListedHearing | AdapterError)[] {
  const out: (ListedHearing | AdapterError)[] = [];
  for (const h of hearings) {
    for (const c of h.prosecutionCases ?? []) {
      for (const d of c.defendants ?? []) {
        const id = `${text(c.prosecutionCaseIdentifier?.caseURN) ?? '?'}/${text(d.personDefendant?.arrestSummonsNumber) ?? '?'}`;
        out.push(mapRecord('courts', operation, id, h, (w) => mapListedDefendant(w, c, d)));
      }
    }
  }
  return out;
}
