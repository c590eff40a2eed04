// The in-process "wire" between a database client and a database that lives in the same process. It is
// neither the adapter nor the stand-in, so that a stand-in never imports adapter code (GUIDE: stand-ins
// are independent fakes): like nock for HTTP, a fake database plugs into the transport, not the client.
// - `embedded:<name>` URLs resolve to a database registered here (the police stand-in's PGlite).
// - A stand-in seeded into a real PostgreSQL schema watches the statements sent to that schema here,
//   to count them and inject faults, as a proxy in front of the server would.

/** What a database in this process answers: rows for parameterised SQL. */
export interface InProcessDatabase {
  query<T>(text: string, params?: unknown[]): Promise<T[]>;
}

/** Wraps each statement sent to one PostgreSQL schema: sees its text, runs it (or not), returns its rows. */
export type StatementWatcher = <T>(text: string, run: () => Promise<T[]>) => Promise<T[]>;

const databases = new Map<string, InProcessDatabase>();
const watchers = new Map<string, StatementWatcher>();
const NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** Makes a database reachable as `embedded:<name>`. Returns the function that unregisters it. */
export function registerEmbeddedDatabase(name: string, db: InProcessDatabase): () => void {
  if (!NAME.test(name)) throw new Error(`embedded database name must be a lower-case slug, got "${name}"`);
  if (databases.has(name)) throw new Error(`embedded database "${name}" is already registered`);
  databases.set(name, db);
  return () => {
    if (databases.get(name) === db) databases.delete(name);
  };
}

/** The database registered as `name`, looked up per statement so that a closed one reads as gone. */
export function embeddedDatabase(name: string): InProcessDatabase | undefined {
  return databases.get(name);
}

/** Sees every statement this process sends to PostgreSQL schema `schema`. Returns the function that stops it. */
export function watchSchema(schema: string, watcher: StatementWatcher): () => void {
  watchers.set(schema, watcher);
  return () => {
    if (watchers.get(schema) === watcher) watchers.delete(schema);
  };
}

/** The watcher of a schema, if a stand-in is watching it. */
export function schemaWatcher(schema: string): StatementWatcher | undefined {
  return watchers.get(schema);
}
