// Verifies the whole trail in chain order and names the first record (or checkpoint) that does not verify.
import type { JWK } from 'jose';
import { CheckpointVerifier } from './checkpoint.js';
import { GENESIS_HASH, hashRecord, recordInput, type Checkpoint, type StoredAuditRecord } from './record.js';
import { AuditRecordUnreadableError, type AuditHead, type AuditStore } from './store.js';

export type VerifyFailureReason =
  /** The record's content no longer produces its hash: it was edited. */
  | 'HASH_MISMATCH'
  /** The record does not link to the one before it: something before it was edited, removed or reordered. */
  | 'PREV_HASH_MISMATCH'
  /** The expected seq is not next: a record was deleted or records were reordered. */
  | 'SEQ_GAP'
  /** The stored record cannot be parsed. */
  | 'UNREADABLE'
  | 'CHECKPOINT_SIGNATURE_INVALID'
  /** A genuine checkpoint vouches for a different hash at its seq than the record there. */
  | 'CHECKPOINT_MISMATCH'
  /** A genuine checkpoint vouches for a record past the end of the chain: the tail was removed. */
  | 'TRUNCATED'
  /** The chain does not start at seq 1 and no genuine checkpoint anchors its first record. */
  | 'ANCHOR_MISSING'
  /** Records before the anchor are gone but no RETENTION record says so. */
  | 'REMOVAL_NOT_RECORDED';

export interface VerifyFailure {
  seq: number;
  reason: VerifyFailureReason;
  message: string;
}

export type VerifyResult =
  | { ok: true; records: number; checkpoints: number; firstSeq: number | null; lastSeq: number | null; anchorSeq: number | null }
  | { ok: false; firstBad: VerifyFailure; records: number; checkpoints: number };

export interface VerifyOptions {
  pageSize?: number;
}

const fail = (seq: number, reason: VerifyFailureReason, message: string): VerifyFailure => ({ seq, reason, message });

/**
 * Walks every record in order checking seq continuity, links and hashes, and every checkpoint's signature
 * and agreement with the record at its seq. After retention the chain must hang from a genuine checkpoint
 * named by a RETENTION record. `keys`: the public JWK(s) checkpoints may be signed with.
 */
export async function verifyChain(store: AuditStore, keys: JWK | JWK[] | CheckpointVerifier, options: VerifyOptions = {}): Promise<VerifyResult> {
  const verifier = keys instanceof CheckpointVerifier ? keys : new CheckpointVerifier(keys);
  const pageSize = options.pageSize ?? 1000;
  const cps = await store.checkpoints();
  const checked = await Promise.all(cps.map(async (cp) => ({ cp, problem: await verifier.problem(cp) })));
  let nextCp = 0;
  let records = 0;
  const result = (firstBad: VerifyFailure): VerifyResult => ({ ok: false, firstBad, records, checkpoints: cps.length });

  // Checkpoints up to `seq` (inclusive), against the record at that seq when there is one.
  const checkpointsThrough = (seq: number, record: StoredAuditRecord | null): VerifyFailure | null => {
    for (; nextCp < checked.length && checked[nextCp].cp.seq <= seq; nextCp++) {
      const { cp, problem } = checked[nextCp];
      if (problem) return fail(cp.seq, 'CHECKPOINT_SIGNATURE_INVALID', `checkpoint at seq ${cp.seq}: ${problem}`);
      if (record && cp.seq === record.seq && cp.hash !== record.hash) return fail(cp.seq, 'CHECKPOINT_MISMATCH', `record ${cp.seq} differs from what the checkpoint signed at ${cp.time} vouches for`);
    }
    return null;
  };

  let page: StoredAuditRecord[];
  try {
    page = await store.readRange(0, pageSize);
  } catch (err) {
    if (err instanceof AuditRecordUnreadableError) return result(fail(err.seq, 'UNREADABLE', `record ${err.seq} cannot be read`));
    throw err;
  }
  if (page.length === 0) {
    const last = cps[cps.length - 1];
    const early = checkpointsThrough(Number.MAX_SAFE_INTEGER, null);
    if (early) return result(early);
    if (last) return result(fail(last.seq, 'TRUNCATED', `the trail holds no records but a checkpoint vouches for record ${last.seq}`));
    return { ok: true, records: 0, checkpoints: 0, firstSeq: null, lastSeq: null, anchorSeq: null };
  }

  // Where the chain starts: genesis, or a genuine checkpoint that a RETENTION record names as its anchor.
  const first = page[0];
  let prev: AuditHead = { seq: 0, hash: GENESIS_HASH };
  let retentionDue: Checkpoint | null = null;
  const before = checkpointsThrough(first.seq - 2, null);
  if (before) return result(before);
  if (first.seq !== 1) {
    const candidates = checked.filter((c) => c.cp.seq === first.seq - 1);
    const forged = candidates.find((c) => c.problem);
    if (forged) return result(fail(forged.cp.seq, 'CHECKPOINT_SIGNATURE_INVALID', `anchor checkpoint at seq ${forged.cp.seq}: ${forged.problem}`));
    const anchor = candidates.find((c) => c.cp.hash === first.prevHash);
    if (!anchor) return result(fail(first.seq, 'ANCHOR_MISSING', `the trail starts at record ${first.seq} but no signed checkpoint at seq ${first.seq - 1} anchors it (records before it deleted?)`));
    const other = candidates.find((c) => c.cp.hash !== first.prevHash);
    if (other) return result(fail(other.cp.seq, 'CHECKPOINT_MISMATCH', `two signed checkpoints at seq ${other.cp.seq} disagree`));
    prev = { seq: anchor.cp.seq, hash: anchor.cp.hash };
    retentionDue = anchor.cp;
    nextCp = checked.findIndex((c) => c.cp.seq > anchor.cp.seq);
    if (nextCp < 0) nextCp = checked.length;
  }

  for (;;) {
    for (const r of page) {
      const expected = prev.seq + 1;
      if (r.seq !== expected) return result(fail(expected, 'SEQ_GAP', `expected record ${expected}, found ${r.seq}: record ${expected} was deleted or records were reordered`));
      if (r.prevHash !== prev.hash) return result(fail(r.seq, 'PREV_HASH_MISMATCH', `record ${r.seq} does not link to record ${prev.seq}`));
      if (hashRecord(r.prevHash, recordInput(r), r.seq) !== r.hash) return result(fail(r.seq, 'HASH_MISMATCH', `record ${r.seq} was altered: its content does not match its hash`));
      const cpBad = checkpointsThrough(r.seq, r);
      if (cpBad) return result(cpBad);
      if (retentionDue && r.kind === 'RETENTION' && r.retention?.anchorSeq === retentionDue.seq && r.retention.anchorHash === retentionDue.hash) retentionDue = null;
      prev = r;
      records++;
    }
    if (page.length < pageSize) break;
    try {
      page = await store.readRange(prev.seq + 1, pageSize);
    } catch (err) {
      if (err instanceof AuditRecordUnreadableError) return result(fail(err.seq, 'UNREADABLE', `record ${err.seq} cannot be read`));
      throw err;
    }
    if (page.length === 0) break;
  }

  for (; nextCp < checked.length; nextCp++) {
    const { cp, problem } = checked[nextCp];
    if (problem) return result(fail(cp.seq, 'CHECKPOINT_SIGNATURE_INVALID', `checkpoint at seq ${cp.seq}: ${problem}`));
    return result(fail(prev.seq + 1, 'TRUNCATED', `the chain ends at record ${prev.seq} but a signed checkpoint vouches for record ${cp.seq}: records ${prev.seq + 1}..${cp.seq} were removed`));
  }
  if (retentionDue) {
    return result(fail(first.seq, 'REMOVAL_NOT_RECORDED', `records before ${first.seq} are gone but no RETENTION record names the anchor at seq ${retentionDue.seq}`));
  }
  return { ok: true, records, checkpoints: cps.length, firstSeq: first.seq, lastSeq: prev.seq, anchorSeq: first.seq === 1 ? null : first.seq - 1 };
}
