// The PostgreSQL audit store as a deployment sets it up: which database, schema and roles (from the
// environment), creating the database if it is missing, migrating idempotently, and the URL each
// process connects with. Used by `npm run audit:migrate` and `npm run start:distributed`.
import pg from 'pg';
import { describePgAudit, migratePgAudit, type PgAuditSchemaOptions } from './pg-schema.js';

export interface PgAuditDeployment extends PgAuditSchemaOptions {
  /** `AUDIT_ADMIN_DATABASE_URL`: the schema owner; used only to migrate, never by a running service. */
  adminUrl: string;
  readerRole: string;
}

/** Development default: the machine's PostgreSQL with trust authentication on loopback. */
export const DEV_AUDIT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/justice_graph';

/** The deployment described by the environment; the admin URL is required in production. */
export function pgAuditDeployment(env: Record<string, string | undefined> = process.env): PgAuditDeployment {
  const adminUrl = env.AUDIT_ADMIN_DATABASE_URL || (env.NODE_ENV === 'production' ? null : DEV_AUDIT_ADMIN_URL);
  if (!adminUrl) throw new Error('AUDIT_ADMIN_DATABASE_URL is required in production (the audit schema owner, used only to migrate)');
  if (!/^postgres(ql)?:\/\//.test(adminUrl)) throw new Error('AUDIT_ADMIN_DATABASE_URL must be a postgres:// URL');
  return {
    adminUrl,
    schema: env.AUDIT_DB_SCHEMA || 'audit',
    appRole: env.AUDIT_APP_ROLE || 'audit_app',
    retentionRole: env.AUDIT_RETENTION_ROLE || 'audit_retention',
    readerRole: env.AUDIT_READER_ROLE || 'audit_reader',
    appPassword: env.AUDIT_APP_PASSWORD || undefined,
    retentionPassword: env.AUDIT_RETENTION_PASSWORD || undefined,
    readerPassword: env.AUDIT_READER_PASSWORD || undefined,
  };
}

/** The URL a role connects with: the admin URL's server and database, that role's name and password. */
export function roleUrl(d: PgAuditDeployment, role: 'app' | 'retention' | 'reader'): string {
  const url = new URL(d.adminUrl);
  url.username = { app: d.appRole, retention: d.retentionRole, reader: d.readerRole }[role];
  url.password = { app: d.appPassword, retention: d.retentionPassword, reader: d.readerPassword }[role] ?? '';
  return url.toString();
}

/** Creates the admin URL's database when it does not exist (connecting to the server's `postgres` database). */
async function ensureDatabase(adminUrl: string): Promise<boolean> {
  const url = new URL(adminUrl);
  const name = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  const probe = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await probe.connect();
    return false;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err; // 3D000: database does not exist
  } finally {
    await probe.end().catch(() => {});
  }
  url.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: url.toString(), connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile by another run
  } finally {
    await admin.end();
  }
  return true;
}

export interface MigrationReport {
  createdDatabase: boolean;
  /** Whether the schema, roles and grants differ from before the run (false: the run changed nothing). */
  changed: boolean;
}

/** Creates the database if needed, then the schema and roles; idempotent. */
export async function migrateDeployment(d: PgAuditDeployment): Promise<MigrationReport> {
  const createdDatabase = await ensureDatabase(d.adminUrl);
  const before = await describePgAudit(d.adminUrl, d);
  await migratePgAudit(d.adminUrl, d);
  const after = await describePgAudit(d.adminUrl, d);
  return { createdDatabase, changed: before.join('\n') !== after.join('\n') };
}
