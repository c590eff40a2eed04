// Per-value provenance: every object an agency contributes carries where it came from (the common model's
// `Provenance`: agency, system, record id, when the subgraph read it, and for a derived value the rule).
// A subgraph's loaders stamp what they read once per batch call, at read time: `retrievedAt` is when the
// legacy system answered that batch, not when a field was resolved. Records are copied, never changed, so
// an adapter's own cache (an export read once) never carries one request's stamp into another's.
import type { Provenance } from '../schema/model.js';

export type { Provenance };
export type Stamped<T> = T & { provenance: Provenance };

/** Where a subgraph's records come from: its agency (the `Agency` enum value) and the legacy system as the agency names it. */
export interface Source {
  agency: string;
  system: string;
}

/** The instant a batch was read, as the schema's DateTime. */
export const readAt = (): string => new Date().toISOString();

/** One record's provenance. */
export const provenanceOf = (source: Source, recordId: string | number | null | undefined, retrievedAt: string, derivedBy: string | null = null): Provenance =>
  ({ agency: source.agency, system: source.system, recordId: recordId == null || recordId === '' ? null : String(recordId), retrievedAt, derivedBy });

/** A copy of `record` carrying `provenance`; an unreadable record (an Error in its slot) or none is left as it is. */
export function stamp<T>(record: T, provenance: Provenance): T extends object ? Stamped<T> : T {
  if (record === null || record === undefined || typeof record !== 'object' || record instanceof Error) return record as never;
  return { ...(record as object), provenance } as never;
}

/** `stamp` over a list, each item with the provenance `of` gives it. */
export const stampAll = <T>(items: readonly T[], of: (item: Exclude<T, Error | null | undefined>) => Provenance): T[] =>
  items.map((i) => (i === null || typeof i !== 'object' || i instanceof Error ? i : stamp(i, of(i as Exclude<T, Error | null | undefined>)) as T));

/** Stamps every value of a batch answer (a Map by key) with `stampOne`, leaving errors in their slots. */
export function stampBatch<K, V>(found: Map<K, V>, stampOne: (value: V, key: K) => V): Map<K, V> {
  const out = new Map<K, V>();
  for (const [k, v] of found) out.set(k, v === null || v === undefined || v instanceof Error ? v : stampOne(v, k));
  return out;
}
