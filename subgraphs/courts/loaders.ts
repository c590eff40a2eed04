// Per-request DataLoaders over the courts client: every lookup made in one tick becomes one Libra
// batch call. A key the court does not hold resolves to null, never failing its batch-mates.
import DataLoader from 'dataloader';
import type { AdapterError } from '../../adapters/errors.js';
import type { CourtsClient, ScanPage } from '../../adapters/courts/client.js';
import type { CourtCase } from '../../adapters/courts/mapping.js';
import { normaliseAsn } from '../../adapters/normalise.js';

export interface CourtsLoaders {
  /** A defendant's case record by ASN (GetResultedCases by ProsecutorReference), boxed: an unreadable case is an AdapterError value, not a failed load. */
  caseByAsn: DataLoader<string, { record: CourtCase | AdapterError | null }>;
  /** Cases by PTIURN (GetResultedCases by PTIURN). */
  caseByUrn: DataLoader<string, CourtCase | null>;
  /** One page of the reporting scan (statistics): cases heard in a window. */
  scanCasesHeard: (from: string, to: string, after: string | null) => Promise<ScanPage>;
}

export function createLoaders(client: CourtsClient, _requestId: string): CourtsLoaders {
  const maxBatchSize = client.config.maxBatch;
  return {
    caseByAsn: new DataLoader<string, { record: CourtCase | AdapterError | null }>(async (asns) => {
      const found = await client.casesByAsn([...asns]);
      // Boxed, because DataLoader would turn an Error in a slot into a rejection: the list shows it in its place.
      return asns.map((asn) => ({ record: found.get(normaliseAsn(asn)) ?? null }));
    }, { maxBatchSize, cacheKeyFn: normaliseAsn }),
    caseByUrn: new DataLoader<string, CourtCase | null>(async (urns) => {
      const found = await client.casesByUrn([...urns]);
      // An AdapterError in a slot fails that key only (BAD_SOURCE_DATA for one case).
      return urns.map((urn) => found.get(urn.trim().toUpperCase()) ?? null);
    }, { maxBatchSize, cacheKeyFn: (urn) => urn.trim().toUpperCase() }),
    scanCasesHeard: (from, to, after) => client.scanCasesHeard(from, to, after),
  };
}
