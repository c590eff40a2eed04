// The operator commands, run as processes: audit-verify's one line and exit code, audit-retention end to end.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadAuditConfig } from '../../audit/config.js';
import { openAuditTrail } from '../../audit/trail.js';
import { PgServer, appendMany, fileHarness } from './helpers.js';

const run = promisify(execFile);
const TSX = join(process.cwd(), 'node_modules', '.bin', 'tsx');

/** Runs a script with `env` on top of a clean environment; returns its exit code and output. */
async function script(name: string, env: Record<string, string>, args: string[] = []): Promise<{ code: number; out: string }> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent' };
  try {
    const { stdout, stderr } = await run(TSX, [join('scripts', name), ...args], { env: { ...base, ...env }, timeout: 30_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const server = new PgServer();
beforeAll(() => server.start());
afterAll(() => server.stop());

describe('npm run audit:verify and audit-retention', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  });

  async function fileTrail(n: number) {
    const h = await fileHarness();
    const keys = await mkdtemp(join(tmpdir(), 'audit-keys-'));
    cleanup.push(() => h.dispose(), () => rm(keys, { recursive: true, force: true }));
    const env = { AUDIT_DIR: h.dir, DEV_KEYS_DIR: keys, AUDIT_CHECKPOINT_EVERY: '10' };
    const trail = await openAuditTrail(await loadAuditConfig(env));
    await appendMany(trail, n);
    await trail.close();
    return { h, env };
  }

  it('prints one line and exits 0 when the file trail verifies', async () => {
    const { env } = await fileTrail(25);
    const r = await script('audit-verify.ts', env);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toMatch(/^audit trail OK \(.+\): records 1\.\.25, 3 signed checkpoints$/);
  });

  it('exits 1 naming the first record that does not verify', async () => {
    const { h, env } = await fileTrail(25);
    await h.editPurpose(13, 'CURIOSITY');
    const r = await script('audit-verify.ts', env);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED .*record 13 HASH_MISMATCH/);
  });

  it('exits 2 when there is no trail to verify', async () => {
    const keys = await mkdtemp(join(tmpdir(), 'audit-keys-'));
    cleanup.push(() => rm(keys, { recursive: true, force: true }));
    const r = await script('audit-verify.ts', { AUDIT_DIR: join(keys, 'missing'), DEV_KEYS_DIR: keys });
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/could not be verified/);
  });

  it('removes old records with audit-retention, after which the trail still verifies', async () => {
    const { env } = await fileTrail(25);
    const r = await script('audit-retention.ts', env, ['--older-than', '2025-01-01T00:11:00Z']);
    expect(r.out).toMatch(/removed 10 records \(1\.\.10\).*recorded as record 26/);
    expect(r.code).toBe(0);
    const v = await script('audit-verify.ts', env);
    expect(v.out).toMatch(/OK .*records 11\.\.26.*anchored on the retention checkpoint at 10/);
  });

  it('verifies a PostgreSQL trail as the app role, and prunes it only as the retention role', async () => {
    const h = await server.harness();
    cleanup.push(() => h.dispose());
    const keys = await mkdtemp(join(tmpdir(), 'audit-keys-'));
    cleanup.push(() => rm(keys, { recursive: true, force: true }));
    const env = { AUDIT_DATABASE_URL: server.urlFor(server.appRole), AUDIT_DB_SCHEMA: h.schema, DEV_KEYS_DIR: keys };
    const trail = await openAuditTrail(await loadAuditConfig(env));
    await appendMany(trail, 12);
    await trail.close();
    expect((await script('audit-verify.ts', env)).out).toMatch(/OK \(PostgreSQL schema audit_t_\w+\): records 1\.\.12, 1 signed checkpoints/);
    const refused = await script('audit-retention.ts', env, ['--older-than', '2025-01-01T00:06:00Z']);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/may not remove records .*AUDIT_RETENTION_DATABASE_URL/);
    const pruned = await script('audit-retention.ts', { ...env, AUDIT_RETENTION_DATABASE_URL: server.urlFor(server.retentionRole) }, ['--older-than', '2025-01-01T00:06:00Z']);
    expect(pruned.out).toMatch(/removed 5 records/);
    expect((await script('audit-verify.ts', env)).out).toMatch(/OK .*records 6\.\.13.*anchored on the retention checkpoint at 5/);
  });
});
