// Maps the case management system's case files to the common model. Each file is mapped on its own: a
// file that cannot be placed (no case URN) becomes an AdapterError for that file only, never a failed
// batch. Identifiers are kept as recorded with what normalisation made of them (RecordedIdentifier);
// every object carries where it came from (Provenance).
import { offenceCodes } from '../../reference/index.js';
import { personName, type Offence, type PersonName } from '../../schema/model.js';
import { AdapterError } from '../errors.js';
import { displayName, normaliseAsn, normaliseCro, normalisePnc } from '../normalise.js';
import type { WireCaseFile, WireDefendant, WireWitnessCare } from './wire.js';

export const AGENCY = 'prosecution';
/** The system as the Provenance of every value names it. */
export const SYSTEM = 'CPS case management (Common Platform case shapes)';

export interface Provenance { agency: 'PROSECUTION'; system: string; recordId: string | null; retrievedAt: string; derivedBy: string | null }
export interface RecordedIdentifier { type: 'PNC' | 'CRO' | 'ASN'; recorded: string | null; canonical: string | null; valid: boolean; reason: string | null }

export interface ProsecutionCharge { sequence: number | null; offence: Offence | null; wording: string | null; offenceDate: string | null; chargeDate: string | null; provenance: Provenance }
export interface ProsecutionDefendant {
  id: string; asn: RecordedIdentifier; pnc: RecordedIdentifier; cro: RecordedIdentifier; name: PersonName | null; dateOfBirth: string | null;
  charges: ProsecutionCharge[]; provenance: Provenance;
}
export interface ChargingDecision { decision: 'CHARGE' | 'NO_FURTHER_ACTION' | 'CAUTION' | 'OTHER'; decisionCode: string; test: 'FULL_CODE_TEST' | 'THRESHOLD_TEST' | null; decisionDate: string | null; decidedBy: string | null; provenance: Provenance }
export interface CaseReview { status: 'PRE_CHARGE' | 'AWAITING_REVIEW' | 'REVIEWED' | 'TRIAL_READY' | 'FINALISED' | 'OTHER'; statusCode: string; lastReviewDate: string | null; nextReviewDate: string | null; lawyer: string | null; provenance: Provenance }
export interface WitnessCareContact {
  id: string; role: 'VICTIM' | 'WITNESS'; name: PersonName; victimReference: string | null; contactMethod: 'EMAIL' | 'PHONE' | 'LETTER' | 'NONE';
  email: string | null; phone: string | null; specialMeasures: string[]; warnedForDate: string | null; lastContactDate: string | null;
  witnessCareOfficer: string | null; provenance: Provenance;
}
export interface ProsecutionCaseFile {
  urn: string; id: string; status: string | null; initiationCode: string | null; concluded: boolean;
  authority: { code: string | null; name: string | null; provenance: Provenance };
  defendants: ProsecutionDefendant[]; chargingDecision: ChargingDecision | null; review: CaseReview | null; witnessCare: WitnessCareContact[];
  provenance: Provenance;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A date as the system writes it (ISO); anything else is not a date and reads as null. */
const date = (v: unknown): string | null => (typeof v === 'string' && ISO_DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? v : null);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

export function recordedIdentifier(type: RecordedIdentifier['type'], raw: unknown): RecordedIdentifier {
  const recorded = text(raw);
  if (recorded === null) return { type, recorded: null, canonical: null, valid: false, reason: null };
  if (type === 'ASN') {
    const canonical = normaliseAsn(recorded);
    const valid = /^\d{2}[0-9A-Z]{4}\d{13}[A-Z]$/.test(canonical);
    return { type, recorded, canonical: valid ? canonical : null, valid, reason: valid ? null : 'malformed' };
  }
  const check = type === 'PNC' ? normalisePnc(recorded) : normaliseCro(recorded);
  return check.valid ? { type, recorded, canonical: check.value, valid: true, reason: null } : { type, recorded, canonical: null, valid: false, reason: check.reason };
}

function offence(code: unknown, title: unknown): Offence | null {
  const c = text(code);
  if (!c) return null;
  const listed = offenceCodes().get(c);
  return { code: c, title: listed?.title ?? text(title), category: listed?.category ?? null };
}

const upper = <T extends string>(v: unknown, allowed: readonly T[]): T | 'OTHER' => (allowed as readonly string[]).includes(String(v)) ? (v as T) : 'OTHER';

function defendant(d: WireDefendant, at: (recordId: string | null) => Provenance): ProsecutionDefendant {
  const p = d.personDefendant?.personDetails;
  const forenames = [p?.firstName, p?.middleName].flatMap((n) => (text(n) ? text(n)!.split(/\s+/) : [])).map(displayName);
  const surname = text(p?.lastName);
  const id = text(d.id) ?? '';
  return {
    id,
    asn: recordedIdentifier('ASN', d.personDefendant?.arrestSummonsNumber),
    pnc: recordedIdentifier('PNC', d.pncId),
    cro: recordedIdentifier('CRO', d.croNumber),
    name: surname ? personName(forenames, displayName(surname), text(p?.title)) : null,
    dateOfBirth: date(p?.dateOfBirth),
    charges: (d.offences ?? []).map((o) => ({
      sequence: typeof o.orderIndex === 'number' ? o.orderIndex : null, offence: offence(o.offenceCode, o.offenceTitle), wording: text(o.wording),
      offenceDate: date(o.startDate), chargeDate: date(o.chargeDate), provenance: at(text(o.id)),
    })).sort((a, b) => (a.sequence ?? 0) - (b.sequence ?? 0)),
    provenance: at(id || null),
  };
}

function witnessCare(w: WireWitnessCare, at: (recordId: string | null) => Provenance): WitnessCareContact {
  const method = upper(w.contactMethod, ['EMAIL', 'PHONE', 'LETTER', 'NONE'] as const);
  const forename = text(w.firstName);
  return {
    id: text(w.contactId) ?? '', role: w.role === 'VICTIM' ? 'VICTIM' : 'WITNESS',
    name: personName(forename ? [displayName(forename)] : [], displayName(text(w.lastName) ?? '')),
    victimReference: text(w.victimReference), contactMethod: method === 'OTHER' ? 'NONE' : method,
    email: text(w.email), phone: text(w.phone), specialMeasures: (w.specialMeasures ?? []).filter((m): m is string => typeof m === 'string'),
    warnedForDate: date(w.warnedForDate), lastContactDate: date(w.lastContactDate), witnessCareOfficer: text(w.witnessCareOfficer),
    provenance: at(text(w.contactId)),
  };
}

/** One case file, or BAD_SOURCE_DATA naming it when it carries no case URN (it cannot be placed). */
export function mapCaseFile(file: WireCaseFile, retrievedAt: string): ProsecutionCaseFile | AdapterError {
  const pc = file.prosecutionCase;
  const urn = text(pc?.prosecutionCaseIdentifier?.caseURN);
  if (!pc || !urn) {
    return new AdapterError({ agency: AGENCY, operation: 'case file', code: 'BAD_SOURCE_DATA', recordId: text(pc?.id) ?? undefined, detail: 'case file without a case URN' });
  }
  const at = (recordId: string | null): Provenance => ({ agency: 'PROSECUTION', system: SYSTEM, recordId, retrievedAt, derivedBy: null });
  const cd = file.chargingDecision;
  const rv = file.review;
  const defendants = (pc.defendants ?? []).map((d) => defendant(d, at));
  return {
    urn: urn.toUpperCase(), id: text(pc.id) ?? urn.toUpperCase(), status: text(pc.caseStatus), initiationCode: text(pc.initiationCode),
    concluded: (pc.defendants ?? []).length > 0 && (pc.defendants ?? []).every((d) => d.proceedingsConcluded === true),
    authority: { code: text(file.prosecutingAuthority?.prosecutionAuthorityCode) ?? text(pc.prosecutionCaseIdentifier?.prosecutionAuthorityCode), name: text(file.prosecutingAuthority?.name) ?? text(pc.prosecutionCaseIdentifier?.prosecutionAuthorityName), provenance: at(urn.toUpperCase()) },
    defendants,
    chargingDecision: cd ? {
      decision: upper(cd.decision, ['CHARGE', 'NO_FURTHER_ACTION', 'CAUTION'] as const), decisionCode: text(cd.decision) ?? '',
      test: cd.test === 'FULL_CODE_TEST' || cd.test === 'THRESHOLD_TEST' ? cd.test : null,
      decisionDate: date(cd.decisionDate), decidedBy: text(cd.decidedBy), provenance: at(`${urn}/charging-decision`),
    } : null,
    review: rv ? {
      status: upper(rv.status, ['PRE_CHARGE', 'AWAITING_REVIEW', 'REVIEWED', 'TRIAL_READY', 'FINALISED'] as const), statusCode: text(rv.status) ?? '',
      lastReviewDate: date(rv.lastReviewDate), nextReviewDate: date(rv.nextReviewDate), lawyer: text(rv.lawyer), provenance: at(`${urn}/review`),
    } : null,
    witnessCare: (file.witnessCare ?? []).map((w) => witnessCare(w, at)),
    provenance: at(urn.toUpperCase()),
  };
}

/** The keys a wire case file answers to (`URN:…`, `ASN:…`, `PNC:…`), read before mapping so an unreadable file is still placed by its defendants. */
export function wireKeys(file: WireCaseFile): string[] {
  const pc = file.prosecutionCase;
  const out: string[] = [];
  const urn = text(pc?.prosecutionCaseIdentifier?.caseURN);
  if (urn) out.push(`URN:${urn.toUpperCase()}`);
  for (const d of pc?.defendants ?? []) {
    const asn = text(d.personDefendant?.arrestSummonsNumber);
    if (asn) out.push(`ASN:${normaliseAsn(asn)}`);
    const pnc = normalisePnc(d.pncId ?? null);
    if (pnc.valid) out.push(`PNC:${pnc.value}`);
  }
  return out;
}
