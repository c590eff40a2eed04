// The police records-management database stand-in. Embedded by default: an in-process PGlite (real
// PostgreSQL in WASM) registered as `embedded:police-<n>`. Given `databaseUrl`, it seeds a fresh schema
// of that PostgreSQL server instead and watches the adapter's queries to that schema. Either way every
// query is counted as `<KEYWORD> <TABLE>` (e.g. `SELECT NOMINALS`) and passes through the fault switch.
// With `network` (npm run stand-ins) the embedded database is also served on loopback over the
// PostgreSQL wire protocol (legacy/pg-wire.ts), so an adapter in another process can reach it.
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import pg from 'pg';
import { registerEmbeddedDatabase, watchSchema, type StatementWatcher } from '../../platform/in-process-sql.js';
import { FaultControl, now, RequestCounter, type StandIn, type StartStandIn } from '../faults.js';
import { createAndSeed } from './schema.js';
import { serveWire } from '../pg-wire.js';

let instances = 0;
/** An empty, initialised data directory: loading it takes ~0.5 s where initdb takes several (kept in memory, ~40 MB). */
let template: Promise<Blob> | null = null;

async function freshPglite(): Promise<PGlite> {
  // fuzzystrmatch: the phonetic search the records database offers (created by the seed).
  if (template) return PGlite.create({ loadDataDir: await template, extensions: { fuzzystrmatch } });
  const db = await PGlite.create({ extensions: { fuzzystrmatch } });
  template = db.dumpDataDir('none');
  template.catch(() => { template = null; });
  await template;
  return db;
}

/** What a database that refuses connections looks like to the pg driver. */
function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
}
/** A server-side failure as PostgreSQL reports it (SQLSTATE XX001, data corrupted). */
function serverError(): Error {
  return Object.assign(new Error('could not read block 0 in file "base/16384/16402": read only 0 of 8192 bytes'), { code: 'XX001', severity: 'ERROR' });
}
/** Garbage in the first row: every date column becomes an impossible date and a surname goes blank, so that record alone is unreadable. */
function corrupt<T>(rows: T[]): T[] {
  if (rows.length === 0) return rows;
  const first = { ...(rows[0] as Record<string, unknown>) };
  for (const key of Object.keys(first)) if (key.includes('DATE')) first[key] = '31/02/1980';
  if ('SURNAME' in first) first.SURNAME = ' '; // an impossible birth date alone no longer costs a nominal
  return [first as T, ...rows.slice(1)];
}

/** Nominal rows of the records listed in `malformedRecords` get an impossible date of birth (their other rows are intact). */
function breakListed<T>(faults: FaultControl, rows: T[]): T[] {
  return rows.map((row) => {
    const r = row as Record<string, unknown>;
    return 'SURNAME' in r && faults.isMalformed(r.NOMINAL_ID) ? ({ ...r, SURNAME: '' } as T) : row;
  });
}

/** How the request log names a statement: its first keyword and first table, e.g. `SELECT NOMINALS`. */
export function statementName(text: string): string {
  const words = text.trim().split(/\s+/);
  const keyword = words[0]?.replace(/\W/g, '').toUpperCase() || 'SQL';
  const at = words.findIndex((w) => ['FROM', 'INTO', 'UPDATE', 'TABLE'].includes(w.toUpperCase()));
  const table = at >= 0 ? words[at + 1]?.split('.').pop()?.replace(/[^\w]/g, '').toUpperCase() : undefined;
  return table ? `${keyword} ${table}` : keyword;
}

/** Counts each statement and applies the fault switch before (down, error, latency) and after (malformed) running it. */
function instrument(faults: FaultControl, requests: RequestCounter): StatementWatcher {
  return async <T>(text: string, run: () => Promise<T[]>): Promise<T[]> => {
    const arrived = now(); // counted after the fault delay, logged at arrival: tests tell waves apart by arrival
    const outcome = await faults.apply();
    if (outcome === 'down') throw connectionRefused(); // a refused connection never reaches the server's count
    requests.count(statementName(text), 1, arrived);
    if (outcome === 'error') throw serverError();
    const rows = breakListed(faults, await run());
    return outcome === 'malformed' ? corrupt(rows) : rows;
  };
}

async function startEmbedded(options: Parameters<StartStandIn>[0], faults: FaultControl, requests: RequestCounter): Promise<StandIn> {
  const db = await freshPglite();
  await createAndSeed((text, params) => db.query(text, params), (sql) => db.exec(sql), options.population);
  const name = `police-${++instances}`;
  const observe = instrument(faults, requests);
  const unregister = registerEmbeddedDatabase(name, {
    query: <T>(text: string, params?: unknown[]) => observe<T>(text, async () => (await db.query<T>(text, params)).rows),
  });
  // Reachable from another process: the same database behind the PostgreSQL wire protocol on loopback.
  const wire = options.network ? await serveWire(db, { faults, requests, statementName, host: options.host }) : null;
  const url = wire ? `postgres://police@${wire.host}:${wire.port}/police` : `embedded:${name}`;
  return {
    agency: 'police', location: url, env: { POLICE_DATABASE_URL: url }, faults, requests,
    close: async () => {
      unregister();
      await wire?.close();
      await db.close();
    },
  };
}

/** Runs `work` on one short-lived connection (search path `schema` when given), always closing it. */
async function withClient<T>(databaseUrl: string, schema: string | null, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, ...(schema ? { options: `-c search_path=${schema}` } : {}) });
  client.on('error', () => {}); // a dropped connection fails the work in hand; unheard, it would crash the process
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function startOnPostgres(databaseUrl: string, options: Parameters<StartStandIn>[0], faults: FaultControl, requests: RequestCounter): Promise<StandIn> {
  const schema = `police_${process.pid}_${++instances}_${randomBytes(3).toString('hex')}`;
  try {
    await withClient(databaseUrl, null, (c) => c.query(`CREATE SCHEMA "${schema}"`));
  } catch (err) {
    throw new Error(`police stand-in could not create its schema in PostgreSQL: ${(err as Error).message}`);
  }
  const dropSchema = () => withClient(databaseUrl, null, (c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  try {
    await withClient(databaseUrl, schema, (c) =>
      createAndSeed(async (text, params) => (await c.query(text, params)).rows, (sql) => c.query(sql), options.population));
  } catch (err) {
    await dropSchema().catch(() => {});
    throw err;
  }
  // The adapter talks to PostgreSQL directly; watching the statements sent to this schema is how the stand-in sees its queries.
  const unobserve = watchSchema(schema, instrument(faults, requests));
  return {
    agency: 'police', location: `postgres schema ${schema}`, env: { POLICE_DATABASE_URL: databaseUrl, POLICE_DB_SCHEMA: schema }, faults, requests,
    close: async () => {
      unobserve();
      await dropSchema();
    },
  };
}

export const startStandIn: StartStandIn = async (options) => {
  const faults = new FaultControl(options.faultSeed ?? 1);
  const requests = new RequestCounter();
  return options.databaseUrl ? startOnPostgres(options.databaseUrl, options, faults, requests) : startEmbedded(options, faults, requests);
};
