// The embedded audit store: one JSON line per record in `records.jsonl`, signed checkpoints in
// `checkpoints.jsonl`, fsync'd before an append resolves. One writer process per folder (`writer.lock`).
import { constants } from 'node:fs';
import { mkdir, open, readFile, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { chainRecord, GENESIS_HASH, recordInput, type AuditRecordInput, type Checkpoint, type StoredAuditRecord } from './record.js';
import {
  AuditRecordUnreadableError, AuditUnavailableError, GroupCommit, Mutex, checkQuery, matchesFilter, submitNormalised,
  type AuditFilter, type AuditHead, type AuditPage, type AuditQueryResult, type AuditStore,
} from './store.js';

export interface FileAuditStoreOptions {
  /** For verification and reporting: no lock, no writes, a snapshot of the folder as it was when opened. */
  readOnly?: boolean;
  /** Most records per write+fsync (group commit); 1 turns group commit off. */
  maxBatch?: number;
}

const RECORDS = 'records.jsonl';
const CHECKPOINTS = 'checkpoints.jsonl';
const LOCK = 'writer.lock';
// No O_CREAT after the first open: a log that vanished (unmounted, deleted) must fail, not restart the chain.
const APPEND = constants.O_WRONLY | constants.O_APPEND;

export class FileAuditStore implements AuditStore {
  private readonly mutex = new Mutex();
  private readonly commit: GroupCommit<AuditRecordInput, StoredAuditRecord>;
  private closed = false;
  /** A reader's checkpoints as of opening, consistent with its snapshot of the records. */
  private snapshot: Checkpoint[] | null = null;

  private constructor(
    readonly dir: string,
    private readonly readOnly: boolean,
    /** Byte offset where each complete line starts. */
    private offsets: number[],
    /** Bytes of complete, synced lines. */
    private size: number,
    /** seq of the first line (positions map to seq as firstSeq + index). */
    private firstSeq: number,
    /** What the next record links to: the last record, the retention anchor, or genesis. */
    private tip: AuditHead,
    maxBatch: number,
  ) {
    this.commit = new GroupCommit(this.mutex, (batch) => this.flush(batch), maxBatch);
  }

  static async open(dir: string, options: FileAuditStoreOptions = {}): Promise<FileAuditStore> {
    const readOnly = options.readOnly ?? false;
    if (readOnly) return FileAuditStore.load(dir, options);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await acquireLock(dir);
    try {
      await ensureFile(dir, RECORDS);
      await ensureFile(dir, CHECKPOINTS);
      return await FileAuditStore.load(dir, options);
    } catch (err) {
      await releaseLock(dir);
      throw AuditUnavailableError.from('open', err);
    }
  }

  /** Reads the head and the line index; a writer also drops a torn last line, which was never acknowledged. */
  private static async load(dir: string, options: FileAuditStoreOptions): Promise<FileAuditStore> {
    const readOnly = options.readOnly ?? false;
    const path = join(dir, RECORDS);
    // Checkpoints before records: every checkpoint read then names a record the scan will find.
    const cps = await readCheckpoints(join(dir, CHECKPOINTS));
    const scan = await scanLines(path);
    if (!readOnly && scan.size > scan.complete) await truncateTo(path, scan.complete);
    const first = scan.offsets.length ? await readLine(path, scan.offsets[0], scan.offsets[1] ?? scan.complete) : null;
    const last = scan.offsets.length ? await readLine(path, scan.offsets[scan.offsets.length - 1], scan.complete) : null;
    // A writer cannot link onto a record it cannot read; a reader goes on so verification can name it.
    if (!readOnly && scan.offsets.length && !last) throw new AuditUnavailableError('open', 'LAST_RECORD_UNREADABLE');
    const anchor = cps[cps.length - 1];
    const tip: AuditHead = last ? { seq: last.seq, hash: last.hash } : anchor ? { seq: anchor.seq, hash: anchor.hash } : { seq: 0, hash: GENESIS_HASH };
    const firstSeq = first?.seq ?? (last ? last.seq - scan.offsets.length + 1 : tip.seq + 1);
    const store = new FileAuditStore(dir, readOnly, scan.offsets, scan.complete, firstSeq, tip, options.maxBatch ?? 1000);
    if (readOnly) store.snapshot = cps;
    return store;
  }

  append(input: AuditRecordInput): Promise<StoredAuditRecord> {
    if (this.readOnly) return Promise.reject(new AuditUnavailableError('append', 'READ_ONLY'));
    if (this.closed) return Promise.reject(new AuditUnavailableError('append', 'CLOSED'));
    return submitNormalised(this.commit, input);
  }

  /** One write and one fdatasync for the whole batch; on failure nothing in it is acknowledged. */
  private async flush(batch: AuditRecordInput[]): Promise<StoredAuditRecord[]> {
    const records: StoredAuditRecord[] = [];
    let prev = this.tip;
    for (const input of batch) {
      const rec = chainRecord(prev.seq, prev.hash, input);
      records.push(rec);
      prev = rec;
    }
    const lines = records.map((r) => JSON.stringify({ seq: r.seq, prevHash: r.prevHash, hash: r.hash, ...recordInput(r) }) + '\n');
    const bytes = lines.map((l) => Buffer.byteLength(l));
    let fh: FileHandle | undefined;
    try {
      fh = await open(join(this.dir, RECORDS), APPEND);
      const { size } = await fh.stat();
      if (size < this.size) throw new AuditUnavailableError('append', 'LOG_SHRANK');
      if (size > this.size) await fh.truncate(this.size); // our own earlier failed write; only we write here
      await fh.writeFile(lines.join(''));
      await fh.datasync();
    } catch (err) {
      await fh?.truncate(this.size).catch(() => {});
      throw AuditUnavailableError.from('append', err);
    } finally {
      await fh?.close().catch(() => {});
    }
    if (this.offsets.length === 0) this.firstSeq = records[0].seq;
    for (const b of bytes) {
      this.offsets.push(this.size);
      this.size += b;
    }
    this.tip = { seq: prev.seq, hash: prev.hash };
    return records;
  }

  /** Runs between flushes, so a retention rewrite never moves the lines under a read. */
  readRange(fromSeq: number, limit: number): Promise<StoredAuditRecord[]> {
    return this.mutex.run(() => this.readNow(fromSeq, limit));
  }

  private async readNow(fromSeq: number, limit: number): Promise<StoredAuditRecord[]> {
    const n = this.offsets.length;
    const start = Math.max(0, fromSeq - this.firstSeq);
    if (start >= n || limit <= 0) return [];
    const end = Math.min(n, start + limit);
    const stop = end < n ? this.offsets[end] : this.size;
    const fh = await open(join(this.dir, RECORDS), 'r');
    try {
      const buf = Buffer.alloc(stop - this.offsets[start]);
      await fh.read(buf, 0, buf.length, this.offsets[start]);
      const out: StoredAuditRecord[] = [];
      for (let i = start; i < end; i++) {
        const line = buf.subarray(this.offsets[i] - this.offsets[start], (i + 1 < n ? this.offsets[i + 1] : this.size) - this.offsets[start]);
        const rec = parseRecord(line.toString('utf8'));
        if (!rec) throw new AuditRecordUnreadableError(this.firstSeq + i);
        out.push(rec);
      }
      return out;
    } finally {
      await fh.close();
    }
  }

  async head(): Promise<AuditHead | null> {
    return this.tip.seq > 0 ? { ...this.tip } : null;
  }

  /** A scan in chain order; the embedded store is for modest volumes, PostgreSQL indexes these filters. */
  async query(filter: AuditFilter, page: AuditPage): Promise<AuditQueryResult> {
    checkQuery(filter, page);
    const records: StoredAuditRecord[] = [];
    let from = Math.max(this.firstSeq, (page.after ?? 0) + 1);
    for (;;) {
      const chunk = await this.readRange(from, 1000);
      for (const r of chunk) {
        if (r.seq <= (page.after ?? 0) || !matchesFilter(r, filter)) continue;
        if (records.length === page.limit) return { records, nextCursor: records[records.length - 1].seq };
        records.push(r);
      }
      if (chunk.length < 1000) return { records, nextCursor: null };
      from = chunk[chunk.length - 1].seq + 1;
    }
  }

  appendCheckpoint(cp: Checkpoint): Promise<void> {
    if (this.readOnly || this.closed) return Promise.reject(new AuditUnavailableError('checkpoint', this.readOnly ? 'READ_ONLY' : 'CLOSED'));
    return this.mutex.run(async () => {
      const [rec] = cp.seq >= this.firstSeq ? await this.readNow(cp.seq, 1) : [];
      if (cp.seq > this.tip.seq || (rec && rec.hash !== cp.hash)) throw new RangeError(`checkpoint: expected the hash of record ${cp.seq}, got another`);
      let fh: FileHandle | undefined;
      try {
        fh = await open(join(this.dir, CHECKPOINTS), APPEND);
        await fh.writeFile(JSON.stringify(cp) + '\n');
        await fh.datasync();
      } catch (err) {
        throw AuditUnavailableError.from('checkpoint', err);
      } finally {
        await fh?.close().catch(() => {});
      }
    });
  }

  checkpoints(): Promise<Checkpoint[]> {
    return this.snapshot ? Promise.resolve([...this.snapshot]) : readCheckpoints(join(this.dir, CHECKPOINTS));
  }

  /** Rewrites the log without records before `seq` (copy, fsync, atomic rename), anchored on a stored checkpoint. */
  pruneBefore(seq: number, anchor: Checkpoint): Promise<number> {
    if (this.readOnly || this.closed) return Promise.reject(new AuditUnavailableError('prune', this.readOnly ? 'READ_ONLY' : 'CLOSED'));
    return this.mutex.run(async () => {
      if (anchor.seq !== seq - 1) throw new RangeError(`prune: expected the anchor checkpoint at seq ${seq - 1}, got ${anchor.seq}`);
      const stored = (await this.checkpoints()).some((c) => c.seq === anchor.seq && c.hash === anchor.hash && c.signature === anchor.signature);
      if (!stored) throw new RangeError(`prune: the anchor checkpoint at seq ${anchor.seq} has not been stored`);
      const drop = Math.min(this.offsets.length, seq - this.firstSeq);
      if (drop <= 0) return 0;
      const [rec] = await this.readNow(anchor.seq, 1);
      if (!rec || rec.seq !== anchor.seq || rec.hash !== anchor.hash) throw new RangeError(`prune: record ${anchor.seq} does not match its anchor checkpoint`);
      const cut = drop < this.offsets.length ? this.offsets[drop] : this.size;
      const path = join(this.dir, RECORDS);
      const tmp = `${path}.tmp`;
      try {
        const src = await open(path, 'r');
        const rest = Buffer.alloc(this.size - cut);
        try {
          await src.read(rest, 0, rest.length, cut);
        } finally {
          await src.close();
        }
        const out = await open(tmp, 'w', 0o600);
        try {
          await out.writeFile(rest);
          await out.datasync();
        } finally {
          await out.close();
        }
        await rename(tmp, path);
        await syncDir(this.dir);
      } catch (err) {
        await unlink(tmp).catch(() => {});
        throw AuditUnavailableError.from('prune', err);
      }
      this.offsets = this.offsets.slice(drop).map((o) => o - cut);
      this.size -= cut;
      this.firstSeq = seq;
      return drop;
    });
  }

  async canPrune(): Promise<boolean> {
    return !this.readOnly && !this.closed;
  }

  async count(): Promise<number> {
    return this.offsets.length;
  }

  /** The log can be opened for appending (it exists, it is ours to write) and has not shrunk under us: what append needs first. */
  async probe(): Promise<void> {
    if (this.readOnly || this.closed) throw new AuditUnavailableError('probe', this.readOnly ? 'READ_ONLY' : 'CLOSED');
    let fh: FileHandle | undefined;
    try {
      fh = await open(join(this.dir, RECORDS), APPEND);
      if ((await fh.stat()).size < this.size) throw new AuditUnavailableError('probe', 'LOG_SHRANK');
    } catch (err) {
      throw AuditUnavailableError.from('probe', err);
    } finally {
      await fh?.close().catch(() => {});
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.commit.idle();
    await this.mutex.run(async () => {});
    if (!this.readOnly) await releaseLock(this.dir);
  }
}

function parseRecord(line: string): StoredAuditRecord | null {
  try {
    const r = JSON.parse(line) as StoredAuditRecord;
    return r && typeof r === 'object' && Number.isSafeInteger(r.seq) && typeof r.hash === 'string' ? r : null;
  } catch {
    return null;
  }
}

async function readLine(path: string, start: number, end: number): Promise<StoredAuditRecord | null> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(end - start);
    await fh.read(buf, 0, buf.length, start);
    return parseRecord(buf.toString('utf8'));
  } finally {
    await fh.close();
  }
}

/** Where each complete line starts, reading the file in 1 MiB chunks. */
async function scanLines(path: string): Promise<{ offsets: number[]; complete: number; size: number }> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw AuditUnavailableError.from('open', err);
  }
  try {
    const size = (await fh.stat()).size;
    const buf = Buffer.alloc(1 << 20);
    const offsets: number[] = [];
    let lineStart = 0;
    for (let pos = 0; pos < size; ) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      for (let i = buf.indexOf(10); i !== -1 && i < bytesRead; i = buf.indexOf(10, i + 1)) {
        offsets.push(lineStart);
        lineStart = pos + i + 1;
      }
      pos += bytesRead;
    }
    return { offsets, complete: lineStart, size };
  } finally {
    await fh.close();
  }
}

async function readCheckpoints(path: string): Promise<Checkpoint[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw AuditUnavailableError.from('checkpoints', err);
  }
  const out: Checkpoint[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as Checkpoint);
    } catch {
      // a torn last line was never acknowledged; an edited one fails signature verification anyway
    }
  }
  return out.sort((a, b) => a.seq - b.seq);
}

async function ensureFile(dir: string, name: string): Promise<void> {
  try {
    await (await open(join(dir, name), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)).close();
    await syncDir(dir); // the new name itself must survive a crash
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

async function truncateTo(path: string, size: number): Promise<void> {
  const fh = await open(path, 'r+');
  try {
    await fh.truncate(size);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Two writers would fork the chain: refuse while the pid in writer.lock is alive, take over a stale lock. */
async function acquireLock(dir: string): Promise<void> {
  const path = join(dir, LOCK);
  const me = JSON.stringify({ pid: process.pid, host: hostname() });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, me, { flag: 'wx', mode: 0o600 });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw AuditUnavailableError.from('open', err);
    }
    const holder = await readFile(path, 'utf8').then((t) => JSON.parse(t) as { pid?: number; host?: string }).catch(() => ({}) as { pid?: number; host?: string });
    if (holder.pid && (holder.host !== hostname() || isAlive(holder.pid))) {
      throw new AuditUnavailableError('open', `LOCKED_BY_PID_${holder.pid}`);
    }
    await unlink(path).catch(() => {});
  }
  throw new AuditUnavailableError('open', 'LOCK_CONTENDED');
}

async function releaseLock(dir: string): Promise<void> {
  const path = join(dir, LOCK);
  const holder = await readFile(path, 'utf8').then((t) => JSON.parse(t) as { pid?: number }).catch(() => null);
  if (holder?.pid === process.pid) await unlink(path).catch(() => {});
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
