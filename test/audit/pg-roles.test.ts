// PostgreSQL only: the app role can add and read, nothing else; triggers refuse edits even by the owner;
// only the retention role can prune, and only up to a stored checkpoint; appends from many connections never fork.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuditTrail } from '../../audit/trail.js';
import { PgAuditStore } from '../../audit/pg-store.js';
import { migratePgAudit } from '../../audit/pg-schema.js';
import { verifyChain } from '../../audit/verify.js';
import { applyRetention } from '../../audit/retention.js';
import { ADMIN_URL, PgServer, appendMany, sampleInput, testSigner } from './helpers.js';

const server = new PgServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

type Harness = Awaited<ReturnType<PgServer['harness']>>;

describe('the PostgreSQL audit schema', () => {
  let h: Harness;
  const clients: pg.Client[] = [];
  afterEach(async () => {
    await Promise.allSettled(clients.splice(0).map((c) => c.end()));
    await h?.dispose();
  });

  /** A raw connection as `role` (no triggers disabled), to try what the application itself could try. */
  async function as(role: string): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: server.urlFor(role), options: `-c search_path=${h.schema}` });
    await client.connect();
    clients.push(client);
    return client;
  }
  async function withRecords(n = 5) {
    h = await server.harness();
    const store = await h.open();
    await appendMany(store, n);
    await store.close();
  }
  const failure = (p: Promise<unknown>) => p.then(() => ({ code: 'none', message: 'succeeded' }), (e: { code?: string; message: string }) => ({ code: e.code, message: e.message }));

  it('lets the app role insert and select but not update, delete or truncate (permission denied)', async () => {
    await withRecords();
    const app = await as(server.appRole);
    expect((await app.query('SELECT count(*)::int AS n FROM audit_record')).rows[0].n).toBe(5);
    for (const sql of ["UPDATE audit_record SET purpose = 'X' WHERE seq = 1", 'DELETE FROM audit_record WHERE seq = 1', 'TRUNCATE audit_record', 'DELETE FROM audit_checkpoint', 'UPDATE audit_checkpoint SET kid = kid']) {
      const f = await failure(app.query(sql));
      expect(f.code, sql).toBe('42501');
      expect(f.message).toMatch(/permission denied/);
    }
    expect((await app.query('SELECT count(*)::int AS n FROM audit_record')).rows[0].n).toBe(5);
  });

  it('does not let the app role call the prune function', async () => {
    await withRecords();
    const app = await as(server.appRole);
    const f = await failure(app.query("SELECT audit_prune(3, repeat('0', 64), 'x')"));
    expect(f).toMatchObject({ code: '42501', message: expect.stringMatching(/permission denied for function/) });
  });

  it('refuses updates and deletes even from the owner, through the append-only trigger', async () => {
    await withRecords();
    const owner = new pg.Client({ connectionString: ADMIN_URL, options: `-c search_path=${h.schema}` });
    await owner.connect();
    clients.push(owner);
    for (const sql of ["UPDATE audit_record SET record = jsonb_set(record, '{purpose}', '\"X\"') WHERE seq = 2", 'DELETE FROM audit_record WHERE seq = 5', 'TRUNCATE audit_record']) {
      expect((await failure(owner.query(sql))).message, sql).toMatch(/append-only/);
    }
  });

  it('refuses a row that does not extend the chain, so no writer can fork it', async () => {
    await withRecords();
    const app = await as(server.appRole);
    const rec = sampleInput(9);
    const insert = (seq: number, prev: string) =>
      failure(app.query('INSERT INTO audit_record (seq, prev_hash, hash, record) VALUES ($1, $2, $3, $4)', [seq, prev, 'f'.repeat(64), JSON.stringify(rec)]));
    const head = (await app.query('SELECT hash FROM audit_record WHERE seq = 5')).rows[0].hash as string;
    expect((await insert(7, head)).message).toMatch(/audit chain/);
    expect((await insert(6, 'a'.repeat(64))).message).toMatch(/audit chain/);
    expect((await insert(5, head)).code).toMatch(/23/);
  });

  it('lets only the retention role prune, and only up to a checkpoint that is stored', async () => {
    await withRecords(10);
    const signer = await testSigner();
    const retention = await h.openRetention();
    const [rec] = await retention.readRange(6, 1);
    const cp = await signer.sign(rec);
    await expect(retention.pruneBefore(7, cp)).rejects.toThrow(/no stored checkpoint/);
    await retention.appendCheckpoint(cp);
    const app = await h.open();
    await expect(app.pruneBefore(7, cp)).rejects.toThrow(/permission denied|42501/);
    await expect(retention.pruneBefore(7, { ...cp, hash: 'd'.repeat(64) })).rejects.toThrow(/no stored checkpoint/);
    expect(await retention.pruneBefore(7, cp)).toBe(6);
    expect((await retention.readRange(0, 1))[0].seq).toBe(7);
  });

  it('refuses a retention run as the app role before writing anything', async () => {
    await withRecords(10);
    const trail = new AuditTrail(await h.open(), await testSigner());
    await expect(applyRetention(trail, { olderThan: '2025-06-01T00:00:00Z' })).rejects.toThrow(/retention role/);
    expect(await trail.store.count()).toBe(10);
    expect(await trail.store.checkpoints()).toEqual([]);
    await trail.close();
  });

  it('keeps one gap-free chain when several processes append at once', async () => {
    h = await server.harness();
    const signer = await testSigner();
    // Separate stores have separate pools and in-process queues: only the database lock serialises them.
    const writers = await Promise.all([1, 2, 3].map(() => h.open()));
    const stored = await Promise.all(Array.from({ length: 300 }, (_, i) => writers[i % 3].append(sampleInput(i + 1))));
    expect(stored.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    expect(await verifyChain(writers[0], signer.publicJwk)).toMatchObject({ ok: true, records: 300 });
  });

  it('reports the database being down as AuditUnavailableError, without the URL', async () => {
    const store = new PgAuditStore('postgres://nobody:secret@127.0.0.1:1/none', { timeoutMs: 1000 });
    const err = await store.append(sampleInput(1)).catch((e: Error) => e);
    expect(err).toMatchObject({ name: 'AuditUnavailableError', code: 'AUDIT_UNAVAILABLE', operation: 'append' });
    expect((err as Error).message).not.toMatch(/secret|127\.0\.0\.1/);
    await store.close();
  });

  it('migrates idempotently and refuses a superuser as the app role', async () => {
    h = await server.harness();
    await migratePgAudit(ADMIN_URL, { schema: h.schema, appRole: server.appRole, retentionRole: server.retentionRole });
    await expect(migratePgAudit(ADMIN_URL, { schema: h.schema, appRole: 'postgres', retentionRole: server.retentionRole })).rejects.toThrow(/superuser/);
    const trail = new AuditTrail(await h.open(), await testSigner());
    expect((await trail.append(sampleInput(1))).seq).toBe(1);
    await trail.close();
  });
});
