// Per-request DataLoaders over the police client: the loads of one tick become one SQL query per
// table. A nominal with no record yields null (or an empty list), never a failed batch.
import DataLoader from 'dataloader';
import type { AdapterError } from '../../adapters/errors.js';
import type { PoliceClient } from '../../adapters/police/client.js';
import type { Arrest, IntelligenceFlag, PoliceNominal, WarningMarker } from '../../adapters/police/mapping.js';

export interface PoliceLoaders {
  nominal: DataLoader<string, PoliceNominal | null>;
  arrests: DataLoader<string, (Arrest | AdapterError)[]>;
  warningMarkers: DataLoader<string, (WarningMarker | AdapterError)[]>;
  intelligenceFlags: DataLoader<string, (IntelligenceFlag | AdapterError)[]>;
}

/** A loader for one per-nominal lookup; an AdapterError value in a slot fails that key's load only. */
function loader<V>(fetch: (ids: string[]) => Promise<Map<string, V | AdapterError>>, missing: () => V) {
  return new DataLoader<string, V>(async (ids) => {
    const found = await fetch([...ids]);
    return ids.map((id) => (found.has(id) ? found.get(id)! : missing()));
  });
}

export function createLoaders(client: PoliceClient, _requestId: string): PoliceLoaders {
  return {
    nominal: loader<PoliceNominal | null>((ids) => client.nominals(ids), () => null),
    arrests: loader((ids) => client.arrests(ids), () => []),
    warningMarkers: loader((ids) => client.warningMarkers(ids), () => []),
    intelligenceFlags: loader((ids) => client.intelligenceFlags(ids), () => []),
  };
}
