// Shared fixtures for the audit tests: sample records, a throwaway signing key, and one harness per store
// (file, PostgreSQL) exposing the same operations plus the tampering an attacker with raw access could do.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { newKeyPair } from '../../auth/keys.js';
import { createCheckpointSigner, type CheckpointSigner } from '../../audit/checkpoint.js';
import { FileAuditStore } from '../../audit/file-store.js';
import { dropPgAudit, migratePgAudit } from '../../audit/pg-schema.js';
import { PgAuditStore } from '../../audit/pg-store.js';
import { hashVariables, sha256Hex, type AuditRecordInput, type Checkpoint } from '../../audit/record.js';
import type { AuditStore } from '../../audit/store.js';

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A request record; `i` varies the caller, subject and agreement so queries have something to find. */
export function sampleInput(i: number, overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  const subject = `P${i % 7}`;
  return {
    time: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
    requestId: `req-${i}`,
    caller: { subject: `officer-${i % 3}`, agency: 'POLICE', roles: ['POLICE_OFFICER'] },
    purpose: 'INVESTIGATION',
    justification: i % 2 ? `enquiry ${i}` : null,
    operationName: 'Person',
    documentHash: sha256Hex(`query Person { person(id: "${subject}") { name } }`),
    variablesHash: hashVariables({ id: subject }),
    subjects: [{ agency: 'POLICE', type: 'PERSON', id: subject }],
    disclosed: [{ agency: 'POLICE', coordinate: 'Person.name', subjectIds: [subject], rule: 'isAnyCaller', agreement: i % 4 === 0 ? 'ISA-POLICE-PROBATION' : null }],
    withheld: [{ agency: 'VICTIMS', coordinate: 'Victim.address', subjectIds: [subject], rule: 'isFromAgency', agreement: null, reason: 'victim services only' }],
    outcome: 'PARTIAL',
    policyVersion: 'test-1',
    ...overrides,
  };
}

export async function testSigner(kid = `test-audit-${randomBytes(3).toString('hex')}`): Promise<CheckpointSigner> {
  return createCheckpointSigner((await newKeyPair(kid)).privateJwk);
}

export interface StoreHarness {
  kind: 'file' | 'postgres';
  /** The store as the application uses it (PostgreSQL: the INSERT/SELECT-only role). A new instance each call. */
  open(): Promise<AuditStore>;
  /** The store as the retention job uses it (PostgreSQL: the role that may call audit_prune). */
  openRetention(): Promise<AuditStore>;
  editPurpose(seq: number, purpose: string): Promise<void>;
  remove(seq: number): Promise<void>;
  swap(a: number, b: number): Promise<void>;
  /** Stores a checkpoint bypassing every check (an attacker with raw access). */
  plantCheckpoint(cp: Checkpoint): Promise<void>;
  dispose(): Promise<void>;
}

/** The file store in a fresh temporary folder; tampering edits the JSON lines directly. */
export async function fileHarness(): Promise<StoreHarness & { dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'audit-test-'));
  const records = join(dir, 'records.jsonl');
  const lines = async () => (await readFile(records, 'utf8')).split('\n').filter(Boolean);
  const save = (ls: string[]) => writeFile(records, ls.map((l) => l + '\n').join(''));
  const seqOf = (l: string) => (JSON.parse(l) as { seq: number }).seq;
  return {
    kind: 'file',
    dir,
    open: () => FileAuditStore.open(dir),
    openRetention: () => FileAuditStore.open(dir),
    async editPurpose(seq, purpose) {
      await save((await lines()).map((l) => (seqOf(l) === seq ? JSON.stringify({ ...JSON.parse(l), purpose }) : l)));
    },
    async remove(seq) {
      await save((await lines()).filter((l) => seqOf(l) !== seq));
    },
    async swap(a, b) {
      const ls = await lines();
      const ia = ls.findIndex((l) => seqOf(l) === a);
      const ib = ls.findIndex((l) => seqOf(l) === b);
      [ls[ia], ls[ib]] = [ls[ib], ls[ia]];
      await save(ls);
    },
    async plantCheckpoint(cp) {
      await writeFile(join(dir, 'checkpoints.jsonl'), JSON.stringify(cp) + '\n', { flag: 'a' });
    },
    async dispose() {
      setWritable(dir, true);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Makes a folder and its files unwritable for real: chmod for ordinary users, chattr +i for root (which ignores modes). */
export function setWritable(dir: string, writable: boolean): void {
  if (process.getuid?.() === 0) {
    try {
      execFileSync('chattr', ['-R', writable ? '-i' : '+i', dir], { stdio: 'ignore' });
    } catch (err) {
      if (!writable) throw new Error(`cannot make ${dir} unwritable as root: chattr failed (${(err as Error).message})`);
    }
  } else {
    execFileSync('chmod', ['-R', writable ? 'u+w' : 'a-w', dir]);
  }
}

/** One PostgreSQL server per test file: roles suffixed so parallel files never collide, a schema per harness. */
export class PgServer {
  readonly suffix = randomBytes(4).toString('hex');
  readonly appRole = `audit_app_${this.suffix}`;
  readonly retentionRole = `audit_ret_${this.suffix}`;
  private readonly schemas: string[] = [];

  private started = false;

  /** Fails (never skips) with a clear message when PostgreSQL is not there. */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      this.started = true;
    } catch (err) {
      const where = new URL(ADMIN_URL);
      where.password = '';
      throw new Error(`PostgreSQL is not reachable at ${where.host}${where.pathname} (TEST_DATABASE_URL): ${(err as Error).message}. Start it (.ci/run does); the audit tests need it and do not skip.`);
    } finally {
      await client.end().catch(() => {});
    }
  }

  urlFor(role: string): string {
    const url = new URL(ADMIN_URL);
    url.username = role;
    url.password = '';
    return url.toString();
  }

  async harness(): Promise<StoreHarness & { schema: string; admin: <T>(sql: string, params?: unknown[]) => Promise<T[]> }> {
    const schema = `audit_t_${this.suffix}_${this.schemas.length}`;
    this.schemas.push(schema);
    await migratePgAudit(ADMIN_URL, { schema, appRole: this.appRole, retentionRole: this.retentionRole });
    const opened: AuditStore[] = [];
    const track = (s: AuditStore) => (opened.push(s), s);
    // Superuser with triggers off: what an attacker holding the database would do.
    const admin = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => {
      const client = new pg.Client({ connectionString: ADMIN_URL, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        await client.query('SET session_replication_role = replica');
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    };
    return {
      kind: 'postgres',
      schema,
      admin,
      open: async () => track(new PgAuditStore(this.urlFor(this.appRole), { schema })),
      openRetention: async () => track(new PgAuditStore(this.urlFor(this.retentionRole), { schema })),
      editPurpose: async (seq, purpose) => void (await admin(`UPDATE audit_record SET record = jsonb_set(record, '{purpose}', to_jsonb($2::text)) WHERE seq = $1`, [seq, purpose])),
      remove: async (seq) => void (await admin('DELETE FROM audit_record WHERE seq = $1', [seq])),
      swap: async (a, b) =>
        void (await admin(
          `UPDATE audit_record x SET prev_hash = y.prev_hash, hash = y.hash, record = y.record
           FROM audit_record y WHERE (x.seq = $1 AND y.seq = $2) OR (x.seq = $2 AND y.seq = $1)`,
          [a, b],
        )),
      plantCheckpoint: async (cp) => void (await admin('INSERT INTO audit_checkpoint (seq, hash, time, kid, signature) VALUES ($1, $2, $3, $4, $5)', [cp.seq, cp.hash, cp.time, cp.kid, cp.signature])),
      dispose: async () => {
        await Promise.allSettled(opened.map((s) => s.close()));
      },
    };
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    try {
      for (const schema of this.schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    } finally {
      await client.end();
    }
    await dropPgAudit(ADMIN_URL, { schema: `audit_t_${this.suffix}_none`, appRole: this.appRole, retentionRole: this.retentionRole });
  }
}

/** Both stores, for describe.each: each yields a fresh, empty harness per call. */
export function storeKinds(server: PgServer): { kind: string; make: () => Promise<StoreHarness> }[] {
  return [
    { kind: 'file', make: fileHarness },
    { kind: 'postgres', make: () => server.harness() },
  ];
}

/** Appends `n` sample records one after another. */
export async function appendMany(store: { append(i: AuditRecordInput): Promise<unknown> }, n: number, from = 1): Promise<void> {
  for (let i = from; i < from + n; i++) await store.append(sampleInput(i));
}
