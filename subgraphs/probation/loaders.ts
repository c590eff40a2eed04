// Per-request DataLoaders over the probation client: every CRN asked for in one tick goes to the
// service in one batch call. A CRN the service does not know yields null; a record that could not be
// read yields its BAD_SOURCE_DATA error in its own slot, never a failed batch.
import DataLoader from 'dataloader';
import type { ProbationClient, SupervisionDetail } from '../../adapters/probation/client.js';
import type { ProbationRecord } from '../../adapters/probation/mapping.js';

export interface ProbationLoaders {
  /** OffenderDetail by CRN (POST /crns). */
  recordByCrn: DataLoader<string, ProbationRecord | null>;
  /** Registrations, requirements and licence conditions by CRN (the supervision batch). */
  supervisionByCrn: DataLoader<string, SupervisionDetail | null>;
}

export function createLoaders(client: ProbationClient, _requestId: string): ProbationLoaders {
  const key = (crn: string) => crn.trim().toUpperCase();
  return {
    recordByCrn: new DataLoader<string, ProbationRecord | null>(async (crns) => {
      const found = await client.offendersByCrn([...crns]);
      return crns.map((c) => found.get(key(c)) ?? null);
    }),
    supervisionByCrn: new DataLoader<string, SupervisionDetail | null>(async (crns) => {
      const found = await client.supervisionByCrn([...crns]);
      return crns.map((c) => found.get(key(c)) ?? null);
    }),
  };
}
