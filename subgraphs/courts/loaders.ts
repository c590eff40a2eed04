// Per-request DataLoaders over the courts client: every lookup made in one tick becomes one Libra
// batch call. A key the court does not hold resolves to null (or []), never failing its batch-mates.
import DataLoader from 'dataloader';
import type { AdapterError } from '../../adapters/errors.js';
import type { CourtsClient } from '../../adapters/courts/client.js';
import type { CourtCase, CourtDefendant } from '../../adapters/courts/mapping.js';

export interface CourtsLoaders {
  /** Defendant records by court defendant id (GetDefendants). */
  defendant: DataLoader<string, CourtDefendant | null>;
  /** Each defendant's cases (GetCasesByDefendant); a malformed case is an AdapterError item. */
  casesByDefendant: DataLoader<string, (CourtCase | AdapterError)[]>;
  /** Cases by PTIURN (GetCases). */
  caseByUrn: DataLoader<string, CourtCase | null>;
}

export function createLoaders(client: CourtsClient, _requestId: string): CourtsLoaders {
  const maxBatchSize = client.config.maxBatch;
  return {
    defendant: new DataLoader<string, CourtDefendant | null>(async (ids) => {
      const found = await client.getDefendants([...ids]);
      // An AdapterError in a slot fails that key only (BAD_SOURCE_DATA for one record).
      return ids.map((id) => found.get(id.trim()) ?? null);
    }, { maxBatchSize }),
    casesByDefendant: new DataLoader<string, (CourtCase | AdapterError)[]>(async (ids) => {
      const found = await client.getCasesByDefendant([...ids]);
      return ids.map((id) => found.get(id.trim()) ?? []);
    }, { maxBatchSize }),
    caseByUrn: new DataLoader<string, CourtCase | null>(async (urns) => {
      const found = await client.getCases([...urns]);
      return urns.map((urn) => found.get(urn.trim().toUpperCase()) ?? null);
    }, { maxBatchSize, cacheKeyFn: (urn) => urn.trim().toUpperCase() }),
  };
}
