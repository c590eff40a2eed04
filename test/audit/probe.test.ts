// The readiness probe of each audit store says what an append would meet, without appending: a store
// that cannot take writes fails the probe (and /ready), and passes it again once it can.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditUnavailableError } from '../../audit/store.js';
import { ADMIN_URL, PgServer, appendMany, fileHarness, sampleInput, setWritable } from './helpers.js';

const server = new PgServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

describe('the audit store probe', () => {
  it('file store: fails while the folder is unwritable, as an append does, and passes again after; it writes nothing', async () => {
    const h = await fileHarness();
    const store = await h.open();
    try {
      await appendMany(store, 2);
      await expect(store.probe()).resolves.toBeUndefined();
      setWritable(h.dir, false);
      try {
        await expect(store.probe()).rejects.toBeInstanceOf(AuditUnavailableError);
        await expect(store.append(sampleInput(3))).rejects.toBeInstanceOf(AuditUnavailableError);
      } finally {
        setWritable(h.dir, true);
      }
      await expect(store.probe()).resolves.toBeUndefined();
      expect(await store.count()).toBe(2);
    } finally {
      await store.close();
      await h.dispose();
    }
  });

  it('PostgreSQL: fails while the app role may not insert, and passes again once it may', async () => {
    const h = await server.harness();
    const store = await h.open();
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    try {
      await expect(store.probe()).resolves.toBeUndefined();
      await admin.query(`REVOKE INSERT ON "${h.schema}".audit_record FROM ${server.appRole}`);
      await expect(store.probe()).rejects.toMatchObject({ code: 'AUDIT_UNAVAILABLE', reason: 'NO_INSERT_PRIVILEGE' });
      await admin.query(`GRANT INSERT ON "${h.schema}".audit_record TO ${server.appRole}`);
      await expect(store.probe()).resolves.toBeUndefined();
      expect(await store.count()).toBe(0);
    } finally {
      await admin.end();
      await h.dispose();
    }
  });
});
