// Retention: removes the oldest records once they pass the retention period, leaving a chain that still
// verifies from a signed anchor checkpoint, and records the removal in the trail itself.
import { randomUUID } from 'node:crypto';
import { hashVariables, sha256Hex, type AuditRecordInput, type Checkpoint, type RetentionDetails, type StoredAuditRecord } from './record.js';
import type { AuditTrail } from './trail.js';

export interface RetentionOptions {
  /** Records older than this ISO instant are removed (the oldest run of them, so the chain stays whole). */
  olderThan: string;
  now?: Date;
  policyVersion?: string;
}

export interface RetentionResult {
  removed: number;
  /** The seq range removed, or null when nothing was due. */
  fromSeq: number | null;
  toSeq: number | null;
  anchor: Checkpoint | null;
  /** The RETENTION record describing the removal. */
  record: StoredAuditRecord | null;
}

/** The cut-off for a retention period of `days` (`AUDIT_RETENTION_DAYS`). */
export function retentionCutoff(days: number, now = new Date()): string {
  if (!Number.isSafeInteger(days) || days < 1) throw new RangeError(`retention days must be a positive whole number, got ${days}`);
  return new Date(now.getTime() - days * 86_400_000).toISOString();
}

/**
 * Removes records 1..S, where S is the last record before the first one at or after `olderThan`:
 * signs a checkpoint at S (the anchor), appends a RETENTION record naming the range and the anchor,
 * then prunes. The record goes first so a crash can leave an unremoved range, never an unexplained gap.
 */
export async function applyRetention(trail: AuditTrail, options: RetentionOptions): Promise<RetentionResult> {
  const now = options.now ?? new Date();
  const cutoffMs = Date.parse(options.olderThan);
  if (Number.isNaN(cutoffMs)) throw new RangeError(`olderThan must be an ISO instant, got "${options.olderThan}"`);
  // A cut-off in the future would remove records that are not due, possibly all of them.
  if (cutoffMs > now.getTime()) throw new RangeError(`olderThan must not be in the future, got ${options.olderThan}`);
  const olderThan = new Date(cutoffMs).toISOString();
  const nothing: RetentionResult = { removed: 0, fromSeq: null, toSeq: null, anchor: null, record: null };

  const { store } = trail;
  // Checked first, so a run without the right cannot leave a RETENTION record for a removal that never happens.
  if (!(await store.canPrune())) throw new Error('this audit store connection may not remove records (PostgreSQL: use the retention role, AUDIT_RETENTION_DATABASE_URL)');
  const [first] = await store.readRange(0, 1);
  if (!first) return nothing;
  const { records: [keep] } = await store.query({ from: olderThan }, { limit: 1 });
  const head = await store.head();
  const lastDue = keep ? keep.seq - 1 : (head?.seq ?? 0);
  if (lastDue < first.seq) return nothing;

  const [anchorRecord] = await store.readRange(lastDue, 1);
  if (!anchorRecord || anchorRecord.seq !== lastDue) throw new Error(`retention: record ${lastDue} could not be read`);
  const anchor = await trail.checkpointAt(anchorRecord);
  const expected = lastDue - first.seq + 1;
  const retention: RetentionDetails = { removed: expected, fromSeq: first.seq, toSeq: lastDue, olderThan, anchorSeq: anchor.seq, anchorHash: anchor.hash };
  const record = await trail.append(retentionRecord(now, options, retention, 'SUCCESS', `records ${first.seq}..${lastDue} older than ${olderThan} removed at the end of the retention period`));
  try {
    const removed = await store.pruneBefore(lastDue + 1, anchor);
    return { removed, fromSeq: first.seq, toSeq: lastDue, anchor, record };
  } catch (err) {
    // Say so in the trail too: the record above announced a removal that did not happen.
    const reason = (err as { code?: string }).code ?? 'ERROR';
    await trail.append(retentionRecord(new Date(), options, retention, 'ERROR', `removal of records ${first.seq}..${lastDue} failed (${reason}); they remain`)).catch(() => {});
    throw err;
  }
}

function retentionRecord(now: Date, options: RetentionOptions, retention: RetentionDetails, outcome: 'SUCCESS' | 'ERROR', justification: string): AuditRecordInput {
  return {
    time: now.toISOString(),
    requestId: `retention-${randomUUID()}`,
    caller: { subject: 'system:audit-retention', agency: 'SYSTEM', roles: ['AUDIT_RETENTION'] },
    purpose: 'RETENTION',
    justification,
    operationName: null,
    documentHash: sha256Hex(''),
    variablesHash: hashVariables({}),
    subjects: [],
    disclosed: [],
    withheld: [],
    outcome,
    policyVersion: options.policyVersion ?? 'audit-retention/1',
    kind: 'RETENTION',
    retention,
  };
}
