// Per-request loaders: fresh for every request, so a cached victim never outlives the request that read it.
// Lookups in one tick become one batch, and one batch is one snapshot of the exports (one read of each
// file at most, none when the exports have not changed since the last read).
import DataLoader from 'dataloader';
import type { VictimResult, VictimsClient } from '../../adapters/victims/client.js';

export interface VictimsLoaders {
  /** Victims of a case by its URN: [] for a case with none; items are Victim or a BAD_SOURCE_DATA error. */
  victimsByCase: DataLoader<string, VictimResult[]>;
  /** A victim by id: null when absent; a record that cannot be read rejects with BAD_SOURCE_DATA. */
  victimById: DataLoader<string, VictimResult | null>;
}

export function createLoaders(client: VictimsClient, _requestId: string): VictimsLoaders {
  return {
    victimsByCase: new DataLoader(async (urns) => {
      const found = await client.victimsByCase(urns);
      return urns.map((urn) => found.get(urn) ?? []);
    }),
    victimById: new DataLoader(async (ids) => {
      const found = await client.victimsById(ids);
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}
