// Renders the synthetic population's prison records in the shapes of the HMPPS Prison API
// (InmateDetail, Alert, OffenderSentenceDetail, ...) and the Prisoner Search API (Prisoner), keeping the
// NOMIS habits: upper-case names, all middle names in one field, PNC ids keyed in short form, OUT for
// a released prisoner's agency.
import { prisonerSearchPncForms } from '../identifiers.js';
import { prisons as prisonRegister } from '../../reference/index.js';
import type { PrisonBooking, PrisonOffender } from '../population.js';

/** NOMIS alert types (reference domain ALERT) for the alert codes the population uses. */
const ALERT_TYPES: Record<string, string> = { X: 'Security', H: 'Self Harm', M: 'Medical', S: 'Sexual Offence', V: 'Vulnerability', R: 'Risk' };
const IMPRISONMENT: Record<PrisonBooking['legalStatus'], [string, string, string]> = {
  SENTENCED: ['ADIMP_ORA', 'ORA Sentence of Imprisonment', 'Convicted'],
  REMAND: ['RX', 'Remanded to Court', 'Remand'],
};

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function age(dob: string | null, ref: string): number | undefined {
  if (!dob) return undefined;
  const [by, bm, bd] = dob.split('-').map(Number);
  const [y, m, d] = ref.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

const prisonName = (id: string) => prisonRegister().get(id)?.name;

/** The same PNC in the two canonical forms Prisoner Search indexes, whatever form NOMIS holds; no check-character test. */
export const pncForms = prisonerSearchPncForms;

export const latestBooking = (o: PrisonOffender): PrisonBooking | undefined => o.bookings[o.bookings.length - 1];

/** The cell as the Prison API shows it: the internal location without its prison prefix (`A-1-002`). */
const cellOf = (b: PrisonBooking) => (b.cellLocation ? b.cellLocation.replace(/^[A-Z]{3}-/, '') : undefined);

export function sentenceDetail(b: PrisonBooking) {
  if (b.legalStatus !== 'SENTENCED' || b.sentenceDays == null) return { bookingId: b.bookingId };
  const expiry = addDays(b.receptionDate, b.sentenceDays);
  return {
    bookingId: b.bookingId,
    sentenceStartDate: b.receptionDate,
    sentenceExpiryDate: expiry,
    licenceExpiryDate: expiry,
    conditionalReleaseDate: b.conditionalReleaseDate ?? undefined,
    nonDtoReleaseDate: b.conditionalReleaseDate ?? undefined,
    nonDtoReleaseDateType: 'CRD',
    confirmedReleaseDate: b.releaseDate ?? undefined,
    // Prison API: "confirmed, actual, approved, provisional or calculated": the actual date once released.
    releaseDate: b.releaseDate ?? b.conditionalReleaseDate ?? undefined,
  };
}

/**
 * NOMIS booking status, in/out status and last movement type of a booking: ACTIVE IN in the prison,
 * ACTIVE OUT on a temporary absence (TAP) or at court (CRT), INACTIVE TRN in transit between prisons
 * (agency TRN), INACTIVE OUT released (REL).
 */
export function movementOf(b: PrisonBooking | undefined): { status: string; inOutStatus: string; lastMovementTypeCode: string; agencyId: string | undefined; inPrison: boolean } {
  if (!b) return { status: 'INACTIVE OUT', inOutStatus: 'OUT', lastMovementTypeCode: 'REL', agencyId: 'OUT', inPrison: false };
  if (b.movement === 'TRN') return { status: 'INACTIVE TRN', inOutStatus: 'TRN', lastMovementTypeCode: 'TRN', agencyId: 'TRN', inPrison: false };
  if (b.active && b.movement) return { status: 'ACTIVE OUT', inOutStatus: 'OUT', lastMovementTypeCode: b.movement, agencyId: b.agencyId, inPrison: true };
  if (b.active) return { status: 'ACTIVE IN', inOutStatus: 'IN', lastMovementTypeCode: 'ADM', agencyId: b.agencyId, inPrison: true };
  return { status: 'INACTIVE OUT', inOutStatus: 'OUT', lastMovementTypeCode: 'REL', agencyId: b.agencyId, inPrison: false };
}

function identifiers(o: PrisonOffender, offenderId: number) {
  const b = latestBooking(o);
  const rows: { type: string; value: string }[] = [];
  if (o.pnc) rows.push({ type: 'PNC', value: o.pnc });
  if (o.cro) rows.push({ type: 'CRO', value: o.cro });
  return rows.map((r) => ({ ...r, offenderNo: o.offenderNo, bookingId: b?.bookingId, caseloadType: 'INST', whenCreated: `${b?.receptionDate ?? '2020-01-01'}T09:00:00`, offenderId, rootOffenderId: offenderId }));
}

/** Prison API `InmateDetail`; `full` adds what `fullInfo=true&extraInfo=true` (and GET /api/offenders/{offenderNo}) returns. */
export function inmateDetail(o: PrisonOffender, offenderId: number, ref: string, full: boolean) {
  const b = latestBooking(o);
  const activeAlerts = o.alerts.filter((a) => a.active);
  const mv = movementOf(b);
  const transit = b?.movement === 'TRN';
  const base = {
    offenderNo: o.offenderNo, bookingId: b?.bookingId, bookingNo: b?.bookingNo, offenderId, rootOffenderId: offenderId,
    firstName: o.forenames[0], middleName: o.middleNames ?? undefined, lastName: o.surname, dateOfBirth: o.dateOfBirth ?? undefined,
    age: age(o.dateOfBirth, ref), activeFlag: (b?.active ?? false) && !transit, agencyId: mv.agencyId,
    assignedLivingUnitId: b?.cellLocation ? 100000 + (b.bookingId % 90000) : undefined,
    assignedLivingUnit: b?.active && b.cellLocation ? { agencyId: b.agencyId, locationId: 100000 + (b.bookingId % 90000), description: cellOf(b), agencyName: prisonName(b.agencyId) } : undefined,
    alertsCodes: activeAlerts.map((a) => a.alertCode), activeAlertCount: activeAlerts.length, inactiveAlertCount: o.alerts.length - activeAlerts.length,
    inOutStatus: mv.inOutStatus, status: mv.status, lastMovementTypeCode: mv.lastMovementTypeCode,
    receptionDate: b?.receptionDate,
    locationDescription: b?.active && !transit ? prisonName(b.agencyId) : transit ? `Transfer - from ${prisonName(b!.agencyId)}` : 'Outside - released',
    // The population does not say which prison released someone, so a released booking has no latestLocationId.
    latestLocationId: b?.active ? b.agencyId : undefined,
  };
  if (!full || !b) return base;
  const [imprisonmentStatus, imprisonmentStatusDescription, convictedStatus] = IMPRISONMENT[b.legalStatus];
  return {
    ...base, legalStatus: b.legalStatus, recall: false, imprisonmentStatus, imprisonmentStatusDescription, convictedStatus,
    sentenceDetail: sentenceDetail(b), identifiers: identifiers(o, offenderId),
    aliases: o.aliases.map((a) => ({ firstName: a.firstName, lastName: a.lastName, dob: a.dateOfBirth ?? undefined, gender: o.sex === 'M' ? 'Male' : 'Female', nameType: 'Alias Name', offenderId: offenderId + 1 })),
  };
}

/** Prisoner Alerts API `Alert` for each alert of a prisoner (all bookings); UUIDs derived from the alert id, stable per population. */
export function alerts(o: PrisonOffender, ref: string) {
  const b = latestBooking(o);
  return o.alerts.map((a) => ({
    alertUuid: `00000000-0000-4000-8000-${String(a.alertId).padStart(12, '0')}`,
    prisonNumber: o.offenderNo,
    alertCode: { alertTypeCode: a.alertType, alertTypeDescription: ALERT_TYPES[a.alertType] ?? a.alertType, code: a.alertCode, description: a.description },
    description: '', authorisedBy: '', activeFrom: a.dateCreated, activeTo: a.dateExpires ?? undefined,
    isActive: a.active && !(a.dateExpires != null && a.dateExpires <= ref),
    createdAt: `${a.dateCreated}T10:00:00`, createdBy: 'SYSTEM_USER', createdByDisplayName: 'System User',
    prisonCodeWhenCreated: b?.agencyId,
  }));
}

/** Prison API `OffenderSentenceDetail`. */
export function sentences(o: PrisonOffender, offenderId: number) {
  const b = latestBooking(o);
  return {
    bookingId: b?.bookingId, offenderNo: o.offenderNo, firstName: o.forenames[0], lastName: o.surname, dateOfBirth: o.dateOfBirth ?? undefined,
    agencyLocationId: b?.agencyId, agencyLocationDesc: b?.active ? prisonName(b.agencyId) : 'Outside', internalLocationDesc: b && cellOf(b), facialImageId: offenderId,
    mostRecentActiveBooking: b?.active ?? false, sentenceDetail: b ? sentenceDetail(b) : undefined,
  };
}

/** Prison API `CorePersonRecordAlias` rows. */
export function aliases(o: PrisonOffender, offenderId: number) {
  return o.aliases.map((a, i) => ({
    prisonerNumber: o.offenderNo, offenderId: offenderId + 1 + i, isWorkingName: false, firstName: a.firstName, lastName: a.lastName,
    dateOfBirth: a.dateOfBirth ?? o.dateOfBirth ?? undefined, nameType: { domain: 'NAME_TYPE', code: 'A', description: 'Alias' },
  }));
}

export const offenderIdentifiers = identifiers;

/** Prisoner Search `Prisoner`: the search index's copy of the person and the latest booking. */
export function prisoner(o: PrisonOffender, offenderId: number) {
  const b = latestBooking(o);
  const pnc = pncForms(o.pnc);
  const sentence = b ? sentenceDetail(b) : undefined;
  return {
    prisonerNumber: o.offenderNo, pncNumber: o.pnc ?? undefined, pncNumberCanonicalShort: pnc?.short, pncNumberCanonicalLong: pnc?.long,
    croNumber: o.cro ?? undefined, bookingId: b ? String(b.bookingId) : undefined, bookNumber: b?.bookingNo,
    firstName: o.forenames[0], middleNames: o.middleNames ?? undefined, lastName: o.surname, dateOfBirth: o.dateOfBirth,
    gender: o.sex === 'M' ? 'Male' : 'Female', ethnicity: 'Prefer not to say', raceCode: 'NS', youthOffender: false, maritalStatus: 'Not Known',
    religion: 'Not Recorded', nationality: 'Not Known', mostSeriousOffence: 'Not Recorded', restrictedPatient: false,
    status: movementOf(b).status, inOutStatus: movementOf(b).inOutStatus, lastMovementTypeCode: movementOf(b).lastMovementTypeCode, prisonId: movementOf(b).agencyId,
    // As the Prison API's latestLocationId: the population does not say which prison released someone.
    lastPrisonId: b?.active ? b.agencyId : undefined,
    prisonName: movementOf(b).inPrison ? prisonName(b!.agencyId) : undefined, cellLocation: movementOf(b).inPrison && b ? cellOf(b) : undefined,
    legalStatus: b?.legalStatus, receptionDate: b?.receptionDate, currentFacialImageId: offenderId,
    sentenceStartDate: sentence?.sentenceStartDate, sentenceExpiryDate: sentence?.sentenceExpiryDate, licenceExpiryDate: sentence?.licenceExpiryDate,
    releaseDate: sentence?.releaseDate, confirmedReleaseDate: sentence?.confirmedReleaseDate, conditionalReleaseDate: sentence?.conditionalReleaseDate,
    aliases: o.aliases.map((a) => ({ firstName: a.firstName, lastName: a.lastName, dateOfBirth: a.dateOfBirth ?? o.dateOfBirth, gender: o.sex === 'M' ? 'Male' : 'Female', ethnicity: 'Prefer not to say', raceCode: 'NS' })),
    alerts: o.alerts.map((a) => ({ alertType: a.alertType, alertCode: a.alertCode, active: a.active, expired: a.dateExpires != null })),
    identifiers: identifiers(o, offenderId).map((r) => ({ type: r.type, value: r.value, createdDateTime: `${r.whenCreated}Z` })),
  };
}

export type RenderedPrisoner = ReturnType<typeof prisoner>;

/** Prison API `Prison` rows: the active establishments of the prison register. */
export function prisonList() {
  return [...prisonRegister().values()].filter((p) => p.active).map((p) => ({ agencyId: p.prisonId, description: p.name, longDescription: p.name, agencyType: 'INST', active: true }));
}
