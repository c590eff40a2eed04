// Per-request DataLoaders over the police client: the loads of one tick become one SQL query per
// table. A nominal with no record yields null (or an empty list), never a failed batch.
import DataLoader from 'dataloader';
import type { AdapterError } from '../../adapters/errors.js';
import type { PoliceClient } from '../../adapters/police/client.js';
import type { Arrest, IntelligenceFlag, PoliceNominal, WarningMarker } from '../../adapters/police/mapping.js';
import { provenanceOf, readAt, stamp, stampAll, stampBatch, type Source } from '../provenance.js';

/** Where the police subgraph's records come from (each object's `provenance`). */
export const SOURCE: Source = { agency: 'POLICE', system: 'Police records management (SQL)' };

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

/** An arrest and its custody record, each with its own id, read at `at`. */
function stampArrest(a: Arrest, at: string): Arrest {
  const custodyRecord = a.custodyRecord ? stamp(a.custodyRecord, provenanceOf(SOURCE, a.custodyRecord.id, at)) : null;
  return stamp({ ...a, custodyRecord }, provenanceOf(SOURCE, a.id, at));
}

/** A batch read and stamped with the instant it was read: one `retrievedAt` per call to the police system. */
function stamped<V>(fetch: (ids: string[]) => Promise<Map<string, V | AdapterError>>, stampOne: (v: V, at: string) => V) {
  return async (ids: string[]) => {
    const found = await fetch(ids);
    const at = readAt();
    return stampBatch(found, (v) => stampOne(v as V, at));
  };
}

export function createLoaders(client: PoliceClient, _requestId: string): PoliceLoaders {
  return {
    nominal: loader<PoliceNominal | null>(stamped((ids) => client.nominals(ids), (n, at) => n && stamp(n, provenanceOf(SOURCE, n.nominalId, at))), () => null),
    arrests: loader(stamped((ids) => client.arrests(ids), (list, at) => list.map((a) => (a instanceof Error ? a : stampArrest(a, at)))), () => []),
    warningMarkers: loader(stamped((ids) => client.warningMarkers(ids), (list, at) => stampAll(list, (m) => provenanceOf(SOURCE, m.recordId, at))), () => []),
    intelligenceFlags: loader(stamped((ids) => client.intelligenceFlags(ids), (list, at) => stampAll(list, (f) => provenanceOf(SOURCE, f.id, at))), () => []),
  };
}
