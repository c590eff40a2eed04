// The PostgreSQL audit schema, run once with an admin URL: tables, the append-only triggers, the one
// function allowed to delete (retention, up to a stored checkpoint), and the roles the app connects as.
import { createHash } from 'node:crypto';
import pg from 'pg';

export interface PgAuditSchemaOptions {
  /** Schema holding the audit tables (`AUDIT_DB_SCHEMA`, default `audit`). */
  schema: string;
  /** Login role of the application: INSERT and SELECT only. */
  appRole: string;
  /** Login role of the retention job: the app's rights plus EXECUTE on audit_prune. */
  retentionRole: string;
  /** Login role of the auditors' subgraph: SELECT only, so the process that reads the trail cannot add to it. */
  readerRole?: string;
  appPassword?: string;
  retentionPassword?: string;
  readerPassword?: string;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

function ident(kind: string, name: string): string {
  if (!IDENT.test(name)) throw new Error(`audit ${kind} must be a lower-case identifier, got "${name}"`);
  return `"${name}"`;
}

/** The advisory lock that serialises appends (and pruning) on one schema, across every process. */
export function auditLockKey(schema: string): string {
  return createHash('sha256').update(`audit:${schema}`).digest().readBigInt64BE(0).toString();
}

function schemaSql(s: string, app: string, retention: string, reader: string | null): string {
  return `
CREATE SCHEMA IF NOT EXISTS ${s};
REVOKE ALL ON SCHEMA ${s} FROM PUBLIC;

CREATE TABLE IF NOT EXISTS ${s}.audit_record (
  seq bigint PRIMARY KEY CHECK (seq > 0),
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  time timestamptz NOT NULL,
  caller_subject text NOT NULL,
  purpose text NOT NULL,
  kind text NOT NULL,
  record jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_record_time ON ${s}.audit_record (time);
CREATE INDEX IF NOT EXISTS audit_record_caller ON ${s}.audit_record (caller_subject, seq);
CREATE INDEX IF NOT EXISTS audit_record_subjects ON ${s}.audit_record USING gin ((record -> 'subjects') jsonb_path_ops);
CREATE INDEX IF NOT EXISTS audit_record_disclosed ON ${s}.audit_record USING gin ((record -> 'disclosed') jsonb_path_ops);

CREATE TABLE IF NOT EXISTS ${s}.audit_checkpoint (
  seq bigint NOT NULL CHECK (seq > 0),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  time timestamptz NOT NULL,
  kid text NOT NULL,
  signature text NOT NULL,
  PRIMARY KEY (seq, signature)
);

-- Each row must extend the chain; the derived columns come from the record so they cannot disagree with it.
CREATE OR REPLACE FUNCTION ${s}.audit_record_link() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE last_seq bigint; last_hash text;
BEGIN
  SELECT seq, hash INTO last_seq, last_hash FROM ${s}.audit_record ORDER BY seq DESC LIMIT 1;
  IF NOT FOUND THEN
    SELECT seq, hash INTO last_seq, last_hash FROM ${s}.audit_checkpoint ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN last_seq := 0; last_hash := repeat('0', 64); END IF;
  END IF;
  IF NEW.seq <> last_seq + 1 OR NEW.prev_hash <> last_hash THEN
    RAISE EXCEPTION 'audit chain: expected seq % linking to the hash of %, got seq %', last_seq + 1, last_seq, NEW.seq USING ERRCODE = '23514';
  END IF;
  NEW.time := (NEW.record ->> 'time')::timestamptz;
  NEW.caller_subject := NEW.record -> 'caller' ->> 'subject';
  NEW.purpose := NEW.record ->> 'purpose';
  NEW.kind := coalesce(NEW.record ->> 'kind', 'REQUEST');
  RETURN NEW;
END $fn$;

-- Defence in depth behind the grants: even the owner cannot edit or delete outside audit_prune.
CREATE OR REPLACE FUNCTION ${s}.audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_record' AND current_setting('audit.pruning', true) = 'on' THEN RETURN OLD; END IF;
  RAISE EXCEPTION 'audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = '42501';
END $fn$;

-- A checkpoint must name a record that exists with that hash (or one already removed by retention).
CREATE OR REPLACE FUNCTION ${s}.audit_checkpoint_check() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE h text; lo bigint;
BEGIN
  SELECT hash INTO h FROM ${s}.audit_record WHERE seq = NEW.seq;
  IF FOUND AND h = NEW.hash THEN RETURN NEW; END IF;
  IF NOT FOUND THEN
    SELECT min(seq) INTO lo FROM ${s}.audit_record;
    IF lo IS NOT NULL AND NEW.seq < lo THEN RETURN NEW; END IF;
    IF lo IS NULL AND EXISTS (SELECT 1 FROM ${s}.audit_checkpoint WHERE seq = NEW.seq AND hash = NEW.hash) THEN RETURN NEW; END IF;
  END IF;
  RAISE EXCEPTION 'audit checkpoint: record % does not have that hash', NEW.seq USING ERRCODE = '23514';
END $fn$;

DROP TRIGGER IF EXISTS audit_record_link ON ${s}.audit_record;
CREATE TRIGGER audit_record_link BEFORE INSERT ON ${s}.audit_record FOR EACH ROW EXECUTE FUNCTION ${s}.audit_record_link();
DROP TRIGGER IF EXISTS audit_record_append_only ON ${s}.audit_record;
CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON ${s}.audit_record FOR EACH ROW EXECUTE FUNCTION ${s}.audit_append_only();
DROP TRIGGER IF EXISTS audit_record_no_truncate ON ${s}.audit_record;
CREATE TRIGGER audit_record_no_truncate BEFORE TRUNCATE ON ${s}.audit_record FOR EACH STATEMENT EXECUTE FUNCTION ${s}.audit_append_only();
DROP TRIGGER IF EXISTS audit_checkpoint_check ON ${s}.audit_checkpoint;
CREATE TRIGGER audit_checkpoint_check BEFORE INSERT ON ${s}.audit_checkpoint FOR EACH ROW EXECUTE FUNCTION ${s}.audit_checkpoint_check();
DROP TRIGGER IF EXISTS audit_checkpoint_append_only ON ${s}.audit_checkpoint;
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON ${s}.audit_checkpoint FOR EACH ROW EXECUTE FUNCTION ${s}.audit_append_only();
DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON ${s}.audit_checkpoint;
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON ${s}.audit_checkpoint FOR EACH STATEMENT EXECUTE FUNCTION ${s}.audit_append_only();

-- The only way to delete: records before a stored checkpoint whose hash matches the record it names.
CREATE OR REPLACE FUNCTION ${s}.audit_prune(before_seq bigint, anchor_hash text, anchor_signature text) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE removed bigint;
BEGIN
  -- No append lock: deleting old rows never conflicts with adding new ones, so the gateway is not held up.
  IF NOT EXISTS (SELECT 1 FROM ${s}.audit_checkpoint WHERE seq = before_seq - 1 AND hash = anchor_hash AND signature = anchor_signature) THEN
    RAISE EXCEPTION 'audit prune: no stored checkpoint at seq %', before_seq - 1 USING ERRCODE = '23514';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM ${s}.audit_record WHERE seq = before_seq - 1 AND hash = anchor_hash) THEN
    IF (SELECT coalesce(min(seq), before_seq) FROM ${s}.audit_record) >= before_seq THEN RETURN 0; END IF;
    RAISE EXCEPTION 'audit prune: record % does not match its checkpoint', before_seq - 1 USING ERRCODE = '23514';
  END IF;
  PERFORM set_config('audit.pruning', 'on', true);
  DELETE FROM ${s}.audit_record WHERE seq < before_seq;
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('audit.pruning', 'off', true);
  RETURN removed;
END $fn$;
REVOKE ALL ON FUNCTION ${s}.audit_prune(bigint, text, text) FROM PUBLIC;

GRANT USAGE ON SCHEMA ${s} TO ${app}, ${retention};
REVOKE ALL ON ${s}.audit_record, ${s}.audit_checkpoint FROM PUBLIC, ${app}, ${retention};
GRANT SELECT, INSERT ON ${s}.audit_record, ${s}.audit_checkpoint TO ${app}, ${retention};
GRANT EXECUTE ON FUNCTION ${s}.audit_prune(bigint, text, text) TO ${retention};
${reader ? `GRANT USAGE ON SCHEMA ${s} TO ${reader};
REVOKE ALL ON ${s}.audit_record, ${s}.audit_checkpoint FROM ${reader};
GRANT SELECT ON ${s}.audit_record, ${s}.audit_checkpoint TO ${reader};` : ''}
`;
}

/** Creates or updates the audit schema and its roles. Idempotent; run with an admin (schema owner) URL. */
export async function migratePgAudit(adminUrl: string, options: PgAuditSchemaOptions): Promise<void> {
  const s = ident('schema', options.schema);
  const app = ident('role', options.appRole);
  const retention = ident('role', options.retentionRole);
  const reader = options.readerRole ? ident('role', options.readerRole) : null;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    // Two migrations at once (two deployments starting together) would race on CREATE ROLE; take turns.
    await client.query(`SELECT pg_advisory_xact_lock(${auditLockKey(`migrate:${options.schema}`)})`);
    const roles: [string, string | undefined][] = [[options.appRole, options.appPassword], [options.retentionRole, options.retentionPassword]];
    if (options.readerRole) roles.push([options.readerRole, options.readerPassword]);
    for (const [role, password] of roles) {
      const found = await client.query<{ rolsuper: boolean; rolbypassrls: boolean }>('SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1', [role]);
      // A superuser app role would make the grants and triggers meaningless.
      if (found.rows[0]?.rolsuper || found.rows[0]?.rolbypassrls) throw new Error(`audit role "${role}" must not be a superuser`);
      if (!found.rows.length) await client.query(`CREATE ROLE "${role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE`);
      if (password) await client.query(`ALTER ROLE "${role}" PASSWORD ${client.escapeLiteral(password)}`);
    }
    await client.query(schemaSql(s, app, retention, reader));
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}

/** Drops the schema and the two roles (tests, and tearing down a demo). */
export async function dropPgAudit(adminUrl: string, options: Pick<PgAuditSchemaOptions, 'schema' | 'appRole' | 'retentionRole' | 'readerRole'>): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${ident('schema', options.schema)} CASCADE`);
    for (const role of [options.appRole, options.retentionRole, ...(options.readerRole ? [options.readerRole] : [])]) {
      await client.query(`DROP ROLE IF EXISTS ${ident('role', role)}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * A fingerprint of what the migration controls: tables and columns, indexes, triggers, functions, the
 * roles' attributes and every grant on the schema's objects. Two equal fingerprints mean a run changed nothing.
 */
export async function describePgAudit(adminUrl: string, options: Pick<PgAuditSchemaOptions, 'schema' | 'appRole' | 'retentionRole' | 'readerRole'>): Promise<string[]> {
  ident('schema', options.schema);
  const roles = [options.appRole, options.retentionRole, ...(options.readerRole ? [options.readerRole] : [])];
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ line: string }>(
      `SELECT 'schema ' || nspname || ' acl ' || coalesce(nspacl::text, '') AS line FROM pg_namespace WHERE nspname = $1
       UNION ALL SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns WHERE table_schema = $1
       UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = $1
       UNION ALL SELECT 'trigger ' || pg_get_triggerdef(t.oid) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT t.tgisinternal
       UNION ALL SELECT 'function ' || p.proname || ' ' || md5(pg_get_functiondef(p.oid)) || ' acl ' || coalesce(p.proacl::text, '') FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
       UNION ALL SELECT 'table ' || c.relname || ' acl ' || coalesce(c.relacl::text, '') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'
       UNION ALL SELECT 'role ' || rolname || ' login=' || rolcanlogin || ' super=' || rolsuper || ' createdb=' || rolcreatedb || ' createrole=' || rolcreaterole FROM pg_roles WHERE rolname = ANY($2)`,
      [options.schema, roles],
    );
    return rows.map((r) => r.line).sort();
  } finally {
    await client.end();
  }
}
