// Per-request DataLoaders over the probation client: every CRN asked for in one tick goes to the
// service in one batch call (records, conditions, access). Supervisions have no bulk operation in the
// nDelius contract, so that loader gathers a tick's CRNs and the client asks them one by one, bounded.
// A CRN the service does not know yields null; a record that could not be read yields its
// BAD_SOURCE_DATA error in its own slot, never a failed batch.
import DataLoader from 'dataloader';
import type { CaseConditions, ProbationClient, SupervisionDetail } from '../../adapters/probation/client.js';
import type { CaseAccess, ProbationRecord } from '../../adapters/probation/mapping.js';

export interface ProbationLoaders {
  /** OffenderDetail by CRN (POST /crns). */
  recordByCrn: DataLoader<string, ProbationRecord | null>;
  /** Current registrations by CRN (GET /case/{crn}/supervisions, one per case). */
  supervisionByCrn: DataLoader<string, SupervisionDetail | null>;
  /** Requirements and licence conditions by CRN (stand-in extension POST /probation-cases/conditions). */
  conditionsByCrn: DataLoader<string, CaseConditions | null>;
  /** What one nDelius user may see of each case (POST /probation-cases/access?username=), one loader per user. */
  accessFor(username: string): DataLoader<string, CaseAccess>;
}

export function createLoaders(client: ProbationClient, _requestId: string): ProbationLoaders {
  const key = (crn: string) => crn.trim().toUpperCase();
  const access = new Map<string, DataLoader<string, CaseAccess>>();
  return {
    recordByCrn: new DataLoader<string, ProbationRecord | null>(async (crns) => {
      const found = await client.offendersByCrn([...crns]);
      return crns.map((c) => found.get(key(c)) ?? null);
    }),
    supervisionByCrn: new DataLoader<string, SupervisionDetail | null>(async (crns) => {
      const found = await client.supervisionByCrn([...crns]);
      return crns.map((c) => found.get(key(c)) ?? null);
    }),
    conditionsByCrn: new DataLoader<string, CaseConditions | null>(async (crns) => {
      const found = await client.conditionsByCrn([...crns]);
      return crns.map((c) => found.get(key(c)) ?? null);
    }),
    accessFor(username: string) {
      let loader = access.get(username);
      if (!loader) {
        loader = new DataLoader<string, CaseAccess>(async (crns) => {
          const found = await client.accessFor(username, [...crns]);
          return crns.map((c) => found.get(key(c)) ?? { crn: key(c), userExcluded: true, userRestricted: true });
        });
        access.set(username, loader);
      }
      return loader;
    },
  };
}
