// Per-request DataLoaders over the courts client: every lookup made in one tick becomes one Libra
// batch call. A key the court does not hold resolves to null, never failing its batch-mates.
import DataLoader from 'dataloader';
import type { AdapterError } from '../../adapters/errors.js';
import type { CourtsClient, ListingRequest, ScanPage } from '../../adapters/courts/client.js';
import type { CourtCase, ListedHearing } from '../../adapters/courts/mapping.js';
import { normaliseAsn } from '../../adapters/normalise.js';
import { provenanceOf, readAt, stamp, stampBatch, type Source, type Stamped } from '../provenance.js';

/** Where the courts subgraph's records come from (each object's `provenance`). */
export const SOURCE: Source = { agency: 'COURTS', system: 'Libra (ResultedCaseMessage 0.6g)' };
/** Where the court list's lines come from: the listing system's hearings, by hearing id. */
export const LISTING_SOURCE: Source = { agency: 'COURTS', system: 'Common Platform (court list hearings)' };

/**
 * A case and every part of it with its provenance, read at `at`. Libra's messages carry no ids below the
 * case: a charge is the case URN and the court's offence sequence, a result line that and its position.
 */
export function stampCase(c: CourtCase, at: string): CourtCase {
  const p = (id: string) => provenanceOf(SOURCE, id, at);
  const charges = c.charges.map((ch) => {
    const id = `${c.urn}/offence ${ch.sequence}`;
    return stamp({
      ...ch,
      offenceQualifier: ch.offenceQualifier && stamp(ch.offenceQualifier, p(id)),
      plea: ch.plea && stamp(ch.plea, p(id)),
      finding: ch.finding && stamp(ch.finding, p(id)),
      outcomes: ch.outcomes.map((o, i) => (o instanceof Error ? o : stamp(o, p(`${id}/result ${i + 1}`)))),
    }, p(id));
  });
  return stamp({
    ...c,
    defendant: stamp(c.defendant, p(c.asn)),
    bailStatus: c.bailStatus && stamp(c.bailStatus, p(c.urn)),
    hearings: c.hearings.map((h) => stamp(h, p(h.id))),
    charges,
  }, p(c.urn));
}

export interface CourtsLoaders {
  /** A defendant's case record by ASN (GetResultedCases by ProsecutorReference), boxed: an unreadable case is an AdapterError value, not a failed load. */
  caseByAsn: DataLoader<string, { record: CourtCase | AdapterError | null }>;
  /** Cases by PTIURN (GetResultedCases by PTIURN). */
  caseByUrn: DataLoader<string, CourtCase | null>;
  /** The court list (Common Platform hearings with bail status and custody time limits): one call per page of a worklist. */
  listHearings(req: ListingRequest): Promise<(Stamped<ListedHearing> | AdapterError)[]>;
  /** One page of the reporting scan (statistics): cases heard in a window. */
  scanCasesHeard: (from: string, to: string, after: string | null) => Promise<ScanPage>;
}

export function createLoaders(client: CourtsClient, _requestId: string): CourtsLoaders {
  const maxBatchSize = client.config.maxBatch;
  return {
    caseByAsn: new DataLoader<string, { record: CourtCase | AdapterError | null }>(async (asns) => {
      const read = await client.casesByAsn([...asns]);
      const at = readAt(); // when Libra answered this batch
      const found = stampBatch(read, (c) => (c instanceof Error ? c : stampCase(c, at)));
      // Boxed, because DataLoader would turn an Error in a slot into a rejection: the list shows it in its place.
      return asns.map((asn) => ({ record: found.get(normaliseAsn(asn)) ?? null }));
    }, { maxBatchSize, cacheKeyFn: normaliseAsn }),
    caseByUrn: new DataLoader<string, CourtCase | null>(async (urns) => {
      const read = await client.casesByUrn([...urns]);
      const at = readAt(); // when Libra answered this batch
      const found = stampBatch(read, (c) => (c instanceof Error ? c : stampCase(c, at)));
      // An AdapterError in a slot fails that key only (BAD_SOURCE_DATA for one case).
      return urns.map((urn) => found.get(urn.trim().toUpperCase()) ?? null);
    }, { maxBatchSize, cacheKeyFn: (urn) => urn.trim().toUpperCase() }),
    listHearings: async (req) => {
      const lines = await client.listHearings(req);
      const at = readAt(); // when the court list answered
      return lines.map((l) => (l instanceof Error ? l : stamp(l, provenanceOf(LISTING_SOURCE, l.hearingId, at))));
    },
    scanCasesHeard: (from, to, after) => client.scanCasesHeard(from, to, after),
  };
}
