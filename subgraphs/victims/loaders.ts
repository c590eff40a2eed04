// Per-request loaders: fresh for every request, so a cached victim never outlives the request that read it.
// Lookups in one tick become one batch, and one batch is one snapshot of the exports (one read of each
// file at most, none when the exports have not changed since the last read).
import DataLoader from 'dataloader';
import type { VictimResult, VictimsClient } from '../../adapters/victims/client.js';
import type { Victim } from '../../adapters/victims/mapping.js';
import { provenanceOf, readAt, stamp, type Source } from '../provenance.js';

/** Where the victims subgraph's records come from (each object's `provenance`). */
export const SOURCE: Source = { agency: 'VICTIMS', system: 'Victim contact system (nightly CSV and VCS exports)' };

/** A victim and the parts of their record, by victim id, read at `at` (an unreadable record stays an error). */
function stampVictim<V extends VictimResult | null | undefined>(v: V, at: string): V {
  if (v == null || v instanceof Error) return v;
  const victim = v as Victim;
  const p = provenanceOf(SOURCE, victim.id, at);
  return stamp({ ...victim, contactScheme: victim.contactScheme && stamp(victim.contactScheme, p), contactPreferences: victim.contactPreferences && stamp(victim.contactPreferences, p) }, p) as unknown as V;
}

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
      const at = readAt(); // when this batch read the exports (one snapshot for the batch)
      return urns.map((urn) => (found.get(urn) ?? []).map((v) => stampVictim(v, at)));
    }),
    victimById: new DataLoader(async (ids) => {
      const found = await client.victimsById(ids);
      const at = readAt();
      return ids.map((id) => stampVictim(found.get(id) ?? null, at));
    }),
  };
}
