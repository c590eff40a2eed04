// npm run audit:migrate's engine: the database, schema and three roles from the environment; a second run
// changes nothing (and says so), a drifted grant is put back (and said so), the reader role only reads.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDeployment, pgAuditDeployment, roleUrl } from '../../audit/deployment.js';
import { dropPgAudit } from '../../audit/pg-schema.js';
import { ADMIN_URL } from './helpers.js';

const suffix = randomBytes(4).toString('hex');
const d = pgAuditDeployment({
  AUDIT_ADMIN_DATABASE_URL: ADMIN_URL, AUDIT_DB_SCHEMA: `audit_dep_${suffix}`,
  AUDIT_APP_ROLE: `audit_dep_app_${suffix}`, AUDIT_RETENTION_ROLE: `audit_dep_ret_${suffix}`, AUDIT_READER_ROLE: `audit_dep_read_${suffix}`,
});
afterAll(() => dropPgAudit(ADMIN_URL, d));

async function as<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url, options: `-c search_path=${d.schema}` });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

describe('the audit store migration', () => {
  it('creates the schema and roles, then a second run changes nothing', async () => {
    expect(await migrateDeployment(d)).toEqual({ createdDatabase: false, changed: true });
    expect(await migrateDeployment(d)).toEqual({ createdDatabase: false, changed: false });
  });

  it('puts back a grant that drifted, and reports the change', async () => {
    await as(ADMIN_URL, (c) => c.query(`GRANT INSERT ON audit_record TO ${d.readerRole}`));
    expect((await migrateDeployment(d)).changed).toBe(true);
    await expect(as(roleUrl(d, 'reader'), (c) => c.query("INSERT INTO audit_checkpoint (seq, hash, time, kid, signature) VALUES (1, repeat('0', 64), now(), 'k', 's')"))).rejects.toThrow(/permission denied/);
    await expect(as(roleUrl(d, 'reader'), (c) => c.query('INSERT INTO audit_record (seq, prev_hash, hash, record) VALUES (1, $1, $1, $2)', ['0'.repeat(64), '{}']))).rejects.toThrow(/permission denied/);
    expect(await as(roleUrl(d, 'reader'), async (c) => (await c.query('SELECT count(*)::int AS n FROM audit_record')).rows[0].n)).toBe(0);
  });

  it('requires the admin URL in production and names it', () => {
    expect(() => pgAuditDeployment({ NODE_ENV: 'production' })).toThrow(/AUDIT_ADMIN_DATABASE_URL is required in production/);
  });
});
