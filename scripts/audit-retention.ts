// Removes audit records past the retention period (AUDIT_RETENTION_DAYS, default 2555 = 7 years) or
// `--older-than <ISO instant>`, anchoring the rest on a signed checkpoint and recording the removal.
// PostgreSQL: connects as AUDIT_RETENTION_DATABASE_URL (the only role allowed to prune).
import { loadAuditConfig } from '../audit/config.js';
import { applyRetention, retentionCutoff } from '../audit/retention.js';
import { openAuditTrail } from '../audit/trail.js';

async function main(): Promise<number> {
  const flag = process.argv.indexOf('--older-than');
  try {
    const config = await loadAuditConfig();
    const olderThan = flag >= 0 ? process.argv[flag + 1] ?? '' : retentionCutoff(config.retentionDays);
    const trail = await openAuditTrail(config, { retention: true });
    try {
      const r = await applyRetention(trail, { olderThan });
      console.log(
        r.removed || r.record
          ? `audit retention: removed ${r.removed} records (${r.fromSeq}..${r.toSeq}) older than ${olderThan}; anchor checkpoint at ${r.anchor?.seq}; recorded as record ${r.record?.seq}`
          : `audit retention: nothing older than ${olderThan}`,
      );
      return 0;
    } finally {
      await trail.close();
    }
  } catch (err) {
    console.error(`audit retention failed: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main();
