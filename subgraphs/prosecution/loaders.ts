// Per-request DataLoader over the prosecution client: every key asked for in one tick (the URNs of a
// page of cases, the PNCs and ASNs of a page of people) becomes one case-management search. A key the
// system does not hold resolves to an empty list, never failing its batch-mates.
import DataLoader from 'dataloader';
import type { AdapterError } from '../../adapters/errors.js';
import type { CaseFileKey, ProsecutionClient } from '../../adapters/prosecution/client.js';
import type { ProsecutionCaseFile } from '../../adapters/prosecution/mapping.js';

export interface ProsecutionLoaders {
  /** Case files by key (`URN:…`, `ASN:…`, `PNC:…`); an unreadable file is an AdapterError value in its place. */
  byKey: DataLoader<CaseFileKey, (ProsecutionCaseFile | AdapterError)[]>;
}

export function createLoaders(client: ProsecutionClient, _requestId: string): ProsecutionLoaders {
  return {
    // Boxed in a list, so an unreadable file is a value, not a failed load.
    byKey: new DataLoader<CaseFileKey, (ProsecutionCaseFile | AdapterError)[]>(async (keys) => {
      const found = await client.search([...keys]);
      return keys.map((k) => found.filter((f) => f.keys.includes(k)).map((f) => f.record));
    }, { maxBatchSize: client.config.maxBatch }),
  };
}
