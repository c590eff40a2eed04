// `npm run audit:migrate`: creates (or brings up to date) the PostgreSQL audit store: the database if it
// is missing, the schema, its append-only triggers, the retention function and the three login roles
// (app: INSERT and SELECT; retention: the app's rights and the prune function; reader: SELECT only).
// Idempotent: a second run changes nothing and says so. Exit 0 on success, 2 when it could not run.
// Settings: AUDIT_ADMIN_DATABASE_URL, AUDIT_DB_SCHEMA, AUDIT_APP_ROLE, AUDIT_RETENTION_ROLE,
// AUDIT_READER_ROLE and the optional AUDIT_*_PASSWORD (see docs/operations.md).
import { migrateDeployment, pgAuditDeployment, roleUrl } from '../audit/deployment.js';

function redacted(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

try {
  const d = pgAuditDeployment();
  const report = await migrateDeployment(d);
  const where = new URL(d.adminUrl);
  console.log(`audit schema "${d.schema}" in database ${where.pathname.slice(1)} on ${where.host}: ${report.changed ? 'created or updated' : 'already up to date, no change'}${report.createdDatabase ? ' (database created)' : ''}`);
  console.log(`  gateways      AUDIT_DATABASE_URL=${redacted(roleUrl(d, 'app'))}`);
  console.log(`  retention     AUDIT_RETENTION_DATABASE_URL=${redacted(roleUrl(d, 'retention'))}`);
  console.log(`  audit subgraph, audit:verify  AUDIT_DATABASE_URL=${redacted(roleUrl(d, 'reader'))}`);
  console.log(`  all of them   AUDIT_DB_SCHEMA=${d.schema}`);
} catch (err) {
  // pg's messages name the role or database, never the password; the URL itself is not printed.
  console.error(`audit migration failed: ${(err as Error).message}`);
  process.exitCode = 2;
}
