// The trail around a store: automatic and on-demand signed checkpoints, keys, and configuration.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newKeyPair } from '../../auth/keys.js';
import { CheckpointVerifier, loadOrCreateAuditDevKeyPair } from '../../audit/checkpoint.js';
import { loadAuditConfig } from '../../audit/config.js';
import { AuditTrail, openAuditTrail } from '../../audit/trail.js';
import { verifyChain } from '../../audit/verify.js';
import { appendMany, fileHarness, sampleInput, testSigner } from './helpers.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'audit-trail-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('the audit trail', () => {
  it('signs a checkpoint every N records, on demand, and of the head when it closes', async () => {
    const h = await fileHarness();
    cleanup.push(() => h.dispose());
    const signer = await testSigner();
    const trail = new AuditTrail(await h.open(), signer, { checkpointEvery: 4 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => trail.append(sampleInput(i + 1))));
    expect((await trail.checkpoint())?.seq).toBe(10);
    await trail.append(sampleInput(11));
    await trail.close();
    const store = await h.open();
    cleanup.push(() => store.close());
    expect((await store.checkpoints()).map((c) => c.seq)).toEqual([4, 8, 10, 11]);
    expect(await verifyChain(store, signer.publicJwk)).toMatchObject({ ok: true, checkpoints: 4 });
  });

  it('returns no checkpoint for an empty trail', async () => {
    const h = await fileHarness();
    cleanup.push(() => h.dispose());
    const trail = new AuditTrail(await h.open(), await testSigner());
    expect(await trail.checkpoint()).toBeNull();
    await trail.close();
  });

  it('verifies checkpoints signed under a rotated-out key when given both public keys', async () => {
    const h = await fileHarness();
    cleanup.push(() => h.dispose());
    const [oldKey, newKey] = [await testSigner('audit-2025'), await testSigner('audit-2026')];
    const first = new AuditTrail(await h.open(), oldKey, { checkpointEvery: 5 });
    await appendMany(first, 5);
    await first.close();
    const second = new AuditTrail(await h.open(), newKey, { checkpointEvery: 5 });
    await appendMany(second, 5, 6);
    await second.idle();
    expect(await verifyChain(second.store, [oldKey.publicJwk, newKey.publicJwk])).toMatchObject({ ok: true, checkpoints: 2 });
    expect(await verifyChain(second.store, newKey.publicJwk)).toMatchObject({ ok: false, firstBad: { seq: 5, reason: 'CHECKPOINT_SIGNATURE_INVALID' } });
    await second.close();
  });
});

describe('checkpoint keys', () => {
  it('rejects a checkpoint whose fields no longer match what was signed', async () => {
    const signer = await testSigner();
    const cp = await signer.sign({ seq: 3, hash: 'a'.repeat(64) });
    const verifier = new CheckpointVerifier(signer.publicJwk);
    expect(await verifier.problem(cp)).toBeNull();
    expect(await verifier.problem({ ...cp, seq: 4 })).toMatch(/differs/);
    expect(await verifier.problem({ ...cp, kid: 'other' })).toMatch(/unknown key/);
    expect(await verifier.problem({ ...cp, signature: cp.signature.slice(0, -4) + 'AAAA' })).toMatch(/invalid/);
  });

  it('creates one development key pair, readable only by its owner, even when asked twice at once', async () => {
    const dir = await tempDir();
    const [a, b] = await Promise.all([loadOrCreateAuditDevKeyPair(dir), loadOrCreateAuditDevKeyPair(dir)]);
    expect(a.kid).toBe(b.kid);
    expect((await loadOrCreateAuditDevKeyPair(dir)).kid).toBe(a.kid);
    expect((await stat(join(dir, 'audit.json'))).mode & 0o077).toBe(0);
  });
});

describe('audit configuration', () => {
  it('defaults to the file store, 100 records per checkpoint, 7 years and the development key', async () => {
    const dir = await tempDir();
    const config = await loadAuditConfig({ DEV_KEYS_DIR: dir });
    expect(config).toMatchObject({ databaseUrl: null, schema: 'audit', checkpointEvery: 100, retentionDays: 2555 });
    expect(config.dir).toMatch(/\.data[/\\]audit$/);
    expect(config.signingKey?.kid).toMatch(/^dev-audit-/);
    expect(config.publicKeys[0]).not.toHaveProperty('d');
  });

  it('requires AUDIT_SIGNING_KEY in production, and takes it from there', async () => {
    await expect(loadAuditConfig({ NODE_ENV: 'production' })).rejects.toThrow(/AUDIT_SIGNING_KEY/);
    const pair = await newKeyPair('prod-audit-1');
    const config = await loadAuditConfig({ NODE_ENV: 'production', AUDIT_SIGNING_KEY: JSON.stringify(pair.privateJwk), AUDIT_DATABASE_URL: 'postgres://app@db/audit' });
    expect(config).toMatchObject({ databaseUrl: 'postgres://app@db/audit', retentionDatabaseUrl: 'postgres://app@db/audit' });
    expect(config.signingKey?.kid).toBe('prod-audit-1');
  });

  it('lets an auditor verify with only the public keys', async () => {
    const pair = await newKeyPair('prod-audit-1');
    const config = await loadAuditConfig({ NODE_ENV: 'production', AUDIT_PUBLIC_KEYS: JSON.stringify({ keys: [pair.publicJwk] }) }, { verifyOnly: true });
    expect(config.signingKey).toBeNull();
    expect(config.publicKeys.map((k) => k.kid)).toEqual(['prod-audit-1']);
  });

  it('refuses settings that are not numbers', async () => {
    const dir = await tempDir();
    await expect(loadAuditConfig({ DEV_KEYS_DIR: dir, AUDIT_CHECKPOINT_EVERY: 'ten' })).rejects.toThrow(/AUDIT_CHECKPOINT_EVERY/);
    await expect(loadAuditConfig({ DEV_KEYS_DIR: dir, AUDIT_RETENTION_DAYS: '0' })).rejects.toThrow(/AUDIT_RETENTION_DAYS/);
  });

  it('opens the trail the environment describes', async () => {
    const dir = await tempDir();
    const trail = await openAuditTrail(await loadAuditConfig({ DEV_KEYS_DIR: dir, AUDIT_DIR: join(dir, 'audit'), AUDIT_CHECKPOINT_EVERY: '2' }));
    await appendMany(trail, 2);
    await trail.close();
    expect((await stat(join(dir, 'audit', 'records.jsonl'))).size).toBeGreaterThan(0);
  });
});
