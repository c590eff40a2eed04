// The court list of the courts stand-in, as Common Platform (HMCTS's newer court system) shapes a hearing:
// reference/common-platform/global/apiHearing.json and what it refers to (court centre, hearing type,
// hearing days, prosecution cases, defendants with their bail status and custody time limit
// (apiBailStatus.json, apiCustodyTimeLimit.json), offences with theirs). The operation itself is a
// stand-in extension (the public material holds no listing query of Common Platform):
//   GET /common-platform/listing/hearings?courtCentreCode=B01EF00,B02..&startDate=YYYY-MM-DD&endDate=YYYY-MM-DD&bailStatus=C
//   → { "hearings": [apiHearing...], "totalResults": n }, in sitting order (day, court, listing sequence)
// Every parameter is optional: no court is every court, no dates every day, `bailStatus` keeps only
// defendants with that bail status code. Generated from the shared population: one hearing per hearing of
// a case, the defendant's bail status as the case records it, a custody time limit for a defendant
// remanded in custody (the days spent counted to the population's reference date).
import { createHash } from 'node:crypto';
import { offenceCodes, organisationUnits, standingData } from '../../reference/index.js';
import type { CourtCase, CourtDefendant, Population } from '../population.js';

export const LISTING_PATH = '/common-platform/listing/hearings';
export const LISTING_OPERATION = 'GET /common-platform/listing/hearings';

export interface ListingQuery {
  courtCentreCodes: string[];
  startDate: string | null;
  endDate: string | null;
  bailStatus: string | null;
}

/** A stable UUID (version 5 layout) for a name, so the same case or court has the same id on every call. */
export function uuidOf(kind: string, name: string): string {
  const h = createHash('sha1').update(`${kind}:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

const ukClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** A UK wall-clock date and time (`10:00:00`) as the instant Common Platform writes (`sittingDay`, UTC). */
export function sittingInstant(date: string, time: string): string {
  for (const offsetHours of [0, 1]) {
    const instant = new Date(Date.parse(`${date}T${time.slice(0, 5)}:00Z`) - offsetHours * 3_600_000);
    const p = Object.fromEntries(ukClock.formatToParts(instant).map((x) => [x.type, x.value]));
    if (`${p.year}-${p.month}-${p.day}` === date && `${p.hour}:${p.minute}` === time.slice(0, 5)) return instant.toISOString();
  }
  return `${date}T${time.slice(0, 5)}:00.000Z`;
}

const days = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
const HEARING_TYPE: Record<CourtCase['hearings'][number]['type'], string> = { FIRST_HEARING: 'First hearing', TRIAL: 'Trial', SENTENCE: 'Sentence' };
const GENDER: Record<string, string> = { M: 'MALE', F: 'FEMALE' };

/** The bail status code's description from the CJS remand-status list (SPI codes, as the population records them). */
function bailDescription(code: string): string {
  return standingData.remandStatus().find((r) => r.spiCode === code)?.description ?? code;
}

interface Listed { hearing: CourtCase['hearings'][number]; kase: CourtCase; defendant: CourtDefendant; sequence: number }

/** One hearing of a case as Common Platform shapes it (apiHearing.json). */
function renderHearing(l: Listed, referenceDate: string): Record<string, unknown> {
  const { hearing: h, kase: c, defendant: d } = l;
  const caseId = uuidOf('case', c.urn);
  const concluded = c.offences.some((o) => o.finding != null);
  const custody = c.bailStatus === 'C' && c.custodyTimeLimitExpiry
    ? { timeLimit: c.custodyTimeLimitExpiry, daysSpent: Math.max(0, days(c.hearings[0].date, referenceDate)) }
    : null;
  const [first, ...middle] = d.forenames;
  const person: Record<string, unknown> = { lastName: d.surname, gender: GENDER[d.sex ?? ''] ?? 'NOT_KNOWN' };
  if (first) person.firstName = first;
  if (middle.length) person.middleName = middle.join(' ');
  if (d.dateOfBirth) person.dateOfBirth = d.dateOfBirth;
  const personDefendant: Record<string, unknown> = {
    personDetails: person,
    bailStatus: { id: uuidOf('bail-status', c.bailStatus), code: c.bailStatus, description: bailDescription(c.bailStatus), ...(custody ? { custodyTimeLimit: custody } : {}) },
    arrestSummonsNumber: c.asn,
  };
  if (custody) personDefendant.custodyTimeLimit = custody.timeLimit;
  const court = organisationUnits().get(h.courtOu);
  return {
    id: uuidOf('hearing', h.hearingId),
    jurisdictionType: 'MAGISTRATES',
    courtCentre: { id: uuidOf('court-centre', h.courtOu), code: h.courtOu, ...(court ? { name: court.name } : {}) },
    type: { id: uuidOf('hearing-type', h.type), description: HEARING_TYPE[h.type] },
    hearingDays: [{ sittingDay: sittingInstant(h.date, h.time), listingSequence: l.sequence, listedDurationMinutes: h.type === 'TRIAL' ? 180 : 20 }],
    hasSharedResults: h.date < referenceDate,
    prosecutionCases: [{
      id: caseId,
      prosecutionCaseIdentifier: { prosecutionAuthorityId: uuidOf('prosecutor', c.urn.slice(0, 2)), prosecutionAuthorityCode: `POLICE${c.urn.slice(0, 2)}`, caseURN: c.urn },
      initiationCode: 'C',
      caseStatus: concluded ? 'INACTIVE' : 'ACTIVE',
      defendants: [{
        id: uuidOf('defendant', c.asn), prosecutionCaseId: caseId,
        offences: c.offences.map((o) => ({
          id: uuidOf('offence', `${c.asn}/${o.sequence}`), offenceDefinitionId: uuidOf('offence-definition', o.offenceCode), offenceCode: o.offenceCode,
          offenceTitle: offenceCodes().get(o.offenceCode)?.title ?? o.offenceCode, wording: o.wording || (offenceCodes().get(o.offenceCode)?.title ?? ''),
          startDate: o.offenceDate, arrestDate: o.arrestDate, chargeDate: o.chargeDate, orderIndex: o.sequence,
          ...(custody ? { custodyTimeLimit: custody } : {}),
        })),
        personDefendant,
      }],
    }],
  };
}

interface Rendered { hearing: CourtCase['hearings'][number]; bailStatus: string; json: Record<string, unknown> }
const rendered = new WeakMap<Population, Rendered[]>();

/**
 * Every hearing of the population, rendered once, in sitting order (day, court, time): the listing
 * sequence is each hearing's place in its court's list for the day, whatever a query then filters.
 */
function allHearings(population: Population): Rendered[] {
  let all = rendered.get(population);
  if (all) return all;
  const defendants = new Map(population.courts.defendants.map((d) => [d.defendantId, d]));
  const listed = population.courts.cases.flatMap((c) => c.hearings.map((h) => ({ hearing: h, kase: c, defendant: defendants.get(c.defendantId)! })));
  listed.sort((a, b) => a.hearing.date.localeCompare(b.hearing.date) || a.hearing.courtOu.localeCompare(b.hearing.courtOu)
    || a.hearing.time.localeCompare(b.hearing.time) || a.hearing.hearingId.localeCompare(b.hearing.hearingId));
  const seq = new Map<string, number>();
  all = listed.map((l) => {
    const key = `${l.hearing.date}/${l.hearing.courtOu}`;
    const sequence = (seq.get(key) ?? 0) + 1;
    seq.set(key, sequence);
    return { hearing: l.hearing, bailStatus: l.kase.bailStatus, json: renderHearing({ ...l, sequence }, population.referenceDate) };
  });
  rendered.set(population, all);
  return all;
}

/** Every hearing of the population matching the query, in sitting order (shared objects: read them, never change them). */
export function listHearings(population: Population, q: ListingQuery): Record<string, unknown>[] {
  const courts = new Set(q.courtCentreCodes);
  return allHearings(population)
    .filter(({ hearing: h, bailStatus }) => (!q.bailStatus || bailStatus === q.bailStatus) && (!courts.size || courts.has(h.courtOu))
      && (!q.startDate || h.date >= q.startDate) && (!q.endDate || h.date <= q.endDate))
    .map((r) => r.json);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The listing query from a request URL; a malformed parameter is the caller's error (null). */
export function parseListingQuery(url: URL): ListingQuery | null {
  const codes = (url.searchParams.get('courtCentreCode') ?? '').split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  const startDate = url.searchParams.get('startDate');
  const endDate = url.searchParams.get('endDate');
  const bailStatus = url.searchParams.get('bailStatus')?.trim().toUpperCase() || null;
  if ((startDate && !DATE.test(startDate)) || (endDate && !DATE.test(endDate)) || codes.length > 500 || (bailStatus && !/^[A-Z]$/.test(bailStatus))) return null;
  return { courtCentreCodes: codes, startDate, endDate, bailStatus };
}
