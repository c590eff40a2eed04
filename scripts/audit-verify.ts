// `npm run audit:verify`: verifies the configured audit trail (AUDIT_DATABASE_URL, else AUDIT_DIR) and prints
// one line. Exit 0 when it verifies, 1 naming the first record that does not, 2 when it could not be checked.
import { loadAuditConfig } from '../audit/config.js';
import { openAuditStore } from '../audit/trail.js';
import { verifyChain } from '../audit/verify.js';

async function main(): Promise<number> {
  let store;
  try {
    const config = await loadAuditConfig(process.env, { verifyOnly: true });
    // Read-only: verification never takes the writer lock, so it can run beside the gateway.
    store = await openAuditStore(config, { readOnly: true });
    const where = config.databaseUrl ? `PostgreSQL schema ${config.schema}` : config.dir;
    const result = await verifyChain(store, config.publicKeys);
    if (result.ok) {
      const range = result.records ? `records ${result.firstSeq}..${result.lastSeq}` : 'no records';
      const anchor = result.anchorSeq !== null ? `, anchored on the retention checkpoint at ${result.anchorSeq}` : '';
      console.log(`audit trail OK (${where}): ${range}, ${result.checkpoints} signed checkpoints${anchor}`);
      return 0;
    }
    const bad = result.firstBad;
    console.log(`audit trail FAILED (${where}): record ${bad.seq} ${bad.reason}: ${bad.message}`);
    return 1;
  } catch (err) {
    console.error(`audit trail could not be verified: ${(err as Error).message}`);
    return 2;
  } finally {
    await store?.close().catch(() => {});
  }
}

process.exitCode = await main();
