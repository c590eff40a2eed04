// The shared SQL helper (adapters/sql.ts), tested here because police is its first user.
import { describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/errors.js';
import { createSqlExecutor, sqlErrorCode, sqlOperation, sqlQuery, type SqlExecutor } from '../../../adapters/sql.js';
import { registerEmbeddedDatabase } from '../../../platform/in-process-sql.js';

const failing = (err: unknown): SqlExecutor => ({ query: () => Promise.reject(err), close: async () => {} });
const slow = (ms: number): SqlExecutor => ({ query: () => new Promise((r) => setTimeout(() => r([]), ms)), close: async () => {} });

describe('createSqlExecutor', () => {
  it.each([
    ['mysql://user:secret@db.invalid/x', '"mysql:"'],
    ['db.invalid:5432', '"db.invalid:"'],
    ['', 'no scheme'],
  ])('refuses %j naming only the scheme', (url, named) => {
    let message = '';
    try { createSqlExecutor(url); } catch (err) { message = (err as Error).message; }
    expect(message).toContain(named);
    expect(message).not.toContain('secret');
  });

  it('refuses an embedded name that is not a slug', () => {
    expect(() => createSqlExecutor('embedded:Bad Name')).toThrow(/embedded:<lower-case name>/);
  });

  it('reads an unregistered embedded database as unavailable', async () => {
    const db = createSqlExecutor('embedded:nobody-here');
    await expect(sqlQuery(db, { agency: 'police', text: 'SELECT 1', timeoutMs: 500 })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
  });

  it('sends queries to the registered embedded database until it is unregistered', async () => {
    const seen: unknown[][] = [];
    const unregister = registerEmbeddedDatabase('sql-test', { query: async <T>(_t: string, p?: unknown[]) => { seen.push(p ?? []); return [{ OK: 1 }] as T[]; } });
    const db = createSqlExecutor('embedded:sql-test');
    expect(await sqlQuery(db, { agency: 'police', text: 'SELECT $1', params: [[1, 2]], timeoutMs: 500 })).toEqual([{ OK: 1 }]);
    expect(seen).toEqual([[[1, 2]]]);
    expect(() => registerEmbeddedDatabase('sql-test', failing(new Error('x')))).toThrow(/already registered/);
    unregister();
    await expect(sqlQuery(db, { agency: 'police', text: 'SELECT 1', timeoutMs: 500 })).rejects.toMatchObject({ code: 'SOURCE_UNAVAILABLE' });
  });
});

describe('sqlOperation', () => {
  it.each([
    ['SELECT "A" FROM "NOMINALS" WHERE x = ANY($1)', 'SELECT NOMINALS'],
    ['select a.* from "ARRESTS" a left join "CUSTODY_RECORDS" c on 1=1', 'SELECT ARRESTS'],
    ['INSERT INTO "WARNING_MARKERS" ("A") VALUES ($1)', 'INSERT WARNING_MARKERS'],
    ['SELECT 1 AS "OK"', 'SELECT'],
  ])('names %j as %s', (text, name) => expect(sqlOperation(text)).toBe(name));
});

describe('sqlErrorCode', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, 'SOURCE_UNAVAILABLE'],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, 'SOURCE_UNAVAILABLE'],
    [{ code: 'XX001', message: 'could not read block 0' }, 'SOURCE_UNAVAILABLE'],
    [{ code: '53300', message: 'too many connections' }, 'SOURCE_UNAVAILABLE'],
    [{ code: '57014', message: 'canceling statement due to statement timeout' }, 'SOURCE_TIMEOUT'],
    [{ code: '28P01', message: 'password authentication failed' }, 'SOURCE_AUTH'],
    [{ code: '42P01', message: 'relation "NOMINALS" does not exist' }, 'BAD_SOURCE_DATA'],
    [{ code: '22007', message: 'invalid datetime format' }, 'BAD_SOURCE_DATA'],
    [{ message: 'Connection terminated unexpectedly' }, 'SOURCE_UNAVAILABLE'],
    [{ message: 'timeout exceeded when trying to connect' }, 'SOURCE_TIMEOUT'],
  ])('classifies %j as %s', (err, code) => expect(sqlErrorCode(err)).toBe(code));
});

describe('sqlQuery', () => {
  it('gives up at the deadline with SOURCE_TIMEOUT', async () => {
    const started = Date.now();
    await expect(sqlQuery(slow(2000), { agency: 'police', operation: 'nominals by id', text: 'SELECT 1', timeoutMs: 100 })).rejects.toMatchObject({ code: 'SOURCE_TIMEOUT', operation: 'nominals by id' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('never puts the SQL, its values or the server detail in the error', async () => {
    const pgError = Object.assign(new Error('relation "NOMINALS" does not exist at 10.0.0.5'), { code: '42P01' });
    const err = await sqlQuery(failing(pgError), { agency: 'police', text: 'SELECT "PNC_ID" FROM "NOMINALS" WHERE "SURNAME" = $1', params: ['SMITH'], timeoutMs: 500 }).catch((e) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect(err.code).toBe('BAD_SOURCE_DATA');
    const shown = JSON.stringify({ message: err.message, extensions: err.extensions });
    for (const secret of ['PNC_ID', 'SMITH', '10.0.0.5', 'relation', 'WHERE']) expect(shown).not.toContain(secret);
    expect(err.cause).toBe(pgError); // kept for the server log only
  });
});
