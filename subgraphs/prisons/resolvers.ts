// Resolvers for the prisons subgraph. Entity references do no fetching; each field reads the person's
// prison numbers from the person key and fetches through the request's loaders, so a list of people
// costs one Prisoner Search call. Adapter errors are thrown (or left in list slots) for GraphQL to report.
import { AdapterError } from '../../adapters/errors.js';
import type { CustodyPeriod, PrisonAlert, PrisonerRecord } from '../../adapters/prisons/mapping.js';
import { ownIdentifier, recordedIdentifier, type Provenance } from '../../schema/model.js';
import { encodePersonId, localIdsFor } from '../../schema/person-id.js';
import { GraphQLError } from 'graphql';
import { CELL_PREFIX, type PrisonerAnswer } from '../../adapters/prisons/client.js';
import { AGENCY, prisonOrganisation } from '../../adapters/prisons/mapping.js';
import type { SubgraphContext } from '../types.js';
import type { PrisonsLoaders } from './loaders.js';

type Ctx = SubgraphContext<PrisonsLoaders>;
interface PersonRef { id: string }

const prisonNumbers = (p: PersonRef) => localIdsFor(p.id, 'prisons');

/** Readable items newest first by `date`; unreadable ones (errors) after them, so each keeps its own slot. */
function newestFirst<T>(items: (T | AdapterError)[], date: (t: T) => string | null): (T | AdapterError)[] {
  const ok = items.filter((i): i is T => !(i instanceof AdapterError));
  const bad = items.filter((i) => i instanceof AdapterError);
  return [...ok.sort((a, b) => (date(b) ?? '').localeCompare(date(a) ?? '')), ...bad];
}

async function records(p: PersonRef, ctx: Ctx) {
  const all = await Promise.all(prisonNumbers(p).map((n) => ctx.loaders.prisoner.load(n)));
  return all.filter((s) => s !== null);
}

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_ROLL_PAGE = 200;

interface RollArgs { prisonId: string; wing?: string | null; since: string; on?: string | null; first?: number | null; after?: string | null }
type RollChange = { kind: 'RECEPTION' | 'NEW_ALERT' | 'AT_COURT' | 'TEMPORARY_ABSENCE' | 'RELEASE_DUE'; date: string | null; detail: string | null; provenance: Provenance | null };

const CHANGE_RULE = 'what changed since a date, on the roll';
/** A derived value's provenance: the record it was read from, and the rule. */
const derived = (from: unknown, rule: string): Provenance | null => {
  const p = (from as { provenance?: Provenance } | null)?.provenance;
  return p ? { ...p, derivedBy: rule } : null;
};

/** The day in UTC, as the roll's default "on". */
const todayIso = () => new Date().toISOString().slice(0, 10);

/**
 * One page of an establishment's roll with, per person, what changed since `since`: their latest booking
 * (reception, at court, temporary absence, release due) from the same Prisoner Search page, and new alerts
 * from one Prisoner Alerts API call for the page.
 */
async function prisonRoll(args: RollArgs, ctx: Ctx) {
  const prisonId = args.prisonId.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(prisonId)) throw badInput('prisonId is a three-letter prison id, e.g. MDI');
  const wing = args.wing?.trim().toUpperCase() || null;
  if (wing !== null && !CELL_PREFIX.test(wing)) throw badInput('wing is written like A, A-1 or A-1-002');
  if (!ISO_DATE.test(args.since) || Number.isNaN(Date.parse(args.since))) throw badInput('since is a date written YYYY-MM-DD');
  const on = args.on ?? todayIso();
  if (!ISO_DATE.test(on) || Number.isNaN(Date.parse(on))) throw badInput('on is a date written YYYY-MM-DD');
  const size = args.first ?? 50;
  if (!Number.isInteger(size) || size < 1 || size > MAX_ROLL_PAGE) throw badInput(`first must be from 1 to ${MAX_ROLL_PAGE}`);
  const page = args.after == null ? 0 : /^\d{1,6}$/.test(args.after) ? Number(args.after) : NaN;
  if (!Number.isInteger(page)) throw badInput('after must be the nextCursor of a previous page');

  const roll = await ctx.loaders.roll(prisonId, { cellPrefix: wing, page, size });
  const numbers = roll.entries.filter((e): e is PrisonerAnswer => !(e instanceof AdapterError)).map((e) => e.record.prisonNumber);
  const alerts = numbers.length ? await Promise.all(numbers.map((n) => ctx.loaders.alerts.load(n))) : [];
  const alertsOf = new Map(numbers.map((n, i) => [n, alerts[i] ?? []]));
  const counts = { inPrison: 0, temporarilyAbsent: 0, atCourt: 0, receivedSince: 0, withNewAlerts: 0, releaseDue: 0 };
  const entries = roll.entries.map((e) => {
    if (e instanceof AdapterError) return e;
    const n = e.record.prisonNumber;
    const booking = e.custody.find((c): c is CustodyPeriod => !(c instanceof AdapterError)) ?? null;
    const changes: RollChange[] = [];
    const fromBooking = derived(booking, CHANGE_RULE);
    if (booking?.receptionDate && booking.receptionDate >= args.since) changes.push({ kind: 'RECEPTION', date: booking.receptionDate, detail: null, provenance: fromBooking });
    for (const a of alertsOf.get(n) ?? []) {
      if (!(a instanceof AdapterError) && a.active && a.dateCreated >= args.since) changes.push({ kind: 'NEW_ALERT', date: a.dateCreated, detail: [a.code, a.description].filter(Boolean).join(': '), provenance: derived(a, CHANGE_RULE) });
    }
    if (booking?.custodyState === 'AT_COURT') changes.push({ kind: 'AT_COURT', date: null, detail: null, provenance: fromBooking });
    if (booking?.custodyState === 'TEMPORARY_ABSENCE') changes.push({ kind: 'TEMPORARY_ABSENCE', date: null, detail: null, provenance: fromBooking });
    const due = booking?.active ? booking.expectedReleaseDate : null;
    if (due && due <= on) changes.push({ kind: 'RELEASE_DUE', date: due, detail: null, provenance: fromBooking });
    if (booking?.custodyState === 'IN_PRISON') counts.inPrison++;
    if (booking?.custodyState === 'TEMPORARY_ABSENCE') counts.temporarilyAbsent++;
    if (booking?.custodyState === 'AT_COURT') counts.atCourt++;
    if (changes.some((c) => c.kind === 'RECEPTION')) counts.receivedSince++;
    if (changes.some((c) => c.kind === 'NEW_ALERT')) counts.withNewAlerts++;
    if (changes.some((c) => c.kind === 'RELEASE_DUE')) counts.releaseDue++;
    return {
      person: { id: encodePersonId([{ agency: AGENCY, localId: n }]) },
      prisonNumber: n,
      cellLocation: booking?.cellLocation ?? null,
      custodyState: booking?.custodyState ?? null,
      changes: changes.sort((a, b) => (b.date ?? '9999').localeCompare(a.date ?? '9999')),
      // The person's Prisoner Search record, as a line of the roll.
      provenance: derived(e.record, 'the roll of an establishment: everyone held, with their latest booking'),
    };
  });
  return {
    prison: prisonOrganisation(prisonId) ?? { code: prisonId, name: null },
    wing,
    total: roll.total,
    counts,
    entries,
    nextCursor: roll.last ? null : String(page + 1),
  };
}

export const resolvers = {
  Query: {
    prisonRoll: (_: unknown, args: RollArgs, ctx: Ctx) => prisonRoll(args, ctx),
  },
  Person: {
    __resolveReference: (ref: PersonRef): PersonRef => ({ id: ref.id }),
    custodyPeriods: async (p: PersonRef, _a: unknown, ctx: Ctx) => {
      const found = await records(p, ctx);
      return newestFirst(found.flatMap((s) => s.custody), (c: CustodyPeriod) => c.receptionDate);
    },
    prisonAlerts: async (p: PersonRef, _a: unknown, ctx: Ctx) => {
      const lists = await Promise.all(prisonNumbers(p).map((n) => ctx.loaders.alerts.load(n)));
      return newestFirst(lists.flatMap((l) => l ?? []), (a: PrisonAlert) => a.dateCreated);
    },
    nextReleaseDate: async (p: PersonRef, _a: unknown, ctx: Ctx) => {
      const dates = (await records(p, ctx)).map((s) => s.nextReleaseDate).filter((d): d is string => d !== null);
      return dates.sort()[0] ?? null;
    },
    prisonRecord: async (p: PersonRef, _a: unknown, ctx: Ctx) => (await records(p, ctx))[0]?.record ?? null,
  },
  PrisonerRecord: {
    pnc: (r: PrisonerRecord) => recordedIdentifier('PNC', r.pnc),
    cro: (r: PrisonerRecord) => recordedIdentifier('CRO', r.cro),
    identifiers: (r: PrisonerRecord) => [ownIdentifier('PRISON_NUMBER', r.prisonNumber),
      ...(r.pnc.raw !== null ? [recordedIdentifier('PNC', r.pnc)] : []), ...(r.cro.raw !== null ? [recordedIdentifier('CRO', r.cro)] : [])],
  },
};
