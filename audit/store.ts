// The one contract both audit stores meet, the error an unwritable store raises, and the group commit
// that lets appends arriving during a sync share the next one.
import { normaliseInput, type AuditRecordInput, type Checkpoint, type StoredAuditRecord } from './record.js';

export interface AuditFilter {
  /** Records naming this subject id in `subjects`. */
  subjectId?: string;
  callerSubject?: string;
  /** Records with at least one disclosure under this agreement. */
  agreement?: string;
  /** Inclusive lower bound on `time` (ISO instant). */
  from?: string;
  /** Exclusive upper bound on `time` (ISO instant). */
  to?: string;
}

export interface AuditPage {
  /** Return records with seq greater than this (the previous page's nextCursor). */
  after?: number;
  limit: number;
}

export interface AuditQueryResult {
  records: StoredAuditRecord[];
  /** Pass as `after` for the next page; null when there is none. */
  nextCursor: number | null;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

export interface AuditStore {
  /** Links the record onto the chain; resolves only once it is durable. Rejects with AuditUnavailableError. */
  append(input: AuditRecordInput): Promise<StoredAuditRecord>;
  /** Up to `limit` records from seq `fromSeq` on, in chain order. */
  readRange(fromSeq: number, limit: number): Promise<StoredAuditRecord[]>;
  /** The last record, or after a retention run that removed everything, the anchoring checkpoint. */
  head(): Promise<AuditHead | null>;
  query(filter: AuditFilter, page: AuditPage): Promise<AuditQueryResult>;
  appendCheckpoint(cp: Checkpoint): Promise<void>;
  /** Every checkpoint, in seq order. */
  checkpoints(): Promise<Checkpoint[]>;
  /** Retention only: removes records with seq < `seq`; `anchor` must be a stored checkpoint at seq - 1. Returns how many went. */
  pruneBefore(seq: number, anchor: Checkpoint): Promise<number>;
  /** Whether this connection may prune (PostgreSQL: only the retention role may), checked before a retention run starts. */
  canPrune(): Promise<boolean>;
  /** Number of records held. */
  count(): Promise<number>;
  /** Resolves when a record could be appended now, without appending one (readiness); rejects with AuditUnavailableError. */
  probe(): Promise<void>;
  close(): Promise<void>;
}

/** The audit store cannot record: the caller must not disclose (fail closed). */
export class AuditUnavailableError extends Error {
  readonly code = 'AUDIT_UNAVAILABLE';
  /** The operation that failed and the underlying error code (errno or SQLSTATE), never paths or data. */
  constructor(
    readonly operation: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`audit store unavailable: ${operation} failed (${reason})`, options);
    this.name = 'AuditUnavailableError';
  }

  static from(operation: string, err: unknown): AuditUnavailableError {
    if (err instanceof AuditUnavailableError) return err;
    const { code, message, severity } = (err ?? {}) as { code?: unknown; message?: unknown; severity?: unknown };
    // A PostgreSQL server error's message names tables and our own RAISEs, never values (those are in `detail`).
    const reason = typeof code === 'string' && code ? (typeof severity === 'string' ? `${code}: ${String(message)}` : code) : String(message ?? err).slice(0, 120);
    return new AuditUnavailableError(operation, reason, { cause: err });
  }
}

/** A stored record that cannot be parsed (torn, edited into invalid JSON): verification reports its seq. */
export class AuditRecordUnreadableError extends Error {
  constructor(readonly seq: number) {
    super(`audit record at seq ${seq} cannot be read`);
    this.name = 'AuditRecordUnreadableError';
  }
}

/** Runs async sections one at a time, in call order. */
export class Mutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.catch(() => {});
    return result;
  }
}

interface Pending<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: items submitted while a flush is running wait and go together in the next flush, so
 * one fsync (or one transaction) covers many appends. Flushes run inside `mutex`, one at a time.
 */
export class GroupCommit<T, R> {
  private queue: Pending<T, R>[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly mutex: Mutex,
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 1000,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Resolves once everything submitted so far has been flushed (or failed). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const out = await this.mutex.run(() => this.flush(batch.map((p) => p.item)));
          batch.forEach((p, i) => p.resolve(out[i]));
        } catch (err) {
          batch.forEach((p) => p.reject(err));
        }
      }
    } finally {
      this.draining = null;
    }
  }
}

/** Whether a record passes a filter; the file store's query, and the reference the PostgreSQL SQL follows. */
export function matchesFilter(r: StoredAuditRecord, f: AuditFilter): boolean {
  if (f.subjectId !== undefined && !r.subjects.some((s) => s.id === f.subjectId)) return false;
  if (f.callerSubject !== undefined && r.caller.subject !== f.callerSubject) return false;
  if (f.agreement !== undefined && !r.disclosed.some((d) => d.agreement === f.agreement)) return false;
  const t = Date.parse(r.time);
  if (f.from !== undefined && !(t >= Date.parse(f.from))) return false;
  if (f.to !== undefined && !(t < Date.parse(f.to))) return false;
  return true;
}

/** Rejects a page or filter that would silently return the wrong thing. */
export function checkQuery(filter: AuditFilter, page: AuditPage): void {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1 || page.limit > 10_000) throw new RangeError(`audit query: expected limit 1..10000, got ${page.limit}`);
  if (page.after !== undefined && (!Number.isSafeInteger(page.after) || page.after < 0)) throw new RangeError(`audit query: expected after to be a seq, got ${page.after}`);
  for (const k of ['from', 'to'] as const) {
    const v = filter[k];
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw new RangeError(`audit query: expected ${k} to be an ISO instant, got "${v}"`);
  }
}

/** Normalises one input and queues it; a malformed input rejects at once and never reaches the chain. */
export function submitNormalised(commit: GroupCommit<AuditRecordInput, StoredAuditRecord>, input: AuditRecordInput): Promise<StoredAuditRecord> {
  let clean: AuditRecordInput;
  try {
    clean = normaliseInput(input);
  } catch (err) {
    return Promise.reject(err);
  }
  return commit.submit(clean);
}
