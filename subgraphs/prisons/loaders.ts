// Per-request DataLoaders over the prisons client. Prisoner records and their latest booking batch into
// one Prisoner Search call; alerts batch into one Prisoner Alerts API call.
// A prison number the system does not hold yields null; an unreadable record yields an Error in its slot.
import type { RemandPage } from '../../adapters/prisons/client.js';
import DataLoader from 'dataloader';
import type { AdapterError } from '../../adapters/errors.js';
import type { PrisonerAnswer, PrisonsClient, RollPage } from '../../adapters/prisons/client.js';
import type { PrisonAlert } from '../../adapters/prisons/mapping.js';

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
      const found = await client.prisonersByNumber(keys.map(cacheKeyFn));
      return keys.map((k) => found.get(cacheKeyFn(k)) ?? null);
    }, { cacheKeyFn, maxBatchSize: 1000 }),
    alerts: new DataLoader<string, (PrisonAlert | AdapterError)[] | null>(async (keys) => {
      const found = await client.alertsByNumber(keys.map(cacheKeyFn));
      return keys.map((k) => found.get(cacheKeyFn(k)) ?? null);
    }, { cacheKeyFn, maxBatchSize: 1000 }),
    roll: (prisonId, opts) => client.prisonRoll(prisonId, opts),
  };
}
