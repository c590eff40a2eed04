// Per-request DataLoaders over the prisons client. Prisoner records batch into one Prisoner Search call;
// alerts batch into one Prisoner Alerts API call; bookings have no batch endpoint in the Prison API, so
// their loader only de-duplicates.
// A prison number the system does not hold yields null; an unreadable record yields an Error in its slot.
import DataLoader from 'dataloader';
import type { AdapterError } from '../../adapters/errors.js';
import type { PrisonsClient } from '../../adapters/prisons/client.js';
import type { CustodyPeriod, PrisonAlert, PrisonerSummary } from '../../adapters/prisons/mapping.js';

export interface PrisonsLoaders {
  requestId: string;
  prisoner: DataLoader<string, PrisonerSummary | null>;
  custody: DataLoader<string, (CustodyPeriod | AdapterError)[] | null>;
  alerts: DataLoader<string, (PrisonAlert | AdapterError)[] | null>;
}

const cacheKeyFn = (key: string) => key.trim().toUpperCase();

/** One call per key, run together; a failure is placed in that key's slot only. */
function perKey<V>(fetch: (key: string) => Promise<V>) {
  return (keys: readonly string[]) => Promise.all(keys.map((k) => fetch(cacheKeyFn(k)).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))))));
}

export function createLoaders(client: PrisonsClient, requestId: string): PrisonsLoaders {
  return {
    requestId,
    prisoner: new DataLoader<string, PrisonerSummary | null>(async (keys) => {
      const found = await client.prisonersByNumber(keys.map(cacheKeyFn));
      return keys.map((k) => found.get(cacheKeyFn(k)) ?? null);
    }, { cacheKeyFn, maxBatchSize: 1000 }),
    custody: new DataLoader(perKey((k) => client.custodyPeriods(k)), { cacheKeyFn }),
    alerts: new DataLoader<string, (PrisonAlert | AdapterError)[] | null>(async (keys) => {
      const found = await client.alertsByNumber(keys.map(cacheKeyFn));
      return keys.map((k) => found.get(cacheKeyFn(k)) ?? null);
    }, { cacheKeyFn, maxBatchSize: 1000 }),
  };
}
