// The PostgreSQL audit store. Connect as the app role (INSERT, SELECT only). Appends from every process
// are serialised by one advisory lock inside the transaction; within a process they are group-committed.
import pg from 'pg';
import { chainRecord, GENESIS_HASH, recordInput, type AuditRecordInput, type Checkpoint, type StoredAuditRecord } from './record.js';
import { auditLockKey } from './pg-schema.js';
import {
  AuditUnavailableError, GroupCommit, Mutex, checkQuery, submitNormalised,
  type AuditFilter, type AuditHead, type AuditPage, type AuditQueryResult, type AuditStore,
} from './store.js';

export interface PgAuditStoreOptions {
  /** Schema holding the audit tables (as given to migratePgAudit). */
  schema?: string;
  poolMax?: number;
  /** Connection and statement deadline, ms: an append fails rather than hang the gateway. */
  timeoutMs?: number;
  /** Most records per transaction. */
  maxBatch?: number;
}

interface RecordRow {
  seq: string;
  prev_hash: string;
  hash: string;
  record: AuditRecordInput;
}

interface CheckpointRow {
  seq: string;
  hash: string;
  time: Date;
  kid: string;
  signature: string;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const COLUMNS = 'seq, prev_hash, hash, record';

const toRecord = (r: RecordRow): StoredAuditRecord => ({ ...r.record, seq: Number(r.seq), prevHash: r.prev_hash, hash: r.hash });
const toCheckpoint = (r: CheckpointRow): Checkpoint => ({ seq: Number(r.seq), hash: r.hash, time: r.time.toISOString(), signature: r.signature, kid: r.kid });

export class PgAuditStore implements AuditStore {
  private readonly pool: pg.Pool;
  private readonly lockKey: string;
  private readonly commit: GroupCommit<AuditRecordInput, StoredAuditRecord>;
  private closed = false;

  constructor(url: string, options: PgAuditStoreOptions = {}) {
    const schema = options.schema ?? 'audit';
    if (!SCHEMA_NAME.test(schema)) throw new Error(`audit schema must be a lower-case identifier, got "${schema}"`);
    this.lockKey = auditLockKey(schema);
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolMax ?? 4,
      connectionTimeoutMillis: options.timeoutMs ?? 5000,
      statement_timeout: options.timeoutMs ?? 5000,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      options: `-c search_path=${schema}`,
    });
    // Without a listener an idle client's network error (server restart) would crash the process.
    this.pool.on('error', () => {});
    this.commit = new GroupCommit(new Mutex(), (batch) => this.flush(batch), options.maxBatch ?? 500);
  }

  append(input: AuditRecordInput): Promise<StoredAuditRecord> {
    if (this.closed) return Promise.reject(new AuditUnavailableError('append', 'CLOSED'));
    return submitNormalised(this.commit, input);
  }

  /**
   * One transaction per batch: lock, read the head, link, insert, commit (durable: synchronous_commit on).
   * READ COMMITTED so the head read after the lock sees the previous lock holder's commit.
   */
  private async flush(batch: AuditRecordInput[]): Promise<StoredAuditRecord[]> {
    let client: pg.PoolClient | undefined;
    let broken = false;
    try {
      client = await this.pool.connect();
      // A checked-out client whose backend dies mid-transaction emits 'error'; unheard, it would crash the
      // gateway. The failed query already rejects, which is what fails the append closed.
      if (client.listenerCount('error') === 0) client.on('error', () => {});
      const results = (await client.query(
        `BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL synchronous_commit = on; SELECT pg_advisory_xact_lock(${this.lockKey});
         SELECT seq, hash FROM audit_record ORDER BY seq DESC LIMIT 1;
         SELECT seq, hash FROM audit_checkpoint ORDER BY seq DESC LIMIT 1`,
      )) as unknown as pg.QueryResult<{ seq: string; hash: string }>[];
      const last = results[3].rows[0] ?? results[4].rows[0];
      let prev: AuditHead = last ? { seq: Number(last.seq), hash: last.hash } : { seq: 0, hash: GENESIS_HASH };
      const records = batch.map((input) => (prev = chainRecord(prev.seq, prev.hash, input)));
      const rows = records.map((r) => ({ seq: r.seq, prev_hash: r.prevHash, hash: r.hash, record: recordInput(r) }));
      await client.query(
        `INSERT INTO audit_record (${COLUMNS})
         SELECT (r->>'seq')::bigint, r->>'prev_hash', r->>'hash', r->'record' FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n`,
        [JSON.stringify(rows)],
      );
      await client.query('COMMIT');
      return records;
    } catch (err) {
      if (client) await client.query('ROLLBACK').catch(() => (broken = true));
      throw AuditUnavailableError.from('append', err);
    } finally {
      client?.release(broken);
    }
  }

  async readRange(fromSeq: number, limit: number): Promise<StoredAuditRecord[]> {
    const rows = await this.run<RecordRow>('read', `SELECT ${COLUMNS} FROM audit_record WHERE seq >= $1 ORDER BY seq LIMIT $2`, [fromSeq, limit]);
    return rows.map(toRecord);
  }

  async head(): Promise<AuditHead | null> {
    const rows = await this.run<{ seq: string; hash: string }>(
      'head',
      `(SELECT seq, hash, 0 AS pref FROM audit_record ORDER BY seq DESC LIMIT 1)
       UNION ALL (SELECT seq, hash, 1 FROM audit_checkpoint ORDER BY seq DESC LIMIT 1) ORDER BY pref LIMIT 1`,
    );
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : null;
  }

  /** Filters follow `matchesFilter`; subjects and agreements use the jsonb GIN indexes. */
  async query(filter: AuditFilter, page: AuditPage): Promise<AuditQueryResult> {
    checkQuery(filter, page);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    add((p) => `seq > ${p}`, page.after ?? 0);
    if (filter.subjectId !== undefined) add((p) => `record -> 'subjects' @> jsonb_build_array(jsonb_build_object('id', ${p}::text))`, filter.subjectId);
    if (filter.callerSubject !== undefined) add((p) => `caller_subject = ${p}`, filter.callerSubject);
    if (filter.agreement !== undefined) add((p) => `record -> 'disclosed' @> jsonb_build_array(jsonb_build_object('agreement', ${p}::text))`, filter.agreement);
    if (filter.from !== undefined) add((p) => `time >= ${p}::timestamptz`, new Date(filter.from).toISOString());
    if (filter.to !== undefined) add((p) => `time < ${p}::timestamptz`, new Date(filter.to).toISOString());
    params.push(page.limit + 1);
    const rows = await this.run<RecordRow>('query', `SELECT ${COLUMNS} FROM audit_record WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${params.length}`, params);
    const records = rows.slice(0, page.limit).map(toRecord);
    return { records, nextCursor: rows.length > page.limit ? records[records.length - 1].seq : null };
  }

  async appendCheckpoint(cp: Checkpoint): Promise<void> {
    await this.run('checkpoint', 'INSERT INTO audit_checkpoint (seq, hash, time, kid, signature) VALUES ($1, $2, $3, $4, $5)', [cp.seq, cp.hash, cp.time, cp.kid, cp.signature]);
  }

  async checkpoints(): Promise<Checkpoint[]> {
    const rows = await this.run<CheckpointRow>('checkpoints', 'SELECT seq, hash, time, kid, signature FROM audit_checkpoint ORDER BY seq, time');
    return rows.map(toCheckpoint);
  }

  /** Calls audit_prune, which only the retention role may execute and which deletes only up to a stored checkpoint. */
  async pruneBefore(seq: number, anchor: Checkpoint): Promise<number> {
    if (anchor.seq !== seq - 1) throw new RangeError(`prune: expected the anchor checkpoint at seq ${seq - 1}, got ${anchor.seq}`);
    const rows = await this.run<{ removed: string }>('prune', 'SELECT audit_prune($1, $2, $3) AS removed', [seq, anchor.hash, anchor.signature]);
    return Number(rows[0].removed);
  }

  async canPrune(): Promise<boolean> {
    const rows = await this.run<{ ok: boolean }>('prune', "SELECT has_function_privilege('audit_prune(bigint, text, text)', 'EXECUTE') AS ok");
    return rows[0].ok;
  }

  /** The database answers and this role may still insert records. */
  async probe(): Promise<void> {
    const rows = await this.run<{ ok: boolean }>('probe', "SELECT has_table_privilege('audit_record', 'INSERT') AS ok");
    if (!rows[0]?.ok) throw new AuditUnavailableError('probe', 'NO_INSERT_PRIVILEGE');
  }

  async count(): Promise<number> {
    const rows = await this.run<{ n: string }>('count', 'SELECT count(*) AS n FROM audit_record');
    return Number(rows[0].n);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commit.idle();
    await this.pool.end();
  }

  private async run<T>(operation: string, text: string, params: unknown[] = []): Promise<T[]> {
    if (this.closed) throw new AuditUnavailableError(operation, 'CLOSED');
    try {
      return (await this.pool.query(text, params)).rows as T[];
    } catch (err) {
      throw AuditUnavailableError.from(operation, err);
    }
  }
}
