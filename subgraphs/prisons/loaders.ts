// Per-request DataLoaders over the prisons client. Prisoner records and their latest booking batch into
// one Prisoner Search call; alerts batch into one Prisoner Alerts API call.
// A prison number the system does not hold yields null; an unreadable record yields an Error in its slot.
import type { RemandPage } from '../../adapters/prisons/client.js';
import DataLoader from 'dataloader';
import type { AdapterError } from '../../adapters/errors.js';
import type { PrisonerAnswer, PrisonsClient, RollPage } from '../../adapters/prisons/client.js';
import type { PrisonAlert } from '../../adapters/prisons/mapping.js';
import { provenanceOf, readAt, stamp, stampAll, stampBatch, type Source } from '../provenance.js';

/** Where the prisons subgraph's records come from (each object's `provenance`): NOMIS, through the API that served them. */
export const SOURCE: Source = { agency: 'PRISONS', system: 'NOMIS (Prisoner Search API)' };
export const ALERTS_SOURCE: Source = { agency: 'PRISONS', system: 'NOMIS (Prisoner Alerts API)' };

/** A Prisoner Search answer with its parts stamped: the record by prison number, each booking by its booking id. */
export function stampPrisoner(a: PrisonerAnswer, at: string): PrisonerAnswer {
  const n = a.record.prisonNumber;
  const record = stamp({ ...a.record, aliases: a.record.aliases.map((x) => stamp(x, provenanceOf(SOURCE, n, at))) }, provenanceOf(SOURCE, n, at));
  return { ...a, record, custody: stampAll(a.custody, (c) => provenanceOf(SOURCE, c.bookingId, at)) };
}

export interface PrisonsLoaders {
  requestId: string;
  /** One page of the remand population (statistics): one call per page. */
  remandPage(page: number, size: number): Promise<RemandPage>;
  /** The Prisoner Search record with the latest booking (custody periods) of a prison number. */
  prisoner: DataLoader<string, PrisonerAnswer | null>;
  alerts: DataLoader<string, (PrisonAlert | AdapterError)[] | null>;
  /** One page of an establishment's roll (a list, not a batch: one call per page). */
  roll(prisonId: string, opts: { cellPrefix: string | null; page: number; size: number }): Promise<RollPage>;
}

const cacheKeyFn = (key: string) => key.trim().toUpperCase();

export function createLoaders(client: PrisonsClient, requestId: string): PrisonsLoaders {
  return {
    requestId,
    remandPage: (page, size) => client.remandPage(page, size),
    prisoner: new DataLoader<string, PrisonerAnswer | null>(async (keys) => {
      const read = await client.prisonersByNumber(keys.map(cacheKeyFn));
      const at = readAt(); // when Prisoner Search answered this batch
      const found = stampBatch(read, (a) => (a instanceof Error ? a : stampPrisoner(a, at)));
      return keys.map((k) => found.get(cacheKeyFn(k)) ?? null);
    }, { cacheKeyFn, maxBatchSize: 1000 }),
    alerts: new DataLoader<string, (PrisonAlert | AdapterError)[] | null>(async (keys) => {
      const read = await client.alertsByNumber(keys.map(cacheKeyFn));
      const at = readAt();
      const found = stampBatch(read, (list) => list && stampAll(list, (x) => provenanceOf(ALERTS_SOURCE, x.alertId, at)));
      return keys.map((k) => found.get(cacheKeyFn(k)) ?? null);
    }, { cacheKeyFn, maxBatchSize: 1000 }),
    roll: async (prisonId, opts) => {
      const page = await client.prisonRoll(prisonId, opts);
      const at = readAt();
      return { ...page, entries: page.entries.map((e) => (e instanceof Error ? e : stampPrisoner(e, at))) };
    },
  };
}
