// Per-request DataLoaders over the probation client: every CRN asked for in one tick goes to the
// service in one batch call (records, conditions, access). Supervisions have no bulk operation in the
// nDelius contract, so that loader gathers a tick's CRNs and the client asks them one by one, bounded.
// A CRN the service does not know yields null; a record that could not be read yields its
// BAD_SOURCE_DATA error in its own slot, never a failed batch.
import DataLoader from 'dataloader';
import type { CaseConditions, ProbationClient, SupervisionDetail } from '../../adapters/probation/client.js';
import type { CaseAccess, ProbationRecord, ProbationUnit } from '../../adapters/probation/mapping.js';
import { provenanceOf, readAt, stamp, stampAll, stampBatch, type Source } from '../provenance.js';

/** Where the probation subgraph's records come from (each object's `provenance`): nDelius, through the service that served them. */
export const RECORD_SOURCE: Source = { agency: 'PROBATION', system: 'nDelius (probation offender search)' };
export const SUPERVISION_SOURCE: Source = { agency: 'PROBATION', system: 'nDelius (integration API)' };
export const CONDITIONS_SOURCE: Source = { agency: 'PROBATION', system: 'nDelius (case conditions)' };

/** An offender record stamped: the record (and its offender manager) by CRN, a team or area by its code. */
export function stampRecord(r: ProbationRecord, at: string): ProbationRecord {
  const byCrn = provenanceOf(RECORD_SOURCE, r.crn, at);
  const unit = (u: ProbationUnit | null) => u && stamp(u, provenanceOf(RECORD_SOURCE, u.code, at));
  const om = r.offenderManager && stamp({ ...r.offenderManager, team: unit(r.offenderManager.team), probationArea: unit(r.offenderManager.probationArea) }, byCrn);
  return stamp({ ...r, offenderManager: om }, byCrn);
}

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
      const read = await client.offendersByCrn([...crns]);
      const at = readAt(); // when nDelius answered this batch
      const found = stampBatch(read, (r) => (r instanceof Error ? r : stampRecord(r, at)));
      return crns.map((c) => found.get(key(c)) ?? null);
    }),
    supervisionByCrn: new DataLoader<string, SupervisionDetail | null>(async (crns) => {
      const read = await client.supervisionByCrn([...crns]);
      const at = readAt();
      // nDelius's supervisions listing gives registrations no id: such a one is traced by its case (CRN).
      const found = stampBatch(read, (d) => (d instanceof Error ? d : { ...d, registrations: stampAll(d.registrations, (x) => provenanceOf(SUPERVISION_SOURCE, x.id ?? d.crn, at)) }));
      return crns.map((c) => found.get(key(c)) ?? null);
    }),
    conditionsByCrn: new DataLoader<string, CaseConditions | null>(async (crns) => {
      const read = await client.conditionsByCrn([...crns]);
      const at = readAt();
      const found = stampBatch(read, (d) => (d instanceof Error ? d : {
        ...d,
        requirements: stampAll(d.requirements, (x) => provenanceOf(CONDITIONS_SOURCE, x.id, at)),
        licenceConditions: stampAll(d.licenceConditions, (x) => provenanceOf(CONDITIONS_SOURCE, x.id ?? d.crn, at)),
      }));
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
