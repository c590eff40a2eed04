// The SQL helper every database-backed adapter uses: one small executor contract served either by a
// PostgreSQL pool (`postgres://`) or by an in-process engine a stand-in registered (`embedded:<name>`,
// PGlite: real PostgreSQL compiled to WASM, so the same SQL runs on both). `sqlQuery` adds the deadline
// and turns driver errors into typed AdapterErrors that never carry SQL, hosts or parameters.
import { legacyCall } from '../platform/telemetry.js';
import pg from 'pg';
import { embeddedDatabase, schemaWatcher } from '../platform/in-process-sql.js';
import { AdapterError, type AdapterErrorCode } from './errors.js';

/** The one thing an adapter needs from a database. Parameterised SQL only: `text` never holds values. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface SqlExecutorOptions {
  /** PostgreSQL schema to put first on the search path (ignored for embedded databases). */
  schema?: string | null;
  /** Server-side statement timeout and connection timeout, in ms. */
  timeoutMs?: number;
  poolMax?: number;
}

const EMBEDDED_NAME = /^[a-z][a-z0-9-]{0,62}$/;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A readable, stable name for a statement: its first keyword and first table, e.g. `SELECT NOMINALS`. */
export function sqlOperation(text: string): string {
  const keyword = /^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? 'SQL';
  const table = /\b(?:FROM|INTO|UPDATE|TABLE)\s+(?:"?\w+"?\.)?"?(\w+)"?/i.exec(text)?.[1]?.toUpperCase();
  return table ? `${keyword} ${table}` : keyword;
}

/** An error shaped like the driver's "connection refused", for a database that is not (or no longer) there. */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
}

/**
 * An executor for a database URL: a pg.Pool for `postgres://` and `postgresql://`, or the registered
 * in-process database for `embedded:<name>` (platform/in-process-sql.ts; looked up on every query, so a
 * closed stand-in reads as down). Statements to a schema a stand-in watches pass through its watcher.
 * Anything else throws, naming only the scheme: the URL may hold a password.
 */
export function createSqlExecutor(url: string, options: SqlExecutorOptions = {}): SqlExecutor {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url ?? '')?.[1]?.toLowerCase();
  if (scheme === 'embedded') {
    const name = url.slice('embedded:'.length);
    if (!EMBEDDED_NAME.test(name)) throw new Error(`embedded database URL must be embedded:<lower-case name>, got "${url}"`);
    return {
      query: <T>(text: string, params?: unknown[]) => {
        const db = embeddedDatabase(name);
        return db ? db.query<T>(text, params) : Promise.reject(connectionRefused());
      },
      close: async () => {}, // the stand-in owns the embedded database and closes it
    };
  }
  if (scheme === 'postgres' || scheme === 'postgresql') {
    const schema = options.schema ?? null;
    if (schema !== null && !SCHEMA_NAME.test(schema)) throw new Error(`database schema must be a lower-case identifier, got "${schema}"`);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolMax ?? 5,
      connectionTimeoutMillis: options.timeoutMs ?? 3000,
      // The server gives up too, so an abandoned slow query does not keep holding a connection.
      statement_timeout: options.timeoutMs ?? 3000,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      ...(schema ? { options: `-c search_path=${schema}` } : {}),
    });
    // Without a listener an idle client's network error (server restart) would crash the process.
    pool.on('error', () => {});
    const run = async <T>(text: string, params?: unknown[]): Promise<T[]> => (await pool.query(text, params as unknown[])).rows as T[];
    return {
      query: <T>(text: string, params?: unknown[]) => {
        const watcher = schema ? schemaWatcher(schema) : undefined;
        return watcher ? watcher<T>(text, () => run<T>(text, params)) : run<T>(text, params);
      },
      close: () => pool.end(),
    };
  }
  throw new Error(`database URL must start with postgres://, postgresql:// or embedded:, got ${scheme ? `"${scheme}:"` : 'no scheme'}`);
}

/** The AdapterError code for a driver error: connection and server faults, timeouts, credentials, or bad data. */
export function sqlErrorCode(err: unknown): AdapterErrorCode {
  const code = String((err as { code?: unknown })?.code ?? '');
  const message = String((err as { message?: unknown })?.message ?? '');
  if (code === '57014') return 'SOURCE_TIMEOUT'; // statement_timeout or cancel
  if (/^28/.test(code)) return 'SOURCE_AUTH';
  if (/^E[A-Z]+$/.test(code) || /^(08|53|57|58|XX)/.test(code)) return 'SOURCE_UNAVAILABLE';
  if (/^(22|23|42|2F|39)/.test(code) || code === '0A000') return 'BAD_SOURCE_DATA';
  // No SQLSTATE: a client-side failure such as "Connection terminated" or a pool timeout.
  return /timeout/i.test(message) ? 'SOURCE_TIMEOUT' : 'SOURCE_UNAVAILABLE';
}

export interface SqlCall {
  agency: string;
  /** Stable operation name for errors and logs; derived from the SQL when absent. */
  operation?: string;
  text: string;
  params?: unknown[];
  timeoutMs: number;
}

/**
 * Runs one parameterised query within a deadline. Throws AdapterError SOURCE_TIMEOUT when the deadline
 * passes, and the code from `sqlErrorCode` for driver errors; the SQL text and values stay out of it.
 */
export function sqlQuery<T>(db: SqlExecutor, call: SqlCall): Promise<T[]> {
  const operation = call.operation ?? sqlOperation(call.text);
  return legacyCall(call.agency, operation, () => runQuery<T>(db, call, operation));
}

async function runQuery<T>(db: SqlExecutor, call: SqlCall, operation: string): Promise<T[]> {
  let timer: NodeJS.Timeout | undefined;
  const pending = db.query<T>(call.text, call.params ?? []);
  pending.catch(() => {}); // once the deadline has passed, a late failure has nobody to tell
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AdapterError({ agency: call.agency, operation, code: 'SOURCE_TIMEOUT' })), call.timeoutMs);
  });
  try {
    return await Promise.race([pending, deadline]);
  } catch (err) {
    if (err instanceof AdapterError) throw err;
    throw new AdapterError({ agency: call.agency, operation, code: sqlErrorCode(err), cause: err });
  } finally {
    clearTimeout(timer);
  }
}
