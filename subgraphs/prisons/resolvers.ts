// Resolvers for the prisons subgraph. Entity references do no fetching; each field reads the person's
// prison numbers from the person key and fetches through the request's loaders, so a list of people
// costs one Prisoner Search call. Adapter errors are thrown (or left in list slots) for GraphQL to report.
import { AdapterError } from '../../adapters/errors.js';
import type { CustodyPeriod, PrisonAlert, PrisonerRecord } from '../../adapters/prisons/mapping.js';
import type { CheckedIdentifier } from '../../schema/model.js';
import { localIdsFor } from '../../schema/person-id.js';
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

export const resolvers = {
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
    // Nothing recorded reads as null, rather than an empty check.
    pnc: (r: PrisonerRecord) => (r.pnc.raw === null ? null : r.pnc),
    cro: (r: PrisonerRecord) => (r.cro.raw === null ? null : r.cro),
  },
  PrisonerIdentifierCheck: {
    recorded: (c: CheckedIdentifier) => c.raw,
    normalised: (c: CheckedIdentifier) => c.value,
  },
};
