// The court listing officer's worklists, from the court list (Common Platform's hearings, through
// adapters/courts): a court's list between two days, the remand cases in custody-time-limit priority,
// and the backlog by court. One call to the court list per page; the page is cut here, because the
// priority order is the graph's, not the court system's. Each case's defendant is a LinkedRecord (COURTS,
// ASN) that the identity subgraph links to the person for the whole page at once.
import { GraphQLError } from 'graphql';
import { AdapterError } from '../../adapters/errors.js';
import type { ListingRequest } from '../../adapters/courts/client.js';
import { organisation, type Hearing, type HearingType, type ListedHearing } from '../../adapters/courts/mapping.js';
import type { Provenance } from '../provenance.js';
import { pageOf } from '../paging.js';
import { daysBetween } from '../statistics.js';

/** The court list call (one per page): the loaders' `listHearings`. */
export type ListHearings = (req: ListingRequest) => Promise<(ListedHearing | AdapterError)[]>;

/** Derived from a line of the court list: its provenance, naming the case and the rule that made the value. */
function derived(l: ListedHearing, recordId: string | null, rule: string): Provenance | null {
  const from = (l as { provenance?: Provenance }).provenance;
  return from ? { ...from, recordId, derivedBy: rule } : null;
}

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** The most courts one request may name: the court list takes a bounded filter. */
const MAX_COURTS = 100;
const todayIso = () => new Date().toISOString().slice(0, 10);

function date(value: string | null | undefined, name: string): string | null {
  if (value == null) return null;
  if (!DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw badInput(`${name} must be a date written YYYY-MM-DD`);
  return value;
}
function courtCodes(courts: readonly string[] | null | undefined): string[] {
  const codes = [...new Set((courts ?? []).map((c) => c.trim().toUpperCase()).filter(Boolean))];
  if (codes.length > MAX_COURTS) throw badInput(`at most ${MAX_COURTS} courts`);
  if (codes.some((c) => !/^[A-Z0-9]{1,12}$/.test(c))) throw badInput('a court is a CJS organisation unit code, e.g. B01EF00');
  return codes;
}

const HEARING_TYPE: Record<string, HearingType> = { 'FIRST HEARING': 'FIRST_HEARING', TRIAL: 'TRIAL', SENTENCE: 'SENTENCE' };

/** The hearing of a court list line, as the graph's Hearing. */
export function hearingOf(l: ListedHearing): Hearing {
  return {
    id: `${l.urn}/${l.date}/${l.time ?? ''}/${l.court.code}`, court: l.court, date: l.date, time: l.time,
    type: l.typeDescription ? HEARING_TYPE[l.typeDescription.toUpperCase()] ?? 'OTHER' : null, typeCode: null, typeDescription: l.typeDescription,
  };
}

/** A case listed at a hearing, with its custody time limit worked out for a day. */
export type ListedCaseView = ListedHearing & { on: string };
/** An unreadable line keeps its place: null with BAD_SOURCE_DATA. */
type Line = ListedHearing | AdapterError;

/** Sortable keys: a line's place in an order, unique (its case and defendant last). */
const keyOf = (parts: string[]) => parts.join('|');
const pad = (n: number) => String(n).padStart(6, '0');

function paged<T>(lines: { key: string; value: T }[], args: { first?: number | null; after?: string | null }) {
  const page = pageOf(lines.map((l) => l.key), args);
  const byKey = new Map(lines.map((l) => [l.key, l.value]));
  return { items: page.keys.map((k) => byKey.get(k)!), totalCount: page.totalCount, nextCursor: page.nextCursor };
}

export async function courtList(list: ListHearings, args: { court: string; from: string; to: string; on?: string | null; first?: number | null; after?: string | null }) {
  const [court] = courtCodes([args.court]);
  if (!court) throw badInput('court must be a CJS organisation unit code, e.g. B01EF00');
  const from = date(args.from, 'from')!;
  const to = date(args.to, 'to')!;
  if (to < from) throw badInput('to must not be before from');
  if (daysBetween(from, to) > 366) throw badInput('a court list covers at most a year');
  pageOf([], args); // the page size and cursor are checked before the court is asked
  const on = date(args.on, 'on') ?? todayIso();
  const lines = await list({ courts: [court], from, to });
  const keyed = lines.map((l, i) => ({
    key: l instanceof AdapterError ? keyOf(['9999', pad(i)]) : keyOf([l.date, l.time ?? '99:99', pad(l.listingSequence ?? 999_999), l.urn, l.asn]),
    value: l instanceof AdapterError ? l : { ...l, on },
  }));
  const page = paged(keyed, args);
  const named = lines.find((l): l is ListedHearing => !(l instanceof AdapterError))?.court;
  return { court: named ?? organisation(court), from, to, ...page };
}

export type Priority = 'EXPIRED' | 'EXPIRING' | 'RUNNING';
export interface RemandView { rank: number; priority: Priority; on: string; line: ListedHearing; next: ListedHearing }

/** A remand case's provenance: its court list line, with the priority rule. */
export const remandProvenance = (r: RemandView) => derived(r.line, r.line.urn, `custody time limit priority on ${r.on} (expired, expiring, then age of case)`);

/** Custody-time-limit priority: expired (longest overdue first), expiring within `within` days (soonest first), then by age of case. */
export function prioritise(lines: ListedHearing[], on: string, within: number): RemandView[] {
  // One entry per case and defendant: its next hearing on or after the day, else its last.
  const byCase = new Map<string, ListedHearing[]>();
  for (const l of lines) if (l.custodyTimeLimit) byCase.set(`${l.urn}/${l.asn}`, [...(byCase.get(`${l.urn}/${l.asn}`) ?? []), l]);
  const entries = [...byCase.values()].map((hs) => {
    const sorted = [...hs].sort((a, b) => a.date.localeCompare(b.date) || (a.time ?? '').localeCompare(b.time ?? ''));
    const next = sorted.find((h) => h.date >= on) ?? sorted[sorted.length - 1];
    const line = next;
    const remaining = daysBetween(on, line.custodyTimeLimit!.expiry);
    const priority: Priority = remaining < 0 ? 'EXPIRED' : remaining <= within ? 'EXPIRING' : 'RUNNING';
    const sortKey = priority === 'RUNNING'
      ? keyOf(['2', line.chargeDate ?? '9999-12-31', line.urn, line.asn])
      : keyOf([priority === 'EXPIRED' ? '0' : '1', line.custodyTimeLimit!.expiry, line.urn, line.asn]);
    return { sortKey, priority, line, next };
  }).sort((a, b) => a.sortKey.localeCompare(b.sortKey));
  return entries.map((e, i) => ({ rank: i + 1, priority: e.priority, on, line: e.line, next: e.next, key: e.sortKey }) as RemandView & { key: string });
}

export async function remandCases(list: ListHearings, args: { courts?: string[] | null; on?: string | null; expiringWithinDays?: number | null; first?: number | null; after?: string | null }) {
  const courts = courtCodes(args.courts);
  const on = date(args.on, 'on') ?? todayIso();
  const within = args.expiringWithinDays ?? 28;
  if (!Number.isInteger(within) || within < 0 || within > 366) throw badInput('expiringWithinDays must be from 0 to 366');
  pageOf([], args);
  const lines: Line[] = await list({ courts, bailStatus: 'C' });
  const readable = lines.filter((l): l is ListedHearing => !(l instanceof AdapterError));
  const ranked = prioritise(readable, on, within) as (RemandView & { key: string })[];
  const keyed: { key: string; value: RemandView | AdapterError }[] = [
    ...ranked.map((r) => ({ key: r.key, value: r as RemandView })),
    ...lines.filter((l): l is AdapterError => l instanceof AdapterError).map((e, i) => ({ key: keyOf(['9', pad(i)]), value: e })),
  ];
  const counts = { expired: 0, expiring: 0, running: 0 };
  for (const r of ranked) counts[r.priority.toLowerCase() as keyof typeof counts]++;
  return { on, expiringWithinDays: within, counts, ...paged(keyed, args) };
}

export async function courtBacklog(list: ListHearings, args: { courts?: string[] | null; on?: string | null }) {
  const courts = courtCodes(args.courts);
  const on = date(args.on, 'on') ?? todayIso();
  const lines = await list({ courts, from: on });
  // An unreadable line would make a count wrong without saying so: the whole answer fails, naming the courts.
  const bad = lines.find((l): l is AdapterError => l instanceof AdapterError);
  if (bad) throw bad;
  const by = new Map<string, { court: ListedHearing['court']; hearings: number; open: Map<string, ListedHearing> }>();
  for (const l of lines as ListedHearing[]) {
    const b = by.get(l.court.code) ?? { court: l.court, hearings: 0, open: new Map() };
    b.hearings++;
    if (l.caseStatus !== 'INACTIVE') b.open.set(`${l.urn}/${l.asn}`, l);
    by.set(l.court.code, b);
  }
  return [...by.values()].sort((a, b) => a.court.code.localeCompare(b.court.code)).map((b) => {
    const open = [...b.open.values()];
    const first = open[0] ?? (lines[0] as ListedHearing | undefined);
    const remanded = open.filter((l) => l.bailStatus?.code === 'CUSTODY');
    return {
      court: b.court, openCases: open.length, listedHearings: b.hearings, remandedInCustody: remanded.length,
      custodyTimeLimitExpired: remanded.filter((l) => l.custodyTimeLimit && l.custodyTimeLimit.expiry < on).length,
      oldestChargeDate: open.map((l) => l.chargeDate).filter((d): d is string => d != null).sort()[0] ?? null,
      provenance: first ? derived(first, null, `counts over the court's list from ${on}`) : null,
    };
  });
}

/** A custody time limit as the graph shows it, for a day. */
export function custodyTimeLimitOn(l: ListedHearing, on: string) {
  return l.custodyTimeLimit
    ? { ...l.custodyTimeLimit, daysRemaining: daysBetween(on, l.custodyTimeLimit.expiry), provenance: derived(l, l.urn, `the case's custody time limit on the court list, days remaining counted from ${on}`) }
    : null;
}
